"""Reading a floor from a Tiled .tmx map (checked, then read by pytmx without images) into the floor model.

The map convention (a contract with organizers' maps):
- map properties: floor_id (unique), title, optional title_en, optional order (int);
- object layer `alleys`: rectangles, ellipses or polygons, their union is walkable;
- object layer `stands`: a rectangle (or an ellipse) per stand, named with the stand number, property `exhibitor`;
- object layer `points`: a point `spawn`, and stairs/lifts with `to_floor` and optional `to_point`;
- tile layers are decoration only.
Several layers may share a role's name (stands drawn in two layers, one per hall section, say): their objects
are taken together, as Tiled shows them together; a number given twice is still named.
"""

from __future__ import annotations

from pathlib import Path

from expo_hall.content.text import clean_text
from expo_hall.floors.geometry import Rect, ellipse_points, polygon_to_rects
from expo_hall.floors.model import Alley, Floor, MapPoint, StandPlace
from expo_hall.floors.tmx_read import pytmx, read_tmx
from expo_hall.problems import ContentError, Problem, Severity, problem

REQUIRED_LAYERS = ("alleys", "stands", "points")


def load_floor(path: Path, root_folder: Path | None = None) -> tuple[Floor, list[Problem]]:
    """Load one floor. Raises ContentError, with every fault that keeps it from opening, when it cannot be used.

    The files the map refers to (tilesets, templates, images) are read from inside `root_folder`, the expo's root
    (default: the map's folder), so maps/ may use tilesets of a sibling gfx/ folder.

    Problems with single objects (a stand without a number, say) are returned with the
    floor, which still opens without them.
    """
    path = Path(path)
    tmx, problems = read_tmx(path, root_folder)
    fatal: list[Problem] = []
    props = tmx.properties or {}
    floor_id = _required_text(path, props, "floor_id", fatal)
    title = _required_text(path, props, "title", fatal)
    title_en = clean_text(str(props["title_en"])) or None if props.get("title_en") else None
    order = 0
    if "order" in props:
        try:
            order = int(props["order"])
        except (TypeError, ValueError, OverflowError):
            fatal.append(problem(path, "not_whole_number", ("map_property", "order"), value=props["order"]))

    layers: dict[str, list[pytmx.TiledObject]] = {}
    for name in REQUIRED_LAYERS:
        found = [layer for layer in tmx.layers if layer.name == name]
        if name in tmx.tile_layer_names or not all(isinstance(layer, pytmx.TiledObjectGroup) for layer in found):
            fatal.append(problem(path, "not_object_layer", ("layer", name)))
        elif not found:
            fatal.append(problem(path, "layer_missing", ("layer", name)))
        else:
            layers[name] = [obj for layer in found for obj in layer]
    ellipses = tmx.ellipse_ids

    bounds = Rect(0, 0, tmx.width * tmx.tilewidth, tmx.height * tmx.tileheight)
    alleys = [a for obj in layers.get("alleys", ()) if (a := _alley(path, obj, bounds, problems, ellipses)) is not None]
    if not alleys and "alleys" in layers:
        fatal.append(problem(path, "no_alleys", ("layer", "alleys")))

    stands: list[StandPlace] = []
    seen_numbers: set[str] = set()
    for obj in layers.get("stands", ()):
        stand = _stand(path, obj, floor_id or "", bounds, problems, obj.id in ellipses)
        if stand is None:
            continue
        if stand.number in seen_numbers:
            problems.append(problem(path, "stand_number_twice", ("stand", stand.number)))
            continue
        seen_numbers.add(stand.number)
        stands.append(stand)

    points = [p for obj in layers.get("points", ()) if (p := _point(path, obj, bounds, problems)) is not None]
    if not any(p.name == "spawn" for p in points) and "points" in layers:
        fatal.append(problem(path, "no_spawn", ("layer", "points")))
    if fatal or floor_id is None or title is None:
        raise ContentError(*fatal, *problems)

    floor = Floor(
        floor_id=floor_id,
        title=title,
        title_en=title_en,
        order=order,
        width=int(bounds.width),
        height=int(bounds.height),
        tile_width=int(tmx.tilewidth),
        tile_height=int(tmx.tileheight),
        alleys=alleys,
        stands=stands,
        points=points,
        source=path,
        has_tiles=tmx.has_tile_layers,
        properties=dict(props),
        root=Path(root_folder) if root_folder is not None else None,
    )
    return floor, problems


