"""Two server nodes (processes with their own ports, one PostgreSQL, one content folder) behind nginx: a message
sent through one node reaches listeners on the other, by stream and by long poll; nginx sends the media files.
Runs when PostgreSQL (EXPO_HALL_TEST_PG) and nginx (.ci/nginx.sh) are there."""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from expo_hall.server.nginx import MEDIA_PREFIX, config
from tests.server.conftest import PG_URL, VIDEO_BYTES, Api, fresh_db_url
from tests.server.test_processes import free_port, server_process
from tests.server.test_stream import Stream

NGINX = os.environ.get("EXPO_HALL_TEST_NGINX") or shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
pytestmark = [pytest.mark.skipif(not PG_URL, reason="EXPO_HALL_TEST_PG is not set"),
              pytest.mark.skipif(not NGINX, reason="nginx is not installed (.ci/nginx.sh)")]


@contextlib.contextmanager
def nginx(nodes: list[str], content: Path, run_dir: Path) -> Iterator[str]:
    """nginx in front of `nodes`, answering at the URL yielded."""
    port = free_port()
    (run_dir / "tmp").mkdir(parents=True)
    conf = run_dir / "nginx.conf"
    as_root = os.geteuid() == 0  # nginx's workers would be nobody, who may not read the test's folders
    conf.write_text(config(nodes, f"127.0.0.1:{port}", content, run_dir, workers=1, connections=1024,
                           user=getpass.getuser() if as_root else None))
    proc = subprocess.Popen([NGINX, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to 30 s
            try:
                if requests.get(url + "/api/v1/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stderr.read()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def nodes(expo_dirs, tmp_path_factory) -> Iterator[tuple[str, str, str]]:
    """(node A, node B, nginx) URLs."""
    db_url = fresh_db_url("postgres", tmp_path_factory.mktemp("nodes"))
    content = expo_dirs[0].parent / "content"
    extra = ("--media-redirect", MEDIA_PREFIX, "--rate-limits", "off")
    with server_process(expo_dirs, db_url, *extra) as a, server_process(expo_dirs, db_url, *extra) as b, \
            nginx([a.removeprefix("http://"), b.removeprefix("http://")], content,
                  tmp_path_factory.mktemp("nginx")) as front:
        yield a, b, front


def test_a_message_sent_through_one_node_reaches_listeners_on_the_other(nodes):
    a, b, front = nodes
    token = requests.post(front + "/api/v1/visitors", json={"display_name": "Вера"}, timeout=10).json()["token"]
    on_a, on_b, through_nginx = Api(a, token), Api(b, token), Api(front, token)
    room = on_a.get("/exhibitors/beta").json()["room_id"]
    after = on_b.get(f"/rooms/{room}/messages").json()["messages"]
    after = after[-1]["id"] if after else 0
    streamed, proxied = Stream(on_b, room, **{"Last-Event-ID": str(after)}), \
        Stream(through_nginx, room, **{"Last-Event-ID": str(after)})
    try:
        sent = on_a.send(room, "через узел A").json()
        assert list(streamed.texts(1)) == ["через узел A"] and list(proxied.texts(1)) == ["через узел A"]
        polled = on_b.get(f"/rooms/{room}/poll", params={"after": after, "timeout": 10}).json()["messages"]
        assert [m["id"] for m in polled] == [sent["id"]]
    finally:
        streamed.close()
        proxied.close()


def test_nginx_sends_the_media_files_the_nodes_point_to(nodes):
    a, _b, front = nodes
    direct = requests.get(a + "/api/v1/exhibitors/alpha/video", timeout=10)
    assert direct.headers["x-accel-redirect"].startswith(MEDIA_PREFIX) and direct.content == b""
    whole = requests.get(front + "/api/v1/exhibitors/alpha/video", timeout=10)
    assert whole.status_code == 200 and whole.content == VIDEO_BYTES
    assert whole.headers["server"].startswith("nginx") and "x-accel-redirect" not in whole.headers
    assert whole.headers["etag"] == direct.headers["etag"] and whole.headers["content-type"] == "video/mp4"
    part = requests.get(front + "/api/v1/exhibitors/alpha/video", headers={"Range": "bytes=1000-1999"}, timeout=10)
    assert part.status_code == 206 and part.content == VIDEO_BYTES[1000:2000]
    assert requests.get(front + MEDIA_PREFIX + direct.headers["x-accel-redirect"].rsplit("/", 1)[1],
                        timeout=10).status_code == 404  # internal: no way around the nodes' checks
