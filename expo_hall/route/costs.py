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


@dataclass(frozen=True)
class Stretch:
    """One floor's part of a walk: the path on it, and the stairs or lift taken at its end (None on the last)."""

    floor_id: str
    path: list[Vec]
    via: MapPoint | None


def walking_costs(expo: Expo, spots: list[Spot], walking: Walking = Walking()) -> CostMatrix:
    """All pairwise costs between the spots, across floors through stairs and lifts."""
    return HallWalks(expo, spots, walking).matrix()


def walk(expo: Expo, a: Spot, b: Spot, walking: Walking = Walking()) -> list[Stretch] | None:
    """The way from a to b that the costs price: a path on each floor it crosses, with the stairs or lift
    taken from one to the next; None when no way leads there. What guidance follows and the floor shows."""
    return HallWalks(expo, [a, b], walking).walk(0, 1)


class HallWalks:
    """The costs between spots and the walks between any two of them, from one graph of the hall built once: many
    walks between the same spots (a simulation's visitors) search it once per start, not once per walk."""

    KEPT = 64  # searches kept for further walks from the same start

    def __init__(self, expo: Expo, spots: list[Spot], walking: Walking = Walking()) -> None:
        self.expo = expo
        self.spots = tuple(spots)
        self.graph, self.nodes = _hall_graph(expo, list(spots), walking)
        self._ends = set(self.nodes)
        self._searches: dict[int, dict[int, tuple]] = {}

    def matrix(self) -> CostMatrix:
        n = len(self.spots)
        cost = [[INF] * n for _ in range(n)]
        seconds = [[INF] * n for _ in range(n)]
        metres = [[INF] * n for _ in range(n)]
        for i, node in enumerate(self.nodes):
            found = self.graph.search(node, self._ends)
            for j, target in enumerate(self.nodes):
                if target in found:
                    cost[i][j], seconds[i][j], metres[i][j] = found[target][:3]
        return CostMatrix(self.spots, cost, seconds, metres)

    def walk(self, i: int, j: int) -> list[Stretch] | None:
        """The walk from spot i to spot j, as `walk` finds it."""
        found = self._searches.get(i)
        if found is None:
            if len(self._searches) >= self.KEPT:
                self._searches.pop(next(iter(self._searches)))
            found = self._searches[i] = self.graph.search(self.nodes[i], self._ends)
        start, goal = self.nodes[i], self.nodes[j]
        if goal not in found:
            return None
        hops: list[tuple[int, int, MapPoint | None]] = []  # (from, to, the transfer taken) back from the goal
        node = goal
        while node != start:
            prev, via = found[node][3:]
            hops.append((prev, node, via))
            node = prev
        stretches: list[Stretch] = []
        via_next: MapPoint | None = None
        places = self.graph.places
        for u, v, via in hops:  # from the goal backwards
            if via is not None:
                via_next = via
                continue
            floor_id, here = places[u]
            path = self.expo.nav(floor_id).path(here, places[v][1])
            assert path is not None, "the floor's distances and its paths disagree"
            stretches.append(Stretch(floor_id, path, via_next))
            via_next = None
        stretches.reverse()
        return stretches


def _hall_graph(expo: Expo, spots: list[Spot], walking: Walking) -> tuple[_Graph, list[int]]:
    """The spots, stairs and lifts as a graph: walks on each floor between them, transfers between floors.

    Returns the graph and the spots' nodes.
    """
    graph = _Graph()
    spot_nodes = [graph.node(s.floor_id, (s.x, s.y)) for s in spots]
    floors = _floors_reached(expo, {s.floor_id for s in spots})
    ranks = {f.floor_id: i for i, f in enumerate(expo.floors)}
    departures: dict[tuple[str, str], int] = {}  # (floor, point) -> node
    arrivals: dict[tuple[str, str], int] = {}
    for floor_id in floors:
        nav = expo.nav(floor_id)
        for point in nav.floor.transfers:
            spot = nav.point_nodes.get(point.name)
            if point.to_floor in floors and spot is not None:
                departures[(floor_id, point.name)] = graph.node(floor_id, spot)
                landing = (point.to_floor, point.to_point or "spawn")
                if landing not in arrivals:
                    assert point.to_floor is not None
                    arrivals[landing] = graph.node(point.to_floor, expo.nav(point.to_floor).arrival(landing[1]))
    for floor_id in floors:
        nav = expo.nav(floor_id)
        here = [node for node, s in zip(spot_nodes, spots, strict=True) if s.floor_id == floor_id]
        sources = here + [node for (f, _), node in arrivals.items() if f == floor_id]
        targets = here + [node for (f, _), node in departures.items() if f == floor_id]
        rows = floor_distances(nav, [graph.places[u][1] for u in sources], [graph.places[v][1] for v in targets])
        for u, row in zip(sources, rows, strict=True):
            for v, px in zip(targets, row, strict=True):
                if u != v and px < INF:
                    metres = px / walking.pixels_per_metre
                    seconds = metres / walking.speed
                    graph.edge(u, v, seconds, seconds, metres, None)
        for point in nav.floor.transfers:
            u = departures.get((floor_id, point.name))
            if u is None:
                continue
            assert point.to_floor is not None
            lift = is_lift(point)
            changed = max(1, abs(ranks[point.to_floor] - ranks[floor_id]))
            seconds = walking.transfer_seconds(lift, changed)
            v = arrivals[(point.to_floor, point.to_point or "spawn")]
            graph.edge(u, v, seconds + walking.transfer_penalty(lift, changed), seconds, 0.0, point)
    return graph, spot_nodes


