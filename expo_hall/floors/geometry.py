"""Axis-aligned rectangles and polygons in floor pixels (y grows downwards, as in Tiled)."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Vec = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def from_xywh(cls, x: float, y: float, w: float, h: float) -> Rect:
        return cls(x, y, x + w, y + h)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def center(self) -> Vec:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def is_empty(self) -> bool:
        """True when not even a point: a degenerate rect (a segment or a point) is not empty."""
        return self.x0 > self.x1 or self.y0 > self.y1

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def contains_open(self, x: float, y: float) -> bool:
        return self.x0 < x < self.x1 and self.y0 < y < self.y1

    def intersection(self, other: Rect) -> Rect:
        """The closed intersection; check `is_empty()` on the result."""
        return Rect(max(self.x0, other.x0), max(self.y0, other.y0), min(self.x1, other.x1), min(self.y1, other.y1))

    def overlaps(self, other: Rect) -> bool:
        """True when the interiors overlap (touching edges do not count)."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inflate(self, d: float) -> Rect:
        return Rect(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)

    def clamp_point(self, x: float, y: float) -> Vec:
        return (min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1))

    def union(self, other: Rect) -> Rect:
        return Rect(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))


def bounding_rect(rects: Iterable[Rect]) -> Rect | None:
    result: Rect | None = None
    for r in rects:
        result = r if result is None else result.union(r)
    return result


def point_in_polygon(x: float, y: float, poly: Sequence[Vec]) -> bool:
    inside = False
    n = len(poly)
    for i in range(n):
        ax, ay = poly[i]
        bx, by = poly[i - 1]
        if (ay > y) != (by > y):
            cross_x = ax + (y - ay) * (bx - ax) / (by - ay)
            if x < cross_x:
                inside = not inside
    return inside


def ellipse_points(box: Rect, segments: int = 48) -> list[Vec]:
    """The ellipse inscribed in `box` as a polygon (its vertices on the ellipse), as Tiled's ellipse objects are."""
    cx, cy = box.center
    rx, ry = box.width / 2, box.height / 2
    return [(cx + rx * math.cos(2 * math.pi * i / segments), cy + ry * math.sin(2 * math.pi * i / segments))
            for i in range(segments)]


