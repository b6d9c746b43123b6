"""Fuzzing the map loader: thousands of malformed .tmx files, built from what Tiled writes and broken in
every part, and real maps mangled byte by byte. Whatever comes in, `load_floor` returns a floor or raises
ContentError, every fault is a Problem that reads in both languages, and what loads can be walked and drawn."""

from __future__ import annotations

import base64
import copy
import functools
import gzip
import json
import tempfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expo_hall.floors.navigation import NavMesh
from expo_hall.floors.tiled import load_floor
from expo_hall.floors.tiles import load_tile_layers
from expo_hall.floors.tmx_writer import FloorSketch
from expo_hall.i18n import PLACEHOLDER, TRANSLATIONS_DIR, fill
from expo_hall.problems import ContentError, Problem

FUZZ = settings(max_examples=450, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CATALOGUES = {lang: json.loads((TRANSLATIONS_DIR / f"expo_hall.{lang}.json").read_text(encoding="utf-8"))[lang]
              for lang in ("en", "ru")}

NUMBERS = ("0", "1", "2", "10", "32", "64", "-5", "0.5", "2.75", "1e3", "1e999", "-1e999", "nan", "inf", "", "abc",
           "99999999999", " 7 ", "0x10", "١٢")
WORDS = ("", "alpha", "beta", "spawn", "A-1", "%{name}", "<b>", "x" * 300, "Лифт", "up")
TEXT = st.one_of(st.sampled_from(WORDS), st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=6))
POINTS = ("0,0 100,0 100,100", "0,0 50,50 0,100", "0,0 a,b 1,1", "1,2,3", "", "0,0", "0,0 1e999,0 5,5",
          "0,0 " * 1200, "-500,-500 5000,0 0,5000", "0,0 10,0 10,10 0,10")


@functools.cache
def _choices(options: tuple) -> st.SearchStrategy:
    return st.sampled_from(options)


@functools.cache
def _below(n: int) -> st.SearchStrategy:
    return st.integers(0, n - 1)


def pick(draw, *options: object):  # noqa: ANN201 - one of the options
    return draw(_choices(options))


def upto(draw, n: int) -> int:
    return draw(_below(n + 1))


def one_in(draw, n: int) -> bool:
    return draw(_below(n)) == 0


def value(draw, valid: str | None, odd: tuple = NUMBERS, bad_in: int = 5) -> str | None:
    """Mostly the valid value; one time in `bad_in` an odd one or none at all."""
    if not one_in(draw, bad_in):
        return valid
    return pick(draw, None, *odd)


def _set(el: ET.Element, name: str, text: str | None) -> None:
    if text is not None:
        el.set(name, text)


def properties(draw, el: ET.Element, names: tuple[str, ...]) -> None:
    if one_in(draw, 2):
        return
    props = ET.SubElement(el, "properties")
    for _ in range(upto(draw, 3)):
        prop = ET.SubElement(props, "property")
        _set(prop, "name", pick(draw, *names, "type", "name", "x", "id", "visible", None, "%{name}"))
        kind = pick(draw, None, None, "string", "int", "float", "bool", "object", "file", "color", "class", "weird")
        _set(prop, "type", kind)
        if kind == "class":
            _set(prop, "propertytype", pick(draw, None, "Booth"))
            ET.SubElement(ET.SubElement(prop, "properties"), "property", name="a", type="int", value="1")
        elif one_in(draw, 10):
            prop.text = draw(TEXT)  # a multi-line value
        else:
            _set(prop, "value", pick(draw, *NUMBERS, *WORDS))


