"""The floor model: plain data read from a Tiled map, with no pygame in sight."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from expo_hall.floors.geometry import Rect, Vec


@dataclass(frozen=True)
class Alley:
    """Where visitors walk: a rectangle, or a polygon walked as a cover of rectangles."""

    rects: tuple[Rect, ...]
    polygon: tuple[Vec, ...] | None = None  # the true outline, for drawing


@dataclass(frozen=True)
class StandPlace:
    """A stand on a floor: its printed number, its rectangle and whose package it shows."""

    number: str
    exhibitor_id: str
    rect: Rect
    floor_id: str
    ellipse: bool = False  # drawn and hit as the ellipse inscribed in `rect`

    @property
    def inner_rect(self) -> Rect:
        """The stand's rectangle, or for an ellipse the rectangle inscribed in it (its corners on the ellipse): where
        marks on a stand's corner go."""
        r = self.rect
        if not self.ellipse:
            return r
        (cx, cy), k = r.center, 0.5 ** 0.5 / 2
        return Rect(cx - r.width * k, cy - r.height * k, cx + r.width * k, cy + r.height * k)

    def holds(self, x: float, y: float) -> bool:
        """The point lies inside the stand's shape (open: its outline belongs to no one)."""
        r = self.rect
        if not r.contains_open(x, y):
            return False
        if not self.ellipse:
            return True
        cx, cy = r.center
        return ((x - cx) / (r.width / 2)) ** 2 + ((y - cy) / (r.height / 2)) ** 2 < 1


@dataclass(frozen=True)
class MapPoint:
    """A named point: the spawn, or stairs and lifts that lead to another floor."""

    name: str
    x: float
    y: float
    to_floor: str | None = None
    to_point: str | None = None

    @property
    def is_transfer(self) -> bool:
        return self.to_floor is not None


@dataclass
class Floor:
    floor_id: str
    title: str
    title_en: str | None
    order: int
    width: int  # pixels
    height: int
    tile_width: int
    tile_height: int
    alleys: list[Alley]
    stands: list[StandPlace]
    points: list[MapPoint]
    source: Path
    has_tiles: bool = False
    properties: dict[str, object] = field(default_factory=dict)
    root: Path | None = None  # the expo's root folder: the files the map refers to are inside (None: its folder)

    @property
    def root_folder(self) -> Path:
        return self.root if self.root is not None else self.source.parent

    def title_for(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title

    @property
    def spawn(self) -> MapPoint:
        return self.point("spawn") or MapPoint("spawn", self.width / 2, self.height / 2)

    def point(self, name: str) -> MapPoint | None:
        for p in self.points:
            if p.name == name:
                return p
        return None

    @property
    def transfers(self) -> list[MapPoint]:
        return [p for p in self.points if p.is_transfer]

    def stand(self, number: str) -> StandPlace | None:
        for s in self.stands:
            if s.number == number:
                return s
        return None

    def alley_rects(self) -> list[Rect]:
        return [r for a in self.alleys for r in a.rects]


def natural_key(number: str) -> tuple:
    """Stand numbers in reading order: 'A-2' before 'A-10'."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", number))
