"""Reading a floor from a Tiled .tmx map (pytmx, without images) into the floor model.

The map convention (a contract with organizers' maps):
- map properties: floor_id (unique), title, optional title_en, optional order (int);
- object layer `alleys`: rectangles or polygons, their union is walkable;
- object layer `stands`: a rectangle per stand, named with the stand number, property `exhibitor`;
- object layer `points`: a point `spawn`, and stairs/lifts with `to_floor` and optional `to_point`;
- tile layers are decoration only.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from expo_hall.floors.geometry import Rect, polygon_to_rects
from expo_hall.floors.model import Alley, Floor, MapPoint, StandPlace
from expo_hall.problems import ContentError, Problem, Severity, problem

REQUIRED_LAYERS = ("alleys", "stands", "points")


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


def load_floor(path: Path) -> tuple[Floor, list[Problem]]:
    """Load one floor. Raises ContentError when the map cannot be used at all.

    Problems with single objects (a stand without a number, say) are returned with the
    floor, which still opens without them.
    """
    path = Path(path)
    try:
        tmx = pytmx.TiledMap(str(path))
    except ET.ParseError as exc:
        raise ContentError(problem(path, "bad_xml", error=exc)) from exc
    except FileNotFoundError as exc:
        raise ContentError(problem(path, "file_not_found")) from exc
    except Exception as exc:  # pytmx raises bare Exceptions, KeyErrors, ValueErrors for bad maps
        raise ContentError(problem(path, "unreadable_map", error=f"{type(exc).__name__}: {exc}")) from exc

    problems: list[Problem] = []
    if getattr(tmx, "orientation", "orthogonal") != "orthogonal":
        raise ContentError(problem(path, "orientation", value=tmx.orientation))

    props = tmx.properties or {}
    floor_id = _required_text(path, props, "floor_id")
    title = _required_text(path, props, "title")
    title_en = str(props["title_en"]).strip() if props.get("title_en") else None
    order = 0
    if "order" in props:
        try:
            order = int(props["order"])
        except (TypeError, ValueError) as exc:
            fault = problem(path, "not_whole_number", ("map_property", "order"), value=props["order"])
            raise ContentError(fault) from exc

    layers = {}
    for name in REQUIRED_LAYERS:
        layer = tmx.layernames.get(name)
        if not isinstance(layer, pytmx.TiledObjectGroup):
            fault = "not_object_layer" if layer is not None else "layer_missing"
            raise ContentError(problem(path, fault, ("layer", name)))
        layers[name] = layer

    alleys = [a for obj in layers["alleys"] if (a := _alley(path, obj, problems)) is not None]
    if not alleys:
        raise ContentError(problem(path, "no_alleys", ("layer", "alleys")))

    stands: list[StandPlace] = []
    seen_numbers: set[str] = set()
    for obj in layers["stands"]:
        stand = _stand(path, obj, floor_id, problems)
        if stand is None:
            continue
        if stand.number in seen_numbers:
            problems.append(problem(path, "stand_number_twice", ("stand", stand.number)))
            continue
        seen_numbers.add(stand.number)
        stands.append(stand)

    points = [p for obj in layers["points"] if (p := _point(path, obj, problems)) is not None]
    if not any(p.name == "spawn" for p in points):
        raise ContentError(problem(path, "no_spawn", ("layer", "points")))

    has_tiles = any(isinstance(layer, pytmx.TiledTileLayer) for layer in tmx.visible_layers)
    floor = Floor(
        floor_id=floor_id,
        title=title,
        title_en=title_en,
        order=order,
        width=int(tmx.width * tmx.tilewidth),
        height=int(tmx.height * tmx.tileheight),
        tile_width=int(tmx.tilewidth),
        tile_height=int(tmx.tileheight),
        alleys=alleys,
        stands=stands,
        points=points,
        source=path,
        has_tiles=has_tiles,
        properties=dict(props),
    )
    return floor, problems


def _required_text(path: Path, props: dict, key: str) -> str:
    value = props.get(key)
    if value is None or not str(value).strip():
        raise ContentError(problem(path, "missing_property", ("map_properties", ""), name=key))
    return str(value).strip()


def _label(kind: str, obj: pytmx.TiledObject) -> tuple[str, object]:
    return (kind, obj.name) if obj.name else ("object", obj.id)


def _alley(path: Path, obj: pytmx.TiledObject, problems: list[Problem]) -> Alley | None:
    if obj.rotation:
        problems.append(problem(path, "rotated", _label("alley", obj)))
        return None
    points = getattr(obj, "points", None)
    if points is not None:
        if not obj.closed:
            problems.append(problem(path, "polyline", _label("alley", obj)))
            return None
        poly = tuple((float(p.x), float(p.y)) for p in points)
        rects = polygon_to_rects(poly)
        if not rects:
            problems.append(problem(path, "no_area_polygon", _label("alley", obj)))
            return None
        return Alley(tuple(rects), poly)
    if obj.width <= 0 or obj.height <= 0:
        problems.append(problem(path, "no_area", _label("alley", obj)))
        return None
    return Alley((Rect.from_xywh(obj.x, obj.y, obj.width, obj.height),))


def _stand(path: Path, obj: pytmx.TiledObject, floor_id: str, problems: list[Problem]) -> StandPlace | None:
    label = _label("stand", obj)
    number = (obj.name or "").strip()
    if not number:
        problems.append(problem(path, "stand_no_name", label))
        return None
    if getattr(obj, "points", None) is not None or obj.width <= 0 or obj.height <= 0 or obj.rotation:
        problems.append(problem(path, "stand_not_rect", label))
        return None
    exhibitor = str(obj.properties.get("exhibitor") or "").strip()
    if not exhibitor:
        problems.append(problem(path, "stand_no_exhibitor", label))
        return None
    return StandPlace(number, exhibitor, Rect.from_xywh(obj.x, obj.y, obj.width, obj.height), floor_id)


def _point(path: Path, obj: pytmx.TiledObject, problems: list[Problem]) -> MapPoint | None:
    name = (obj.name or "").strip()
    if not name:
        problems.append(problem(path, "point_no_name", _label("point", obj), Severity.WARNING))
        return None
    x, y = float(obj.x), float(obj.y)
    if obj.width or obj.height:  # a rectangle used as a point: take its centre
        x, y = x + obj.width / 2, y + obj.height / 2
    to_floor = str(obj.properties.get("to_floor") or "").strip() or None
    to_point = str(obj.properties.get("to_point") or "").strip() or None
    if to_point and not to_floor:
        problems.append(problem(path, "to_point_alone", ("point", name), Severity.WARNING))
    return MapPoint(name, x, y, to_floor, to_point if to_floor else None)