def objects(draw, group: ET.Element, layer: str) -> None:
    names = {"stands": ("exhibitor",), "points": ("to_floor", "to_point")}.get(layer, ("kind",))
    for i in range(upto(draw, 4)):
        obj = ET.SubElement(group, "object")
        _set(obj, "id", value(draw, str(i + 1)))
        _set(obj, "name", pick(draw, "A-1", "A-2", "spawn", "Лифт", "", None))
        _set(obj, "template", value(draw, None, ("stand.tx", "missing.tx", "../t.tx", "bad.tx", "tile.tx",
                                                 "/etc/hostname"), 6))
        x, y, w, h = (pick(draw, "0", "32", "100", "250", "300") for _ in range(4))
        for name, valid in (("x", x), ("y", y), ("width", w), ("height", h)):
            _set(obj, name, value(draw, valid, bad_in=8))
        if one_in(draw, 5):
            obj.set(pick(draw, "rotation", "gid", "visible"), pick(draw, *NUMBERS))
        shape = pick(draw, None, None, None, "polygon", "polyline", "ellipse", "point", "text")
        if shape is not None:
            child = ET.SubElement(obj, shape)
            if shape in ("polygon", "polyline") and not one_in(draw, 10):
                child.set("points", pick(draw, *POINTS))
        properties(draw, obj, names)
        if layer == "stands" and obj.find("properties") is None and not one_in(draw, 3):
            ET.SubElement(ET.SubElement(obj, "properties"), "property", name="exhibitor", value="alpha")


def tile_data(draw, layer: ET.Element, count: int) -> None:
    data = ET.SubElement(layer, "data")
    raw = pick(draw, 0, 1, 2, 3, 5, 2**31 + 1, 2**32 - 1).to_bytes(4, "little") * count
    raw = raw[: len(raw) + pick(draw, 0, 0, 0, 4, -4)]
    kind = pick(draw, "csv", "csv", "b64", "zlib", "gzip", "zstd", "xml", "chunk", "bomb", "junk")
    if kind == "csv":
        data.set("encoding", "csv")
        data.text = ",".join(str(int.from_bytes(raw[i:i + 4], "little")) for i in range(0, len(raw) - 3, 4))
    elif kind in ("b64", "zlib", "gzip", "zstd", "bomb"):
        data.set("encoding", "base64")
        packed = {"zlib": zlib.compress, "gzip": gzip.compress, "bomb": lambda b: zlib.compress(b"\0" * 10**7)}
        if kind != "b64":
            data.set("compression", "zlib" if kind == "bomb" else kind)
        data.text = base64.b64encode(packed.get(kind, lambda b: b)(raw)).decode()
    elif kind == "xml":
        for _ in range(count):
            ET.SubElement(data, "tile", gid="1")
    elif kind == "chunk":
        data.set("encoding", "csv")
        ET.SubElement(data, "chunk", x="0", y="0", width="16", height="16").text = "1,1"
    else:
        data.set("encoding", pick(draw, "base64", "csv", "hex", ""))
        data.text = draw(TEXT)


def layers(draw, parent: ET.Element, size: tuple[int, int], depth: int = 0) -> None:
    """The three layers of the convention (mostly), among others of every kind, in any order."""
    kinds = [("objectgroup", name) for name in ("alleys", "stands", "points") if depth or not one_in(draw, 10)]
    more = ("objectgroup", "layer", "layer", "imagelayer", "group" if depth < 2 else "layer")
    kinds += [(pick(draw, *more), None) for _ in range(upto(draw, 3))]
    for i, (kind, name) in enumerate(draw(st.permutations(kinds))):
        el = ET.SubElement(parent, kind)
        _set(el, "id", value(draw, str(10 * depth + i + 1), bad_in=10))
        name = name or (pick(draw, "alleys", "stands", "points", "decor", "") if kind == "objectgroup" else kind)
        _set(el, "name", name)
        if one_in(draw, 3):
            el.set(pick(draw, "offsetx", "offsety", "opacity", "visible"), pick(draw, *NUMBERS))
        properties(draw, el, ("kind",))
        if kind == "objectgroup":
            usual = {"alleys": {"x": "0", "y": "0", "width": "320", "height": "64"},
                     "points": {"name": "spawn", "x": "8", "y": "8"}}.get(name)
            if usual and not one_in(draw, 10):
                ET.SubElement(el, "object", usual)
            objects(draw, el, name)
        elif kind == "layer":
            w, h = (pick(draw, n, n, n, n + 1, 0) for n in size)
            el.set("width", str(w))
            el.set("height", str(h))
            tile_data(draw, el, pick(draw, w * h, w * h, 3))
        elif kind == "imagelayer":
            if not one_in(draw, 6):
                ET.SubElement(el, "image", source=pick(draw, "t.png", "missing.png", "../x.png"))
        else:
            layers(draw, el, size, depth + 1)


