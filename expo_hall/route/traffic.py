"""Simulated visitors (`expo-hall simulate`): which alleys crowds walk and which stands a layout starves.

Each visitor arrives at the spawn of the first floor, takes an interest in one or two categories (drawn as often
as the categories have stands) and picks a few stands: most from those categories, a few anywhere. The stops are
ordered as the personal route orders them (`order_stops`, over the walking costs of every stand) and walked on
the real navigation, across floors by stairs and lifts. Counted: per floor, how many visitors crossed each cell
of `CELL` pixels (the heat map); per stand, how many visitors passed within `SIGHT` pixels of it (passers-by) and
how many made it a stop (visits).

Deterministic: one generator seeded with `seed` draws everything, in the visitors' order.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from expo_hall.expo import Expo
from expo_hall.floors.geometry import Rect, Vec
from expo_hall.floors.model import StandPlace, natural_key
from expo_hall.route.costs import CostMatrix, HallWalks, Spot
from expo_hall.route.ordering import order_stops

CELL = 32  # pixels: a heat map cell (a tile of the map convention)
SIGHT = 48.0  # pixels: a visitor walking this close to a stand has passed it (seen it from the alley)
STOPS = (3, 8)  # stands a visitor means to visit, at least and at most
INTERESTS = (1, 2)  # categories a visitor is interested in
STRAY = 0.2  # the share of stops picked from any category


@dataclass
class StandTraffic:
    place: StandPlace
    passers: int = 0  # visitors who walked past (or to) it
    visits: int = 0  # visitors who made it a stop and reached it


@dataclass
class Traffic:
    visitors: int
    heat: dict[str, dict[tuple[int, int], int]]  # floor id -> (column, row) of CELL pixels -> visitors
    stands: list[StandTraffic]  # ranked: most passers-by first (then most visits), the starved last
    unreached: int = 0  # stops no walk leads to from the spawn
    cell: int = CELL

    def visits_rank(self) -> dict[str, int]:
        """Each stand's rank by visits (1 = the most visited), keyed by floor id and number."""
        ordered = sorted(self.stands, key=lambda s: (-s.visits, -s.passers))
        return {_key(s.place): n for n, s in enumerate(ordered, 1)}


@dataclass
class _Hall:
    """What every visitor shares: the stands' spots and costs, the cells beside each stand, walked legs."""

    expo: Expo
    start: int
    walks: HallWalks
    matrix: CostMatrix
    stands: list[StandTraffic]  # index i is spot i + 1
    by_category: dict[str, list[int]]
    seen_from: dict[tuple[str, tuple[int, int]], list[int]]  # (floor, cell) -> stands passed there
    legs: dict[tuple[int, int], list[tuple[str, list[Vec]]]] = field(default_factory=dict)


def simulate(expo: Expo, visitors: int, seed: int = 0) -> Traffic:
    hall = _hall(expo)
    rng = random.Random(seed)
    heat: dict[str, dict[tuple[int, int], int]] = {f.floor_id: {} for f in expo.floors}
    unreached = 0
    categories = list(hall.by_category)
    weights = [len(hall.by_category[c]) for c in categories]
    everyone = [i for stops in hall.by_category.values() for i in stops]
    for _ in range(visitors):
        if not everyone:
            break
        liked = _pick(rng, categories, weights, rng.randint(*INTERESTS))
        wanted: set[int] = set()
        count = min(rng.randint(*STOPS), len(everyone))
        while len(wanted) < count:
            pool = everyone if rng.random() < STRAY else hall.by_category[rng.choice(liked)]
            wanted.add(rng.choice(pool))
        route = order_stops(hall.matrix, hall.start, sorted(wanted))
        unreached += len(route.unreachable)
        cells: set[tuple[str, tuple[int, int]]] = set()
        for a, b in zip([hall.start, *route.order], route.order, strict=False):
            for floor_id, path in _leg(hall, a, b):
                cells.update((floor_id, c) for c in _cells(path))
        passed: set[int] = {i - 1 for i in route.order}
        for floor_id, c in cells:
            heat[floor_id][c] = heat[floor_id].get(c, 0) + 1
            passed.update(hall.seen_from.get((floor_id, c), ()))
        for i in passed:
            hall.stands[i].passers += 1
        for i in route.order:
            hall.stands[i - 1].visits += 1
    ranks = {f.floor_id: n for n, f in enumerate(expo.floors)}
    ranked = sorted(hall.stands, key=lambda s: (-s.passers, -s.visits, ranks[s.place.floor_id],
                                                natural_key(s.place.number)))
    return Traffic(visitors, heat, ranked, unreached)


