"""The expo as a whole: every floor and stand package, checked against each other.

Plain Python: the client, the server and the tools all load an expo through here.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from expo_hall.floors.model import Floor, MapPoint, StandPlace
from expo_hall.floors.navigation import NavMesh
from expo_hall.floors.tiled import load_floor
from expo_hall.problems import ContentError, Problem, Severity, problem
from expo_hall.stands.package import Exhibitor, load_package

log = logging.getLogger("expo_hall")
FloorReader = Callable[[Path, Path], tuple[Floor, list[Problem]]]  # load_floor, or one that remembers (organizer mode)
PackageReader = Callable[[Path], tuple[Exhibitor, list[Problem]]]  # load_package, or one that remembers


@dataclass
class Expo:
    floors: list[Floor] = field(default_factory=list)  # in their `order`
    exhibitors: dict[str, Exhibitor] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    changes_seq: int = 0  # the server's last stand change this content includes (follow /expo/changes after it)
    _navs: dict[str, NavMesh] = field(default_factory=dict, repr=False)
    _search: list[tuple[Exhibitor, str]] | None = field(default=None, repr=False)
    _places: dict[str, StandPlace] | None = field(default=None, repr=False)

    def floor(self, floor_id: str) -> Floor | None:
        for f in self.floors:
            if f.floor_id == floor_id:
                return f
        return None

    def nav(self, floor_id: str) -> NavMesh:
        """The floor's navigation, built on first use and kept."""
        nav = self._navs.get(floor_id)
        if nav is None:
            floor = self.floor(floor_id)
            if floor is None:
                raise KeyError(floor_id)
            nav = self._navs[floor_id] = NavMesh(floor)
        return nav

    def keep_navigation(self, previous: Expo) -> None:
        """Take the navigation an earlier reading of the same folders built, for each floor whose shape did not
        change (`NavMesh.rebound`): only floors drawn differently are built again."""
        for floor in self.floors:
            nav = previous._navs.get(floor.floor_id)
            same = nav.rebound(floor) if nav is not None and floor.floor_id not in self._navs else None
            if same is not None:
                self._navs[floor.floor_id] = same

    def place_of(self, exhibitor_id: str) -> StandPlace | None:
        """The exhibitor's stand (the first, if a map gives it two), from an index built once."""
        if self._places is None:
            self._places = {}
            for f in self.floors:
                for s in f.stands:
                    self._places.setdefault(s.exhibitor_id, s)
        return self._places.get(exhibitor_id)

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def replace_exhibitor(self, exhibitor: Exhibitor) -> None:
        """The exhibitor's new content (a published version went live); its place on the floors stays."""
        if exhibitor.exhibitor_id in self.exhibitors:
            self.exhibitors[exhibitor.exhibitor_id] = exhibitor
            self._search = None

    def search(self, query: str, limit: int = 20) -> list[Exhibitor]:
        """Exhibitors whose name, category, description or stand number hold every word typed."""
        words = [w for w in re.split(r"\s+", query.casefold().replace("ё", "е")) if w]
        if not words:
            return []
        if self._search is None:
            self._search = [(ex, _haystack(ex, self.place_of(ex.exhibitor_id))) for ex in self.exhibitors.values()]
        scored = []
        for ex, hay in self._search:
            if all(w in hay for w in words):
                name = (ex.name + " " + (ex.name_en or "")).casefold().replace("ё", "е")
                in_name = sum(w in name for w in words)
                scored.append((-in_name, ex.name.casefold(), ex))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [ex for _, _, ex in scored[:limit]]


def _haystack(ex: Exhibitor, place: StandPlace | None) -> str:
    parts = [ex.name, ex.name_en, ex.category, ex.category_en, ex.description, ex.description_en,
             place.number if place else None]
    return " ".join(p for p in parts if p).casefold().replace("ё", "е")


