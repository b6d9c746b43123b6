"""The media cache: ETag / Last-Modified revalidation against the real server, atomic files, offline copies."""

from __future__ import annotations

import http.server
import threading

import pytest

from expo_hall.net.client import ApiClient
from expo_hall.net.errors import Offline
from expo_hall.net.media import DOWNLOADED, NOT_MODIFIED, OFFLINE_COPY, MediaCache
from tests.net.conftest import FAST_RETRY


def colour(path) -> tuple[int, int, int]:  # noqa: ANN001
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("RGB").getpixel((0, 0))


def test_revalidation_keeps_the_copy_and_fetches_a_changed_file(make_client, server, net_dirs, tmp_path):
    media = MediaCache(make_client(), tmp_path / "cache")
    logo_url = "/api/v1/exhibitors/alpha/logo"
    first = media.fetch(logo_url, tmp_path / "cache" / "alpha" / "logo", add_suffix=True)
    assert first.status == DOWNLOADED and first.path.name == "logo.png" and first.content_type == "image/png"
    source = net_dirs[1] / "alpha" / "logo.png"
    assert colour(first.path) == colour(source)
    stamp = first.path.stat()

    second = media.fetch(logo_url, tmp_path / "cache" / "alpha" / "logo", add_suffix=True)
    assert second.status == NOT_MODIFIED and second.path == first.path
    assert (second.path.stat().st_ino, second.path.stat().st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns)
    assert media.cached(logo_url) == first.path

    from tests.conftest import logo

    logo("RGB", (10, 200, 10)).save(source)
    server.restart()  # imported anew
    third = media.fetch(logo_url, tmp_path / "cache" / "alpha" / "logo", add_suffix=True)
    assert third.status == DOWNLOADED and colour(third.path) == (10, 200, 10)
    assert not list((tmp_path / "cache" / "alpha").glob("*.part")) and not list(
        (tmp_path / "cache" / "alpha").glob("*.download"))


def test_default_place_and_an_offline_copy(make_client, server, tmp_path):
    media = MediaCache(make_client(), tmp_path / "cache")
    got = media.fetch(server.url + "/api/v1/exhibitors/beta/logo")
    assert got.path.parent == tmp_path / "cache" / "media" and got.status == DOWNLOADED
    server.stop()
    again = media.fetch(server.url + "/api/v1/exhibitors/beta/logo")
    assert again.status == OFFLINE_COPY and again.path == got.path
    with pytest.raises(Offline):
        media.fetch(server.url + "/api/v1/exhibitors/gamma/logo")


class CutOff(http.server.BaseHTTPRequestHandler):
    """Promises 1000 bytes and sends 10: a download cut off in the middle."""

    headers_seen: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802
        self.headers_seen.append(dict(self.headers))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"0123456789")
        self.wfile.flush()
        self.connection.close()

    def log_message(self, *args: object) -> None:
        pass


def test_a_partial_download_never_looks_complete(tmp_path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CutOff)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        client = ApiClient(f"http://127.0.0.1:{httpd.server_address[1]}", retry=FAST_RETRY)
        dest = tmp_path / "cache" / "logo.png"
        dest.parent.mkdir()
        dest.write_bytes(b"the old, whole file")
        with pytest.raises(Offline):
            client.download("/api/v1/exhibitors/x/logo", dest)
        assert dest.read_bytes() == b"the old, whole file"
        assert [p.name for p in dest.parent.iterdir()] == ["logo.png"]
        with pytest.raises(Offline):
            MediaCache(client, tmp_path / "cache2").fetch("/api/v1/exhibitors/x/logo")
        assert not [p for p in (tmp_path / "cache2").rglob("*") if p.is_file()]
    finally:
        httpd.shutdown()
        httpd.server_close()