def _hall(expo: Expo) -> _Hall:
    first = expo.floors[0].floor_id if expo.floors else ""
    spots = [Spot(first, *expo.nav(first).arrival())] if first else []
    stands: list[StandTraffic] = []
    by_category: dict[str, list[int]] = {}
    seen_from: dict[tuple[str, tuple[int, int]], list[int]] = {}
    for floor in expo.floors:
        nav = expo.nav(floor.floor_id)
        for place in floor.stands:
            front = nav.fronts.get(place.number)
            if front is None:
                continue  # `check` names it: no alley before it
            i = len(stands)
            stands.append(StandTraffic(place))
            spots.append(Spot(floor.floor_id, front.x, front.y))
            ex = expo.exhibitors.get(place.exhibitor_id)
            by_category.setdefault((ex.category or "") if ex else "", []).append(i + 1)
            for c in _cells_of(place.rect.inflate(SIGHT)):
                seen_from.setdefault((floor.floor_id, c), []).append(i)
    walks = HallWalks(expo, spots)
    matrix = walks.matrix()
    reachable = {c: [i for i in idx if matrix.cost[0][i] < math.inf] for c, idx in by_category.items()}
    return _Hall(expo, 0, walks, matrix, stands, {c: idx for c, idx in reachable.items() if idx}, seen_from)


def _leg(hall: _Hall, a: int, b: int) -> list[tuple[str, list[Vec]]]:
    """The paths walked from spot a to spot b, floor by floor (kept: visitors share legs)."""
    leg = hall.legs.get((a, b))
    if leg is None:
        sa, sb = hall.matrix.spots[a], hall.matrix.spots[b]
        if sa.floor_id == sb.floor_id:
            path = hall.expo.nav(sa.floor_id).path((sa.x, sa.y), (sb.x, sb.y))
            leg = [(sa.floor_id, path)] if path else []
        else:
            leg = [(s.floor_id, s.path) for s in hall.walks.walk(a, b) or []]
        hall.legs[(a, b)] = leg
    return leg


def _cells(path: list[Vec]) -> set[tuple[int, int]]:
    """The cells a path crosses (sampled every half cell)."""
    out = set()
    for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
        steps = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / (CELL / 2)))
        for k in range(steps + 1):
            t = k / steps
            out.add((math.floor((x0 + (x1 - x0) * t) / CELL), math.floor((y0 + (y1 - y0) * t) / CELL)))
    return out


def _cells_of(rect: Rect) -> list[tuple[int, int]]:
    return [(cx, cy) for cx in range(math.floor(rect.x0 / CELL), math.ceil(rect.x1 / CELL))
            for cy in range(math.floor(rect.y0 / CELL), math.ceil(rect.y1 / CELL))]


def _pick(rng: random.Random, items: list[str], weights: list[int], k: int) -> list[str]:
    """k distinct items, each drawn as often as its weight."""
    items, weights, chosen = list(items), list(weights), []
    for _ in range(min(k, len(items))):
        n = rng.choices(range(len(items)), weights)[0]
        chosen.append(items.pop(n))
        weights.pop(n)
    return chosen


def _key(place: StandPlace) -> str:
    return f"{place.floor_id}/{place.number}"

