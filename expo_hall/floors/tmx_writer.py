"""Writing floors as Tiled .tmx maps from code: for generated floors, tests and benchmarks.

It writes the convention `tiled.py` reads; Tiled opens the result for further drawing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from expo_hall.floors.geometry import Vec


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

    def alley(self, x: float, y: float, w: float, h: float) -> FloorSketch:
        self.alleys.append((x, y, w, h))
        return self

    def stand(self, number: str, exhibitor: str, x: float, y: float, w: float, h: float) -> FloorSketch:
        self.stands.append((number, exhibitor, (x, y, w, h)))
        return self

    def point(self, name: str, x: float, y: float, /, **props: str) -> FloorSketch:
        self.points.append((name, x, y, props))
        return self

    def to_xml(self) -> str:
        m = ET.Element("map", version="1.10", tiledversion="1.10.2", orientation="orthogonal",
                       renderorder="right-down", width=str(self.width_tiles), height=str(self.height_tiles),
                       tilewidth=str(self.tile), tileheight=str(self.tile), infinite="0",
                       nextlayerid="4", nextobjectid="1")
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

        alleys = ET.SubElement(m, "objectgroup", id="1", name="alleys")
        for x, y, w, h in self.alleys:
            obj(alleys, None, x, y, w, h)
        for poly in self.alley_polygons:
            ox, oy = poly[0]
            o = obj(alleys, None, ox, oy)
            ET.SubElement(o, "polygon", points=" ".join(f"{_n(px - ox)},{_n(py - oy)}" for px, py in poly))
        stands = ET.SubElement(m, "objectgroup", id="2", name="stands")
        for number, exhibitor, (x, y, w, h) in self.stands:
            o = obj(stands, number, x, y, w, h)
            p = ET.SubElement(o, "properties")
            ET.SubElement(p, "property", name="exhibitor", value=exhibitor)
        points = ET.SubElement(m, "objectgroup", id="3", name="points")
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
        path = Path(path)
        path.write_text(self.to_xml(), encoding="utf-8")
        return path


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