def _required_text(path: Path, props: dict, key: str, fatal: list[Problem]) -> str | None:
    value = None if props.get(key) is None else clean_text(str(props[key]))  # shown as read: no bidi controls
    if not value:
        fatal.append(problem(path, "missing_property", ("map_properties", ""), name=key))
        return None
    return value


def _label(kind: str, obj: pytmx.TiledObject) -> tuple[str, object]:
    return (kind, obj.name) if obj.name else ("object", obj.id)


def _alley(path: Path, obj: pytmx.TiledObject, bounds: Rect, problems: list[Problem],
           ellipses: set[int]) -> Alley | None:
    """A walkable area, clipped to the map (visitors never walk off the floor)."""
    label = _label("alley", obj)
    if obj.rotation:
        problems.append(problem(path, "rotated", label))
        return None
    points = getattr(obj, "points", None)
    if obj.id in ellipses and obj.width > 0 and obj.height > 0:
        points = ellipse_points(Rect.from_xywh(obj.x, obj.y, obj.width, obj.height))
    if points is not None:
        if not getattr(obj, "closed", True):
            problems.append(problem(path, "polyline", label))
            return None
        poly = tuple((float(x), float(y)) for x, y in points)
        if not _bounding(poly).overlaps(bounds):
            problems.append(problem(path, "outside_map", label))
            return None
        rects = polygon_to_rects(poly, within=bounds)
        if not rects:
            problems.append(problem(path, "no_area_polygon", label))
            return None
        return Alley(tuple(rects), poly)
    if obj.width <= 0 or obj.height <= 0:
        problems.append(problem(path, "no_area", label))
        return None
    rect = Rect.from_xywh(obj.x, obj.y, obj.width, obj.height)
    if not rect.overlaps(bounds):
        problems.append(problem(path, "outside_map", label))
        return None
    return Alley((rect.intersection(bounds),))


def _stand(path: Path, obj: pytmx.TiledObject, floor_id: str, bounds: Rect,
           problems: list[Problem], ellipse: bool) -> StandPlace | None:
    label = _label("stand", obj)
    number = clean_text(obj.name or "")
    if not number:
        problems.append(problem(path, "stand_no_name", label))
        return None
    if getattr(obj, "points", None) is not None or obj.width <= 0 or obj.height <= 0 or obj.rotation:
        problems.append(problem(path, "stand_not_rect", label))
        return None
    rect = Rect.from_xywh(obj.x, obj.y, obj.width, obj.height)
    if rect.intersection(bounds) != rect:
        problems.append(problem(path, "outside_map", label))
        return None
    exhibitor = str(obj.properties.get("exhibitor") or "").strip()
    if not exhibitor:
        problems.append(problem(path, "stand_no_exhibitor", label))
        return None
    return StandPlace(number, exhibitor, rect, floor_id, ellipse)


def _point(path: Path, obj: pytmx.TiledObject, bounds: Rect, problems: list[Problem]) -> MapPoint | None:
    name = (obj.name or "").strip()
    if not name:
        problems.append(problem(path, "point_no_name", _label("point", obj), Severity.WARNING))
        return None
    x, y = float(obj.x), float(obj.y)
    if obj.width or obj.height:  # a rectangle used as a point: take its centre
        x, y = x + obj.width / 2, y + obj.height / 2
    if not bounds.contains(x, y):
        problems.append(problem(path, "outside_map", ("point", name)))
        return None
    to_floor = str(obj.properties.get("to_floor") or "").strip() or None
    to_point = str(obj.properties.get("to_point") or "").strip() or None
    if to_point and not to_floor:
        problems.append(problem(path, "to_point_alone", ("point", name), Severity.WARNING))
    return MapPoint(name, x, y, to_floor, to_point if to_floor else None)


def _bounding(poly: tuple[tuple[float, float], ...]) -> Rect:
    xs, ys = [p[0] for p in poly], [p[1] for p in poly]
    return Rect(min(xs), min(ys), max(xs), max(ys))
