"""The server's test set-up: a small expo with real files, and the real server on loopback per test,
over SQLite and, when EXPO_HALL_TEST_PG names a database, over PostgreSQL too."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, MetaData, inspect, text

from expo_hall.floors.tmx_writer import FloorSketch, write_package
from expo_hall.server import db
from expo_hall.server.app import create_app
from expo_hall.server.auth import create_user
from expo_hall.server.db import make_engine
from expo_hall.server.embedded import EmbeddedServer, serve_in_thread
from expo_hall.server.importer import import_folders
from expo_hall.server.schemas import Role
from expo_hall.server.settings import RateLimits, Settings
from tests.conftest import migrated_sqlite
from tests.pg import PG_URL
from tests.programme.sample import write_programme

NOW = dt.datetime(2020, 10, 1, 6, 0, tzinfo=dt.UTC)  # 09:00 in Moscow, before every webinar
VIDEO_BYTES = bytes(range(256)) * 1200  # 300 kB, every offset's byte known
PDF_BYTES = b"%PDF-1.4\n% a tiny brochure\n%%EOF\n"

BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.skipif(not PG_URL, reason="EXPO_HALL_TEST_PG is not set")),
]


def write_expo(root: Path) -> tuple[Path, Path]:
    """Two floors (one with an embedded tileset image, one with an external .tsx) and four stands:
    alpha has everything (logo, video file, materials, webinars, away message), beta a JPEG logo,
    gamma an external video and no logo, delta is on no floor; and a business programme (tests/programme/sample)."""
    from PIL import Image

    maps, stands = root / "maps", root / "stands"
    (maps / "tiles").mkdir(parents=True)
    main = (FloorSketch("main", "Главный зал", 30, 20, title_en="Main hall", order=1)
            .alley(0, 288, 960, 64).stand("A-1", "alpha", 64, 192, 128, 96).stand("A-2", "beta", 544, 192, 128, 96)
            .point("spawn", 100, 320).point("lift", 880, 320, to_floor="upper", to_point="lift")).to_xml()
    tileset = ('<tileset firstgid="1" name="hall" tilewidth="32" tileheight="32" tilecount="4" columns="2">'
               '<image source="tiles/hall.png" width="64" height="64"/></tileset>\n  <objectgroup id="1"')
    (maps / "main.tmx").write_text(main.replace('<objectgroup id="1"', tileset, 1), encoding="utf-8")
    Image.new("RGB", (64, 64), (90, 90, 90)).save(maps / "tiles" / "hall.png")
    upper = (FloorSketch("upper", "Второй этаж", 20, 20, order=2).alley(32, 160, 576, 320)
             .stand("B-1", "gamma", 256, 256, 128, 96).point("spawn", 100, 320)
             .point("lift", 520, 420, to_floor="main", to_point="lift")).to_xml()
    external = '<tileset firstgid="1" source="tiles/upper.tsx"/>\n  <objectgroup id="1"'
    (maps / "upper.tmx").write_text(upper.replace('<objectgroup id="1"', external, 1), encoding="utf-8")
    (maps / "tiles" / "upper.tsx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tileset version="1.10" name="upper" tilewidth="32" tileheight="32"'
        ' tilecount="4" columns="2"><image source="upper.png" width="64" height="64"/></tileset>\n', encoding="utf-8")
    Image.new("RGB", (64, 64), (20, 90, 20)).save(maps / "tiles" / "upper.png")

    alpha = write_package(stands / "alpha", "Альфа-Обучение", name_en="Alpha Learning", category="EdTech",
                          description="Курсы\nпрограммирования", logo="logo.png", video="intro.mp4",
                          away_message="Мы ответим в рабочее время.")
    with (alpha / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[contacts]\nemail = "hello@alpha.example"\nmessengers = {telegram = "@alpha"}\n'
                 '\n[[materials]]\ntitle = "Буклет"\nfile = "brochure.pdf"\n'
                 '\n[[materials]]\ntitle = "Сайт"\nurl = "https://alpha.example/"\n'
                 '\n[[webinars]]\ntitle = "Открытый урок"\nstarts = 2020-10-01T12:00:00+03:00\n'
                 'duration_minutes = 60\nurl = "https://meet.example/alpha"\n'
                 '\n[[webinars]]\ntitle = "Утренний эфир"\nstarts = 2020-10-01T10:00:00+03:00\nduration_minutes = 30\n')
    Image.new("RGB", (96, 64), (200, 40, 40)).save(alpha / "logo.png")
    (alpha / "intro.mp4").write_bytes(VIDEO_BYTES)
    (alpha / "brochure.pdf").write_bytes(PDF_BYTES)
    beta = write_package(stands / "beta", "Школа Роста", logo="logo.jpg")
    with (beta / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[webinars]]\ntitle = "Вебинар Роста"\nstarts = 2020-10-01T11:00:00+03:00\n')
    Image.new("RGB", (96, 64), (40, 40, 200)).save(beta / "logo.jpg")
    write_package(stands / "gamma", "Гамма", video="https://video.example/gamma.mp4")
    write_package(stands / "delta", "Дельта")
    write_programme(root / "programme")  # beside the maps: the server finds it there
    return maps, stands


@pytest.fixture(scope="session")
def expo_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_expo(tmp_path_factory.mktemp("expo"))


class Clock:
    """The server's clock, set by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class Api:
    """A user's HTTP client: requests to /api/v1 with their token."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base = base_url + "/api/v1"
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.token = token

    def get(self, path: str, **kw: object) -> requests.Response:
        return self.session.get(self.base + path, timeout=30, **kw)

    def post(self, path: str, **kw: object) -> requests.Response:
        return self.session.post(self.base + path, timeout=30, **kw)

    def put(self, path: str, **kw: object) -> requests.Response:
        return self.session.put(self.base + path, timeout=30, **kw)

    def patch(self, path: str, **kw: object) -> requests.Response:
        return self.session.patch(self.base + path, timeout=30, **kw)

    def send(self, room_id: int, text: str, client_id: str | None = None) -> requests.Response:
        return self.post(f"/rooms/{room_id}/messages", json={"text": text, "client_id": client_id or str(uuid.uuid4())})


@dataclass
class TestServer:
    url: str
    db_url: str
    clock: Clock
    engine: Engine
    embedded: EmbeddedServer
    __test__ = False

    def anonymous(self) -> Api:
        return Api(self.url)

    def visitor(self, name: str = "Вера", **extra: str) -> Api:
        r = requests.post(self.url + "/api/v1/visitors", json={"display_name": name, **extra}, timeout=10)
        assert r.status_code == 201, r.text
        return Api(self.url, r.json()["token"])

    def representative(self, stand: str, name: str = "Роман") -> Api:
        token, _ = create_user(self.engine, Role.representative, name, self.clock(), stand_id=stand)
        return Api(self.url, token)

    def organizer(self, name: str = "Ольга") -> Api:
        token, _ = create_user(self.engine, Role.organizer, name, self.clock())
        return Api(self.url, token)

    def moderator(self, *halls: str, name: str = "Модератор") -> Api:
        token, _ = create_user(self.engine, Role.moderator, name, self.clock(), halls=halls)
        return Api(self.url, token)

    def room_of(self, stand: str) -> int:
        return self.anonymous().get(f"/exhibitors/{stand}").json()["room_id"]


def fresh_db_url(backend: str, tmp_path: Path, migrated: bool = False) -> str:
    """An empty database. With `migrated`, its tables may already have the newest schema, only without rows (on
    SQLite a copy of a database migrated once per run, on PostgreSQL the tables emptied when the schema is
    this code's newest): the migrations were most of a test server's start. They are tested on their own in
    test_migrations.py, and from nothing wherever a test asks for a database without `migrated`."""
    if backend == "sqlite":
        path = tmp_path / "server.sqlite3"
        if migrated:
            shutil.copyfile(migrated_sqlite(), path)
        return f"sqlite:///{path}"
    engine = make_engine(PG_URL)
    if not (migrated and emptied_if_newest(engine)):
        found = MetaData()
        found.reflect(engine)  # every table there, also one a test run of another schema left
        found.drop_all(engine)
    engine.dispose()
    return PG_URL


def emptied_if_newest(engine: Engine) -> bool:
    """Empty every table (their ids start at 1 again) if the database's schema is this code's newest: its
    revision is the head and its tables are db.py's (another branch's test run may have left another)."""
    from alembic.script import ScriptDirectory

    from expo_hall.server.migrate import alembic_config

    if set(inspect(engine).get_table_names()) != {*db.metadata.tables, "alembic_version"}:
        return False
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.begin() as conn:
        if conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() != [head]:
            return False
        names = ", ".join(f'"{name}"' for name in db.metadata.tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    return True


def start_server(db_url: str, expo_dirs: tuple[Path, Path], **settings: object) -> TestServer:
    """The server with `settings`; rate limits are off unless given (tests register and send faster than people)."""
    clock = Clock(NOW)
    if not db_url.startswith("sqlite"):  # PostgreSQL: the imported files beside the expo, not in the user's folder
        settings.setdefault("content_dir", expo_dirs[0].parent / "content")
    config = Settings(db_url=db_url, clock=clock, **{"poll_max_wait": 10.0, "poll_recheck": 2.0,
                                                     "rate_limits": RateLimits.off(), **settings})
    engine = make_engine(db_url)
    imported = import_folders(engine, *expo_dirs, clock(), config.content_dir)
    embedded = serve_in_thread(create_app(config, engine), engine=engine)
    embedded.imported = imported
    return TestServer(embedded.url, db_url, clock, engine, embedded)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> str:
    return fresh_db_url(backend, tmp_path, migrated=True)


@pytest.fixture
def server(db_url: str, expo_dirs: tuple[Path, Path]) -> Iterator[TestServer]:
    srv = start_server(db_url, expo_dirs)
    yield srv
    srv.embedded.stop()