def tilesets(draw, root: ET.Element) -> None:
    for first in range(1, 4 * upto(draw, 2) + 1, 4):
        ts = ET.SubElement(root, "tileset", firstgid=pick(draw, str(first), str(first), "x", "-3"))
        if one_in(draw, 2):
            ts.set("source", pick(draw, "set.tsx", "set.tsx", "missing.tsx", "../x.tsx", "bad.tsx", "t.png",
                                  "stand.tx"))
            continue
        ts.set("name", "inline")
        for name, valid in (("tilewidth", "32"), ("tileheight", "32"), ("spacing", "0"), ("margin", "0")):
            _set(ts, name, value(draw, valid, bad_in=8))
        if not one_in(draw, 5):
            image = ET.SubElement(ts, "image", source=pick(draw, "t.png", "t.png", "broken.png", "missing.png",
                                                           "../x.png"))
            for name, valid in (("width", "64"), ("height", "32")):
                _set(image, name, value(draw, valid, ("0", "100000000", "x", "33"), 8))
        for tile_id in range(upto(draw, 2)):
            tile = ET.SubElement(ts, "tile", id=value(draw, str(tile_id), bad_in=10) or "")
            properties(draw, tile, ("kind",))
            if one_in(draw, 2):
                frame = ET.SubElement(ET.SubElement(tile, "animation"), "frame")
                frame.set("tileid", pick(draw, "0", "1", "x"))
                frame.set("duration", pick(draw, "100", "", "1.5"))
            if one_in(draw, 2):
                objects(draw, ET.SubElement(tile, "objectgroup", draworder="index"), "colliders")


@st.composite
def broken_maps(draw) -> str:
    """A map as Tiled writes it, with any of its parts missing, malformed or unexpected."""
    w, h = upto(draw, 15) + 1, upto(draw, 11) + 1
    root = ET.Element("map", version="1.10")
    for name, valid in (("orientation", "orthogonal"), ("width", str(w)), ("height", str(h)), ("tilewidth", "32"),
                        ("tileheight", "32"), ("infinite", "0")):
        _set(root, name, value(draw, valid, (*NUMBERS, "isometric", "1", "hexagonal"), 15))
    props = ET.SubElement(root, "properties")
    for name, usual in (("floor_id", "fz"), ("title", "Фаззинг"), ("title_en", "Fuzz"), ("order", "2")):
        text = value(draw, usual, (*WORDS, *NUMBERS), 8)
        if text is not None:
            prop = ET.SubElement(props, "property", name=name, value=text)
            if name == "order":
                prop.set("type", pick(draw, "int", "int", "string", "float", "class"))
    properties(draw, root, ("kind",))
    tilesets(draw, root)
    layers(draw, root, (w, h))
    xml = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0"?><!DOCTYPE map [<!ENTITY e "x">]>' + xml if one_in(draw, 20) else xml


TEMPLATE = ('<template><object name="T" width="64" height="48"><properties><property name="exhibitor" '
            'value="beta"/></properties></object></template>')
TSX = ('<tileset name="ext" tilewidth="32" tileheight="32" tilecount="2" columns="2">'
       '<image source="t.png" width="64" height="32"/><tile id="1"><properties><property name="k" type="int" '
       'value="z"/></properties></tile></tileset>')


