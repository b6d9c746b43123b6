"""Walking costs between places of the hall, across floors: what a route's ordering minimises.

A place is a `Spot` (floor, x, y): a stand's front or where the visitor stands. On one floor the cost
is the walking distance on the floor's navigation (`NavMesh`): one Dijkstra search over its portal graph
from each place reaches every other place at once, places joining the portals of the pieces they stand
in by straight lines (two places in one piece see each other straight). That is the way `NavMesh.path`
searches before pulling it straight, so on floors of straight alleys crossing at right angles the two
agree exactly; where alleys meet at odd angles the pulled path can be a few per cent shorter.

Floors are joined by their transfers: a stairs or lift point is an edge to where it lands (its
`to_point`, else the spawn, as the visitor is placed), priced in seconds as c3nav prices level changes:
walking distance / walking speed, plus a fixed cost per floor changed. Which transfers are lifts is read
from the point's name (`is_lift`), the one place that decides it. "Avoid stairs" adds a penalty per floor
of stairs: it makes a lift worth a detour, but a floor reached only by stairs is still reached.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from expo_hall.expo import Expo
from expo_hall.floors.geometry import Vec
from expo_hall.floors.model import MapPoint
from expo_hall.floors.navigation import NavMesh

INF = math.inf
LIFT_WORDS = ("лифт", "lift", "elevator")  # a transfer whose name holds one of these is a lift


def is_lift(point: MapPoint) -> bool:
    """True for a lift, False for stairs (and escalators): told apart by the point's name."""
    name = point.name.casefold()
    return any(word in name for word in LIFT_WORDS)


@dataclass(frozen=True)
class Walking:
    """How a visitor walks and changes floors, and what they prefer."""

    speed: float = 1.0  # metres per second: a visitor's pace along a fair's alleys
    pixels_per_metre: float = 32.0  # one tile of the map convention is a metre
    stairs_s: float = 15.0  # per floor climbed or descended on stairs
    lift_wait_s: float = 30.0  # once per lift ride
    lift_s: float = 5.0  # per floor ridden
    avoid_stairs: bool = False
    stairs_penalty_s: float = 120.0  # added per floor of stairs when avoiding them: a lift's detour is worth this

    def transfer_seconds(self, lift: bool, floors: int) -> float:
        return self.lift_wait_s + self.lift_s * floors if lift else self.stairs_s * floors

    def transfer_penalty(self, lift: bool, floors: int) -> float:
        return self.stairs_penalty_s * floors if self.avoid_stairs and not lift else 0.0


@dataclass(frozen=True)
class Spot:
    floor_id: str
    x: float
    y: float


@dataclass(frozen=True)
class CostMatrix:
    """Costs between every ordered pair of spots: [i][j] is from spots[i] to spots[j]; INF where no way leads."""

    spots: tuple[Spot, ...]
    cost: list[list[float]]  # seconds plus the preferences' penalties: what an ordering minimises
    seconds: list[list[float]]  # walking and floor-changing time of that way
    metres: list[list[float]]  # walked on the floors


def stand_spot(expo: Expo, exhibitor_id: str) -> Spot | None:
    """Where a visitor stands to visit the exhibitor's stand; None when it has no stand or no alley leads there."""
    place = expo.place_of(exhibitor_id)
    if place is None:
        return None
    front = expo.nav(place.floor_id).fronts.get(place.number)
    return Spot(place.floor_id, front.x, front.y) if front else None


def walking_costs(expo: Expo, spots: list[Spot], walking: Walking = Walking()) -> CostMatrix:
    """All pairwise costs between the spots, across floors through stairs and lifts."""
    graph = _Graph()
    spot_nodes = [graph.node() for _ in spots]
    floors = _floors_reached(expo, {s.floor_id for s in spots})
    ranks = {f.floor_id: i for i, f in enumerate(expo.floors)}
    departures: dict[tuple[str, str], int] = {}  # (floor, point) -> node
    arrivals: dict[tuple[str, str], int] = {}
    for floor_id in floors:
        for point in expo.floor(floor_id).transfers:  # type: ignore[union-attr]
            if point.to_floor in floors:
                departures[(floor_id, point.name)] = graph.node()
                landing = (point.to_floor, point.to_point or "spawn")
                if landing not in arrivals:
                    arrivals[landing] = graph.node()
    for floor_id in floors:
        nav = expo.nav(floor_id)
        sources = [(node, (s.x, s.y)) for node, s in zip(spot_nodes, spots, strict=True) if s.floor_id == floor_id]
        targets = list(sources)
        for (f, name), node in arrivals.items():
            if f == floor_id:
                sources.append((node, _landing(nav, name)))
        for (f, name), node in departures.items():
            spot = nav.point_nodes.get(name) if f == floor_id else None
            if spot is not None:
                targets.append((node, spot))
        rows = floor_distances(nav, [p for _, p in sources], [p for _, p in targets])
        for (u, _), row in zip(sources, rows, strict=True):
            for (v, _), px in zip(targets, row, strict=True):
                if u != v and px < INF:
                    metres = px / walking.pixels_per_metre
                    seconds = metres / walking.speed
                    graph.edge(u, v, seconds, seconds, metres)
        for point in expo.floor(floor_id).transfers:  # type: ignore[union-attr]
            u = departures.get((floor_id, point.name))
            if u is None:
                continue
            assert point.to_floor is not None
            lift = is_lift(point)
            changed = max(1, abs(ranks[point.to_floor] - ranks[floor_id]))
            seconds = walking.transfer_seconds(lift, changed)
            v = arrivals[(point.to_floor, point.to_point or "spawn")]
            graph.edge(u, v, seconds + walking.transfer_penalty(lift, changed), seconds, 0.0)
    n = len(spots)
    cost = [[INF] * n for _ in range(n)]
    seconds = [[INF] * n for _ in range(n)]
    metres = [[INF] * n for _ in range(n)]
    where = {node: i for i, node in enumerate(spot_nodes)}
    for i, node in enumerate(spot_nodes):
        for target, (c, s, m) in graph.search(node).items():
            j = where.get(target)
            if j is not None:
                cost[i][j], seconds[i][j], metres[i][j] = c, s, m
    return CostMatrix(tuple(spots), cost, seconds, metres)


