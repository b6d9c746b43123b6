"""Tiled maps as people draw them: what pytmx refuses is named (the object and the fix), templates and
external tilesets are read from the map's folder only, and no file can make the loader expand or wander."""

from __future__ import annotations

import base64
import os
import threading
import time
import zlib
from pathlib import Path

import pytest

from expo_hall.expo import load_expo
from expo_hall.floors.tiled import load_floor
from expo_hall.floors.tmx_writer import FloorSketch
from expo_hall.problems import ContentError, Problem, Severity


def base_sketch() -> FloorSketch:
    """10 x 10 tiles of 32 px: an alley along the top, stand A-1 below it, the spawn in the alley."""
    return FloorSketch("x", "Икс", 10, 10).alley(0, 0, 320, 64).stand("A-1", "alpha", 0, 64, 64, 64) \
        .point("spawn", 10, 10)


def write(folder: Path, xml: str, name: str = "x.tmx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(xml, encoding="utf-8")
    return path


def edit(xml: str, old: str, new: str) -> str:
    assert old in xml, old
    return xml.replace(old, new, 1)


STAND = '<object id="2" x="0" y="64" name="A-1" width="64" height="64">'
STANDS = '<objectgroup id="2" name="stands">'
ALLEYS = '<objectgroup id="1" name="alleys">'
EXHIBITOR = '<property name="exhibitor" value="alpha" />'


def tile_layer(data: str, encoding: str = "csv", compression: str | None = None, name: str = "floor",
               extra: str = "") -> str:
    comp = f' compression="{compression}"' if compression else ""
    return (f'<layer id="9" name="{name}" width="10" height="10"{extra}>'
            f'<data encoding="{encoding}"{comp}>{data}</data></layer>')


CSV = ",".join(["1"] * 100)
TILESET = '<tileset firstgid="1" name="hall" tilewidth="32" tileheight="32" tilecount="1" columns="1">' \
          '<image source="tiles/hall.png" width="32" height="32"/></tileset>'


def told(found: Problem) -> str:
    """The problem as the problems window tells it: the fault, then what to do."""
    return f"{found}. Fix: {found.fix()}"


def fatal(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_floor(path)
    return [told(p) for p in caught.value.problems if p.severity is Severity.ERROR]


# -- what pytmx refuses, named -------------------------------------------------------------------------------
@pytest.mark.parametrize("layer", [False, True], ids=["objects_only", "with_tile_chunks"])
def test_an_infinite_map_is_refused_by_name_with_the_fix(tmp_path, layer):
    xml = edit(base_sketch().to_xml(), 'infinite="0"', 'infinite="1"')
    if layer:  # what Tiled writes for an infinite map: chunks (pytmx said "Exception: " and nothing more)
        xml = edit(xml, ALLEYS, '<layer id="9" name="floor" width="10" height="10"><data encoding="csv">'
                                f'<chunk x="0" y="0" width="10" height="10">{CSV}</chunk></data></layer>' + ALLEYS)
    [message] = fatal(write(tmp_path, xml))
    assert message == "tmp_path0/x.tmx: the map is infinite; a floor needs a fixed size. " \
                      "Fix: Map > Map Properties > Infinite off.".replace("tmp_path0", tmp_path.name)


def test_chunks_in_a_map_that_says_finite_are_refused_as_infinite(tmp_path):
    xml = edit(base_sketch().to_xml(), ALLEYS, '<layer id="9" name="floor" width="10" height="10"><data '
               f'encoding="csv"><chunk x="0" y="0" width="10" height="10">{CSV}</chunk></data></layer>' + ALLEYS)
    assert any("the map is infinite" in m for m in fatal(write(tmp_path, xml)))


def test_properties_named_like_pytmx_attributes_are_read_as_any_other(tmp_path):
    xml = edit(base_sketch().to_xml(), EXHIBITOR, EXHIBITOR + '<property name="type" value="island" />'
               '<property name="name" value="Остров" /><property name="x" type="int" value="5" />')
    xml = edit(xml, '<property name="floor_id"', '<property name="type" value="hall" /><property name="floor_id"')
    floor, problems = load_floor(write(tmp_path, xml))
    assert problems == []
    assert floor.stand("A-1").exhibitor_id == "alpha" and floor.properties["type"] == "hall"


def test_a_class_typed_property_is_named_and_ignored_and_the_floor_opens(tmp_path):
    cls = '<property name="{}" type="class" propertytype="Booth"><properties>' \
          '<property name="size" type="int" value="3"/></properties></property>'
    xml = edit(base_sketch().to_xml(), EXHIBITOR, EXHIBITOR + cls.format("booth"))
    xml = edit(xml, '<property name="floor_id"', cls.format("style") + '<property name="floor_id"')
    floor, problems = load_floor(write(tmp_path, xml))
    assert floor.stand("A-1").exhibitor_id == "alpha"
    assert sorted(told(p).split(": ", 1)[1] for p in problems) == [
        "map properties: property 'style' is of the custom class 'Booth', which is not read; ignored. "
        "Fix: Use plain properties (string, int, bool…).",
        "stand A-1: property 'booth' is of the custom class 'Booth', which is not read; ignored. "
        "Fix: Use plain properties (string, int, bool…)."]
    assert all(p.severity is Severity.WARNING for p in problems)


def test_a_typed_property_that_is_not_of_its_type_is_read_as_text_and_then_checked(tmp_path):
    xml = edit(base_sketch().to_xml(), EXHIBITOR, '<property name="exhibitor" type="int" value="alpha" />')
    xml = edit(xml, '<property name="floor_id"', '<property name="order" type="int" value="first" />'
                                                 '<property name="floor_id"')
    messages = fatal(write(tmp_path, xml))
    assert any("map property 'order': must be a whole number, not 'first'" in m for m in messages)
    with pytest.raises(ContentError) as caught:
        load_floor(tmp_path / "x.tmx")
    warnings = [str(p) for p in caught.value.problems if p.severity is Severity.WARNING]
    assert any("stand A-1: property 'exhibitor' is marked int, but its value 'alpha' is not; read as text" in w
               for w in warnings)


def test_layer_offsets_move_objects_where_tiled_draws_them_and_tile_layer_offsets_are_kept(tmp_path):
    xml = edit(base_sketch().to_xml(), STANDS, '<group id="7" name="hall" offsetx="10" offsety="-2.25">'
               '<objectgroup id="2" name="stands" offsetx="0.5" offsety="0.25">')
    xml = edit(xml, '</objectgroup>\n  <objectgroup id="3"', '</objectgroup></group>\n  <objectgroup id="3"')
    xml = edit(xml, ALLEYS, TILESET + tile_layer(CSV, extra=' offsetx="0.5"') + ALLEYS)
    (tmp_path / "tiles").mkdir(parents=True)
    (tmp_path / "tiles" / "hall.png").write_bytes(b"")
    floor, problems = load_floor(write(tmp_path, xml))
    rect = floor.stand("A-1").rect
    assert (rect.x0, rect.y0, rect.x1, rect.y1) == (10.5, 62.0, 74.5, 126.0)
    assert problems == [] and floor.has_tiles  # the tile layer is drawn moved by its offset, as Tiled draws it


@pytest.mark.parametrize("compression, encoding, words", [
    ("zstd", "base64", "its tiles are compressed with zstd, which cannot be read; the layer is not drawn"),
    (None, None, "its tiles are stored as XML, which cannot be read"),
    (None, "hex", "its tiles are stored as hex, which cannot be read"),
])
def test_a_tile_layer_pytmx_cannot_read_is_named_and_left_out(tmp_path, compression, encoding, words):
    data = "KLUv/SAAAQAA" if compression else ('<tile gid="1"/>' * 100 if encoding is None else "00")
    layer = tile_layer(data, encoding or "", compression).replace(' encoding=""', "")
    xml = edit(base_sketch().to_xml(), ALLEYS, layer + ALLEYS)
    floor, problems = load_floor(write(tmp_path, xml))
    [found] = problems
    assert found.obj == "layer 'floor'" and words in found.fault and found.severity is Severity.WARNING
    assert not floor.has_tiles and floor.stand("A-1") is not None


def test_compressed_tile_data_is_read_within_the_maps_size_only(tmp_path):
    ok = base64.b64encode(zlib.compress(b"\x01\x00\x00\x00" * 100)).decode()
    bomb = base64.b64encode(zlib.compress(b"\x00" * 50_000_000)).decode()  # 48 KB that inflate to 50 MB
    xml = edit(base_sketch().to_xml(), ALLEYS, tile_layer(ok, "base64", "zlib") +
               tile_layer(bomb, "base64", "zlib", name="bomb") + tile_layer("1,2,3", name="short") + ALLEYS)
    floor, problems = load_floor(write(tmp_path, xml))
    assert floor.has_tiles
    assert sorted((p.obj, p.key) for p in problems) == [("layer 'bomb'", "layer_unreadable"),
                                                        ("layer 'short'", "layer_unreadable")]


def test_numbers_that_are_not_numbers_are_named_where_they_are(tmp_path):
    xml = edit(base_sketch().to_xml(), STAND, '<object id="2" x="left" y="64" name="A-1" width="64" height="64">')
    xml = edit(xml, STANDS, '<objectgroup id="2" name="stands" opacity="half">')
    xml = edit(xml, ALLEYS, '<objectgroup id="1" name="alleys"><object id="20" name="crooked" x="0" y="0">'
                            '<polygon points="0,0 10,abc 5,5"/></object>'
                            '<object id="21" x="nan" y="0" width="5" height="5"/>')
    floor, problems = load_floor(write(tmp_path, xml))
    assert floor.stands == []
    assert sorted(told(p).split(": ", 1)[1] for p in problems) == [
        "alley crooked: its points '0,0 10,abc 5,5' are not pairs of numbers; skipped. "
        "Fix: Draw the shape again in Tiled.",
        "layer 'stands': 'opacity' is 'half', which cannot be read; ignored. Fix: Save the map again from Tiled.",
        "object id 21: 'x' is 'nan', which cannot be read; skipped. Fix: Set it again in Tiled's Properties.",
        "stand A-1: 'x' is 'left', which cannot be read; skipped. Fix: Set it again in Tiled's Properties."]


@pytest.mark.parametrize("old, new, words", [
    ('width="10"', 'width="ten"', "the map's 'width' is 'ten'; it must be a whole number above 0"),
    ('tileheight="32"', 'tileheight="0"', "the map's 'tileheight' is '0'"),
    ('width="10"', 'width="100000"', "the map is 3200000 × 320 px; a floor can be at most 32768 px on a side"),
    ('<map ', '<map foo="1" ', None),
])
def test_the_maps_size_must_be_usable(tmp_path, old, new, words):
    path = write(tmp_path, edit(base_sketch().to_xml(), old, new))
    if words is None:
        assert load_floor(path)[1] == []
    else:
        assert any(words in m for m in fatal(path))


def test_objects_outside_the_map_are_named_and_alleys_are_clipped_to_it(tmp_path):
    sketch = base_sketch().alley(300, 200, 100, 64).alley(900, 900, 10, 10).stand("A-2", "beta", 300, 100, 64, 64)
    sketch.alley_polygons.append([(0, 300), (0, 10_000_000), (100, 300)])  # would be millions of bands
    sketch.point("far", 5000, 5)
    start = time.monotonic()
    floor, problems = load_floor(write(tmp_path, sketch.to_xml()))
    assert time.monotonic() - start < 5
    assert sorted(p.obj for p in problems if p.key == "outside_map") == ["object id 3", "point far", "stand A-2"]
    assert all(r.x1 <= 320 and r.y1 <= 320 for a in floor.alleys for r in a.rects)
    assert len(floor.alleys) == 3


# -- templates and external tilesets ---------------------------------------------------------------------------
TEMPLATE = '''<?xml version="1.0" encoding="UTF-8"?>
<template>
 <object name="T" width="96" height="48">
  <properties><property name="exhibitor" value="beta"/><property name="kind" value="island"/></properties>
 </object>
</template>
'''


def test_a_stand_placed_from_a_template_takes_its_size_and_properties(tmp_path):
    (tmp_path / "templates").mkdir(parents=True)
    (tmp_path / "templates" / "stand.tx").write_text(TEMPLATE, encoding="utf-8")
    xml = edit(base_sketch().to_xml(), STAND, '<object id="2" name="A-1" template="templates/stand.tx" x="0" y="64">')
    xml = edit(xml, EXHIBITOR, "")
    xml = edit(xml, "</objectgroup>\n  <objectgroup id=\"3\"",
               '<object id="40" template="templates/stand.tx" name="A-7" x="100" y="64">'
               '<properties><property name="exhibitor" value="gamma"/></properties></object>'
               "</objectgroup>\n  <objectgroup id=\"3\"")
    floor, problems = load_floor(write(tmp_path, xml))
    assert problems == []
    a1, a7 = floor.stand("A-1"), floor.stand("A-7")
    assert (a1.exhibitor_id, a1.rect.width, a1.rect.height) == ("beta", 96, 48)
    assert (a7.exhibitor_id, a7.rect.x0, a7.rect.width) == ("gamma", 100, 96)  # its own property wins


def test_a_tile_object_template_keeps_its_place(tmp_path):
    (tmp_path / "stand.tx").write_text(
        '<template><tileset firstgid="1" source="other.tsx"/><object gid="1" width="64" height="32">'
        '<properties><property name="exhibitor" value="beta"/></properties></object></template>', encoding="utf-8")
    xml = edit(base_sketch().to_xml(), STAND, '<object id="2" name="A-1" template="stand.tx" x="0" y="96">')
    xml = edit(xml, EXHIBITOR, "")
    floor, _ = load_floor(write(tmp_path, xml))
    rect = floor.stand("A-1").rect  # a tile object stands on its bottom edge, as Tiled draws it
    assert (rect.x0, rect.y0, rect.x1, rect.y1) == (0, 64, 64, 96)


@pytest.mark.parametrize("source, content, words", [
    ("missing.tx", None, "its template 'missing.tx' is missing; skipped"),
    ("../outside.tx", TEMPLATE, "its template '../outside.tx' is outside the expo's folder"),
    ("/etc/hostname", None, "its template '/etc/hostname' is outside the expo's folder"),
    ("bomb.tx", '<!DOCTYPE t [<!ENTITY a "aaaa">]><template>&a;</template>',
     "its template 'bomb.tx' cannot be read (DOCTYPE); skipped"),
    ("broken.tx", "<template><object", "its template 'broken.tx' cannot be read (unclosed token"),
    ("map.tx", "<map/>", "'map.tx' is not a Tiled object template; skipped"),
])
def test_a_template_that_cannot_be_read_skips_its_object_with_a_message(tmp_path, source, content, words):
    maps = tmp_path / "maps"
    maps.mkdir()
    if content is not None:
        (maps / source).resolve().write_text(content, encoding="utf-8")
    xml = edit(base_sketch().to_xml(), STAND, f'<object id="2" name="A-1" template="{source}" x="0" y="64">')
    floor, problems = load_floor(write(maps, xml))
    [found] = problems
    assert found.obj == "stand A-1" and words in found.fault and found.severity is Severity.ERROR
    assert floor.stands == []


def test_a_template_through_a_symlink_leaving_the_folder_is_not_read(tmp_path):
    (tmp_path / "secret.tx").write_text(TEMPLATE, encoding="utf-8")
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "stand.tx").symlink_to(tmp_path / "secret.tx")
    xml = edit(base_sketch().to_xml(), STAND, '<object id="2" name="A-1" template="stand.tx" x="0" y="64">')
    _, problems = load_floor(write(maps, xml))
    assert [p.key for p in problems] == ["template_outside"]


TSX = '''<?xml version="1.0" encoding="UTF-8"?>
<tileset version="1.10" name="hall" tilewidth="32" tileheight="32" tilecount="1" columns="1">
 <image source="img/hall.png" width="32" height="32"/>
</tileset>
'''


def test_an_external_tileset_is_read_from_the_maps_folder_and_a_missing_image_is_named(tmp_path):
    (tmp_path / "sets").mkdir(parents=True)
    (tmp_path / "sets" / "hall.tsx").write_text(TSX, encoding="utf-8")
    xml = edit(base_sketch().to_xml(), ALLEYS, '<tileset firstgid="1" source="sets/hall.tsx"/>' + tile_layer(CSV)
               + '<tileset firstgid="2" source="../elsewhere.tsx"/><tileset firstgid="3" source="gone.tsx"/>' + ALLEYS)
    floor, problems = load_floor(write(tmp_path, xml))
    assert floor.has_tiles
    assert sorted((p.obj, p.key, dict(p.values)["name"]) for p in problems) == sorted([
        ("tileset 'sets/hall.tsx'", "decor_missing", "sets/img/hall.png"),  # relative to the .tsx, from the map
        ("", "decor_outside", "../elsewhere.tsx"),  # a tileset file that cannot be read: the message names it
        ("", "decor_missing", "gone.tsx")])
    assert all(p.severity is Severity.WARNING for p in problems)


# -- nothing is expanded ---------------------------------------------------------------------------------------
LAUGHS = '<?xml version="1.0"?>\n<!DOCTYPE map [\n<!ENTITY a "lollollollollollollollollollol">\n' + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9)) + ']>\n<map>&j;</map>\n'


