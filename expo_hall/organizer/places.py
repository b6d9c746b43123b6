"""Where a finding is on the floors: the object it names (a stand, a point, an island of alleys), or the floor
its map draws, or the stand of the package it is about. Plain Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from expo_hall.expo import Expo
from expo_hall.floors.geometry import Rect
from expo_hall.floors.model import Floor
from expo_hall.problems import Problem

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Spot:
    floor_id: str
    x: float
    y: float
    box: Rect | None = None  # the object's outline, to mark it


class Places:
    """The spots of one expo's findings (its files indexed once)."""

    def __init__(self, expo: Expo) -> None:
        self.expo = expo
        # the paths as the loaders made them, which the findings carry: no resolving (a system call each)
        self._floors = {f.source: f for f in expo.floors}
        self._packages = {ex.folder: ex.exhibitor_id for ex in expo.exhibitors.values()}
        self._of_package: dict[Path, Spot | None] = {}  # a package's file: its stand (a package has many notes)

    def spot(self, found: Problem) -> Spot | None:
        """The place to show for a finding; None when it has none on any floor (a folder, an unplaced package)."""
        file = found.file
        floor = self._floors.get(file)
        if floor is not None:
            return _on_floor(floor, found) or Spot(floor.floor_id, floor.width / 2, floor.height / 2)
        if file in self._of_package:
            return self._of_package[file]
        exhibitor_id = self._packages.get(file.parent)
        stand = self.expo.place_of(exhibitor_id) if exhibitor_id else None
        spot = self._of_package[file] = None if stand is None else Spot(stand.floor_id, *stand.rect.center, stand.rect)
        return spot


def _on_floor(floor: Floor, found: Problem) -> Spot | None:
    kind, name = found.obj_kind, found.obj_name
    if kind == "stand" and (stand := floor.stand(name)) is not None:
        return Spot(floor.floor_id, *stand.rect.center, stand.rect)
    if kind == "point" and (point := floor.point(name)) is not None:
        return Spot(floor.floor_id, point.x, point.y)
    if kind == "area":  # "x 10–200, y 30–90": an island of alleys
        numbers = [float(n) for n in NUMBER.findall(name.replace("–", " "))]
        if len(numbers) == 4:
            box = Rect(numbers[0], numbers[2], numbers[1], numbers[3])
            return Spot(floor.floor_id, *box.center, box)
    return None
