"""A uniform grid over rectangles: hover and collision look at one cell, not every stand."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from expo_hall.floors.geometry import Rect

T = TypeVar("T")


class GridIndex(Generic[T]):
    def __init__(self, items: Iterable[tuple[Rect, T]], cell: float = 128.0) -> None:
        self.cell = cell
        self.items: list[tuple[Rect, T]] = list(items)
        self._cells: dict[tuple[int, int], list[tuple[Rect, T]]] = {}
        for rect, payload in self.items:
            for key in self._keys(rect):
                self._cells.setdefault(key, []).append((rect, payload))

    def _keys(self, rect: Rect) -> Iterator[tuple[int, int]]:
        c = self.cell
        for cx in range(math.floor(rect.x0 / c), math.floor(rect.x1 / c) + 1):
            for cy in range(math.floor(rect.y0 / c), math.floor(rect.y1 / c) + 1):
                yield cx, cy

    def at(self, x: float, y: float) -> list[tuple[Rect, T]]:
        """The items whose closed rectangle holds the point."""
        bucket = self._cells.get((math.floor(x / self.cell), math.floor(y / self.cell)))
        if not bucket:
            return []
        return [item for item in bucket if item[0].x0 <= x <= item[0].x1 and item[0].y0 <= y <= item[0].y1]

    def first_at(self, x: float, y: float) -> T | None:
        """The first item whose open rectangle holds the point (for hover: edges belong to no one)."""
        bucket = self._cells.get((math.floor(x / self.cell), math.floor(y / self.cell)))
        if bucket:
            for r, payload in bucket:
                if r.x0 < x < r.x1 and r.y0 < y < r.y1:
                    return payload
        return None

    def contains_point(self, x: float, y: float) -> bool:
        bucket = self._cells.get((math.floor(x / self.cell), math.floor(y / self.cell)))
        if bucket:
            for r, _ in bucket:
                if r.x0 <= x <= r.x1 and r.y0 <= y <= r.y1:
                    return True
        return False

    def near(self, rect: Rect) -> list[tuple[Rect, T]]:
        """Items in the cells the rectangle covers (a superset of those touching it), without repeats."""
        seen: set[int] = set()
        result = []
        for key in self._keys(rect):
            for item in self._cells.get(key, ()):
                if id(item) not in seen:
                    seen.add(id(item))
                    result.append(item)
        return result

    def touching(self, rect: Rect) -> list[tuple[Rect, T]]:
        return [item for item in self.near(rect) if not item[0].intersection(rect).is_empty()]

    def overlapping(self, rect: Rect) -> list[tuple[Rect, T]]:
        return [item for item in self.near(rect) if item[0].overlaps(rect)]
