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
from expo_hall.problems import ContentError, Problem, Severity

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
        raise ContentError(Problem(path, "", f"not a valid Tiled map (bad XML: {exc})")) from exc
    except FileNotFoundError as exc:
        raise ContentError(Problem(path, "", f"file not found: {exc.filename}")) from exc
    except Exception as exc:  # pytmx raises bare Exceptions, KeyErrors, ValueErrors for bad maps
        raise ContentError(Problem(path, "", f"not a readable Tiled map ({type(exc).__name__}: {exc})")) from exc

    problems: list[Problem] = []
    if getattr(tmx, "orientation", "orthogonal") != "orthogonal":
        raise ContentError(Problem(path, "", f"map orientation is {tmx.orientation!r}, only 'orthogonal' works"))

    props = tmx.properties or {}
    floor_id = _required_text(path, props, "floor_id")
    title = _required_text(path, props, "title")
    title_en = str(props["title_en"]).strip() if props.get("title_en") else None
    order = 0
    if "order" in props:
        try:
            order = int(props["order"])
        except (TypeError, ValueError) as exc:
            raise ContentError(
                Problem(path, "map property 'order'", f"must be a whole number, not {props['order']!r}")
            ) from exc

    layers = {}
    for name in REQUIRED_LAYERS:
        layer = tmx.layernames.get(name)
        if not isinstance(layer, pytmx.TiledObjectGroup):
            fault = "is not an object layer" if layer is not None else "is missing (an object layer is required)"
            raise ContentError(Problem(path, f"layer '{name}'", fault))
        layers[name] = layer

    alleys = [a for obj in layers["alleys"] if (a := _alley(path, obj, problems)) is not None]
    if not alleys:
        raise ContentError(Problem(path, "layer 'alleys'", "has no alleys: visitors would have nowhere to walk"))

    stands: list[StandPlace] = []
    seen_numbers: set[str] = set()
    for obj in layers["stands"]:
        stand = _stand(path, obj, floor_id, problems)
        if stand is None:
            continue
        if stand.number in seen_numbers:
            problems.append(Problem(path, f"stand {stand.number}", "the stand number is used twice on this floor"))
            continue
        seen_numbers.add(stand.number)
        stands.append(stand)

    points = [p for obj in layers["points"] if (p := _point(path, obj, problems)) is not None]
    if not any(p.name == "spawn" for p in points):
        raise ContentError(Problem(path, "layer 'points'", "has no point named 'spawn' (where visitors arrive)"))

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
        raise ContentError(Problem(path, "map properties", f"missing property '{key}'"))
    return str(value).strip()


def _label(kind: str, obj: pytmx.TiledObject) -> str:
    return f"{kind} {obj.name}" if obj.name else f"{kind} (object id {obj.id})"


def _alley(path: Path, obj: pytmx.TiledObject, problems: list[Problem]) -> Alley | None:
    if obj.rotation:
        problems.append(Problem(path, _label("alley", obj), "rotated objects are not supported; skipped"))
        return None
    points = getattr(obj, "points", None)
    if points is not None:
        if not obj.closed:
            problems.append(Problem(path, _label("alley", obj), "is a polyline, not a closed shape; skipped"))
            return None
        poly = tuple((float(p.x), float(p.y)) for p in points)
        rects = polygon_to_rects(poly)
        if not rects:
            problems.append(Problem(path, _label("alley", obj), "polygon has no area; skipped"))
            return None
        return Alley(tuple(rects), poly)
    if obj.width <= 0 or obj.height <= 0:
        problems.append(Problem(path, _label("alley", obj), "has no area (is it a point?); skipped"))
        return None
    return Alley((Rect.from_xywh(obj.x, obj.y, obj.width, obj.height),))


def _stand(path: Path, obj: pytmx.TiledObject, floor_id: str, problems: list[Problem]) -> StandPlace | None:
    label = _label("stand", obj)
    number = (obj.name or "").strip()
    if not number:
        problems.append(Problem(path, label, "has no name (the stand number printed on the floor); skipped"))
        return None
    if getattr(obj, "points", None) is not None or obj.width <= 0 or obj.height <= 0 or obj.rotation:
        problems.append(Problem(path, label, "must be an unrotated rectangle; skipped"))
        return None
    exhibitor = str(obj.properties.get("exhibitor") or "").strip()
    if not exhibitor:
        problems.append(Problem(path, label, "missing property 'exhibitor' (the id of a stand package); skipped"))
        return None
    return StandPlace(number, exhibitor, Rect.from_xywh(obj.x, obj.y, obj.width, obj.height), floor_id)


def _point(path: Path, obj: pytmx.TiledObject, problems: list[Problem]) -> MapPoint | None:
    name = (obj.name or "").strip()
    if not name:
        problems.append(Problem(path, _label("point", obj), "has no name; skipped", Severity.WARNING))
        return None
    x, y = float(obj.x), float(obj.y)
    if obj.width or obj.height:  # a rectangle used as a point: take its centre
        x, y = x + obj.width / 2, y + obj.height / 2
    to_floor = str(obj.properties.get("to_floor") or "").strip() or None
    to_point = str(obj.properties.get("to_point") or "").strip() or None
    if to_point and not to_floor:
        problems.append(Problem(path, f"point {name}", "has 'to_point' but no 'to_floor'", Severity.WARNING))
    return MapPoint(name, x, y, to_floor, to_point if to_floor else None)
