"""Reading Tiled maps with pytmx, without pygame and without trusting the file: every fault named.

pytmx reads what Tiled writes, but stops a whole map at the first thing it cannot read, in its own words
(an infinite map: none at all). `read_tmx` parses the XML itself (tmx_xml) and `prepare` looks at the tree
before pytmx does, changing it in place:

- the whole map is refused (ContentError) when it is not a map, is infinite, or has no usable size;
- object templates (`<object template="stand.tx">`) are resolved from the .tx file, and external .tsx
  tilesets inlined, both read only from inside the expo's root folder (the map's folder unless told);
- layer offsets are applied to the objects of object layers (Tiled draws them there), with their groups';
- tile and image layers that are hidden, or in a hidden group, are dropped unread; the others get their
  opacity multiplied by their groups', and tile layers their offset added to their groups';
- what cannot be read is left out and named: an object whose numbers or points are not numbers, a
  template that is missing (errors: the object is skipped); decoration pytmx cannot read, such as a
  zstd-compressed tile layer, a tileset image that is not there, a custom-class property (warnings: the
  floor opens without it);
- a typed property whose value is not of its type is read as text, with a warning.

The floor (`read_tmx`) never needs the tiles: pytmx reads the map without its tile layers. The decoration
(`read_decoration`) keeps each tile layer as one array of gids, decoded once while it is checked.
"""

from __future__ import annotations

import base64
import binascii
import copy
import math
import os
import sys
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from expo_hall.content.limits import MAP_MAX_SIDE_PX, MAP_MAX_TILES
from expo_hall.floors.gids import Gids
from expo_hall.floors.tmx_xml import Outside, XmlRefused, read_xml, referenced
from expo_hall.problems import ContentError, Problem, Severity, problem


