"""Writing floors as Tiled .tmx maps from code: the one writer of generated floors (`expo-hall layout`, the demo),
tests and benchmarks.

It writes the convention `tiled.py` reads; Tiled opens the result for further drawing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from expo_hall.files import write_atomically
from expo_hall.floors.geometry import Vec


@dataclass(frozen=True)
class Tileset:
    """One tileset image of `count` tiles in `columns` columns, as Tiled embeds it (gid = index + 1)."""

    image: str  # relative to the map
    count: int
    columns: int
    name: str = "tiles"


@dataclass
class FloorSketch:
    floor_id: str
    title: str
    width_tiles: int
    height_tiles: int
    title_en: str | None = None
    order: int | None = None
    tile: int = 32
    alleys: list[tuple[float, float, float, float]] = field(default_factory=list)
    alley_polygons: list[Sequence[Vec]] = field(default_factory=list)
    stands: list[tuple[str, str, tuple[float, float, float, float]]] = field(default_factory=list)
    points: list[tuple[str, float, float, dict[str, str]]] = field(default_factory=list)
    extra_properties: dict[str, str] = field(default_factory=dict)
    alley_names: dict[int, str] = field(default_factory=dict)  # index in `alleys` -> the object's name
    polygon_names: dict[int, str] = field(default_factory=dict)  # index in `alley_polygons` -> the object's name
    ellipse_stands: set[str] = field(default_factory=set)  # numbers of the stands drawn as ellipses
    tileset: Tileset | None = None
    tile_layers: list[tuple[str, list[list[int]]]] = field(default_factory=list)  # (name, rows of gids), drawn first

    def alley(self, x: float, y: float, w: float, h: float, name: str | None = None) -> FloorSketch:
        if name:
            self.alley_names[len(self.alleys)] = name
        self.alleys.append((x, y, w, h))
        return self

    def polygon_alley(self, points: Sequence[Vec], name: str | None = None) -> FloorSketch:
        """A walkway of any simple outline (absolute pixel corners), e.g. a slanted one."""
        if name:
            self.polygon_names[len(self.alley_polygons)] = name
        self.alley_polygons.append(list(points))
        return self

    def stand(self, number: str, exhibitor: str, x: float, y: float, w: float, h: float,
              ellipse: bool = False) -> FloorSketch:
        """A stand in the box x, y, w, h: a rectangle, or the ellipse inscribed in it."""
        self.stands.append((number, exhibitor, (x, y, w, h)))
        if ellipse:
            self.ellipse_stands.add(number)
        return self

    def point(self, name: str, x: float, y: float, /, **props: str) -> FloorSketch:
        self.points.append((name, x, y, props))
        return self

    def tiles(self, tileset: Tileset, name: str, rows: list[list[int]]) -> FloorSketch:
        """A tile layer (decoration, drawn under the objects): `rows` of gids, one per map tile, 0 for none."""
        if len(rows) != self.height_tiles or any(len(r) != self.width_tiles for r in rows):
            raise ValueError(f"tile layer {name!r} is not {self.width_tiles}x{self.height_tiles}")
        if self.tileset not in (None, tileset):
            raise ValueError("one tileset per sketch")
        self.tileset = tileset
        self.tile_layers.append((name, rows))
        return self

    def to_xml(self) -> str:
        m = ET.Element("map", version="1.10", tiledversion="1.10.2", orientation="orthogonal",
                       renderorder="right-down", width=str(self.width_tiles), height=str(self.height_tiles),
                       tilewidth=str(self.tile), tileheight=str(self.tile), infinite="0",
                       nextlayerid=str(len(self.tile_layers) + 4), nextobjectid="1")
        props = ET.SubElement(m, "properties")
        values: dict[str, tuple[str, str]] = {"floor_id": ("string", self.floor_id), "title": ("string", self.title)}
        if self.title_en:
            values["title_en"] = ("string", self.title_en)
        if self.order is not None:
            values["order"] = ("int", str(self.order))
        for k, v in self.extra_properties.items():
            values[k] = ("string", v)
        for name, (kind, value) in values.items():
            ET.SubElement(props, "property", name=name, type=kind, value=value)
        layer_id = 0

        def layer_attrs(name: str) -> dict[str, str]:
            nonlocal layer_id
            layer_id += 1
            return {"id": str(layer_id), "name": name}

        if self.tileset is not None:
            ts = self.tileset
            t = ET.SubElement(m, "tileset", firstgid="1", name=ts.name, tilewidth=str(self.tile),
                              tileheight=str(self.tile), tilecount=str(ts.count), columns=str(ts.columns))
            rows = -(-ts.count // ts.columns)
            ET.SubElement(t, "image", source=ts.image, width=str(self.tile * ts.columns),
                          height=str(self.tile * rows))
        for name, gids in self.tile_layers:
            layer = ET.SubElement(m, "layer", layer_attrs(name), width=str(self.width_tiles),
                                  height=str(self.height_tiles))
            data = ET.SubElement(layer, "data", encoding="csv")
            data.text = "\n" + ",\n".join(",".join(map(str, row)) for row in gids) + "\n"
        next_id = 1

        def obj(group: ET.Element, name: str | None, x: float, y: float, w: float = 0, h: float = 0) -> ET.Element:
            nonlocal next_id
            attrs = {"id": str(next_id), "x": _n(x), "y": _n(y)}
            next_id += 1
            if name is not None:
                attrs["name"] = name
            if w or h:
                attrs["width"], attrs["height"] = _n(w), _n(h)
            return ET.SubElement(group, "object", attrs)

        alleys = ET.SubElement(m, "objectgroup", layer_attrs("alleys"))
        for i, (x, y, w, h) in enumerate(self.alleys):
            obj(alleys, self.alley_names.get(i), x, y, w, h)
        for i, poly in enumerate(self.alley_polygons):
            ox, oy = poly[0]
            o = obj(alleys, self.polygon_names.get(i), ox, oy)
            ET.SubElement(o, "polygon", points=" ".join(f"{_n(px - ox)},{_n(py - oy)}" for px, py in poly))
        stands = ET.SubElement(m, "objectgroup", layer_attrs("stands"))
        for number, exhibitor, (x, y, w, h) in self.stands:
            o = obj(stands, number, x, y, w, h)
            p = ET.SubElement(o, "properties")
            ET.SubElement(p, "property", name="exhibitor", value=exhibitor)
            if number in self.ellipse_stands:
                ET.SubElement(o, "ellipse")
        points = ET.SubElement(m, "objectgroup", layer_attrs("points"))
        for name, x, y, extra in self.points:
            o = obj(points, name, x, y)
            if extra:
                p = ET.SubElement(o, "properties")
                for k, v in extra.items():
                    ET.SubElement(p, "property", name=k, value=v)
            ET.SubElement(o, "point")
        m.set("nextobjectid", str(next_id))
        ET.indent(m)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(m, encoding="unicode") + "\n"

    def write(self, path: Path) -> Path:
        return write_atomically(Path(path), self.to_xml())


def _n(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"


def write_package(folder: Path, name: str, /, **fields: object) -> Path:
    """Write a minimal stand package (stand.toml with name and simple text fields)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"name = {_toml_str(name)}"]
    for key, value in fields.items():
        lines.append(f"{key} = {_toml_str(str(value))}")
    (folder / "stand.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