@pytest.mark.parametrize("xml", [LAUGHS, '<!DOCTYPE map SYSTEM "file:///etc/passwd"><map/>',
                                 '<?xml version="1.0"?><!DOCTYPE map [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                 '<map>&x;</map>'], ids=["billion_laughs", "external_dtd", "external_entity"])
def test_doctype_and_entities_are_refused_before_anything_is_expanded(tmp_path, xml):
    start = time.monotonic()
    [message] = fatal(write(tmp_path, xml))
    assert "declares a DOCTYPE or entities" in message and time.monotonic() - start < 1


def test_every_problem_the_map_loader_names_is_in_the_catalogue():
    import json
    import re

    from expo_hall.floors import tiled, tiles, tmx_read
    from expo_hall.i18n import TRANSLATIONS_DIR

    sources = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (tiled, tmx_read, tiles))
    used = set(re.findall(r'(?:problem\([^,]+, |fault\(|refuse\()"(\w+)"', sources))
    used |= {f"{kind}_{fault}" for kind in ("template", "decor") for fault in ("outside", "missing", "unreadable")}
    for lang in ("en", "ru"):
        catalogue = json.loads((TRANSLATIONS_DIR / f"expo_hall.{lang}.json").read_text(encoding="utf-8"))[lang]
        assert len(used) > 30 and used <= set(catalogue["problem"]), used - set(catalogue["problem"])


def test_tile_images_that_cannot_be_drawn_are_named_and_the_rest_is_drawn(tmp_path):
    from PIL import Image

    from expo_hall.floors.tiles import load_tile_layers

    (tmp_path / "tiles").mkdir(parents=True)
    Image.new("RGB", (64, 32), (200, 0, 0)).save(tmp_path / "tiles" / "good.png")
    Image.new("RGB", (32, 32), (0, 200, 0)).save(tmp_path / "tiles" / "small.png")  # the tileset says 64 x 64
    (tmp_path / "tiles" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    sets = "".join(
        f'<tileset firstgid="{first}" name="{name}" tilewidth="32" tileheight="32" trans="zz">'
        f'<image source="tiles/{name}.png" width="{w}" height="{h}"/></tileset>'
        for first, name, w, h in ((1, "good", 64, 32), (3, "small", 64, 64), (7, "broken", 32, 32)))
    data = ",".join(["1", "2", "3", "6", "7"] + ["0"] * 95)
    path = write(tmp_path, edit(base_sketch().to_xml(), ALLEYS, sets + tile_layer(data) + ALLEYS))
    floor, problems = load_floor(path)
    assert problems == [] and floor.has_tiles
    tiles = load_tile_layers(path)
    assert len(tiles.layers) == 1 and len(tiles.images) == 3  # the good tileset's two tiles, small.png's first
    assert sorted((p.key, dict(p.values)["name"]) for p in tiles.problems) == [
        ("decor_unreadable", "tiles/broken.png"), ("decor_unreadable", "tiles/small.png")]
    assert all(p.severity is Severity.WARNING for p in tiles.problems)


def test_the_hall_opens_on_a_floor_whose_tile_image_is_broken_and_names_it(make_app, expo_dirs):
    maps, _ = expo_dirs
    (maps / "tiles").mkdir()
    (maps / "tiles" / "hall.png").write_bytes(b"\x89PNG\r\n\x1a\n not an image")
    xml = (maps / "main.tmx").read_text(encoding="utf-8")
    data = ",".join(["1"] * (30 * 20))
    xml = edit(xml, '<objectgroup id="1" name="alleys">', TILESET + f'<layer id="9" name="floor" width="30" '
               f'height="20"><data encoding="csv">{data}</data></layer><objectgroup id="1" name="alleys">')
    (maps / "main.tmx").write_text(xml, encoding="utf-8")
    d = make_app("--no-server")
    assert d.hall.floor.floor_id == "main" and d.hall.floor.has_tiles
    [found] = [p for p in d.app.expo.problems if p.key == "decor_unreadable"]
    assert found.file.name == "main.tmx" and dict(found.values)["name"] == "tiles/hall.png"
    d.frames(3)  # and it is drawn, without those tiles


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_named_like_a_map_is_refused_not_waited_on(tmp_path):
    """Reading a FIFO waits for a writer forever: a maps folder holding one must still load (and name it)."""
    os.mkfifo(tmp_path / "pipe.tmx")
    found: list = []
    reader = threading.Thread(target=lambda: found.append(load_expo(tmp_path, tmp_path / "stands")), daemon=True)
    reader.start()
    reader.join(30)
    assert not reader.is_alive(), "the loader waited on the pipe"
    assert [p.file.name for p in found[0].problems if p.file.name == "pipe.tmx"] == ["pipe.tmx"]


def test_titles_and_stand_numbers_are_shown_as_they_read(tmp_path):
    """No bidi override from a map reaches the screen: "\u202eA-21" would be drawn "12-A"."""
    sketch = base_sketch()
    sketch.title, sketch.title_en = "Зал\u202e 1", "Hall \u2066one\u2069"
    sketch.stand("\u202eA-21\u202c", "alpha", 64, 64, 64, 64)
    floor, _ = load_floor(write(tmp_path, sketch.to_xml()))
    assert (floor.title, floor.title_en) == ("Зал 1", "Hall one")
    assert "A-21" in [s.number for s in floor.stands]
