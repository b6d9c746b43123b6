"""Maps whose tilesets and templates sit in sibling folders of maps/ (as Tiled projects often are): the server
serves every file they refer to inside the expo's root folder, and nothing outside it."""

from __future__ import annotations

import pytest
from PIL import Image

from expo_hall.floors.tiled import load_floor
from expo_hall.floors.tiles import load_tile_layers
from expo_hall.floors.tmx_writer import FloorSketch
from tests.server.conftest import fresh_db_url, start_server

MAPPED = ["maps/hall.tmx", "gfx/tilesets/floor.tsx", "gfx/images/floor.png", "gfx/templates/stand.tx"]


@pytest.fixture
def expo(tmp_path):
    root = tmp_path / "expo"
    for folder in ("maps", "stands", "gfx/tilesets", "gfx/images", "gfx/templates"):
        (root / folder).mkdir(parents=True)
    Image.new("RGB", (32, 32), (10, 120, 40)).save(root / "gfx" / "images" / "floor.png")
    Image.new("RGB", (32, 32), (200, 0, 0)).save(tmp_path / "secret.png")  # beside the expo: never served
    (root / "gfx" / "tilesets" / "floor.tsx").write_text(
        '<tileset name="floor" tilewidth="32" tileheight="32" tilecount="1" columns="1">'
        '<image source="../images/floor.png" width="32" height="32"/></tileset>', encoding="utf-8")
    (root / "gfx" / "templates" / "stand.tx").write_text(
        '<template><object width="64" height="64"><properties><property name="exhibitor" value="alpha"/>'
        '</properties></object></template>', encoding="utf-8")
    xml = FloorSketch("hall", "Зал", 10, 6).alley(0, 96, 320, 64).point("spawn", 20, 128).to_xml()
    xml = xml.replace('<objectgroup id="1"', '<tileset firstgid="1" source="../gfx/tilesets/floor.tsx"/>'
                      '<tileset firstgid="2" name="out" tilewidth="32" tileheight="32" tilecount="1" columns="1">'
                      '<image source="../../secret.png" width="32" height="32"/></tileset>'
                      '<layer id="9" name="ground" width="10" height="6"><data encoding="csv">'
                      + ",".join(["1", "2"] + ["1"] * 58) + '</data></layer><objectgroup id="1"', 1)
    xml = xml.replace('<objectgroup id="2" name="stands" />',
                      '<objectgroup id="2" name="stands"><object id="50" name="A-1" template="../gfx/templates/'
                      'stand.tx" x="0" y="32"/></objectgroup>', 1)
    (root / "maps" / "hall.tmx").write_text(xml, encoding="utf-8")
    return root


def test_files_in_sibling_folders_are_served_and_nothing_outside(expo, tmp_path):
    server = start_server(fresh_db_url("sqlite", tmp_path), (expo / "maps", expo / "stands"))
    try:
        api = server.anonymous()
        floor = api.get("/floors/hall").json()
        assert [f["path"] for f in floor["files"]] == MAPPED
        for f in floor["files"]:
            assert api.session.get(server.url + f["url"]).content == (expo / f["path"]).read_bytes()
        for path in ("secret.png", "../secret.png", "maps/../../secret.png", "%2e%2e/secret.png"):
            r = api.get(f"/floors/hall/files/{path}")
            assert r.status_code == 404 and b"PNG" not in r.content, path

        copy = tmp_path / "client"  # the client keeps them at their paths and reads them from there
        for f in floor["files"]:
            (copy / f["path"]).parent.mkdir(parents=True, exist_ok=True)
            (copy / f["path"]).write_bytes(api.session.get(server.url + f["url"]).content)
    finally:
        server.embedded.stop()
    hall, problems = load_floor(copy / "maps" / "hall.tmx", copy)
    assert [p.key for p in problems] == ["decor_outside"]  # secret.png, named
    assert hall.stand("A-1").exhibitor_id == "alpha"
    tiles = load_tile_layers(hall.source, hall.root)
    assert set(tiles.tiles) == {1} and tiles.problems == []
