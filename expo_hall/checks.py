"""Checks of a whole expo beyond what loading it finds: can visitors get everywhere, does anything collide,
is every package placed and every text in both languages.

Plain Python, one place: `expo-hall check` prints these with the loader's own problems, and anything else
that wants the findings (organizer mode) calls `check_expo`. Findings are `Problem`s: their key is the stable
code, their message and fix come from the catalogue (sections "problem" and "fix"); docs/checks.md explains
each code.
"""

from __future__ import annotations

from pathlib import Path

from expo_hall.expo import Expo, load_expo
from expo_hall.floors.geometry import Rect, bounding_rect
from expo_hall.floors.model import Floor
from expo_hall.floors.spatial import GridIndex
from expo_hall.problems import Problem, Severity, problem
from expo_hall.route.costs import reached
from expo_hall.route.recommended import default_folder, load_recommended

ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def check_expo(maps_dir: Path, stands_dir: Path) -> tuple[Expo, list[Problem]]:
    """Load the expo and check it: the loader's problems, the layout's and the recommended routes', errors first."""
    expo = load_expo(maps_dir, stands_dir)
    _, routes = load_recommended(default_folder(maps_dir), expo.exhibitors)
    return expo, sort(expo.problems + layout_findings(expo) + routes)


def sort(problems: list[Problem]) -> list[Problem]:
    """Errors, then warnings, then notes; each as found (file by file)."""
    return sorted(problems, key=lambda p: ORDER[p.severity])


def layout_findings(expo: Expo) -> list[Problem]:
    """What the loader cannot see alone: reachability across floors, collisions, placement, translations."""
    found: list[Problem] = []
    for floor in expo.floors:
        _overlaps(floor, found)
        _points(expo, floor, found)
    _reachability(expo, found)
    _placement(expo, found)
    _translations(expo, found)
    _webinars(expo, found)
    return found


def _overlaps(floor: Floor, found: list[Problem]) -> None:
    index: GridIndex[int] = GridIndex((s.rect, i) for i, s in enumerate(floor.stands))
    for i, stand in enumerate(floor.stands):
        for _, j in index.overlapping(stand.rect):
            if j < i:
                found.append(problem(floor.source, "stands_overlap", ("stand", stand.number), Severity.ERROR,
                                     other=floor.stands[j].number))


def _points(expo: Expo, floor: Floor, found: list[Problem]) -> None:
    """The spawn and every stairs or lift point stand on an alley (a visitor arrives there, or walks into it)."""
    nav = expo.nav(floor.floor_id)
    for point in floor.points:
        if point.name != "spawn" and not point.is_transfer:
            continue
        if not nav.in_alleys(point.x, point.y):
            severity = Severity.ERROR if point.name == "spawn" or point.name not in nav.point_nodes \
                else Severity.WARNING
            found.append(problem(floor.source, "point_off_alleys", ("point", point.name), severity))


def _reachability(expo: Expo, found: list[Problem]) -> None:
    """Stands, alleys and floors no way leads to from the first floor's spawn; stairs and lifts with no way back."""
    if not expo.floors:
        return
    first = expo.floors[0]
    reach = reached(expo, first.floor_id)
    floors_reached = {f for f, _ in reach}
    for floor in expo.floors:
        nav = expo.nav(floor.floor_id)
        if floor.floor_id not in floors_reached:
            found.append(problem(floor.source, "floor_unreachable", None, Severity.WARNING, first=first.floor_id))
        else:
            groups: dict[int, list[Rect]] = {}
            for piece, group in zip(nav.pieces, nav.piece_groups, strict=True):
                groups.setdefault(group, []).append(piece)
            for group, pieces in groups.items():
                box = bounding_rect(pieces)
                if (floor.floor_id, group) not in reach and box is not None:
                    box = box.inflate(nav.radius)
                    found.append(problem(floor.source, "alley_island", ("area", _area(box)), Severity.WARNING,
                                         first=first.floor_id))
        for stand in floor.stands:
            front = nav.fronts.get(stand.number)
            if front is None:
                found.append(problem(floor.source, "stand_no_alley", ("stand", stand.number), Severity.ERROR))
            elif (floor.floor_id, nav.group_at(front.x, front.y)) not in reach:
                found.append(problem(floor.source, "stand_unreachable", ("stand", stand.number), Severity.ERROR,
                                     first=first.floor_id))
        for point in floor.transfers:
            spot = nav.point_nodes.get(point.name)
            if spot is None or point.to_floor is None or expo.floor(point.to_floor) is None:
                continue  # named already: off the alleys, or leading to no floor
            back = reached(expo, point.to_floor, point.to_point or "spawn")
            if (floor.floor_id, nav.group_at(*spot)) not in back:
                found.append(problem(floor.source, "no_way_back", ("point", point.name), Severity.WARNING,
                                     floor=point.to_floor))


def _area(box: Rect) -> str:
    return f"x {box.x0:.0f}–{box.x1:.0f}, y {box.y0:.0f}–{box.y1:.0f}"


def _placement(expo: Expo, found: list[Problem]) -> None:
    """Each package on exactly one stand."""
    placed: dict[str, tuple[Floor, str]] = {}
    for floor in expo.floors:
        for stand in floor.stands:
            first = placed.setdefault(stand.exhibitor_id, (floor, stand.number))
            if first[1] != stand.number or first[0] is not floor:
                found.append(problem(floor.source, "exhibitor_twice", ("stand", stand.number), Severity.WARNING,
                                     exhibitor=stand.exhibitor_id, other=first[1], floor=first[0].floor_id))
    for exhibitor in expo.exhibitors.values():
        if exhibitor.exhibitor_id not in placed:
            found.append(problem(exhibitor.folder / "stand.toml", "package_unplaced", None, Severity.WARNING,
                                 exhibitor=exhibitor.exhibitor_id))


def _translations(expo: Expo, found: list[Problem]) -> None:
    """Texts given in Russian only: English visitors see them in Russian."""

    def missing(file: Path, obj: tuple[str, object], key: str) -> None:
        found.append(problem(file, "no_translation", obj, Severity.INFO, key=key))

    for floor in expo.floors:
        if not floor.title_en:
            missing(floor.source, ("map_property", "title_en"), "title_en")
    for ex in expo.exhibitors.values():
        toml = ex.folder / "stand.toml"
        for key, text, english in (("name_en", ex.name, ex.name_en), ("category_en", ex.category, ex.category_en),
                                   ("description_en", ex.description, ex.description_en)):
            if text and not english:
                missing(toml, ("key", key), key)
        for n, material in enumerate(ex.materials, 1):
            if not material.title_en:
                missing(toml, ("material", n), "title_en")
        for n, webinar in enumerate(ex.webinars, 1):
            if not webinar.title_en:
                missing(toml, ("webinar", n), "title_en")


def _webinars(expo: Expo, found: list[Problem]) -> None:
    """One exhibitor's webinars one after another: a visitor cannot attend two at once, nor its people host them."""
    for ex in expo.exhibitors.values():
        ordered = sorted(enumerate(ex.webinars, 1), key=lambda t: t[1].starts)
        for k, (n, webinar) in enumerate(ordered):
            for m, other in ordered[k + 1:]:
                if other.starts >= webinar.ends:
                    break
                found.append(problem(ex.folder / "stand.toml", "webinars_overlap", ("webinar", max(n, m)),
                                     Severity.WARNING, other=min(n, m)))