def _import_pytmx():  # noqa: ANN202
    """Import pytmx without pygame, which `import pytmx` pulls in whenever pygame is installed.

    The server and the tools read maps too and must not load pygame. When pygame is already
    loaded (the client) nothing is blocked; the renderer imports `pytmx.util_pygame` itself.
    """
    if "pytmx" in sys.modules:
        return sys.modules["pytmx"]
    blocked = [name for name in ("pygame", "pytmx.util_pygame") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail
    try:
        import pytmx
    finally:
        for name in blocked:
            del sys.modules[name]
    return pytmx


pytmx = _import_pytmx()
_pytmx = sys.modules["pytmx.pytmx"]  # the module: its attribute casts and property types

MAX_SIDE_PX = MAP_MAX_SIDE_PX
MAX_TILES = MAP_MAX_TILES
MAX_TILESET_TILES = 65536
MAX_POINTS = 1000  # vertices of one polygon
LAYERS = ("layer", "objectgroup", "imagelayer", "group")
SHAPES = ("polygon", "polyline", "ellipse", "point", "text")
OBJECT_KINDS = {"alleys": "alley", "stands": "stand", "points": "point"}
Label = tuple[str, object]


def read_tmx(path: Path, root_folder: Path | None = None) -> tuple[pytmx.TiledMap, list[Problem]]:
    """Read a .tmx with pytmx after checking it (`prepare`), without its tile layers (`tmx.has_tile_layers` says
    whether it has visible ones); returns the map and the parts left out or mended. Files it refers to are read
    from inside `root_folder` (default: the map's folder).

    Raises ContentError, naming the file and the fault, when the map cannot be read at all.
    """
    path = Path(path)
    root = _read_map_xml(path)
    scan = _prepare(path, root, root_folder)
    problems = scan.problems
    tile_layers = [(parent, el) for parent in root.iter() for el in parent if el.tag == "layer"]
    for parent, el in tile_layers:
        parent.remove(el)
    # Properties named like pytmx's own attributes (`type`, `name`...) are Tiled's to allow: we read them by name.
    tmx = pytmx.TiledMap(allow_duplicate_names=True, load_all=False)
    tmx.filename = str(path)
    try:
        tmx.parse_xml(root)
    except Exception as exc:  # what the check did not foresee: still named, in pytmx's words
        words = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise ContentError(problem(path, "unreadable_map", error=words), *problems) from exc
    # pytmx reads an ellipse as its bounding box: which objects are ellipses is kept beside it
    tmx.ellipse_ids = {int(el.get("id", "0")) for el in root.iter("object") if el.find("ellipse") is not None}
    tmx.has_tile_layers = bool(tile_layers)
    tmx.tile_layer_names = {el.get("name", "") for _, el in tile_layers}
    return tmx, problems


@dataclass
class Decoration:
    """A map's tree checked and mended (see `prepare`), with its visible tile layers' gids decoded."""

    root: ET.Element
    gids: dict[ET.Element, Gids]  # <layer> -> its gids (rows × columns, Tiled's flip bits kept)
    problems: list[Problem]


def read_decoration(path: Path, root_folder: Path | None = None) -> Decoration:
    """The map's tilesets and tile layers, checked as `read_tmx` does; ContentError when the map cannot be read."""
    path = Path(path)
    root = _read_map_xml(path)
    scan = _prepare(path, root, root_folder)
    return Decoration(root, scan.gids, scan.problems)


def _read_map_xml(path: Path) -> ET.Element:
    try:
        return read_xml(path)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise ContentError(problem(path, "file_not_found")) from exc
    except OSError as exc:
        raise ContentError(problem(path, "unreadable", error=exc.strerror or exc)) from exc
    except XmlRefused as exc:
        raise ContentError(problem(path, "doctype") if exc.doctype else problem(path, "bad_xml", error=exc)) from exc


@dataclass
class _Scan:
    path: Path  # the .tmx
    folder: Path  # the expo's root folder, resolved: referenced files must be inside
    problems: list[Problem] = field(default_factory=list)
    fatal: list[Problem] = field(default_factory=list)
    gids: dict[ET.Element, Gids] = field(default_factory=dict)  # each tile layer's, as checked

    def fault(self, key: str, obj: Label | None, severity: Severity, /, **values: object) -> None:
        """A part left out or mended: the floor still opens."""
        self.problems.append(problem(self.path, key, obj, severity, **{k: _short(v) for k, v in values.items()}))

    def refuse(self, key: str, /, **values: object) -> None:
        """A fault of the whole map: it cannot be a floor."""
        self.fatal.append(problem(self.path, key, None, Severity.ERROR, **{k: _short(v) for k, v in values.items()}))


def prepare(path: Path, root: ET.Element, root_folder: Path | None = None) -> list[Problem]:
    """Check and mend the map's tree for pytmx; returns the problems of parts left out or mended.

    Raises ContentError (every fault of the map at once) when the map cannot be a floor at all.
    """
    return _prepare(path, root, root_folder).problems


def _prepare(path: Path, root: ET.Element, root_folder: Path | None) -> _Scan:
    path = Path(path)
    scan = _Scan(path, Path(root_folder if root_folder is not None else path.parent).resolve())
    size = _map(scan, root)
    if size is not None:
        _tidy(root)
        _attributes(scan, root, None, skip=("width", "height", "tilewidth", "tileheight"))
        _properties(scan, root, ("map_properties", ""))
        for tileset in root.findall("tileset"):
            _tileset(scan, root, tileset)
        _layers(scan, root, size, (0.0, 0.0), 1.0)
        _tidy(root)  # again, for what came in from tilesets and templates
    if scan.fatal:
        raise ContentError(*scan.fatal, *scan.problems)
    return scan


# -- the map ---------------------------------------------------------------------------------------
def _map(scan: _Scan, root: ET.Element) -> tuple[int, int] | None:
    """The map's size in tiles, or None (with the reason among the fatal faults)."""
    if root.tag != "map":
        scan.refuse("not_a_map", tag=root.tag)
        return None
    if root.get("infinite", "0").strip() not in ("0", ""):
        scan.refuse("infinite")
        return None
    orientation = root.get("orientation", "orthogonal")
    if orientation != "orthogonal":
        scan.refuse("orientation", value=orientation)
        return None
    sizes = {}
    for name in ("width", "height", "tilewidth", "tileheight"):
        value = root.get(name, "")
        number = _whole(value)
        if number is None or number <= 0:
            scan.refuse("bad_map_size", name=name, value=value)
        sizes[name] = number or 0
    if scan.fatal:
        return None
    w, h = sizes["width"] * sizes["tilewidth"], sizes["height"] * sizes["tileheight"]
    if w > MAX_SIDE_PX or h > MAX_SIDE_PX:
        scan.refuse("map_too_large", width=w, height=h, limit=MAX_SIDE_PX)
        return None
    if sizes["width"] * sizes["height"] > MAX_TILES:
        scan.refuse("map_too_many_tiles", width=sizes["width"], height=sizes["height"], limit=MAX_TILES)
        return None
    return sizes["width"], sizes["height"]


_LAYER = ("id", "name", "class", "x", "y", "width", "height", "opacity", "visible", "tintcolor", "offsetx",
          "offsety", "parallaxx", "parallaxy", "locked")
# The attributes of the TMX format, per element pytmx turns into an object: pytmx makes every attribute a Python
# attribute, so one it does not expect (`points` on an object, `layers` on the map) would overwrite its own.
TMX_ATTRIBUTES = {
    "map": ("version", "tiledversion", "class", "orientation", "renderorder", "compressionlevel", "width", "height",
            "tilewidth", "tileheight", "hexsidelength", "staggeraxis", "staggerindex", "parallaxoriginx",
            "parallaxoriginy", "backgroundcolor", "nextlayerid", "nextobjectid", "infinite"),
    "tileset": ("firstgid", "source", "name", "class", "tilewidth", "tileheight", "spacing", "margin", "tilecount",
                "columns", "objectalignment", "tilerendersize", "fillmode", "version", "tiledversion",
                "backgroundcolor"),
    "tile": ("id", "type", "class", "probability", "x", "y", "width", "height"),
    "layer": _LAYER,
    "objectgroup": (*_LAYER, "color", "draworder"),
    "imagelayer": (*_LAYER, "repeatx", "repeaty"),
    "group": _LAYER,
    "object": ("id", "name", "type", "class", "x", "y", "width", "height", "rotation", "gid", "visible", "template"),
}


def _tidy(root: ET.Element) -> None:
    """Keep to what Tiled writes: layers and tilesets where they belong (pytmx looks for them anywhere in the
    tree), and only the format's attributes on what pytmx reads."""
    allowed = {"tileset": ("map",), "layer": ("map", "group"), "imagelayer": ("map", "group"),
               "group": ("map", "group"), "objectgroup": ("map", "group", "tile")}
    parents = {child: parent for parent in root.iter() for child in parent}
    for el, parent in parents.items():
        if el.tag in allowed and parent.tag not in allowed[el.tag]:
            parent.remove(el)
    for el in root.iter():
        known = TMX_ATTRIBUTES.get(el.tag, ())
        for name in [n for n in el.attrib if known and n not in known]:
            del el.attrib[name]


# -- attributes and properties ---------------------------------------------------------------------
def _bad_attribute(el: ET.Element, skip: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The first attribute pytmx would fail to convert (or would read as an infinite number), if any."""
    for name, value in el.attrib.items():
        cast = _pytmx.types.get(name, str)
        if cast is str or name in skip:
            continue
        try:
            number = cast(value)
        except (TypeError, ValueError, OverflowError):
            return name, value
        if isinstance(number, float) and not math.isfinite(number):
            return name, value
    return None


def _attributes(scan: _Scan, el: ET.Element, label: Label | None, skip: tuple[str, ...] = ()) -> None:
    """Leave out (with a warning) the attributes of a map or layer that cannot be read: pytmx uses its default."""
    while (bad := _bad_attribute(el, skip)) is not None:
        name, value = bad
        scan.fault("bad_attribute", label, Severity.WARNING, name=name, value=value)
        del el.attrib[name]


def _properties(scan: _Scan, el: ET.Element, label: Label | None) -> None:
    """Make the element's Tiled properties readable by pytmx, naming what is left out or read as text."""
    for props in el.findall("properties"):
        for prop in props.findall("property"):
            name, kind, value = prop.get("name"), prop.get("type"), prop.get("value")
            if name is None:  # Tiled never writes one without a name; nothing could read it
                props.remove(prop)
            elif kind is None:
                continue
            elif kind == "class":
                scan.fault("property_class", label, Severity.WARNING, name=name, kind=prop.get("propertytype", ""))
                props.remove(prop)
            elif kind not in _pytmx.prop_type:
                scan.fault("property_type", label, Severity.WARNING, name=name, kind=kind)
                del prop.attrib["type"]
            elif value is None and kind in ("string", "file", "color"):
                del prop.attrib["type"]  # a multi-line text: its value is the element's text
            elif kind in ("int", "float", "bool", "object"):
                try:
                    number = _pytmx.prop_type[kind](value)
                except (TypeError, ValueError, OverflowError):
                    number = math.nan
                if isinstance(number, float) and not math.isfinite(number):
                    scan.fault("property_value", label, Severity.WARNING, name=name, kind=kind, value=value or "")
                    del prop.attrib["type"]


# -- tilesets --------------------------------------------------------------------------------------
def _tileset(scan: _Scan, root: ET.Element, tileset: ET.Element) -> None:
    label: Label = ("tileset", tileset.get("name") or tileset.get("source") or tileset.get("firstgid", ""))
    index = list(root).index(tileset)
    if tileset.get("source") is not None:
        inlined = _external_tileset(scan, tileset, label)
        root.remove(tileset)
        if inlined is None:
            return
        root.insert(index, inlined)
        tileset = inlined
    fault = _tileset_fault(tileset)
    if fault is not None:
        name, value = fault
        if name == "tilecount":  # too many tiles to read
            scan.fault("tileset_too_large", label, Severity.WARNING, count=value, limit=MAX_TILESET_TILES)
        else:
            scan.fault("tileset_broken", label, Severity.WARNING, name=name, value=value)
        root.remove(tileset)
        return
    _properties(scan, tileset, label)
    for tile in tileset.iter("tile"):
        _properties(scan, tile, label)
        for group in tile.findall("objectgroup"):
            _properties(scan, group, label)
            for obj in group.findall("object"):
                _properties(scan, obj, label)
    image = tileset.find("image")
    if image is not None and not _image(scan, image, label):
        tileset.remove(image)
    for tile in tileset.iter("tile"):
        image = tile.find("image")
        if image is not None and not _image(scan, image, label):
            tile.remove(image)


def _external_tileset(scan: _Scan, tileset: ET.Element, label: Label) -> ET.Element | None:
    """The .tsx's <tileset>, to stand in the map: its image paths made relative to the map's folder."""
    source = tileset.get("source", "")
    first = _whole(tileset.get("firstgid", ""))
    if first is None or first < 0:
        scan.fault("tileset_broken", label, Severity.WARNING, name="firstgid", value=tileset.get("firstgid", ""))
        return None
    found = _read_referenced(scan, source, None, "decor", Severity.WARNING)  # the message names the file
    if found is None:
        return None
    file, doc = found
    if doc.tag != "tileset":
        scan.fault("decor_not_tileset", None, Severity.WARNING, name=source)
        return None
    doc.attrib.pop("source", None)
    doc.set("firstgid", str(first))
    for image in doc.iter("image"):
        if image.get("source"):
            image.set("source", os.path.relpath(file.parent / image.get("source", ""), scan.path.parent))
    return doc


def _tileset_fault(tileset: ET.Element) -> tuple[str, str] | None:
    """(attribute, value) of the first thing in a tileset pytmx cannot read; ("tilecount", n) for too many tiles."""
    bad = _bad_attribute(tileset)
    if bad is not None:
        return bad
    image = tileset.find("image")
    if image is not None:
        sizes = {}
        for name, el in (("tilewidth", tileset), ("tileheight", tileset), ("width", image), ("height", image)):
            sizes[name] = _whole(el.get(name, ""))
            if sizes[name] is None or sizes[name] <= 0:  # type: ignore[operator]
                return name, el.get(name, "")
        spacing, margin = _whole(tileset.get("spacing", "0")) or 0, _whole(tileset.get("margin", "0")) or 0
        if sizes["tilewidth"] + spacing <= 0 or sizes["tileheight"] + spacing <= 0:  # type: ignore[operator]
            return "spacing", tileset.get("spacing", "")
        rows = range(margin, sizes["height"] + margin - sizes["tileheight"] + 1, sizes["tileheight"] + spacing)
        columns = range(margin, sizes["width"] + margin - sizes["tilewidth"] + 1, sizes["tilewidth"] + spacing)
        if len(rows) * len(columns) > MAX_TILESET_TILES:
            return "tilecount", str(len(rows) * len(columns))
    for tile in tileset.iter("tile"):
        if _whole(tile.get("id", "")) is None:
            return "id", tile.get("id", "")
        for frame in tile.iter("frame"):
            for name in ("tileid", "duration"):
                if _whole(frame.get(name, "")) is None:
                    return name, frame.get(name, "")
        colliders = [el for group in tile.findall("objectgroup") for el in (group, *group.findall("object"))]
        for el in (tile, *colliders):
            bad = _bad_attribute(el)
            if bad is not None:
                return bad
            points = _points_fault(el)
            if points is not None:
                return "points", points[1]
    return None


def _image(scan: _Scan, image: ET.Element, label: Label) -> bool:
    """True when the image an element names is a file in the map's folder; else named (a warning)."""
    source = image.get("source")
    if not source:
        return False
    try:
        referenced(scan.folder, scan.path.parent, source)
    except Outside:
        scan.fault("decor_outside", label, Severity.WARNING, name=source)
        return False
    except FileNotFoundError:
        scan.fault("decor_missing", label, Severity.WARNING, name=source)
        return False
    return True


# -- layers ----------------------------------------------------------------------------------------
def _layers(scan: _Scan, parent: ET.Element, size: tuple[int, int], offset: tuple[float, float],
            opacity: float) -> None:
    """Check the layers under `parent` (a group's opacity and offset given); hidden drawn layers are dropped."""
    for el in list(parent):
        if el.tag not in LAYERS:
            continue
        label: Label = ("layer", el.get("name", ""))
        _attributes(scan, el, label, skip=("offsetx", "offsety"))
        if el.tag != "objectgroup" and el.get("visible", "1").strip() == "0":  # objects still are the floor
            parent.remove(el)  # nothing in it is drawn: not read at all
            continue
        _properties(scan, el, label)
        here = _offset(scan, el, label, offset)
        seen = opacity * min(1.0, max(0.0, float(el.get("opacity", "1"))))
        if el.tag == "group":
            _layers(scan, el, size, here, seen)
        elif el.tag == "objectgroup":
            _objects(scan, el, here)
        else:
            el.set("opacity", repr(seen))
            if el.tag == "layer":  # drawn moved by its offset and its groups'
                el.set("offsetx", repr(here[0]))
                el.set("offsety", repr(here[1]))
            elif here != (0.0, 0.0):
                scan.fault("offset_ignored", label, Severity.WARNING, x=_n(here[0]), y=_n(here[1]))
            keep = _tile_layer(scan, el, size, label) if el.tag == "layer" else _image_layer(scan, el, label)
            if not keep:
                parent.remove(el)


def _offset(scan: _Scan, el: ET.Element, label: Label, outer: tuple[float, float]) -> tuple[float, float]:
    """The layer's offset added to its groups', taken off the element (pytmx reads only whole numbers there)."""
    total = list(outer)
    for i, name in enumerate(("offsetx", "offsety")):
        value = el.attrib.pop(name, "0")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number) and abs(number) <= MAX_SIDE_PX:
            total[i] += number
        else:
            scan.fault("bad_attribute", label, Severity.WARNING, name=name, value=value)
    return total[0], total[1]


def _tile_layer(scan: _Scan, layer: ET.Element, size: tuple[int, int], label: Label) -> bool:
    data = layer.find("data")
    if data is None:
        scan.fault("layer_no_data", label, Severity.WARNING)
        return False
    if data.find("chunk") is not None:
        scan.refuse("infinite")
        return False
    encoding, compression = data.get("encoding"), data.get("compression")
    if encoding not in ("csv", "base64") or data.find("tile") is not None:
        scan.fault("layer_format", label, Severity.WARNING, value="XML" if data.find("tile") is not None or not encoding
                   else encoding)
        return False
    if encoding == "base64" and compression not in (None, "", "zlib", "gzip"):
        scan.fault("layer_compression", label, Severity.WARNING, value=compression)
        return False
    if (_whole(layer.get("width", "")), _whole(layer.get("height", ""))) != size:
        scan.fault("layer_size", label, Severity.WARNING, width=size[0], height=size[1])
        return False
    gids = _gids(data.text or "", encoding, compression, size)
    if isinstance(gids, str):
        scan.fault("layer_unreadable", label, Severity.WARNING, error=gids)
        return False
    scan.gids[layer] = gids
    return True


def _gids(text: str, encoding: str, compression: str | None, size: tuple[int, int]) -> Gids | str:
    """The layer's gids (unsigned 32-bit, Tiled's flip bits kept), or why they cannot be read; decompression is
    bounded by the map's size."""
    count = size[0] * size[1]
    if encoding == "csv":
        numbers = text.split(",")
        if len(numbers) != count:
            return f"{len(numbers)} tiles, {count} expected"
        try:
            return Gids.from_numbers(map(int, numbers), *size)
        except OverflowError:
            return "a tile number out of range"
        except ValueError:
            return "not a list of tile numbers"
    try:
        raw = base64.b64decode(text.strip())
        if compression:
            inflater = zlib.decompressobj(31 if compression == "gzip" else 15)
            data = inflater.decompress(raw, 4 * count + 1)
            if not inflater.eof or inflater.unused_data:
                return f"more than {count} tiles" if len(data) > 4 * count else "incomplete or trailing data"
            raw = data
    except (binascii.Error, ValueError, zlib.error) as exc:
        return str(exc)
    if len(raw) != 4 * count:
        return f"{len(raw) // 4} tiles, {count} expected"
    return Gids.from_bytes(raw, *size)


def _image_layer(scan: _Scan, layer: ET.Element, label: Label) -> bool:
    image = layer.find("image")
    if image is None:
        scan.fault("layer_no_data", label, Severity.WARNING)
        return False
    return _image(scan, image, label)


# -- objects ---------------------------------------------------------------------------------------
def _objects(scan: _Scan, group: ET.Element, offset: tuple[float, float]) -> None:
    kind = OBJECT_KINDS.get(group.get("name", ""), "object")
    for obj in group.findall("object"):
        if not _object(scan, obj, kind, offset):
            group.remove(obj)


def _object(scan: _Scan, obj: ET.Element, kind: str, offset: tuple[float, float]) -> bool:
    """Resolve, check and place one object; False (with an error named) when it must be left out."""
    name = obj.get("name")
    label: Label = (kind, name) if name and kind != "object" else ("object", obj.get("id", "?"))
    if obj.get("template") is not None and not _template(scan, obj, label):
        return False
    bad = _bad_attribute(obj)
    if bad is not None:
        scan.fault("bad_attribute_skipped", label, Severity.ERROR, name=bad[0], value=bad[1])
        return False
    fault = _points_fault(obj)
    if fault is not None:
        key, value = fault
        scan.fault(key, label, Severity.ERROR, value=value, limit=MAX_POINTS)
        return False
    _properties(scan, obj, label)
    for axis, by in zip(("x", "y"), offset, strict=True):
        if by:
            obj.set(axis, repr(float(obj.get(axis, "0")) + by))
    return True


def _points_fault(obj: ET.Element) -> tuple[str, str] | None:
    """("bad_points", points) when a polygon's or polyline's points are not pairs of finite numbers."""
    for shape in ("polygon", "polyline"):
        el = obj.find(shape)
        if el is None:
            continue
        text = el.get("points")
        if text is None:
            return "bad_points", ""
        pairs = text.split()
        if len(pairs) > MAX_POINTS:
            return "too_many_points", str(len(pairs))
        try:
            numbers = [tuple(map(float, pair.split(","))) for pair in pairs]
        except ValueError:
            return "bad_points", text
        if any(len(p) != 2 or not all(map(math.isfinite, p)) for p in numbers):
            return "bad_points", text
    return None


def _template(scan: _Scan, obj: ET.Element, label: Label) -> bool:
    """Fill the object's missing attributes, shape and properties from its template (.tx), as Tiled does."""
    source = obj.attrib.pop("template")
    found = _read_referenced(scan, source, label, "template", Severity.ERROR)
    if found is None:
        return False
    doc = found[1]
    template = doc.find("object") if doc.tag == "template" else None
    if template is None:
        scan.fault("template_not_template", label, Severity.ERROR, name=source)
        return False
    tile = "gid" in template.attrib and "gid" not in obj.attrib
    for name, value in template.attrib.items():
        if name not in ("id", "template", "gid"):
            obj.attrib.setdefault(name, value)
    if tile:  # a tile object's y is its bottom; its tileset is the template's, which the map may not have
        try:
            obj.set("y", repr(float(obj.get("y", "0")) - float(obj.get("height", "0"))))
        except ValueError:
            pass  # the object's check names it
    if not any(obj.find(shape) is not None for shape in SHAPES):
        for shape in SHAPES:
            el = template.find(shape)
            if el is not None:
                obj.append(copy.deepcopy(el))
    inherited = template.find("properties")
    if inherited is not None:
        own = obj.find("properties")
        if own is None:
            own = ET.SubElement(obj, "properties")
        names = {p.get("name") for p in own.findall("property")}
        own.extend(copy.deepcopy(p) for p in inherited.findall("property") if p.get("name") not in names)
    return True


def _read_referenced(scan: _Scan, source: str, label: Label | None, kind: str,
                     severity: Severity) -> tuple[Path, ET.Element] | None:
    """A file the map refers to (a template or a tileset) and its XML, read from the map's folder only."""
    try:
        file = referenced(scan.folder, scan.path.parent, source)
        return file, read_xml(file)
    except Outside:
        scan.fault(f"{kind}_outside", label, severity, name=source)
    except FileNotFoundError:
        scan.fault(f"{kind}_missing", label, severity, name=source)
    except OSError as exc:
        scan.fault(f"{kind}_unreadable", label, severity, name=source, error=exc.strerror or exc)
    except XmlRefused as exc:
        scan.fault(f"{kind}_unreadable", label, severity, name=source, error="DOCTYPE" if exc.doctype else exc)
    return None


# -- numbers ---------------------------------------------------------------------------------------
def _whole(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _short(value: object, most: int = 60) -> str:
    text = str(value)
    return text if len(text) <= most else text[: most - 1] + "…"
