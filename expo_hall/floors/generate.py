"""Floors generated from a registration list (`expo-hall layout`): one floor per category, split when too big.

A floor is a grid: alleys run west to east across the whole floor and cross alleys north to south, and between
them stand blocks of two rows back to back, each row facing the alley beside it. A stand is `DEPTH` tiles deep and
as wide as its size says; rows are filled first-fit in the list's order, on the smallest grid that holds the
category (a floor of `MAX_COLUMNS` x `MAX_BANDS` blocks at most: what is left goes on the category's next floor).
Visitors arrive in the middle of the northern alley; stairs at its west end lead to the floor before, at its east
end to the floor after (a few tiles in), and each lands on the other's stairs, so every floor has its way back.

Plain Python: the sketches are written with `FloorSketch`, the packages with `write_package`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from expo_hall.floors.registrations import Registration
from expo_hall.floors.tmx_writer import FloorSketch, write_package
from expo_hall.problems import translator

TILE = 32
ALLEY = 3  # tiles: the width of every alley
MARGIN = 2  # tiles of floor around the hall's outer alleys (walls, in a decorated map)
DEPTH = 3  # tiles: a stand's depth; a block holds two rows back to back
ROW = 24  # tiles of stands between two cross alleys
WIDTHS = {"small": 3, "medium": 4, "large": 6}  # tiles along the alley
MAX_COLUMNS, MAX_BANDS = 5, 6  # blocks west to east, north to south: a floor's largest grid
ASPECT = 1.6  # the shape preferred among grids of as many rows
STAIRS_INSET = 5  # tiles from the floor's west and east edges
DOWN, UP = "Лестница вниз", "Лестница вверх"  # the stairs' names (`route.costs.is_lift` reads them: stairs)
GENERATOR = "expo-hall layout"  # the `generator` map property: maps a new run may replace


@dataclass(frozen=True)
class Shape:
    columns: int
    bands: int

    @property
    def rows(self) -> int:
        return 2 * self.columns * self.bands

    @property
    def width_tiles(self) -> int:
        return 2 * MARGIN + ALLEY + self.columns * (ROW + ALLEY)

    @property
    def height_tiles(self) -> int:
        return 2 * MARGIN + ALLEY + self.bands * (2 * DEPTH + ALLEY)

    def row_origin(self, row: int) -> tuple[int, int]:
        """The north-west tile of a row: rows go west to east through a band, north row then south row."""
        band, rest = divmod(row, 2 * self.columns)
        column, south = divmod(rest, 2)
        return (MARGIN + ALLEY + column * (ROW + ALLEY),
                MARGIN + ALLEY + band * (2 * DEPTH + ALLEY) + south * DEPTH)


SHAPES = sorted((Shape(c, b) for c in range(1, MAX_COLUMNS + 1) for b in range(1, MAX_BANDS + 1)),
                key=lambda s: (s.rows, abs(math.log(s.width_tiles / s.height_tiles / ASPECT))))
LARGEST = Shape(MAX_COLUMNS, MAX_BANDS)


@dataclass
class FloorLayout:
    """One generated floor: its map, and the rows of the list placed on it."""

    sketch: FloorSketch
    placed: list[Registration]


def layout_floors(rows: list[Registration]) -> list[FloorLayout]:
    """The floors of the whole list, in the order its categories first appear."""
    categories: dict[str, list[Registration]] = {}
    for row in rows:
        categories.setdefault(row.category, []).append(row)
    parts: list[tuple[list[Registration], Shape, int]] = []  # (rows, grid, part number or 0)
    for members in categories.values():
        left, part = members, 0
        while left:
            shape, slots = _smallest_fit(left)
            fitted = [r for r, s in zip(left, slots, strict=True) if s is not None]
            if part or len(fitted) < len(left):
                part += 1
            parts.append((fitted, shape, part))
            left = [r for r, s in zip(left, slots, strict=True) if s is None]
    floors: list[FloorLayout] = []
    used: set[str] = set()
    for k, (members, shape, part) in enumerate(parts):
        floor_id = _unique(_floor_id(members[0], k, part), used)
        floors.append(FloorLayout(_sketch(members, shape, floor_id, k, part), members))
    _stairs(floors)
    return floors


def _smallest_fit(rows: list[Registration]) -> tuple[Shape, list[tuple[int, int] | None]]:
    """The first grid (fewest rows, closest to the preferred shape) where all fit; else the largest, partly filled."""
    need = sum(WIDTHS[r.size] for r in rows)
    for shape in SHAPES:
        if shape.rows * ROW < need:
            continue
        slots = _first_fit(rows, shape)
        if all(s is not None for s in slots):
            return shape, slots
    return LARGEST, _first_fit(rows, LARGEST)


def _first_fit(rows: list[Registration], shape: Shape) -> list[tuple[int, int] | None]:
    """Each stand's (row, tile offset along it), first-fit in the list's order; None where no row has room."""
    free = [ROW] * shape.rows
    slots: list[tuple[int, int] | None] = []
    for reg in rows:
        width = WIDTHS[reg.size]
        row = next((i for i, room in enumerate(free) if room >= width), None)
        if row is None:
            slots.append(None)
            continue
        slots.append((row, ROW - free[row]))
        free[row] -= width
    return slots


def _sketch(members: list[Registration], shape: Shape, floor_id: str, k: int, part: int) -> FloorSketch:
    first = members[0]
    title, title_en = first.category, first.category_en
    if part:
        title = translator("ru")("layout.part", title=title, part=part)
        title_en = translator("en")("layout.part", title=title_en, part=part) if title_en else ""
    sketch = FloorSketch(floor_id, title, shape.width_tiles, shape.height_tiles, title_en=title_en or None,
                         order=k + 1, tile=TILE, extra_properties={"generator": GENERATOR})
    edge = MARGIN * TILE
    width, height = shape.width_tiles * TILE - 2 * edge, shape.height_tiles * TILE - 2 * edge  # the hall's
    for band in range(shape.bands + 1):
        sketch.alley(edge, edge + band * (2 * DEPTH + ALLEY) * TILE, width, ALLEY * TILE)
    for column in range(shape.columns + 1):
        sketch.alley(edge + column * (ROW + ALLEY) * TILE, edge, ALLEY * TILE, height)
    letter = _letters(k)
    for n, (reg, slot) in enumerate(zip(members, _first_fit(members, shape), strict=True), start=1):
        assert slot is not None
        x, y = shape.row_origin(slot[0])
        sketch.stand(f"{letter}-{n:02d}", reg.exhibitor_id, (x + slot[1]) * TILE, y * TILE,
                     WIDTHS[reg.size] * TILE, DEPTH * TILE)
    sketch.point("spawn", edge + width / 2, edge + ALLEY * TILE / 2)
    return sketch


def _stairs(floors: list[FloorLayout]) -> None:
    """Stairs both ways between consecutive floors, each landing on the other's: in the northern alley, a little
    in from its ends (their names and where they lead are written around them)."""
    mid, inset = (MARGIN + ALLEY / 2) * TILE, (MARGIN + STAIRS_INSET) * TILE
    for lower, upper in zip(floors, floors[1:], strict=False):
        a, b = lower.sketch, upper.sketch
        a.point(UP, a.width_tiles * TILE - inset, mid, to_floor=b.floor_id, to_point=DOWN)
        b.point(DOWN, inset, mid, to_floor=a.floor_id, to_point=UP)


def _floor_id(first: Registration, k: int, part: int) -> str:
    base = first.floor or re.sub(r"[^a-z0-9]+", "-", first.category_en.lower()).strip("-") or f"floor-{k + 1}"
    return f"{base}-{part}" if part else base


def _unique(floor_id: str, used: set[str]) -> str:
    candidate, n = floor_id, 1
    while candidate in used:
        n += 1
        candidate = f"{floor_id}-{n}"
    used.add(candidate)
    return candidate


def _letters(k: int) -> str:
    """A, B, ..., Z, AA, AB, ...: a floor's stand numbers begin with these."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(65 + r) + out
    return out


def write_expo(floors: list[FloorLayout], maps_dir: Path, stands_dir: Path) -> tuple[list[Path], list[Path]]:
    """Write the maps (replacing the maps an earlier run made) and a minimal package for every exhibitor without
    one. Returns the maps and the packages written."""
    maps_dir.mkdir(parents=True, exist_ok=True)
    stands_dir.mkdir(parents=True, exist_ok=True)
    names = {f"{f.sketch.floor_id}.tmx" for f in floors}
    for old in maps_dir.glob("*.tmx"):
        if old.name not in names and f'value="{GENERATOR}"' in old.read_text(encoding="utf-8", errors="replace"):
            old.unlink()
    maps = [f.sketch.write(maps_dir / f"{f.sketch.floor_id}.tmx") for f in floors]
    packages = []
    for floor in floors:
        for reg in floor.placed:
            folder = stands_dir / reg.exhibitor_id
            if (folder / "stand.toml").exists():
                continue
            texts = {"name_en": reg.name_en, "category": reg.category, "category_en": reg.category_en}
            packages.append(write_package(folder, reg.name, **{k: v for k, v in texts.items() if v}))
    return maps, packages
