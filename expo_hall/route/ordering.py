"""Ordering a route's stops into the shortest open walk from where the visitor stands.

The start is fixed, the end is free, costs may differ by direction (stairs up and down, one-way
transfers). Up to `EXACT_UP_TO` stops the answer is exact (Held-Karp). Beyond, a first order comes from
nearest neighbour polished by local search, then an iterated local search improves it. The moves: 2-opt
with direction-aware deltas (prefix sums of both directions price a reversal in O(1)), Or-opt (up to three
stops moved, either way round), or-3opt (two adjacent stretches swapped, nothing reversed) and two adjacent
stretches each reversed; they are tried on neighbour lists, with don't-look bits. A kick is a double
bridge (P B Q C R -> P C Q B R), which no single move undoes.

Everything is a pure function of its input: the kicks come from a generator seeded by a constant and the
search runs a fixed number of rounds, so the same stops give the same order on every machine.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass

from expo_hall.expo import Expo
from expo_hall.route.costs import CostMatrix, Spot, Walking, stand_spot, walking_costs

Matrix = list[list[float]]

EXACT_UP_TO = 12
NEIGHBOURS = 6
EPS = 1e-7
SEED = 20200427


@dataclass(frozen=True)
class RouteOrder:
    order: list[int]  # indices of the matrix's spots, in walking order (the start left out)
    seconds: float  # walking and floor-changing time along that order
    metres: float  # walked along that order
    unreachable: list[int]  # stops no walk reaches from the start (or, after one-way stairs, from the stops before)


@dataclass(frozen=True)
class Plan:
    order: list[str]  # exhibitor ids in walking order
    seconds: float
    metres: float
    unreachable: list[str]  # exhibitors with no stand, no alley to their stand, or no way there from the start


def plan_route(expo: Expo, start: Spot, exhibitors: list[str], walking: Walking | None = None) -> Plan:
    """The exhibitors' stands in the order of the shortest walk from `start`, across floors."""
    ids, spots, lost = [], [], []
    for ex in dict.fromkeys(exhibitors):
        spot = stand_spot(expo, ex)
        if spot is None:
            lost.append(ex)
        else:
            ids.append(ex)
            spots.append(spot)
    found = order_stops(walking_costs(expo, [start] + spots, walking or Walking()))
    unreachable = set(lost) | {ids[i - 1] for i in found.unreachable}
    return Plan([ids[i - 1] for i in found.order], found.seconds, found.metres,
                [ex for ex in dict.fromkeys(exhibitors) if ex in unreachable])


def order_stops(matrix: CostMatrix, start: int = 0, stops: list[int] | None = None) -> RouteOrder:
    """The stops (default: every spot but the start) in the order of the cheapest open walk from `start`."""
    stops = [i for i in range(len(matrix.spots)) if i != start] if stops is None else list(stops)
    cost = matrix.cost
    reachable = [s for s in stops if cost[start][s] < math.inf]
    unreachable = [s for s in stops if cost[start][s] == math.inf]
    order = shortest_open_path(cost, start, reachable)
    prev = start
    for k, stop in enumerate(order):  # a one-way trap no order avoids: the walk ends there
        if cost[prev][stop] == math.inf:
            unreachable = order[k:] + unreachable
            order = order[:k]
            break
        prev = stop
    legs = list(zip([start] + order, order, strict=False))
    return RouteOrder(order, sum(matrix.seconds[a][b] for a, b in legs),
                      sum(matrix.metres[a][b] for a, b in legs), unreachable)


def path_cost(cost: Matrix, order: list[int], start: int = 0) -> float:
    return sum(cost[a][b] for a, b in zip([start] + order, order, strict=False))


def shortest_open_path(cost: Matrix, start: int = 0, stops: list[int] | None = None,
                       exact_up_to: int = EXACT_UP_TO, rounds: int | None = None) -> list[int]:
    """The order of the stops (default: all but start) that makes the cheapest open path from start.

    Exact up to `exact_up_to` stops; beyond, the iterated local search runs `rounds` kicks
    (by default as many as fit the goals with room to spare: about 0.07 s at 30 stops, 0.3 s at 100).
    """
    problem = _Problem(cost, start, stops)
    if problem.n <= exact_up_to:
        return problem.back(_held_karp(problem.c, problem.n))
    search = _Search(problem.c, problem.nearest_neighbour())
    search.descend()
    search.iterate(_default_rounds(problem.n) if rounds is None else rounds)
    return problem.back(search.best)


def first_order(cost: Matrix, start: int = 0, stops: list[int] | None = None) -> list[int]:
    """A good first order, fast: nearest neighbour polished by one local search."""
    problem = _Problem(cost, start, stops)
    search = _Search(problem.c, problem.nearest_neighbour())
    search.descend()
    return problem.back(search.best)


