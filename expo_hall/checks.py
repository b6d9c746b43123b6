"""Checks of a whole expo beyond what loading it finds: can visitors get everywhere, does anything collide,
is every package placed and every text in both languages.

Plain Python, one place: `expo-hall check` prints these with the loader's own problems, and anything else
that wants the findings (organizer mode) calls `check_expo`. Findings are `Problem`s: their key is the stable
code, their message and fix come from the catalogue (sections "problem" and "fix"); docs/checks.md explains
each code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from expo_hall.expo import Expo, load_expo
from expo_hall.floors.geometry import Rect, bounding_rect
from expo_hall.floors.model import Floor, MapPoint
from expo_hall.floors.navigation import NavMesh
from expo_hall.floors.spatial import GridIndex
from expo_hall.problems import Problem, Severity, problem
from expo_hall.route.costs import reached
from expo_hall.route.recommended import default_folder, load_recommended
from expo_hall.stands.package import Exhibitor

ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def check_expo(maps_dir: Path, stands_dir: Path) -> tuple[Expo, list[Problem]]:
    """Load the expo and check it: the loader's problems, the layout's and the recommended routes', errors first."""
    expo = load_expo(maps_dir, stands_dir)
    _, routes = load_recommended(default_folder(maps_dir), expo.exhibitors)
    return expo, sort(expo.problems + layout_findings(expo) + routes)


def sort(problems: list[Problem]) -> list[Problem]:
    """Errors, then warnings, then notes; each as found (file by file)."""
    return sorted(problems, key=lambda p: ORDER[p.severity])


@dataclass
class FloorFacts:
    """What the checks learn from one floor alone, from its map and its navigation."""

    shape: tuple  # the navigation's (`NavMesh.shape`): the facts hold while it does
    source: Path
    points: list[MapPoint]  # as the expo's cross-checks left them (stairs to no floor are plain points)
    findings: list[Problem]  # stands overlapping, points off the alleys
    islands: list[tuple[int, Rect]]  # each walkable group and its box (its pieces', grown by the avatar's radius)
    stands: list[tuple[str, bool, int | None]]  # each stand: its number, has it a front, the group at its front


@dataclass
class _PackageFacts:
    exhibitor: Exhibitor
    translations: list[Problem]
    webinars: list[Problem]


class LayoutCache:
    """The per-floor and per-package results of the last `layout_findings`, for checking a new reading of the same
    folders (organizer mode): a floor whose shape, file and points are unchanged, or a package read the same, is
    not checked again. Cross-floor results (reachability, placement) are always worked out again, from these."""

    def __init__(self) -> None:
        self.floors: dict[str, FloorFacts] = {}
        self.packages: dict[str, _PackageFacts] = {}
        self.floors_checked: set[str] = set()  # floor ids checked by the last call (the others' facts were kept)

    def floor(self, expo: Expo, floor: Floor) -> FloorFacts:
        nav = expo.nav(floor.floor_id)
        known = self.floors.get(floor.floor_id)
        if known is not None and known.shape == nav.shape and known.source == floor.source \
                and known.points == floor.points:
            return known
        self.floors_checked.add(floor.floor_id)
        return _floor_facts(floor, nav)

    def package(self, exhibitor: Exhibitor) -> _PackageFacts:
        known = self.packages.get(exhibitor.exhibitor_id)
        if known is not None and known.exhibitor == exhibitor:
            return known
        return _PackageFacts(exhibitor, _translations(exhibitor), _webinars(exhibitor))


def layout_findings(expo: Expo, cache: LayoutCache | None = None) -> list[Problem]:
    """What the loader cannot see alone: reachability across floors, collisions, placement, translations.

    With a cache, what one floor or one package alone decides is taken from it where that floor or package is
    unchanged (and the cache is brought up to this expo); the findings are those of a check without it."""
    cache = cache if cache is not None else LayoutCache()
    cache.floors_checked = set()
    facts = {floor.floor_id: cache.floor(expo, floor) for floor in expo.floors}
    packages = {ex_id: cache.package(ex) for ex_id, ex in expo.exhibitors.items()}
    cache.floors, cache.packages = facts, packages
    found: list[Problem] = [p for f in facts.values() for p in f.findings]
    _reachability(expo, facts, found)
    _placement(expo, found)
    for floor in expo.floors:
        if not floor.title_en:
            found.append(problem(floor.source, "no_translation", ("map_property", "title_en"), Severity.INFO,
                                 key="title_en"))
    found.extend(p for f in packages.values() for p in f.translations)
    found.extend(p for f in packages.values() for p in f.webinars)
    return found