@pytest.fixture(scope="module")
def fuzz_dir():
    """A maps folder with what the generated maps refer to: good and bad templates, tilesets and images,
    and files just outside it."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        maps = Path(tmp) / "maps"
        maps.mkdir()
        (maps / "stand.tx").write_text(TEMPLATE, encoding="utf-8")
        (maps / "tile.tx").write_text(TEMPLATE.replace('<object ', '<object gid="1" '), encoding="utf-8")
        (maps / "bad.tx").write_text("<template><object", encoding="utf-8")
        (maps / "set.tsx").write_text(TSX, encoding="utf-8")
        (maps / "bad.tsx").write_text(TSX.replace('tilewidth="32"', 'tilewidth="x"'), encoding="utf-8")
        Image.new("RGB", (64, 32), (90, 90, 200)).save(maps / "t.png")
        (maps / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
        for name, text in (("t.tx", TEMPLATE), ("x.tsx", TSX)):
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        Image.new("RGB", (64, 32)).save(Path(tmp) / "x.png")
        yield maps


def check(path: Path) -> None:
    """The loader's contract on one file: a floor or ContentError; problems that read in both languages;
    a floor that can be walked and its decoration drawn."""
    try:
        floor, problems = load_floor(path)
    except ContentError as exc:
        floor, problems = None, list(exc.problems)
    for found in problems:
        assert isinstance(found, Problem)
        assert found.key != "unreadable_map", found.fault  # pytmx was given nothing it refuses: each fault has a name
        reads_in_both_languages(found)
    if floor is not None:
        NavMesh(floor)
        if floor.has_tiles:
            try:
                found = load_tile_layers(path).problems
            except ContentError as exc:  # allowed, named
                found = list(exc.problems)
            for problem in found:
                reads_in_both_languages(problem)


def reads_in_both_languages(found: Problem) -> None:
    values = dict(found.values)
    for lang, catalogue in CATALOGUES.items():
        fault = catalogue["problem"][found.key]
        assert set(PLACEHOLDER.findall(fault)) <= values.keys(), (lang, found.key, values)
        text = found.text(lambda key, /, **v: fill(_entry(catalogue, key), v))  # noqa: B023
        assert text and found.file.name in text
        if found.obj_kind:
            assert _entry(catalogue, f"object.{found.obj_kind}")


def _entry(catalogue: dict, key: str) -> str:
    node = catalogue
    for part in key.split("."):
        node = node[part]
    assert isinstance(node, str)
    return node


@FUZZ
@given(xml=broken_maps())
def test_malformed_maps_only_ever_give_named_problems(fuzz_dir, xml):
    path = fuzz_dir / "fuzz.tmx"
    path.write_text(xml, encoding="utf-8")
    check(path)


SEEDS = [
    FloorSketch("s", "Семя", 12, 8).alley(0, 96, 384, 64).stand("A-1", "alpha", 32, 32, 64, 64)
    .point("spawn", 16, 128).point("Лифт", 300, 128, to_floor="up").to_xml().encode(),
    (Path(__file__).resolve().parents[2] / "maps" / "additional.tmx").read_bytes(),
]


@settings(FUZZ, max_examples=500)
@given(seed=st.sampled_from(range(len(SEEDS))),
       edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 8), st.binary(max_size=6)), min_size=1,
                      max_size=4))
def test_maps_mangled_byte_by_byte_only_ever_give_named_problems(fuzz_dir, seed, edits):
    data = bytearray(SEEDS[seed])
    for where, cut, insert in edits:
        at = int(where * len(data))
        data[at:at + cut] = insert
    path = fuzz_dir / "mangled.tmx"
    path.write_bytes(bytes(data))
    check(path)


RICH = f"""<?xml version="1.0" encoding="UTF-8"?>
<map version="1.10" orientation="orthogonal" renderorder="right-down" width="12" height="8" tilewidth="32"
     tileheight="32" infinite="0" nextlayerid="9" nextobjectid="20">
 <properties>
  <property name="floor_id" value="rich"/><property name="title" value="Всё сразу"/>
  <property name="order" type="int" value="3"/><property name="lit" type="bool" value="true"/>
 </properties>
 <tileset firstgid="1" name="inline" tilewidth="32" tileheight="32" spacing="0" margin="0" tilecount="2" columns="2">
  <image source="t.png" width="64" height="32"/>
  <tile id="0"><properties><property name="kind" value="floor"/></properties>
   <animation><frame tileid="0" duration="100"/><frame tileid="1" duration="100"/></animation>
   <objectgroup draworder="index"><object id="1" x="0" y="0" width="32" height="32"/></objectgroup>
  </tile>
 </tileset>
 <tileset firstgid="3" source="set.tsx"/>
 <layer id="1" name="floor" width="12" height="8"><data encoding="csv">{
    ",".join(["1", "2", "3", "4"] * 24)}</data></layer>
 <layer id="2" name="zlib" width="12" height="8" opacity="0.5"><data encoding="base64" compression="zlib">{
    base64.b64encode(zlib.compress(bytes([1, 0, 0, 0]) * 96)).decode()}</data></layer>
 <layer id="3" name="gzip" width="12" height="8" visible="0"><data encoding="base64" compression="gzip">{
    base64.b64encode(gzip.compress(bytes([2, 0, 0, 0]) * 96)).decode()}</data></layer>
 <imagelayer id="4" name="backdrop"><image source="t.png"/></imagelayer>
 <objectgroup id="5" name="alleys">
  <object id="2" x="0" y="96" width="384" height="64"/>
  <object id="3" name="curve" x="160" y="0"><polygon points="0,0 64,0 64,96 0,96"/></object>
 </objectgroup>
 <group id="6" name="hall" offsetx="2" offsety="-2">
  <objectgroup id="7" name="stands" offsetx="0.5">
   <object id="4" name="A-1" x="32" y="32" width="64" height="64">
    <properties><property name="exhibitor" value="alpha"/><property name="type" value="island"/></properties>
   </object>
   <object id="5" name="A-2" template="stand.tx" x="256" y="32"/>
  </objectgroup>
 </group>
 <objectgroup id="8" name="points">
  <object id="6" name="spawn" x="16" y="128"><point/></object>
  <object id="7" name="Лифт" x="360" y="128"><properties><property name="to_floor" value="up"/>
   <property name="to_point" value="spawn"/></properties><point/></object>
 </objectgroup>