def held_karp(cost: Matrix, start: int = 0, stops: list[int] | None = None) -> list[int]:
    """The exact cheapest open path (O(2^n n^2): for a dozen stops or so)."""
    problem = _Problem(cost, start, stops)
    return problem.back(_held_karp(problem.c, problem.n))


def _default_rounds(n: int) -> int:
    return 250 if n <= 40 else 600


class _Problem:
    """The stops renumbered 1..n, the start 0 and a free end n+1 (reached from anywhere at no cost).

    Impossible legs cost more than any possible walk, so an order uses one only when no order avoids it.
    """

    def __init__(self, cost: Matrix, start: int, stops: list[int] | None) -> None:
        self.ids = [start] + ([i for i in range(len(cost)) if i != start] if stops is None else list(stops))
        self.n = n = len(self.ids) - 1
        finite = [cost[a][b] for a in self.ids for b in self.ids if cost[a][b] < math.inf]
        never = (max(finite, default=0.0) + 1.0) * (n + 1) * 2
        self.c = [[cost[a][b] if cost[a][b] < math.inf else never for b in self.ids] + [0.0] for a in self.ids]
        self.c.append([0.0] * (n + 2))
        for i in range(n + 2):
            self.c[i][i] = 0.0

    def back(self, tour: list[int]) -> list[int]:
        return [self.ids[v] for v in tour if 0 < v <= self.n]

    def nearest_neighbour(self) -> list[int]:
        c, n = self.c, self.n
        left = set(range(1, n + 1))
        tour = [0]
        while left:
            row = c[tour[-1]]
            nxt = min(left, key=lambda v: (row[v], v))
            left.remove(nxt)
            tour.append(nxt)
        tour.append(n + 1)
        return tour


def _held_karp(c: Matrix, n: int) -> list[int]:
    """dp[mask][j]: the cheapest path from 0 through the stops of mask (bits j-1 for stop j), ending at j."""
    if n == 0:
        return [0, 1]
    full = (1 << n) - 1
    inf = math.inf
    dp = [[inf] * n for _ in range(1 << n)]
    for j in range(n):
        dp[1 << j][j] = c[0][j + 1]
    cols = [[c[i + 1][j + 1] for i in range(n)] for j in range(n)]
    members = [[j for j in range(n) if mask >> j & 1] for mask in range(1 << n)]
    for mask in range(1, 1 << n):
        inside = members[mask]
        if len(inside) < 2:
            continue
        row = dp[mask]
        for j in inside:
            prev = mask ^ (1 << j)
            before, col = dp[prev], cols[j]
            row[j] = min([before[i] + col[i] for i in members[prev]])
    last = min(range(n), key=lambda j: dp[full][j])
    order = [last]
    mask = full
    while mask != 1 << order[-1]:
        j = order[-1]
        prev = mask ^ (1 << j)
        order.append(min(members[prev], key=lambda i: dp[prev][i] + cols[j][i]))
        mask = prev
    return [0] + [j + 1 for j in reversed(order)] + [n + 1]


