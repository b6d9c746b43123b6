"""Shared test set-up: headless SDL, small expos built in code, and a driver for the real app loop."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from expo_hall.floors.tmx_writer import FloorSketch, write_package  # noqa: E402


def small_expo(root: Path) -> tuple[Path, Path]:
    """Two floors joined by a lift, four exhibitors and one stand no alley reaches.

    Floor "main" (960 x 640): a boulevard y 288..352 across the whole floor (x 0 to 960) and a
    cross alley x 448..512 from y 32 to 608. Stands A-1, A-2 above the boulevard, A-3 below it,
    A-9 alone in a corner (unreachable). Spawn at (100, 320), a lift at (880, 320) to "upper".
    Floor "upper" (640 x 640): a plaza (32..608 x 160..480) with an island stand B-1
    (256..384 x 256..352) in it; spawn (100, 320), lift "Лифт" at (520, 420) back.
    """
    maps, stands = root / "maps", root / "stands"
    maps.mkdir(parents=True, exist_ok=True)
    stands.mkdir(parents=True, exist_ok=True)
    (FloorSketch("main", "Главный зал", 30, 20, title_en="Main hall", order=1)
     .alley(0, 288, 960, 64).alley(448, 32, 64, 576)
     .stand("A-1", "alpha", 64, 192, 128, 96)
     .stand("A-2", "beta", 544, 192, 128, 96)
     .stand("A-3", "gamma", 192, 352, 128, 96)
     .stand("A-9", "delta", 800, 32, 96, 64)
     .point("spawn", 100, 320)
     .point("Лифт", 880, 320, to_floor="upper", to_point="Лифт")
     .write(maps / "main.tmx"))
    (FloorSketch("upper", "Второй этаж", 20, 20, title_en="Upper floor", order=2)
     .alley(32, 160, 576, 320)
     .stand("B-1", "epsilon", 256, 256, 128, 96)
     .point("spawn", 100, 320)
     .point("Лифт", 520, 420, to_floor="main", to_point="Лифт")
     .write(maps / "upper.tmx"))
    write_package(stands / "alpha", "ООО «Альфа-Обучение»", name_en="Alpha Learning", category="EdTech",
                  description="Онлайн-курсы программирования для школьников", logo="logo.png")
    write_package(stands / "beta", "Школа <b>Роста</b> %{name}", category="Школьное образование",
                  description="Литература и <font size=9>русский</font> язык", logo="logo.png")
    write_package(stands / "gamma", "Детский сад «Солнышко»", category="Дошкольное образование",
                  description="Развивающие игры", logo="logo.jpg")
    write_package(stands / "delta", "Дельта", description="Стенд в углу")  # no logo: a placeholder
    write_package(stands / "epsilon", "Эпсилон Университет", name_en="Epsilon University",
                  category="Высшее образование", description="Магистратура по педагогике", logo="logo.webp")
    logo("RGB", (200, 40, 40)).save(stands / "alpha" / "logo.png")
    logo("RGBA", (40, 160, 60, 255)).save(stands / "beta" / "logo.png")
    logo("CMYK", (0, 80, 200, 0)).save(stands / "gamma" / "logo.jpg", quality=90)
    logo("RGB", (40, 60, 200)).save(stands / "epsilon" / "logo.webp")
    return maps, stands


def logo(mode: str, colour: tuple[int, ...]):  # noqa: ANN201
    """A real little logo image: a coloured square with a white bar."""
    from PIL import Image, ImageDraw

    img = Image.new(mode, (96, 64), colour)
    white = {"RGB": (255, 255, 255), "RGBA": (255, 255, 255, 255), "CMYK": (0, 0, 0, 0)}[mode]
    ImageDraw.Draw(img).rectangle((10, 25, 85, 38), fill=white)
    return img


@functools.cache
def migrated_sqlite() -> Path:
    """An SQLite database with the server's newest schema and no rows, made once per test run: a copy of it
    spares a test's server the migrations, most of its start (they are tested in tests/server/test_migrations.py,
    and a start from nothing where a test asks for one)."""
    from expo_hall.server import db

    folder = Path(tempfile.mkdtemp(prefix="expo_hall_schema_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "migrated.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    with db.writing(engine) as conn:
        db.create_schema(conn)
    engine.dispose()  # the last connection closed: the write-ahead log is folded into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def expo_dirs(tmp_path: Path) -> tuple[Path, Path]:
    return small_expo(tmp_path)


@pytest.fixture
def make_app(expo_dirs):
    """Build the real app on the small expo (or other folders / arguments) and drive it."""
    from expo_hall.app import App
    from expo_hall.expo import Expo
    from expo_hall.settings import parse_args
    from tests.driver import Driver, Started

    started = Started()

    def build(*argv: str, maps: Path | None = None, stands: Path | None = None, expo: Expo | None = None,
              fresh_database: bool = False) -> Driver:
        """The app on these folders (read by its embedded server), or on an expo already loaded (no server).
        The embedded server's database starts with the newest schema and no rows (`migrated_sqlite`), or, with
        `fresh_database`, as at a visitor's first start: no file, the migrations make it."""
        m, s = expo_dirs
        database = m.parent / "data" / "server.sqlite3"
        embedded = expo is None and not {"--no-server", "--server"} & set(argv)
        if embedded and not fresh_database and not database.exists():
            database.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(migrated_sqlite(), database)
        args = ["--maps", str(maps or m), "--stands", str(stands or s), "--lang", "ru", "--window", "1280x800",
                "--data-dir", str(m.parent / "data"), *argv]
        return started.drive(App(parse_args(args), expo))

    yield build
    started.close()