def _floor_facts(floor: Floor, nav: NavMesh) -> FloorFacts:
    findings: list[Problem] = []
    _overlaps(floor, findings)
    _points(nav, floor, findings)
    groups: dict[int, list[Rect]] = {}
    for piece, group in zip(nav.pieces, nav.piece_groups, strict=True):
        groups.setdefault(group, []).append(piece)
    islands = [(group, box.inflate(nav.radius)) for group, pieces in groups.items()
               if (box := bounding_rect(pieces)) is not None]
    stands: list[tuple[str, bool, int | None]] = []
    for stand in floor.stands:
        front = nav.fronts.get(stand.number)
        stands.append((stand.number, front is not None, nav.group_at(front.x, front.y) if front else None))
    return FloorFacts(nav.shape, floor.source, list(floor.points), findings, islands, stands)


def _overlaps(floor: Floor, found: list[Problem]) -> None:
    index: GridIndex[int] = GridIndex((s.rect, i) for i, s in enumerate(floor.stands))
    for i, stand in enumerate(floor.stands):
        for _, j in index.overlapping(stand.rect):
            if j < i:
                found.append(problem(floor.source, "stands_overlap", ("stand", stand.number), Severity.ERROR,
                                     other=floor.stands[j].number))


def _points(nav: NavMesh, floor: Floor, found: list[Problem]) -> None:
    """The spawn and every stairs or lift point stand on an alley (a visitor arrives there, or walks into it)."""
    for point in floor.points:
        if point.name != "spawn" and not point.is_transfer:
            continue
        if not nav.in_alleys(point.x, point.y):
            severity = Severity.ERROR if point.name == "spawn" or point.name not in nav.point_nodes \
                else Severity.WARNING
            found.append(problem(floor.source, "point_off_alleys", ("point", point.name), severity))


def _reachability(expo: Expo, facts: dict[str, FloorFacts], found: list[Problem]) -> None:
    """Stands, alleys and floors no way leads to from the first floor's spawn; stairs and lifts with no way back."""
    if not expo.floors:
        return
    first = expo.floors[0]
    reach = reached(expo, first.floor_id)
    floors_reached = {f for f, _ in reach}
    for floor in expo.floors:
        fact = facts[floor.floor_id]
        if floor.floor_id not in floors_reached:
            found.append(problem(floor.source, "floor_unreachable", None, Severity.WARNING, first=first.floor_id))
        else:
            for group, box in fact.islands:
                if (floor.floor_id, group) not in reach:
                    found.append(problem(floor.source, "alley_island", ("area", _area(box)), Severity.WARNING,
                                         first=first.floor_id))
        for number, has_front, group in fact.stands:
            if not has_front:
                found.append(problem(floor.source, "stand_no_alley", ("stand", number), Severity.ERROR))
            elif (floor.floor_id, group) not in reach:
                found.append(problem(floor.source, "stand_unreachable", ("stand", number), Severity.ERROR,
                                     first=first.floor_id))
        nav = expo.nav(floor.floor_id)
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


def _translations(ex: Exhibitor) -> list[Problem]:
    """Texts given in Russian only: English visitors see them in Russian."""
    toml = ex.folder / "stand.toml"
    found: list[Problem] = []

    def missing(obj: tuple[str, object], key: str) -> None:
        found.append(problem(toml, "no_translation", obj, Severity.INFO, key=key))

    for key, text, english in (("name_en", ex.name, ex.name_en), ("category_en", ex.category, ex.category_en),
                               ("description_en", ex.description, ex.description_en)):
        if text and not english:
            missing(("key", key), key)
    for n, material in enumerate(ex.materials, 1):
        if not material.title_en:
            missing(("material", n), "title_en")
    for n, webinar in enumerate(ex.webinars, 1):
        if not webinar.title_en:
            missing(("webinar", n), "title_en")
    return found


def _webinars(ex: Exhibitor) -> list[Problem]:
    """One exhibitor's webinars one after another: a visitor cannot attend two at once, nor its people host them."""
    found: list[Problem] = []
    ordered = sorted(enumerate(ex.webinars, 1), key=lambda t: t[1].starts)
    for k, (n, webinar) in enumerate(ordered):
        for m, other in ordered[k + 1:]:
            if other.starts >= webinar.ends:
                break
            found.append(problem(ex.folder / "stand.toml", "webinars_overlap", ("webinar", max(n, m)),
                                 Severity.WARNING, other=min(n, m)))
    return found
