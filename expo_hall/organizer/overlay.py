"""What organizer mode draws over a floor, as plain data: the walkable area, the navigation's pieces and portals,
the stands' entrances and the stands no visitor can reach. The renderer draws it (floors/renderer.py)."""

from __future__ import annotations

from dataclasses import dataclass

from expo_hall.expo import Expo
from expo_hall.floors.geometry import Rect, Vec
from expo_hall.problems import Problem

UNREACHABLE = ("stand_unreachable", "stand_no_alley")  # the findings that colour a stand red


@dataclass(frozen=True)
class FloorOverlay:
    walkable: tuple[Rect, ...]  # the rectangular alleys
    walkable_shapes: tuple[tuple[Vec, ...], ...]  # the other alleys (polygons, ellipses), as Tiled outlines them
    pieces: tuple[Rect, ...]  # where the avatar's centre may be, in convex pieces
    portals: tuple[Vec, ...]  # where pieces meet: the nodes of the way-finding graph
    fronts: tuple[Vec, ...]  # where a visitor stands to enter each stand
    unreachable: frozenset[str]  # numbers of the stands no way leads to from the first floor's spawn


def floor_overlay(expo: Expo, floor_id: str, findings: list[Problem]) -> FloorOverlay:
    floor = expo.floor(floor_id)
    if floor is None:
        raise KeyError(floor_id)
    nav = expo.nav(floor_id)
    red = frozenset(p.obj_name for p in findings
                    if p.code in UNREACHABLE and p.obj_kind == "stand" and p.file == floor.source)
    bounds = nav.bounds
    rects = (r.intersection(bounds) for a in floor.alleys if a.polygon is None for r in a.rects)
    return FloorOverlay(tuple(r for r in rects if r.width > 0 and r.height > 0),
                        tuple(a.polygon for a in floor.alleys if a.polygon is not None),
                        tuple(nav.pieces), tuple(nav.nodes), tuple((f.x, f.y) for f in nav.fronts.values()), red)
