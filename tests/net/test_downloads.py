"""The download manager against the real server on loopback: whole files, progress, cancel, failures, retry."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import http.server
import os
import threading
from pathlib import Path

import pytest

from expo_hall.net.client import ApiClient
from expo_hall.net.downloads import (
    DISK,
    DISK_FULL,
    NOT_FOUND,
    OFFLINE,
    PERMISSION,
    Cancelled,
    Downloads,
    Failed,
    Finished,
    Progress,
    RemoteFile,
    disk_failure,
    part_path,
)
from expo_hall.server.auth import create_user
from expo_hall.server.schemas import Role
from tests.net.conftest import FAST_RETRY
from tests.net.test_media import CutOff

URL = "/api/v1/exhibitors/alpha/materials/0"  # net_expo's brochure.pdf


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def big_pdf(path: Path, pages: int = 3) -> Path:
    """A real PDF of a few MB: pages of noise."""
    from PIL import Image

    images = [Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)) for _ in range(pages)]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:])
    return path


def results(inbox, tag, timeout: float = 10.0) -> list:
    """Everything delivered for `tag` up to and including its final result."""
    got = []
    while True:
        value = inbox.tagged(tag, timeout)
        got.append(value)
        if not isinstance(value, Progress):
            return got


def nothing_left(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def test_a_download_is_the_same_file_with_progress_from_zero_to_whole(make_client, server, net_dirs, inbox, tmp_path):
    source = big_pdf(net_dirs[1] / "alpha" / "brochure.pdf")
    server.restart()
    downloads = Downloads(make_client(), inbox)
    dest = tmp_path / "out" / "brochure.pdf"
    assert downloads.start("a", URL, dest)
    assert not downloads.start("a", URL, dest)  # one at a time per tag
    got = results(inbox, "a")
    progress, final = got[:-1], got[-1]
    assert isinstance(final, Finished) and final.path == dest and final.content_type == "application/pdf"
    assert final.size == source.stat().st_size and sha(dest) == sha(source)
    fractions = [p.fraction for p in progress]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions) and len(fractions) > 2
    assert [p.name for p in dest.parent.iterdir()] == ["brochure.pdf"]
    assert not downloads.running("a")


def test_each_visitors_downloads_count_once_in_the_stands_statistics(make_client, server, inbox, tmp_path):
    """The client sends the visitor's token with a download from its server: the stand counts visitors, not
    requests, even when they all share one address."""
    visitors = [make_client(), make_client()]
    for i, client in enumerate(visitors):
        client.register(f"Гость {i}")
    for n, client in enumerate(visitors * 2):
        downloads = Downloads(client, inbox)
        downloads.start(n, URL, tmp_path / str(n) / "brochure.pdf")
        assert isinstance(results(inbox, n)[-1], Finished)
    engine = server.engine()
    rep_token, _ = create_user(engine, Role.representative, "Роман", dt.datetime.now(dt.UTC), stand_id="alpha")
    engine.dispose()
    assert make_client(rep_token).stand_stats("alpha").downloads == 2


def test_several_at_once_and_a_local_copy(make_client, net_dirs, inbox, tmp_path):
    downloads = Downloads(make_client(), inbox, max_parallel=2)
    logo = net_dirs[1] / "beta" / "logo.png"
    downloads.start("pdf", URL, tmp_path / "out" / "a.pdf")
    downloads.start("logo", "/api/v1/exhibitors/beta/logo", tmp_path / "out" / "logo.png")
    downloads.start("copy", logo, tmp_path / "out" / "copy.png")
    downloads.start("gone", tmp_path / "missing.png", tmp_path / "out" / "never.png")
    finals = {tag: results(inbox, tag)[-1] for tag in ("pdf", "logo", "copy", "gone")}
    assert all(isinstance(finals[t], Finished) for t in ("pdf", "logo", "copy"))
    assert sha(tmp_path / "out" / "copy.png") == sha(logo)
    assert (tmp_path / "out" / "logo.png").read_bytes().startswith(b"\x89PNG")  # the server's normalised logo
    assert isinstance(finals["gone"], Failed) and finals["gone"].reason == NOT_FOUND
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.pdf", "copy.png", "logo.png"]


def test_cancel_removes_the_partial_file(make_client, server, net_dirs, inbox, tmp_path):
    big_pdf(net_dirs[1] / "alpha" / "brochure.pdf")
    server.restart()
    downloads = Downloads(make_client(), inbox, rate_limit=500_000, chunk_size=16 * 1024)
    dest = tmp_path / "out" / "brochure.pdf"
    downloads.start("a", URL, dest)
    first = inbox.tagged("a")
    assert isinstance(first, Progress) and first.done == 0
    inbox.wait(lambda t, r: t == "a" and isinstance(r, Progress) and r.done > 0)
    assert part_path(dest).exists() and not dest.exists()  # under way: only the .part
    assert downloads.cancel("a")
    assert isinstance(results(inbox, "a")[-1], Cancelled)
    assert nothing_left(dest.parent) and not downloads.running("a")
    assert not downloads.cancel("a")


def test_stop_cancels_everything_and_takes_no_more(make_client, server, net_dirs, inbox, tmp_path):
    big_pdf(net_dirs[1] / "alpha" / "brochure.pdf")
    server.restart()
    downloads = Downloads(make_client(), inbox, rate_limit=300_000, max_parallel=1)
    downloads.start("a", URL, tmp_path / "out" / "a.pdf")
    downloads.start("b", URL, tmp_path / "out" / "b.pdf")  # waits for a slot
    inbox.wait(lambda t, r: t == "a" and isinstance(r, Progress))
    downloads.stop(timeout=5)
    assert isinstance(results(inbox, "a")[-1], Cancelled) and isinstance(results(inbox, "b")[-1], Cancelled)
    assert nothing_left(tmp_path / "out")
    with pytest.raises(RuntimeError):
        downloads.start("c", URL, tmp_path / "out" / "c.pdf")


def test_404_and_offline_say_why_keep_nothing_and_retry_succeeds(make_client, server, net_dirs, inbox, tmp_path):
    kept = (net_dirs[1] / "alpha" / "brochure.pdf").read_bytes()
    stored = tmp_path / "content" / (hashlib.sha256(kept).hexdigest() + ".pdf")  # the copy the server imported
    stored.unlink()  # the server's file went missing
    downloads = Downloads(make_client(), inbox)
    dest = tmp_path / "out" / "brochure.pdf"
    downloads.start("a", URL, dest)
    failed = results(inbox, "a")[-1]
    assert isinstance(failed, Failed) and failed.reason == NOT_FOUND and failed.status == 404 and failed.retryable
    assert nothing_left(dest.parent)
    stored.write_bytes(kept)
    server.stop()
    assert downloads.retry("a")
    failed = results(inbox, "a")[-1]
    assert isinstance(failed, Failed) and failed.reason == OFFLINE and failed.status is None and failed.detail
    assert nothing_left(dest.parent)
    server.start()
    assert downloads.retry("a")
    assert isinstance(results(inbox, "a")[-1], Finished) and dest.read_bytes() == kept


def test_a_cut_off_answer_fails_as_offline_and_leaves_nothing(inbox, tmp_path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CutOff)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    client = ApiClient(f"http://127.0.0.1:{httpd.server_address[1]}", retry=FAST_RETRY)
    try:
        Downloads(client, inbox).start("a", "/api/v1/exhibitors/x/materials/0", tmp_path / "out" / "x.png")
        failed = results(inbox, "a")[-1]
        assert isinstance(failed, Failed) and failed.reason == OFFLINE
        assert nothing_left(tmp_path / "out")
    finally:
        client.close()
        httpd.shutdown()
        httpd.server_close()


def test_the_token_goes_only_to_our_own_server(inbox, tmp_path):
    CutOff.headers_seen.clear()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CutOff)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    client = ApiClient(f"http://127.0.0.1:{port}", "secret-token", retry=FAST_RETRY)
    try:
        downloads = Downloads(client, inbox)
        downloads.start("ours", "/api/v1/x", tmp_path / "a")
        results(inbox, "ours")
        downloads.start("theirs", f"http://localhost:{port}/x", tmp_path / "b")  # another host name
        results(inbox, "theirs")
        ours, theirs = CutOff.headers_seen[0], CutOff.headers_seen[-1]
        assert ours.get("Authorization") == "Bearer secret-token" and "Authorization" not in theirs
    finally:
        client.close()
        httpd.shutdown()
        httpd.server_close()


def test_disk_errors_are_told_apart(make_client, inbox, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    Downloads(make_client(), inbox).start("a", URL, tmp_path / "file" / "x.pdf")
    failed = results(inbox, "a")[-1]
    assert isinstance(failed, Failed) and failed.reason == DISK and failed.detail
    assert disk_failure(OSError(errno.ENOSPC, "No space left on device", "/x")).reason == DISK_FULL
    assert disk_failure(PermissionError(errno.EACCES, "Permission denied", "/x")).reason == PERMISSION
    assert disk_failure(OSError(errno.EROFS, "Read-only file system")).reason == PERMISSION


def test_probe_asks_with_head(make_client):
    downloads = Downloads(make_client(), lambda *_: None)
    assert downloads.probe(URL) == RemoteFile(None, None)  # our server answers HEAD with 405: nothing known
