"""A tile layer's gids: rows × columns of unsigned 32-bit numbers in one flat array, 4 bytes a tile as Tiled
stores them (the standard library's `array`: numpy, used here before, cost 15 MB resident just to import)."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

TYPECODE = next(code for code in "IL" if array(code).itemsize == 4)  # "I" on every platform we know


@dataclass(frozen=True, eq=False)
class Gids:
    columns: int
    rows: int
    values: array  # row after row, Tiled's flip bits kept, 0 for no tile

    @classmethod
    def from_bytes(cls, raw: bytes, columns: int, rows: int) -> Gids:
        """From Tiled's base64 payload: little-endian unsigned 32-bit numbers, `columns * rows` of them."""
        values = array(TYPECODE)
        values.frombytes(raw)
        if sys.byteorder != "little":
            values.byteswap()
        return cls._checked(values, columns, rows)

    @classmethod
    def from_numbers(cls, numbers: Iterable[int], columns: int, rows: int) -> Gids:
        """OverflowError if a number is negative or above 32 bits."""
        return cls._checked(array(TYPECODE, numbers), columns, rows)

    @classmethod
    def _checked(cls, values: array, columns: int, rows: int) -> Gids:
        if len(values) != columns * rows:
            raise ValueError(f"{len(values)} gids for {columns} × {rows} tiles")
        return cls(columns, rows, values)

    @property
    def nbytes(self) -> int:
        return len(self.values) * self.values.itemsize

    def row(self, y: int, x0: int = 0, x1: int | None = None) -> array:
        """Row y's gids from column x0 to x1 (excluded; the row's end by default)."""
        start = y * self.columns
        return self.values[start + x0:start + (self.columns if x1 is None else x1)]

    def distinct(self) -> set[int]:
        return set(self.values)
