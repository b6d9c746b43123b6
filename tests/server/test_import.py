"""Importing the expo into the database, and the server package staying free of pygame."""

from __future__ import annotations

import shutil
import subprocess
import sys

from sqlalchemy import func, select

from expo_hall.server import db
from expo_hall.server.db import make_engine
from expo_hall.server.importer import import_folders, map_files
from tests.server.conftest import NOW, Api, start_server


def test_importing_the_server_loads_no_pygame():
    code = ("import sys, expo_hall.server, expo_hall.server.cli, expo_hall.server.app\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pygame', 'pygame_gui'))\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_map_files_lists_the_tmx_and_what_it_references(expo_dirs):
    maps = expo_dirs[0]
    assert map_files(maps / "main.tmx") == ["main.tmx", "tiles/hall.png"]
    assert map_files(maps / "upper.tmx") == ["upper.tmx", "tiles/upper.tsx", "tiles/upper.png"]


def test_reimport_updates_content_and_keeps_chat_route_and_visits(db_url, expo_dirs, tmp_path):
    maps, stands = shutil.copytree(expo_dirs[0], tmp_path / "maps"), shutil.copytree(expo_dirs[1], tmp_path / "stands")
    server = start_server(db_url, (maps, stands))
    vera = server.visitor()
    room = server.room_of("alpha")
    vera.send(room, "до переимпорта")
    vera.post("/exhibitors/delta/visits")
    vera.put("/me/route", json={"version": 0, "planned": ["delta", "alpha"]})
    server.embedded.stop()

    shutil.rmtree(stands / "delta")
    toml = stands / "alpha" / "stand.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("Альфа-Обучение", "Альфа 2.0"), encoding="utf-8")
    for _ in range(2):  # twice: importing is idempotent
        server = start_server(db_url, (maps, stands))
        api, vera = server.anonymous(), Api(server.url, vera.token)
        assert [e["exhibitor_id"] for e in api.get("/exhibitors").json()] == ["alpha", "beta", "gamma"]
        assert api.get("/exhibitors/alpha").json()["name"] == "Альфа 2.0"
        assert server.room_of("alpha") == room
        assert [m["text"] for m in vera.get(f"/rooms/{room}/messages").json()["messages"]] == ["до переимпорта"]
        route = vera.get("/me/route").json()
        assert route["planned"] == ["delta", "alpha"] and route["visited"][0]["exhibitor_id"] == "delta"
        server.embedded.stop()
    with server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.exhibitors)).scalar() == 4
        assert conn.execute(select(func.count()).select_from(db.rooms)).scalar() == 4


def test_logos_are_normalised_once_and_again_only_when_their_file_changes(expo_dirs, tmp_path):
    from PIL import Image

    maps, stands = shutil.copytree(expo_dirs[0], tmp_path / "maps"), shutil.copytree(expo_dirs[1], tmp_path / "stands")
    engine = make_engine(f"sqlite:///{tmp_path / 'expo.sqlite3'}")
    content = tmp_path / "content"

    def imported() -> tuple[int, int, dict[str, str]]:
        summary = import_folders(engine, maps, stands, NOW, content)
        with engine.connect() as conn:
            logos = {row.exhibitor_id: row.doc["logo"] for row in conn.execute(select(db.exhibitors))}
        return summary.logos_made, summary.logos_reused, logos

    made, reused, first = imported()
    assert (made, reused) == (2, 0)  # alpha's PNG and beta's JPEG
    made, reused, again = imported()
    assert (made, reused) == (0, 2) and again == first  # nothing decoded: both found by their file's hash
    Image.new("RGB", (800, 400), (10, 200, 10)).save(stands / "beta" / "logo.jpg")
    made, reused, changed = imported()
    assert (made, reused) == (1, 1) and changed["alpha"] == first["alpha"] and changed["beta"] != first["beta"]
    with Image.open(content / changed["beta"]) as logo:  # the new picture, normalised into the logo's box
        assert logo.format == "PNG" and logo.size == (512, 256) and logo.convert("RGB").getpixel((5, 5))[1] > 150
    Image.new("RGBA", (64, 64), (200, 10, 10, 128)).save(stands / "alpha" / "logo.png")
    made, reused, last = imported()
    assert (made, reused) == (1, 1)  # an RGBA PNG small enough is checked and kept as it is, byte for byte
    assert (content / last["alpha"]).read_bytes() == (stands / "alpha" / "logo.png").read_bytes()
    engine.dispose()


def test_logos_made_in_a_process_of_their_own_are_those_made_here(expo_dirs, tmp_path):
    """A large expo's logos are made by a worker process (begin_import): the same stored files and the same
    problems as made in the importing process; a worker that ends early leaves the rest to the importing process."""
    from PIL import Image

    from expo_hall.expo import load_expo
    from expo_hall.floors.tmx_writer import write_package
    from expo_hall.server.content_store import ContentStore
    from expo_hall.server.import_begin import ImportBegun
    from expo_hall.server.logos import Logos

    maps, stands = shutil.copytree(expo_dirs[0], tmp_path / "maps"), shutil.copytree(expo_dirs[1], tmp_path / "stands")
    write_package(stands / "gamma", "Гамма", logo="logo.png")
    (stands / "gamma" / "logo.png").write_bytes(b"not a picture")
    write_package(stands / "delta", "Дельта", logo="logo.webp")
    Image.new("RGBA", (64, 64), (0, 90, 0, 200)).save(stands / "delta" / "logo.webp")

    def imported(name: str, worker_from: int, kill: bool = False) -> tuple[dict[str, str], list[str], int]:
        engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite3")
        expo, logos = load_expo(maps, stands), Logos(ContentStore(tmp_path / name), worker_from=worker_from)
        logos.start_worker(packages=4)
        logos.begin(expo)
        assert (logos._worker is not None) == (worker_from == 1)  # four packages: a worker from one
        if kill:
            logos._worker._process.kill()
        summary = import_folders(engine, maps, stands, NOW, tmp_path / name, begun=ImportBegun(expo, logos))
        with engine.connect() as conn:
            stored = {row.exhibitor_id: row.doc["logo"] for row in conn.execute(select(db.exhibitors))}
        engine.dispose()
        return stored, sorted(str(p) for p in summary.problems if "logo" in p.key), summary.logos_made

    here, problems, made = imported("here", worker_from=100)
    assert here["gamma"] is None and here["alpha"] and here["delta"] and made == 3
    assert len(problems) == 1 and "gamma" in problems[0]  # the file that is not a picture, named
    assert imported("worker", worker_from=1) == (here, problems, made)
    assert imported("killed", worker_from=1, kill=True) == (here, problems, made)
    for name in ("here", "worker", "killed"):  # the same files in each store, nothing half-written
        assert sorted(p.name for p in (tmp_path / name).iterdir() if not p.name.startswith("derived-")) == \
            sorted(p.name for p in (tmp_path / "here").iterdir() if not p.name.startswith("derived-"))