def floor_distances(nav: NavMesh, sources: list[Vec], targets: list[Vec]) -> list[list[float]]:
    """Walking distances in pixels from each source to each target on one floor (INF where none leads).

    Places off the walkable region are moved to its nearest point first, as `NavMesh.path` does.
    """
    ends = [_end(nav, p) for p in targets]
    needed = {n for end in ends if end is not None for n, _ in end[1]}
    return [_from(nav, _end(nav, p), ends, needed) for p in sources]


_End = tuple[Vec, list[tuple[int, float]], set[int]]  # a walkable spot, its portals and distances, its pieces


def _end(nav: NavMesh, point: Vec) -> _End | None:
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


def _from(nav: NavMesh, start: _End | None, ends: list[_End | None], needed: set[int]) -> list[float]:
    """One Dijkstra search from `start`, until the portals of every end are settled."""
    if start is None:
        return [INF] * len(ends)
    (sx, sy), links, pieces = start
    dist: dict[int, float] = {}
    heap: list[tuple[float, int]] = []
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


def reached(expo: Expo, floor_id: str, point: str = "spawn") -> set[tuple[str, int]]:
    """Every walkable group (floor, `NavMesh.piece_groups` id) a visitor arriving at `point` of a floor gets to,
    walking and taking stairs and lifts as `walking_costs` prices them (arriving where `NavMesh.arrival` puts them).

    Cheap where costs are not: a search over groups, not distances; a place is reachable when its group is in.
    """
    if expo.floor(floor_id) is None:
        return set()
    doors: dict[tuple[str, int], list[MapPoint]] = {}  # the transfers one can walk into from each group
    scanned: set[str] = set()  # the floors whose doors are in `doors`
    seen: set[tuple[str, int]] = set()

    def enter(floor: str, name: str) -> None:
        nav = expo.nav(floor)
        group = nav.group_at(*nav.arrival(name))
        if group is not None and (floor, group) not in seen:
            seen.add((floor, group))
            stack.append((floor, group))

    stack: list[tuple[str, int]] = []
    enter(floor_id, point)
    while stack:
        floor, group = stack.pop()
        if floor not in scanned:
            scanned.add(floor)
            nav = expo.nav(floor)
            for transfer in nav.floor.transfers:
                spot = nav.point_nodes.get(transfer.name)
                at = nav.group_at(*spot) if spot is not None else None
                if at is not None and expo.floor(transfer.to_floor) is not None:  # type: ignore[arg-type]
                    doors.setdefault((floor, at), []).append(transfer)
        for transfer in doors.get((floor, group), ()):
            enter(transfer.to_floor, transfer.to_point or "spawn")  # type: ignore[arg-type]
    return seen


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
    """Places, stairs and lifts as a small directed graph; each edge has a cost, seconds, metres and the
    transfer it takes (None for a walk on a floor)."""

    def __init__(self) -> None:
        self.places: list[tuple[str, Vec]] = []
        self.edges: list[list[tuple[int, float, float, float, MapPoint | None]]] = []

    def node(self, floor_id: str, spot: Vec) -> int:
        self.places.append((floor_id, spot))
        self.edges.append([])
        return len(self.edges) - 1

    def edge(self, u: int, v: int, cost: float, seconds: float, metres: float, via: MapPoint | None) -> None:
        self.edges[u].append((v, cost, seconds, metres, via))

    def search(self, source: int, ends: set[int]) -> dict[int, tuple]:
        """The cheapest way to every node reached: (cost, seconds, metres, previous node, transfer taken).

        Ties go to the shorter walk. Ways do not pass through the `ends` (the spots), only end there.
        """
        best: dict[int, tuple] = {source: (0.0, 0.0, 0.0, -1, None)}
        heap = [(0.0, 0.0, 0.0, source)]
        done: set[int] = set()
        while heap:
            c, m, s, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            if u in ends and u != source:
                continue
            for v, ec, es, em, via in self.edges[u]:
                nc, nm = c + ec, m + em
                old = best.get(v)
                if old is None or (nc, nm) < (old[0], old[2]):
                    best[v] = (nc, s + es, nm, u, via)
                    heapq.heappush(heap, (nc, nm, s + es, v))
        return best
