"""Importing the expo into the database, and the server package staying free of pygame."""

from __future__ import annotations

import shutil
import subprocess
import sys

from sqlalchemy import func, select

from expo_hall.server import db
from expo_hall.server.importer import map_files
from tests.server.conftest import Api, start_server


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
