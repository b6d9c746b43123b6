"""The forum floor: a Tiled floor with a stage hall per hall of the programme (programme.toml's rooms), written with
the project's TMX writer (FloorSketch), and the halls as the hall screen finds them on any floor.

A hall is an alley (a room off the boulevard) with a point named after the hall (`hall-01`) in its middle; walking
to that point opens the hall. Halls sit in two rows, north and south of the boulevard; the stairs at its west end
lead down to the floor below (`below`, landing on its "up" stairs), the lift at its east end to the first floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from expo_hall.floors.model import Floor
from expo_hall.floors.tmx_writer import FloorSketch
from expo_hall.programme.model import Programme

FLOOR_ID = "forum"
TITLE, TITLE_EN = "Деловая программа", "Business programme"
STAIRS_DOWN, STAIRS_UP = "Лестница вниз", "Лестница вверх"  # as the demo floors name theirs
TILE = 32
HALL_W, HALL_H = 8, 6  # tiles
GAP = 1  # tiles between halls
MARGIN = 2
BOULEVARD_H = 4
WEST_END = 6  # tiles of boulevard west of the first hall: the stairs
EAST_END = 6
ENTER_RADIUS = 72  # px from the hall's point: the visitor is in the hall


def halls_of(programme: Programme) -> list[str]:
    """The programme's halls, each once, in programme.toml's order of rooms."""
    return list(dict.fromkeys(place.hall for place in programme.mapping.rooms.values() if place.hall))


def forum_sketch(programme: Programme, order: int, below: str | None, lift_to: str | None) -> FloorSketch:
    """The forum floor for this programme: `below` is the floor its stairs lead down to, `lift_to` its lift's."""
    halls = halls_of(programme)
    per_row = max(1, math.ceil(len(halls) / 2))
    width = MARGIN + WEST_END + per_row * (HALL_W + GAP) - GAP + EAST_END + MARGIN
    height = MARGIN + HALL_H + BOULEVARD_H + HALL_H + MARGIN
    sketch = FloorSketch(FLOOR_ID, TITLE, width, height, title_en=TITLE_EN, order=order)
    boulevard_y = (MARGIN + HALL_H) * TILE
    sketch.alley(MARGIN * TILE, boulevard_y, (width - 2 * MARGIN) * TILE, BOULEVARD_H * TILE)
    mid_y = boulevard_y + BOULEVARD_H * TILE / 2
    for i, hall in enumerate(halls):
        row, col = divmod(i, per_row)
        x = (MARGIN + WEST_END + col * (HALL_W + GAP)) * TILE
        y = MARGIN * TILE if row == 0 else boulevard_y + BOULEVARD_H * TILE
        sketch.alley(x, y, HALL_W * TILE, HALL_H * TILE)
        centre_y = y + HALL_H * TILE / 2 + (-TILE if row == 0 else TILE)  # away from the boulevard a little
        sketch.point(hall, x + HALL_W * TILE / 2, centre_y)
    sketch.point("spawn", (MARGIN + WEST_END / 2 + 1) * TILE, mid_y)
    if below:
        sketch.point(STAIRS_DOWN, (MARGIN + 1.5) * TILE, mid_y, to_floor=below, to_point=STAIRS_UP)
    if lift_to:
        sketch.point("Лифт", (width - MARGIN - 1.5) * TILE, mid_y, to_floor=lift_to)
    return sketch


def write_forum_floor(programme: Programme, maps_dir: Path, order: int, below: str | None,
                      lift_to: str | None) -> Path:
    return forum_sketch(programme, order, below, lift_to).write(Path(maps_dir) / f"{FLOOR_ID}.tmx")


@dataclass(frozen=True)
class HallSpot:
    hall: str
    x: float
    y: float

    def holds(self, x: float, y: float) -> bool:
        return math.hypot(x - self.x, y - self.y) <= ENTER_RADIUS


def hall_spots(floor: Floor, halls: set[str]) -> list[HallSpot]:
    """The points of this floor named after a hall of the programme."""
    return [HallSpot(p.name, p.x, p.y) for p in floor.points if p.name in halls and not p.is_transfer]