def polygon_to_rects(poly: Sequence[Vec], step: float = 4.0, within: Rect | None = None) -> list[Rect]:
    """Cover a simple polygon with axis-aligned rectangles, sampled in bands `step` px tall.

    Navigation and collision work on unions of rectangles; a polygonal alley is walked as
    this staircase of bands (steps of `step` px), while it is drawn as the true polygon.
    `within` clips the cover (and bounds the work) to a rectangle, the floor.
    """
    if len(poly) < 3:
        return []
    ys = [p[1] for p in poly]
    top, bottom = math.floor(min(ys)), math.ceil(max(ys))
    if within is not None:
        top, bottom = max(top, math.floor(within.y0)), min(bottom, math.ceil(within.y1))
    bands: list[list[tuple[float, float]]] = []
    y = float(top)
    while y < bottom:
        yc = y + step / 2
        xs: list[float] = []
        n = len(poly)
        for i in range(n):
            ax, ay = poly[i]
            bx, by = poly[i - 1]
            if (ay > yc) != (by > yc):
                xs.append(ax + (yc - ay) * (bx - ax) / (by - ay))
        xs.sort()
        intervals = [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
        if within is not None:
            x0, x1 = within.x0, within.x1
            intervals = [(max(a, x0), min(b, x1)) for a, b in intervals if a < x1 and b > x0]
        bands.append(intervals)
        y += step
    # Merge runs of bands with the same interval into one tall rectangle.
    rects: list[Rect] = []
    open_runs: dict[tuple[float, float], float] = {}
    for i, intervals in enumerate(bands + [[]]):
        y0 = top + i * step
        current = {(round(a, 3), round(b, 3)) for a, b in intervals}
        for key in list(open_runs):
            if key not in current:
                rects.append(Rect(key[0], open_runs.pop(key), key[1], y0))
        for key in current:
            open_runs.setdefault(key, y0)
    return [r for r in rects if r.width > 0 and r.height > 0]


Interval = tuple[float, float]


def eroded_cover(rects: Sequence[Rect], r: float) -> list[Rect]:
    """Where the centre of a square of half-size `r` may stand wholly inside the union of `rects`, exactly, as
    rectangles (each convex, so a straight line inside one stays inside the union).

    The union is cut into horizontal slabs at every rectangle's top and bottom; a band of centres between two
    consecutive breakpoints (slab edges ± r) sees the same slabs, so its free intervals are the intersection of
    those slabs' intervals shrunk by r. Runs of bands with the same intervals become one rectangle (one that
    crosses a wider band to the same interval beyond goes on through it: an alley across a boulevard). A centre
    line at a breakpoint can hold more than the bands on either side (a corridor exactly 2r wide): what it adds
    is kept as a flat rectangle.
    """
    ys = sorted({y for rect in rects for y in (rect.y0, rect.y1)})
    if len(ys) < 2:
        return []
    slabs = _slab_intervals(rects, ys, r)
    breaks = sorted({y + d for y in ys for d in (-r, r) if ys[0] + r <= y + d <= ys[-1] - r})

    def free(lo: float, hi: float) -> list[Interval]:
        """The centres' free x-intervals for every centre height in [lo, hi]."""
        first = bisect.bisect_right(ys, lo - r) - 1
        result: list[Interval] | None = None
        for k in range(max(first, 0), len(slabs)):
            if ys[k] >= hi + r:
                break
            if ys[k + 1] <= lo - r:
                continue
            result = slabs[k] if result is None else _intersect(result, slabs[k])
            if not result:
                return []
        return result or []

    bands = [free(lo, hi) for lo, hi in itertools.pairwise(breaks)]
    pieces: list[Rect] = []
    runs: dict[Interval, float] = {}
    for i, intervals in enumerate([*bands, []]):
        y = breaks[i]
        current = set(intervals)
        beyond = set(bands[i + 1]) if i + 1 < len(bands) else set()
        for key in [k for k in runs if k not in current]:
            if key in beyond and any(c <= key[0] and key[1] <= d for c, d in intervals):
                continue  # a crossing: the run goes on through the wider band to the same interval beyond it
            pieces.append(Rect(key[0], runs.pop(key), key[1], y))
        for key in current:
            runs.setdefault(key, y)
    for i, y in enumerate(breaks):
        around = (bands[i - 1] if i > 0 else []) + (bands[i] if i < len(bands) else [])
        for a, b in free(y, y):
            if not any(c <= a and b <= d for c, d in around):
                pieces.append(Rect(a, y, b, y))
    return pieces


def _slab_intervals(rects: Sequence[Rect], ys: list[float], r: float) -> list[list[Interval]]:
    """Per slab [ys[k], ys[k+1]]: the union's x-intervals across it, each shrunk by r (those too narrow dropped)."""
    starts = sorted(range(len(rects)), key=lambda i: rects[i].y0)
    active: list[Rect] = []
    nxt = 0
    slabs: list[list[Interval]] = []
    for y0, y1 in itertools.pairwise(ys):
        while nxt < len(starts) and rects[starts[nxt]].y0 <= y0:
            active.append(rects[starts[nxt]])
            nxt += 1
        active = [rect for rect in active if rect.y1 > y0]
        merged: list[list[float]] = []
        for rect in sorted((rect for rect in active if rect.y1 >= y1), key=lambda rect: rect.x0):
            if merged and rect.x0 <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], rect.x1)
            else:
                merged.append([rect.x0, rect.x1])
        slabs.append([(a + r, b - r) for a, b in merged if b - a >= 2 * r])
    return slabs


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """The intersection of two sorted lists of disjoint closed intervals."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out