</map>
""".encode()
ATTRIBUTES = st.sampled_from(["x", "y", "width", "height", "id", "name", "gid", "firstgid", "source", "template",
                              "encoding", "compression", "offsetx", "type", "value", "points", "tilewidth",
                              "infinite", "orientation", "visible", "opacity", "rotation", "spacing", "margin",
                              "tileid", "duration", "propertytype"])
VALUES = st.one_of(st.sampled_from(NUMBERS), TEXT, st.sampled_from(
    ["t.png", "set.tsx", "stand.tx", "../x.tsx", "class", "int", "zstd", "base64", "csv", "1", "0,0 5,5", "isometric"]))
TAGS = ["map", "tileset", "tile", "image", "layer", "data", "objectgroup", "object", "group", "imagelayer",
        "properties", "property", "polygon", "point", "animation", "frame", "chunk", "template"]
EDITS = st.lists(st.tuples(st.sampled_from(["set", "set", "set", "unset", "remove", "copy", "move", "retag", "text"]),
                           st.integers(0, 10**4), st.integers(0, 10**4), ATTRIBUTES, VALUES), min_size=1, max_size=3)


@settings(FUZZ, max_examples=650)
@given(edits=EDITS)
def test_a_rich_map_broken_part_by_part_only_ever_gives_named_problems(fuzz_dir, edits):
    root = ET.fromstring(RICH)
    for op, i, j, attr, value in edits:
        elements = list(root.iter())
        el, other = elements[i % len(elements)], elements[j % len(elements)]
        parent = next((p for p in elements if el in list(p)), None)
        if op == "set":
            el.set(attr, value)
        elif op == "unset":
            el.attrib.pop(attr, None)
        elif op == "text":
            el.text = value
        elif op == "retag":
            el.tag = TAGS[j % len(TAGS)]
        elif parent is not None and op == "remove":
            parent.remove(el)
        elif parent is not None and op == "copy":
            parent.append(copy.deepcopy(el))
        elif parent is not None and op == "move" and el is not other and el not in other.iter():
            parent.remove(el)
            other.append(el)
    path = fuzz_dir / "rich.tmx"
    path.write_bytes(ET.tostring(root))
    check(path)


def test_the_rich_map_itself_loads_whole(fuzz_dir):
    path = fuzz_dir / "rich.tmx"
    path.write_bytes(RICH)
    floor, problems = load_floor(path)
    assert [(p.obj, p.key) for p in problems] == [("tileset 'set.tsx'", "property_value")]  # its tile's "k"
    assert floor.has_tiles and [s.number for s in floor.stands] == ["A-1", "A-2"]
    assert floor.stand("A-1").rect.x0 == 34.5 and floor.stand("A-2").exhibitor_id == "beta"
    tiles = load_tile_layers(path)
    assert tiles.problems == [] and len(tiles.layers) == 2 and tiles.images