def closest(word: str, choices: list[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(word, choices, n=n, cutoff=0.4)


def expo_root(maps_dir: Path) -> Path:
    """The expo's root folder: the one holding the maps' folder. Maps may refer to files anywhere inside it
    (tilesets in a sibling gfx/, say), never outside; the server serves what they refer to from there."""
    return Path(maps_dir).resolve().parent


def load_expo(maps_dir: Path, stands_dir: Path, read_floor: FloorReader = load_floor,
              read_package: PackageReader = load_package) -> Expo:
    """Load every floor in maps_dir and every package in stands_dir; never raises for bad content.

    The readers raise ContentError for a file that cannot be used, as load_floor and load_package do."""
    expo = Expo()
    maps_dir, stands_dir = Path(maps_dir), Path(stands_dir)

    if not stands_dir.is_dir():
        expo.problems.append(problem(stands_dir, "stands_dir_missing"))
    else:
        for folder in sorted(p for p in stands_dir.iterdir() if p.is_dir()):
            try:
                exhibitor, problems = read_package(folder)
            except ContentError as exc:
                expo.problems.extend(exc.problems)
                continue
            expo.exhibitors[exhibitor.exhibitor_id] = exhibitor
            expo.problems.extend(problems)

    floors: list[Floor] = []
    by_id: dict[str, Floor] = {}
    if not maps_dir.is_dir():
        expo.problems.append(problem(maps_dir, "maps_dir_missing"))
    else:
        for path in sorted(maps_dir.glob("*.tmx")):
            try:
                floor, problems = read_floor(path, expo_root(maps_dir))
            except ContentError as exc:
                expo.problems.extend(exc.problems)
                continue
            if floor.floor_id in by_id:
                other = by_id[floor.floor_id].source.name
                expo.problems.append(problem(path, "floor_id_twice", ("map_property", "floor_id"),
                                             floor_id=floor.floor_id, other=other))
                continue
            by_id[floor.floor_id] = floor
            floors.append(floor)
            expo.problems.extend(problems)
        if not floors and not any(p.file.suffix == ".tmx" for p in expo.problems):
            expo.problems.append(problem(maps_dir, "no_floors"))

    return assemble(floors, expo.exhibitors, expo.problems)


def assemble(floors: list[Floor], exhibitors: dict[str, Exhibitor], problems: list[Problem]) -> Expo:
    """Cross-check loaded floors and packages into an Expo, wherever they were read from, and log the problems.

    Floors must have distinct ids. Stands whose exhibitor has no package are reported (with the closest
    ids); stairs to a missing floor lead nowhere; a missing `to_point` lands at the spawn.
    """
    expo = Expo(exhibitors=dict(exhibitors), problems=list(problems))
    by_id = {f.floor_id: f for f in floors}
    for floor in floors:
        for stand in floor.stands:
            if stand.exhibitor_id not in expo.exhibitors:
                hint = closest(stand.exhibitor_id, list(expo.exhibitors))
                where, ex_id = ("stand", stand.number), stand.exhibitor_id
                expo.problems.append(
                    problem(floor.source, "no_package_hint", where, exhibitor=ex_id, options=", ".join(hint))
                    if hint else problem(floor.source, "no_package", where, exhibitor=ex_id))
        floor.points = [_checked_transfer(floor, p, by_id, expo.problems) for p in floor.points]
    expo.floors = sorted(floors, key=lambda f: (f.order, f.floor_id))
    for found in expo.problems:
        found.log()
    return expo


def _checked_transfer(floor: Floor, point: MapPoint, by_id: dict[str, Floor], problems: list[Problem]) -> MapPoint:
    if point.to_floor is None:
        return point
    if point.to_floor not in by_id:
        problems.append(problem(floor.source, "no_such_floor", ("point", point.name), floor=point.to_floor))
        return MapPoint(point.name, point.x, point.y)
    if point.to_point and by_id[point.to_floor].point(point.to_point) is None:
        problems.append(problem(floor.source, "no_such_point", ("point", point.name), Severity.WARNING,
                                point=point.to_point, floor=point.to_floor))
        return MapPoint(point.name, point.x, point.y, point.to_floor, None)
    return point