def floor_distances(nav: NavMesh, sources: list[Vec], targets: list[Vec]) -> list[list[float]]:
    """Walking distances in pixels from each source to each target on one floor (INF where none leads).

    Places off the walkable region are moved to its nearest point first, as `NavMesh.path` does.
    """
    ends = [_end(nav, p) for p in targets]
    needed = {n for end in ends if end is not None for n, _ in end[1]}
    return [_from(nav, _end(nav, p), ends, needed) for p in sources]


def _end(nav: NavMesh, point: Vec) -> tuple[Vec, list[tuple[int, float]], set[int]] | None:
    """A place's walkable spot, the portals it links to (with their straight distances) and its pieces."""
    spot = nav.nearest_walkable(*point)
    if spot is None:
        return None
    pieces = set(nav.pieces_at(*spot))
    x, y = spot
    links = {}
    for piece in pieces:
        for n in nav.piece_nodes[piece]:
            if n not in links:
                nx, ny = nav.nodes[n]
                links[n] = math.hypot(nx - x, ny - y)
    return spot, list(links.items()), pieces


def _from(nav: NavMesh, start, ends, needed: set[int]) -> list[float]:  # noqa: ANN001
    if start is None:
        return [INF] * len(ends)
    (sx, sy), links, pieces = start
    dist: dict[int, float] = {}
    heap = []
    for n, d in links:
        dist[n] = d
        heap.append((d, n))
    heapq.heapify(heap)
    left = len(needed)
    done: set[int] = set()
    adjacency = nav.adjacency
    while heap and left:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if u in needed:
            left -= 1
        for v, w in adjacency[u]:
            nd = d + w
            if nd < dist.get(v, INF):
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    row = []
    for end in ends:
        if end is None:
            row.append(INF)
            continue
        (tx, ty), t_links, t_pieces = end
        if pieces & t_pieces:
            row.append(math.hypot(tx - sx, ty - sy))
            continue
        row.append(min((dist.get(n, INF) + d for n, d in t_links), default=INF))
    return row


def _landing(nav: NavMesh, name: str) -> Vec:
    """Where a transfer to this floor puts the visitor: its `to_point`, else the spawn (as `Visitor.place`)."""
    spot = nav.point_nodes.get(name) or nav.point_nodes.get("spawn")
    if spot is None:
        spawn = nav.floor.spawn
        spot = nav.nearest_walkable(spawn.x, spawn.y, reach=10_000) or (spawn.x, spawn.y)
    return spot


def _floors_reached(expo: Expo, start: set[str]) -> list[str]:
    """The known floors among `start`, and every floor their stairs and lifts lead to, in the expo's order."""
    seen = {f for f in start if expo.floor(f) is not None}
    stack = list(seen)
    while stack:
        floor = expo.floor(stack.pop())
        for point in floor.transfers:  # type: ignore[union-attr]
            if point.to_floor not in seen and expo.floor(point.to_floor) is not None:  # type: ignore[arg-type]
                seen.add(point.to_floor)  # type: ignore[arg-type]
                stack.append(point.to_floor)
    return [f.floor_id for f in expo.floors if f.floor_id in seen]


class _Graph:
    """The places, stairs and lifts as a small directed graph, each edge with (cost, seconds, metres)."""

    def __init__(self) -> None:
        self.edges: list[list[tuple[int, float, float, float]]] = []

    def node(self) -> int:
        self.edges.append([])
        return len(self.edges) - 1

    def edge(self, u: int, v: int, cost: float, seconds: float, metres: float) -> None:
        self.edges[u].append((v, cost, seconds, metres))

    def search(self, source: int) -> dict[int, tuple[float, float, float]]:
        """The cheapest way to every node reached: (cost, seconds, metres); ties go to the shorter walk."""
        best: dict[int, tuple[float, float, float]] = {source: (0.0, 0.0, 0.0)}
        heap = [(0.0, 0.0, 0.0, source)]
        done: set[int] = set()
        while heap:
            c, m, s, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            for v, ec, es, em in self.edges[u]:
                nc, nm = c + ec, m + em
                old = best.get(v)
                if old is None or (nc, nm) < (old[0], old[2]):
                    best[v] = (nc, s + es, nm)
                    heapq.heappush(heap, (nc, nm, s + es, v))
        return best
