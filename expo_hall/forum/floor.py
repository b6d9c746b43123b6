"""The forum floor: a Tiled floor with a stage hall per hall of the programme (programme.toml's rooms), written with
the project's TMX writer (FloorSketch), and the halls as the hall screen finds them on any floor.

A hall is a room off the boulevard, HALL_W × HALL_H tiles: at its far wall a screen over a stage band, then a cross
aisle in front of the stage, then rows of seats either side of a middle aisle that leads in from the boulevard. The
two aisles are its alleys (the stage and the seats are not walked on); the point named after the hall (`hall-01`)
stands where they meet, in front of the stage: walking to it opens the hall. Halls sit in two rows, north and south
of the boulevard, their stages at the far side; the stairs at its west end lead down to the floor below (`below`,
landing on its "up" stairs), the lift at its east end to the first floor.

With `StageTiles` (the gids of a tileset the expo draws, e.g. the demo's `maps/tiles/hall.png`) the floor gets a tile
layer `floor` that draws this: walls, the boulevard's carpet, the screens, stages and seats (a south hall's flipped
with Tiled's vertical flip bit). The renderer draws it into the floor's cached chunks, under the alleys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from expo_hall.floors.model import Floor
from expo_hall.floors.tiles import FLIP_X, FLIP_Y
from expo_hall.floors.tmx_writer import FloorSketch, Tileset
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
# A hall's rows, counted from its far wall: the screen, the stage, the cross aisle, then the seats to the boulevard.
SCREEN_ROW, STAGE_ROW, FRONT_ROW = 0, 1, 2
AISLE_COLS = (3, 4)  # the middle aisle's columns (the seats are either side of it)
SCREEN_COLS = range(1, HALL_W - 1)


@dataclass(frozen=True)
class StageTiles:
    """The gids of one tileset the forum floor's tile layer is drawn with."""

    tileset: Tileset
    floor: int  # the floor between the rooms
    wall: int  # around the floor, and between halls
    boulevard: int  # the boulevard's carpet
    aisle: int  # the halls' aisles (carpet)
    stage: int  # the stage's boards
    screen: int  # the screen's middle, its frame along the top edge (towards the wall)
    screen_end: int  # its left end (the right end is this flipped)
    seats: int  # a pair of seats facing up (towards a stage north of them)


def hall_tile(row: int, col: int, tiles: StageTiles) -> int:
    """The gid of a north hall's tile (`row` counted from the far wall); a south hall's is this flipped vertically."""
    if row == SCREEN_ROW:
        if col == SCREEN_COLS[0]:
            return tiles.screen_end
        if col == SCREEN_COLS[-1]:
            return tiles.screen_end | FLIP_X
        return tiles.screen if col in SCREEN_COLS else tiles.stage
    if row == STAGE_ROW:
        return tiles.stage
    if row == FRONT_ROW or col in AISLE_COLS:
        return tiles.aisle
    return tiles.seats


def halls_of(programme: Programme) -> list[str]:
    """The programme's halls, each once, in programme.toml's order of rooms."""
    return list(dict.fromkeys(place.hall for place in programme.mapping.rooms.values() if place.hall))