class _Search:
    """Local search on a path t[0..N-1] whose ends (the start and the free end) never move."""

    def __init__(self, c: Matrix, tour: list[int]) -> None:
        self.c = c
        self.size = size = len(tour)
        real = range(1, size - 1)
        k = min(NEIGHBOURS, size - 3)
        self.near_out = [sorted((v for v in real if v != u), key=lambda v: (c[u][v], v))[:k] for u in range(size)]
        self.near_in = [sorted((v for v in range(size - 1) if v != u), key=lambda v: (c[v][u], v))[:k]
                        for u in range(size)]
        self.rng = random.Random(SEED)
        self._load(tour)
        self.best = list(tour)
        self.best_cost = self.total

    def _load(self, tour: list[int]) -> None:
        self.t = tour
        c = self.c
        self.pos = pos = [0] * self.size
        fwd = [0.0] * self.size
        rev = [0.0] * self.size
        f = r = 0.0
        for k, v in enumerate(tour):
            pos[v] = k
            fwd[k], rev[k] = f, r
            if k + 1 < self.size:
                w = tour[k + 1]
                f += c[v][w]
                r += c[w][v]
        self.fwd, self.rev = fwd, rev
        self.total = f

    def _changed(self, lo: int, hi: int) -> None:
        """Positions lo..hi were rearranged: their index entries are redone, the sums after them shifted."""
        t, c, pos, fwd, rev = self.t, self.c, self.pos, self.fwd, self.rev
        old_f, old_r = fwd[hi + 1], rev[hi + 1]
        f, r = fwd[lo - 1], rev[lo - 1]
        for k in range(lo - 1, hi + 1):
            v, w = t[k], t[k + 1]
            pos[w] = k + 1
            f += c[v][w]
            r += c[w][v]
            fwd[k + 1], rev[k + 1] = f, r
        df, dr = f - old_f, r - old_r
        if hi + 2 < self.size:
            fwd[hi + 2:] = [x + df for x in fwd[hi + 2:]]
            rev[hi + 2:] = [x + dr for x in rev[hi + 2:]]
        self.total = fwd[-1]

    # -- the search ------------------------------------------------------------------------------
    def descend(self, queue: list[int] | None = None) -> None:
        """Improve until no move helps; nodes whose neighbourhood changed are looked at again."""
        todo = deque(self.t[1:-1] if queue is None else queue)
        waiting = set(todo)
        while todo:
            a = todo.popleft()
            waiting.discard(a)
            touched = self._improve(a)
            if touched:
                for v in touched:
                    if 0 < self.pos[v] < self.size - 1 and v not in waiting:
                        waiting.add(v)
                        todo.append(v)
        if self.total < self.best_cost - EPS:
            self.best, self.best_cost = list(self.t), self.total

    def iterate(self, rounds: int) -> None:
        """Kick (a double bridge), descend, and go on from the result when it is no worse."""
        last = self.size - 2  # the last stop's position
        if last < 3:
            return
        current, current_cost = list(self.t), self.total
        rng, span = self.rng, max(3, last // 4)
        for _ in range(rounds):
            # P B Q C R -> P C Q B R: three stretches of up to `span` stops, which no single move undoes
            i = rng.randint(1, last - 2)
            j = rng.randint(i + 1, min(i + span, last - 1))
            k = rng.randint(j + 1, min(j + span, last))
            m = rng.randint(k + 1, min(k + span, last + 1))
            tour = list(current)
            tour[i:m] = tour[k:m] + tour[j:k] + tour[i:j]
            self._load(tour)
            seams = {i - 1, i, i + m - k - 1, i + m - k, i + m - j - 1, i + m - j, m - 1, m}
            self.descend([tour[p] for p in sorted(seams) if 1 <= p <= last])
            if self.total <= current_cost + EPS:
                current, current_cost = list(self.t), self.total

    # -- moves ---------------------------------------------------------------------------------
    def _improve(self, a: int) -> list[int] | None:
        return self._two_opt(a) or self._or_opt(a) or self._or3opt(a) or self._twin_reversal(a)

    def _reverse(self, p: int, q: int) -> list[int]:
        t = self.t
        touched = [t[p - 1], t[p], t[q], t[q + 1]]
        t[p:q + 1] = t[p:q + 1][::-1]
        self._changed(p, q)
        return touched

    def _two_opt(self, a: int) -> list[int] | None:
        """Reverse a stretch so that a new edge leaves or enters `a` (or the tail turns round)."""
        t, c, pos, fwd, rev, last = self.t, self.c, self.pos, self.fwd, self.rev, self.size - 2
        i = pos[a]
        pred, succ = t[i - 1], t[i + 1]
        ca, c_pred, c_succ = c[a], c[pred], c[succ]
        for b in self.near_out[a]:  # a -> b, b further on
            j = pos[b]
            if j <= i + 1:
                continue
            y, x = t[j + 1], t[j - 1]
            cb = c[b]
            if ca[b] + c_succ[y] - ca[succ] - cb[y] + (rev[j] - rev[i + 1]) - (fwd[j] - fwd[i + 1]) < -EPS:
                return self._reverse(i + 1, j)  # a -> b ... succ -> y
            if c_pred[x] + ca[b] - c_pred[a] - c[x][b] + (rev[j - 1] - rev[i]) - (fwd[j - 1] - fwd[i]) < -EPS:
                return self._reverse(i, j - 1)  # pred -> x ... a -> b
        for x in self.near_in[a]:  # x -> a, x further back
            j = pos[x]
            if j >= i - 1:
                continue
            cx, after = c[x], t[j + 1]
            if cx[a] + c[after][succ] - cx[after] - ca[succ] + (rev[i] - rev[j + 1]) - (fwd[i] - fwd[j + 1]) < -EPS:
                return self._reverse(j + 1, i)  # x -> a ... after -> succ
            if j >= 1:
                before = t[j - 1]
                if (c[before][pred] + cx[a] - c[before][x] - c_pred[a]
                        + (rev[i - 1] - rev[j]) - (fwd[i - 1] - fwd[j]) < -EPS):
                    return self._reverse(j, i - 1)  # before -> pred ... x -> a
        end = t[last]  # the free end: turn the tail round after a, or from a
        if i + 1 < last and ca[end] - ca[succ] + (rev[last] - rev[i + 1]) - (fwd[last] - fwd[i + 1]) < -EPS:
            return self._reverse(i + 1, last)
        if i < last and c_pred[end] - c_pred[a] + (rev[last] - rev[i]) - (fwd[last] - fwd[i]) < -EPS:
            return self._reverse(i, last)
        return None

    def _or_opt(self, a: int) -> list[int] | None:
        t, c, pos, last = self.t, self.c, self.pos, self.size - 2
        near_in, near_out, fwd, rev = self.near_in, self.near_out, self.fwd, self.rev
        i = pos[a]
        for lo, hi in ((i, i), (i, i + 1), (i, i + 2)):  # segments that start at a
            if lo < 1 or hi > last:
                continue
            first, end = t[lo], t[hi]
            before, after = t[lo - 1], t[hi + 1]
            gain = c[before][first] + c[end][after] - c[before][after]
            c_end = c[end]
            # as it is: a gap whose left end leads well into `first` or whose right end follows `end` well
            for g in [pos[x] for x in near_in[first]] + [pos[y] - 1 for y in near_out[end]] + [last]:
                if lo - 1 <= g <= hi or g < 0:
                    continue
                u, v = t[g], t[g + 1]
                cu = c[u]
                if cu[first] + c_end[v] - cu[v] - gain < -EPS:
                    return self._move(lo, hi, g, False)
            if hi == lo:
                continue
            inner = (rev[hi] - rev[lo]) - (fwd[hi] - fwd[lo]) - gain
            c_first = c[first]
            for g in [pos[x] for x in near_in[end]] + [pos[y] - 1 for y in near_out[first]] + [last]:
                if lo - 1 <= g <= hi or g < 0:
                    continue
                u, v = t[g], t[g + 1]
                cu = c[u]
                if cu[end] + c_first[v] - cu[v] + inner < -EPS:
                    return self._move(lo, hi, g, True)
        return None

    def _move(self, lo: int, hi: int, g: int, flip: bool) -> list[int]:
        t = self.t
        seg = t[lo:hi + 1]
        touched = [t[lo - 1], t[hi + 1], t[g], t[g + 1]] + seg
        if flip:
            seg.reverse()
        if g < lo:
            t[g + 1:hi + 1] = seg + t[g + 1:lo]
            self._changed(g + 1, hi)
        else:
            t[lo:g + 1] = t[hi + 1:g + 1] + seg
            self._changed(lo, g)
        return touched

    def _or3opt(self, a: int) -> list[int] | None:
        """Swap t[i..j] and t[j+1..k] where a = t[i-1]: new edges a -> t[j+1], t[k] -> t[i], t[j] -> t[k+1]."""
        t, c, pos, last = self.t, self.c, self.pos, self.size - 2
        i = pos[a] + 1
        if i >= last:
            return None
        head = t[i]
        ca = c[a]
        out = ca[head]
        ends = {last}
        ends.update(pos[x] for x in self.near_in[head])
        for b in self.near_out[a]:
            jb = pos[b]
            if jb <= i:
                continue
            j = jb - 1
            tj = t[j]
            base = ca[b] - out - c[tj][b]
            for k in sorted(ends):
                if k < jb or k > last:
                    continue
                tk, after = t[k], t[k + 1]
                if base + c[tk][head] + c[tj][after] - c[tk][after] < -EPS:
                    touched = [a, head, tj, b, tk, after]
                    t[i:k + 1] = t[jb:k + 1] + t[i:jb]
                    self._changed(i, k)
                    return touched
        return None

    def _twin_reversal(self, a: int) -> list[int] | None:
        """Reverse t[i..j] and t[j+1..k] each in place, where a = t[i-1].

        New edges a -> t[j], t[i] -> t[k], t[j+1] -> t[k+1]: two floors walked the other way round, joined by
        the other stairs, which no single reversal reaches.
        """
        t, c, pos, fwd, rev, last = self.t, self.c, self.pos, self.fwd, self.rev, self.size - 2
        i = pos[a] + 1
        if i >= last:
            return None
        head = t[i]
        ca, c_head = c[a], c[head]
        out = ca[head]
        ends = [pos[y] for y in self.near_out[head]] + [last]
        for b in self.near_out[a]:
            j = pos[b]
            if j < i or j >= last:
                continue
            nxt = t[j + 1]
            base = ca[b] - out - c[b][nxt] + (rev[j] - rev[i]) - (fwd[j] - fwd[i])
            c_nxt = c[nxt]
            for k in ends:
                if k <= j or k > last:
                    continue
                tk, after = t[k], t[k + 1]
                if (base + c_head[tk] + c_nxt[after] - c[tk][after]
                        + (rev[k] - rev[j + 1]) - (fwd[k] - fwd[j + 1]) < -EPS):
                    touched = [a, head, b, nxt, tk, after]
                    t[i:j + 1] = t[i:j + 1][::-1]
                    t[j + 1:k + 1] = t[j + 1:k + 1][::-1]
                    self._changed(i, k)
                    return touched
        return None
