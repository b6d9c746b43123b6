"""The network layer's test set-up: the real server on loopback over a small expo built in code.

`small_expo` (tests/conftest.py) plus what the network layer must carry too: tilesets (an embedded one
with its image, an external .tsx with its image, both in a subfolder) and a stand with contacts,
materials, webinars and a video.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from expo_hall.net.client import ApiClient, RetryPolicy
from expo_hall.server.app import create_app
from expo_hall.server.db import make_engine
from expo_hall.server.embedded import EmbeddedServer, serve_in_thread
from expo_hall.server.importer import import_folders
from expo_hall.server.settings import RateLimits, Settings
from tests.conftest import small_expo

FAST_RETRY = RetryPolicy(retries=2, backoff_factor=0.05, backoff_jitter=0.02)
TILESET = ('<tileset firstgid="1" name="hall" tilewidth="32" tileheight="32" tilecount="4" columns="2">'
           '<image source="tiles/hall.png" width="64" height="64"/></tileset>\n')
LAYER = '<layer id="9" name="floor" width="{w}" height="{h}"><data encoding="csv">{csv}</data></layer>\n'


def net_expo(root: Path) -> tuple[Path, Path]:
    from PIL import Image

    maps, stands = small_expo(root)
    (maps / "tiles").mkdir()
    Image.new("RGB", (64, 64), (90, 90, 90)).save(maps / "tiles" / "hall.png")
    Image.new("RGB", (64, 64), (20, 90, 20)).save(maps / "tiles" / "upper.png")
    (maps / "tiles" / "upper.tsx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tileset version="1.10" name="upper" tilewidth="32" tileheight="32"'
        ' tilecount="4" columns="2"><image source="upper.png" width="64" height="64"/></tileset>\n', encoding="utf-8")
    for name, tileset, (w, h) in (("main", TILESET, (30, 20)),
                                  ("upper", '<tileset firstgid="1" source="tiles/upper.tsx"/>\n', (20, 20))):
        csv = ",\n".join(",".join(str(1 + (x + y) % 4) for x in range(w)) for y in range(h))
        path = maps / f"{name}.tmx"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('<objectgroup id="1"', tileset + LAYER.format(w=w, h=h, csv=csv)
                                     + '  <objectgroup id="1"', 1), encoding="utf-8")
    with (stands / "alpha" / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write('video = "https://video.example/alpha.mp4"\n'
                 'away_message = "Мы ответим в рабочее время."\n'
                 '\n[contacts]\nemail = "hello@alpha.example"\nmessengers = {telegram = "@alpha"}\n'
                 '\n[[materials]]\ntitle = "Буклет"\ntitle_en = "Brochure"\nfile = "brochure.pdf"\n'
                 '\n[[materials]]\ntitle = "Сайт"\nurl = "https://alpha.example/"\n'
                 '\n[[webinars]]\ntitle = "Открытый урок"\nstarts = 2020-10-01T12:00:00+03:00\n'
                 'duration_minutes = 60\nurl = "https://meet.example/alpha"\n'
                 '\n[[webinars]]\ntitle = "Утренний эфир"\nstarts = 2020-10-01T10:00:00+03:00\nduration_minutes = 30\n')
    (stands / "alpha" / "brochure.pdf").write_bytes(b"%PDF-1.4\n% brochure\n%%EOF\n")
    return maps, stands


class Counted:
    """An ASGI app with every HTTP request it gets written down, (method, path) in the order they came: what the
    clients asked the real server for."""

    def __init__(self, app: Any) -> None:  # noqa: ANN401 - any ASGI app
        self.app = app
        self.seen: list[tuple[str, str]] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:  # noqa: ANN401
        if scope["type"] == "http":
            self.seen.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


@dataclass
class Server:
    """The real server on loopback; `stop()` and `start()` again keep the database and the port. Rate limits are
    off unless `settings` has them: tests register and send faster than people. `requests` lists what it was
    asked for, (method, path), across restarts."""

    dirs: tuple[Path, Path]
    db_url: str
    port: int = 0
    embedded: EmbeddedServer | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        config = Settings(db_url=self.db_url, **{"poll_max_wait": 10.0, "poll_recheck": 2.0,
                                                 "rate_limits": RateLimits.off(), **self.settings})
        engine = make_engine(self.db_url)
        import_folders(engine, *self.dirs, config.clock())
        app = Counted(create_app(config, engine))
        app.seen = self.requests
        self.embedded = serve_in_thread(app, port=self.port, engine=engine)
        self.port = int(self.embedded.url.rsplit(":", 1)[1])
        return self

    def restart(self) -> Server:
        """Stop and start again: the folders are imported anew (the server serves only what it imported)."""
        self.stop()
        return self.start()

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None

    def engine(self):  # noqa: ANN201
        return make_engine(self.db_url)


class Inbox:
    """The callback a test gives: results land in a queue; `wait` takes them with a deadline."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[Hashable, Any]] = queue.Queue()
        self.backlog: list[tuple[Hashable, Any]] = []  # delivered, not asked for yet

    def __call__(self, tag: Hashable, result: Any) -> None:
        self.queue.put((tag, result))

    def wait(self, match: Callable[[Hashable, Any], bool] = lambda t, r: True, timeout: float = 5.0
             ) -> tuple[Hashable, Any]:
        """The first delivery that matches, in the order they came; the others stay for later."""
        for i, item in enumerate(self.backlog):
            if match(*item):
                return self.backlog.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"nothing matching was delivered within {timeout} s; got {self.backlog}")
            try:
                item = self.queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if match(*item):
                return item
            self.backlog.append(item)

    def tagged(self, tag: Hashable, timeout: float = 5.0) -> Any:
        return self.wait(lambda t, _r: t == tag, timeout)[1]

    def all(self, tag: Hashable) -> list[Any]:
        """Every delivery with this tag so far, taken."""
        while True:
            try:
                self.backlog.append(self.queue.get_nowait())
            except queue.Empty:
                break
        taken = [r for t, r in self.backlog if t == tag]
        self.backlog = [(t, r) for t, r in self.backlog if t != tag]
        return taken

    def empty(self) -> bool:
        return self.queue.empty() and not self.backlog


def until(condition: Callable[[], Any], timeout: float = 5.0, step: float = 0.01) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        time.sleep(step)


@pytest.fixture
def net_dirs(tmp_path: Path) -> tuple[Path, Path]:
    return net_expo(tmp_path / "expo")


@pytest.fixture
def server(net_dirs: tuple[Path, Path], tmp_path: Path) -> Iterator[Server]:
    srv = Server(net_dirs, f"sqlite:///{tmp_path / 'server.sqlite3'}").start()
    yield srv
    srv.stop()


@pytest.fixture
def make_client(server: Server) -> Iterator[Callable[..., ApiClient]]:
    clients: list[ApiClient] = []

    def make(token: str | None = None, **kwargs: Any) -> ApiClient:
        client = ApiClient(server.url, token, retry=kwargs.pop("retry", FAST_RETRY), **kwargs)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()