def forum_sketch(programme: Programme, order: int, below: str | None, lift_to: str | None,
                 tiles: StageTiles | None = None) -> FloorSketch:
    """The forum floor for this programme: `below` is the floor its stairs lead down to, `lift_to` its lift's;
    drawn with `tiles` when given."""
    halls = halls_of(programme)
    per_row = max(1, math.ceil(len(halls) / 2))
    width = MARGIN + WEST_END + per_row * (HALL_W + GAP) - GAP + EAST_END + MARGIN
    height = MARGIN + HALL_H + BOULEVARD_H + HALL_H + MARGIN
    sketch = FloorSketch(FLOOR_ID, TITLE, width, height, title_en=TITLE_EN, order=order)
    boulevard_y = (MARGIN + HALL_H) * TILE
    sketch.alley(MARGIN * TILE, boulevard_y, (width - 2 * MARGIN) * TILE, BOULEVARD_H * TILE)
    mid_y = boulevard_y + BOULEVARD_H * TILE / 2
    rooms: list[tuple[int, int, bool]] = []  # each hall's top-left tile and whether it is south of the boulevard
    for i, hall in enumerate(halls):
        row, col = divmod(i, per_row)
        tx, ty = MARGIN + WEST_END + col * (HALL_W + GAP), MARGIN if row == 0 else MARGIN + HALL_H + BOULEVARD_H
        south = row == 1
        rooms.append((tx, ty, south))
        front = ty + (HALL_H - 1 - FRONT_ROW if south else FRONT_ROW)  # the cross aisle's tile row
        aisle_y0, aisle_y1 = (ty, front) if south else (front + 1, ty + HALL_H)  # the middle aisle, to the boulevard
        sketch.alley(tx * TILE, front * TILE, HALL_W * TILE, TILE)
        sketch.alley((tx + AISLE_COLS[0]) * TILE, aisle_y0 * TILE, len(AISLE_COLS) * TILE, (aisle_y1 - aisle_y0) * TILE)
        sketch.point(hall, (tx + HALL_W / 2) * TILE, (front + 0.5) * TILE)
    sketch.point("spawn", (MARGIN + WEST_END / 2 + 1) * TILE, mid_y)
    if below:
        sketch.point(STAIRS_DOWN, (MARGIN + 1.5) * TILE, mid_y, to_floor=below, to_point=STAIRS_UP)
    if lift_to:
        sketch.point("Лифт", (width - MARGIN - 1.5) * TILE, mid_y, to_floor=lift_to)
    if tiles is not None:
        sketch.tiles(tiles.tileset, "floor", _tile_rows(width, height, rooms, tiles))
    return sketch


def _tile_rows(width: int, height: int, rooms: list[tuple[int, int, bool]], tiles: StageTiles) -> list[list[int]]:
    boulevard = range(MARGIN + HALL_H, MARGIN + HALL_H + BOULEVARD_H)
    rows = [[tiles.wall if not (MARGIN <= tx < width - MARGIN and MARGIN <= ty < height - MARGIN)
             else tiles.boulevard if ty in boulevard else tiles.floor for tx in range(width)] for ty in range(height)]
    for tx, ty, south in rooms:
        for r in range(HALL_H):
            y = ty + (HALL_H - 1 - r if south else r)
            for c in range(HALL_W):
                rows[y][tx + c] = hall_tile(r, c, tiles) | (FLIP_Y if south else 0)
            for x in (tx - 1, tx + HALL_W):  # the walls between halls
                if MARGIN + WEST_END <= x < width - MARGIN - EAST_END:
                    rows[y][x] = tiles.wall
    return rows


def write_forum_floor(programme: Programme, maps_dir: Path, order: int, below: str | None,
                      lift_to: str | None, tiles: StageTiles | None = None) -> Path:
    return forum_sketch(programme, order, below, lift_to, tiles).write(Path(maps_dir) / f"{FLOOR_ID}.tmx")


@dataclass(frozen=True)
class HallSpot:
    hall: str
    x: float
    y: float
    width: float = HALL_W * TILE  # the widest alley at the point (the hall's cross aisle): labels fit in it

    def holds(self, x: float, y: float) -> bool:
        return math.hypot(x - self.x, y - self.y) <= ENTER_RADIUS


def hall_spots(floor: Floor, halls: set[str]) -> list[HallSpot]:
    """The points of this floor named after a hall of the programme."""
    spots = []
    for p in floor.points:
        if p.name in halls and not p.is_transfer:
            widths = [r.width for a in floor.alleys for r in a.rects if r.contains(p.x, p.y)]
            spots.append(HallSpot(p.name, p.x, p.y, max(widths, default=HALL_W * TILE)))
    return spots
