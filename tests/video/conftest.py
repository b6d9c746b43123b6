"""Clips made once per session, a Range-capable HTTP server, and a stand window with a player in it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.video.clips import make_clip


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("clips")
    made = {
        "tone": make_clip(root / "tone.mp4", seconds=3.0),
        "short": make_clip(root / "short.mp4", seconds=1.2),
        "silent": make_clip(root / "silent.mp4", seconds=2.0, audio=False),
        "long": make_clip(root / "long.mp4", seconds=6.0),
        "stream": make_clip(root / "stream.mp4", seconds=6.0, noise=True),
        "moov_last": make_clip(root / "moov_last.mp4", seconds=3.0, faststart=False),
    }
    return made


class Served:
    """What the test server sent: bytes in all and the Range starts asked for."""

    def __init__(self, path: Path, rate: int) -> None:
        self.path = path
        self.data = path.read_bytes()
        self.rate = rate  # bytes per second, 0: as fast as possible
        self.sent = 0
        self.ranges: list[int] = []
        self.lock = threading.Lock()


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path != "/clip.mp4":
                self.send_error(404)
                return
            data = served.data
            start, end = 0, len(data) - 1
            spec = self.headers.get("Range")
            if spec and spec.startswith("bytes="):
                first, _, last = spec[6:].partition("-")
                start = int(first or 0)
                end = int(last) if last else end
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            else:
                self.send_response(200)
            with served.lock:
                served.ranges.append(start)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(end - start + 1))
            self.end_headers()
            piece = 16 * 1024
            try:
                for at in range(start, end + 1, piece):
                    chunk = data[at:min(at + piece, end + 1)]
                    self.wfile.write(chunk)
                    with served.lock:
                        served.sent += len(chunk)
                    if served.rate:
                        time.sleep(len(chunk) / served.rate)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the player stopped reading (a seek, or it closed)

    return Handler


@pytest.fixture
def serve() -> Iterator[Callable[[Path, int], tuple[str, Served]]]:
    """serve(path, rate) -> (url, Served): the file at /clip.mp4 on 127.0.0.1, at `rate` bytes/s."""
    servers: list[ThreadingHTTPServer] = []

    def start(path: Path, rate: int = 0) -> tuple[str, Served]:
        served = Served(path, rate)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/clip.mp4", served

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def open_player(make_app, expo_dirs):
    """open_player(source, **player_options) -> (driver, player): the stand window over the hall, on its Video
    tab, for an exhibitor whose stand.toml names `source` as its video (a file in its folder or a URL)."""
    import shutil

    from expo_hall.stands.stand_screen import StandScreen

    players = []

    def build(source: str | Path, **options: object):  # noqa: ANN202
        folder = expo_dirs[1] / "alpha"
        vanished = None
        if isinstance(source, Path):
            if source.exists():
                shutil.copy(source, folder / source.name)
            else:  # a file that disappears after the expo was loaded, before the visitor opens the tab
                vanished = folder / source.name
                vanished.write_bytes(b"")
            source = source.name
        toml = folder / "stand.toml"
        lines = [line for line in toml.read_text(encoding="utf-8").splitlines() if not line.startswith("video =")]
        toml.write_text("\n".join([*lines, f"video = {json.dumps(str(source))}"]) + "\n", encoding="utf-8")
        driver = make_app("--no-server")
        app = driver.app
        if vanished is not None:
            vanished.unlink()
        stand = StandScreen(app, app.expo.exhibitors["alpha"], None)
        app.stack.push(stand)
        driver.click(stand.tab_buttons["video"].rect.center)
        player = stand.panel.player
        if options.get("autoplay") is False:  # as a visitor would: pause, and back to the start
            player.pause()
            player.seek(0.0)
        if "volume" in options:
            player.set_volume(float(options["volume"]))
        players.append(player)
        return driver, player

    yield build
    for player in players:
        player.close()
        player.decoder.join(5.0)
