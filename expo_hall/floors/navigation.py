"""Where the avatar may stand, and the shortest way between two places on a floor.

Built once per floor. The avatar is a square of half-size `radius`; its centre may be wherever
that square lies inside the union of alleys and touches no stand. Navigation covers that region
with convex pieces (rectangles: the union of alleys shrunk by the radius, exactly, whatever their shapes:
geometry.eroded_cover); a straight line inside one piece is always walkable. The graph's nodes are the portals
where pieces meet, the stand fronts and the map's points; edges join the nodes that share a piece.
A path is an A* search on that graph, then pulled straight where the way is clear.
"""

from __future__ import annotations

import copy
import heapq
import math
from dataclasses import dataclass
from functools import cached_property

from expo_hall.floors.geometry import Rect, Vec, eroded_cover
from expo_hall.floors.model import Floor, StandPlace
from expo_hall.floors.spatial import GridIndex

AVATAR_RADIUS = 10.0
FRONT_GAP = 4.0  # how far in front of a stand's edge its front point stands, beyond the radius


@dataclass(frozen=True)
class StandFront:
    stand: StandPlace
    x: float
    y: float


def floor_shape(floor: Floor) -> tuple:
    """All of a floor that its navigation is made from: its size, alleys, stands and where its points are."""
    return (floor.width, floor.height, tuple(floor.alleys), tuple(floor.stands),
            tuple((p.name, p.x, p.y) for p in floor.points))


class NavMesh:
    def __init__(self, floor: Floor, radius: float = AVATAR_RADIUS) -> None:
        self.floor = floor
        self.radius = radius
        self.shape = floor_shape(floor)  # shared by the copies `rebound` makes: one build
        self.bounds = Rect(0, 0, floor.width, floor.height)
        alleys = [r.intersection(self.bounds) for r in floor.alley_rects()]
        self.alleys = [r for r in alleys if r.width > 0 and r.height > 0]
        self.alley_index: GridIndex[int] = GridIndex((r, i) for i, r in enumerate(self.alleys))
        self.stand_index: GridIndex[StandPlace] = GridIndex((s.rect, s) for s in floor.stands)
        self.pieces = self._build_pieces()
        self.piece_index: GridIndex[int] = GridIndex(
            ((p, i) for i, p in enumerate(self.pieces)), cell=256.0)
        self.nodes: list[Vec] = []
        self.piece_nodes: list[list[int]] = [[] for _ in self.pieces]
        self.adjacency: list[list[tuple[int, float]]] = []
        self._build_portals()
        self._connect()
        # Stand fronts and map points are only ever ends of a path, so they are not graph nodes:
        # a search links its ends to the portals of the pieces they lie in.
        self.fronts: dict[str, StandFront] = {}
        for stand in floor.stands:
            front = self._front(stand)
            if front is not None:
                self.fronts[stand.number] = front
        self.point_nodes: dict[str, Vec] = {}
        for point in floor.points:
            spot = self.nearest_walkable(point.x, point.y)
            if spot is not None:
                self.point_nodes[point.name] = spot
        self.component = self._components()

    def rebound(self, floor: Floor) -> NavMesh | None:
        """This navigation for another reading of its floor, when that has the same shape (a title or a stairs'
        destination changed): a copy sharing everything built, its `floor` the new one; None when the shape
        differs."""
        shape = floor_shape(floor)
        if shape != self.shape:
            return None
        same = copy.copy(self)  # its cached piece_groups too
        same.floor, same.shape = floor, self.shape
        return same

    # -- where the avatar may be ------------------------------------------------------------
    def in_alleys(self, x: float, y: float) -> bool:
        return self.alley_index.contains_point(x, y)

    def is_free(self, x: float, y: float) -> bool:
        """True when the avatar centred here stands wholly on alleys and touches no stand."""
        r = self.radius
        if not (r <= x <= self.floor.width - r and r <= y <= self.floor.height - r):
            return False
        inside = self.alley_index.contains_point
        for px, py in ((x, y), (x - r, y - r), (x + r, y - r), (x - r, y + r), (x + r, y + r),
                       (x, y - r), (x, y + r), (x - r, y), (x + r, y)):
            if not inside(px, py):
                return False
        box = Rect(x - r, y - r, x + r, y + r)
        return not self.stand_index.overlapping(box)

    def stand_at(self, x: float, y: float) -> StandPlace | None:
        stand = self.stand_index.first_at(x, y)
        if stand is None or not stand.ellipse or stand.holds(x, y):
            return stand
        return next((other for _, other in self.stand_index.at(x, y) if other.holds(x, y)), None)  # an ellipse's corner

    def pieces_at(self, x: float, y: float) -> list[int]:
        return [i for _, i in self.piece_index.at(x, y)]

    def arrival(self, point: str | None = None) -> Vec:
        """Where a visitor arriving at a named point stands (stairs and lifts land there): that point, else the
        spawn, else the walkable place nearest the spawn."""
        spot = self.point_nodes.get(point or "spawn") or self.point_nodes.get("spawn")
        if spot is None:
            spawn = self.floor.spawn
            spot = self.nearest_walkable(spawn.x, spawn.y, reach=10_000) or (spawn.x, spawn.y)
        return spot

    def nearest_walkable(self, x: float, y: float, reach: float = 400.0) -> Vec | None:
        """The point of the navigable region nearest to (x, y), within `reach` pixels."""
        if self.pieces_at(x, y):
            return (x, y)
        best: tuple[float, Vec] | None = None
        for piece, _ in self.piece_index.near(Rect(x - reach, y - reach, x + reach, y + reach)):
            px, py = piece.clamp_point(x, y)
            d = math.hypot(px - x, py - y)
            if d <= reach and (best is None or d < best[0]):
                best = (d, (px, py))
        return best[1] if best else None

    @cached_property
    def piece_groups(self) -> list[int]:
        """Each piece's group: pieces joined by portals, a walk apart; pieces of different groups are not."""
        parent = list(range(len(self.pieces)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first_piece: dict[int, int] = {}
        for piece, members in enumerate(self.piece_nodes):
            for n in members:
                other = first_piece.setdefault(n, piece)
                parent[root(piece)] = root(other)
        return [root(i) for i in range(len(self.pieces))]

    def group_at(self, x: float, y: float) -> int | None:
        """The walkable group (see `piece_groups`) at a point of the navigable region; None off it."""
        pieces = self.pieces_at(x, y)
        return self.piece_groups[pieces[0]] if pieces else None

    # -- paths -------------------------------------------------------------------------------
    def path(self, start: Vec, goal: Vec) -> list[Vec] | None:
        """The shortest walkable way from start to goal (both included), or None when none exists.

        Start and goal are moved to the nearest navigable point when they lie just off it.
        """
        s = self.nearest_walkable(*start)
        g = self.nearest_walkable(*goal)
        if s is None or g is None:
            return None
        s_pieces, g_pieces = set(self.pieces_at(*s)), set(self.pieces_at(*g))
        if s_pieces & g_pieces:
            return _dedupe([start, s, g])
        goal_links = {n for p in g_pieces for n in self.piece_nodes[p]}
        start_links = {n for p in s_pieces for n in self.piece_nodes[p]}
        if not goal_links or not start_links:
            return None
        g_comps = {self.component[n] for n in goal_links}
        if not any(self.component[n] in g_comps for n in start_links):
            return None
        nodes = self.nodes
        gx, gy = g
        goal_id = -1
        best: dict[int, float] = {}
        came: dict[int, int] = {}
        heap: list[tuple[float, float, int]] = []
        for n in start_links:
            nx, ny = nodes[n]
            d = math.hypot(nx - s[0], ny - s[1])
            best[n] = d
            came[n] = -2
            heapq.heappush(heap, (d + math.hypot(gx - nx, gy - ny), d, n))
        while heap:
            _, d, u = heapq.heappop(heap)
            if u == goal_id:
                break
            if d > best.get(u, math.inf):
                continue
            ux, uy = nodes[u]
            if u in goal_links:
                nd = d + math.hypot(gx - ux, gy - uy)
                if nd < best.get(goal_id, math.inf):
                    best[goal_id] = nd
                    came[goal_id] = u
                    heapq.heappush(heap, (nd, nd, goal_id))
            for v, w in self.adjacency[u]:
                nd = d + w
                if nd < best.get(v, math.inf):
                    best[v] = nd
                    came[v] = u
                    vx, vy = nodes[v]
                    heapq.heappush(heap, (nd + math.hypot(gx - vx, gy - vy), nd, v))
        if goal_id not in came:
            return None
        chain = [g]
        n = came[goal_id]
        while n != -2:
            chain.append(nodes[n])
            n = came[n]
        chain.append(s)
        chain.reverse()
        return _dedupe([start] + self._pull(chain))

    def path_to_stand(self, start: Vec, stand: StandPlace) -> list[Vec] | None:
        front = self.fronts.get(stand.number)
        if front is None:
            return None
        return self.path(start, (front.x, front.y))

    def reachable(self, a: Vec, b: Vec) -> bool:
        return self.path(a, b) is not None

    def segment_clear(self, a: Vec, b: Vec) -> bool:
        """True when the whole segment a-b lies in the navigable region (exactly, not by sampling).

        Each piece nearby covers an interval of the segment (Liang-Barsky clipping); the segment
        is clear when those intervals cover it from end to end.
        """
        ax, ay = a
        dx, dy = b[0] - ax, b[1] - ay
        box = Rect(min(ax, b[0]), min(ay, b[1]), max(ax, b[0]), max(ay, b[1]))
        spans = []
        for piece, _ in self.piece_index.near(box):
            span = _clip(ax, ay, dx, dy, piece)
            if span is not None:
                spans.append(span)
        reach = 0.0
        for t0, t1 in sorted(spans):
            if t0 > reach + 1e-9:
                return False
            reach = max(reach, t1)
            if reach >= 1.0 - 1e-9:
                return True
        return False

    def _pull(self, chain: list[Vec]) -> list[Vec]:
        """Drop the waypoints that a clear straight line lets the walker skip: from each kept one, the line goes on
        to the next waypoint as long as it stays clear (short lines first: cheap to check)."""
        if len(chain) <= 2:
            return chain
        out = [chain[0]]
        i = 0
        while i < len(chain) - 1:
            j = i + 1
            while j + 1 < len(chain) and self.segment_clear(chain[i], chain[j + 1]):
                j += 1
            out.append(chain[j])
            i = j
        return out

    # -- building ------------------------------------------------------------------------------
    def _build_pieces(self) -> list[Rect]:
        return eroded_cover(self.alleys, self.radius)

    def _add_node(self, point: Vec) -> int:
        nid = len(self.nodes)
        self.nodes.append(point)
        self.adjacency.append([])
        for piece in self.pieces_at(*point):
            self.piece_nodes[piece].append(nid)
        return nid

    def _build_portals(self) -> None:
        seen: set[Vec] = set()
        for i, p in enumerate(self.pieces):
            for q, j in self.piece_index.touching(p):
                if j <= i:
                    continue
                c = p.intersection(q).center
                c = (round(c[0], 2), round(c[1], 2))
                if c not in seen:
                    seen.add(c)
                    self._add_node(c)

    def _connect(self) -> None:
        nodes = self.nodes
        linked: set[tuple[int, int]] = set()
        for members in self.piece_nodes:
            for a_i, a in enumerate(members):
                ax, ay = nodes[a]
                for b in members[a_i + 1:]:
                    key = (a, b) if a < b else (b, a)
                    if key in linked:
                        continue
                    linked.add(key)
                    w = math.hypot(nodes[b][0] - ax, nodes[b][1] - ay)
                    self.adjacency[a].append((b, w))
                    self.adjacency[b].append((a, w))

    def _components(self) -> list[int]:
        comp = [-1] * len(self.nodes)
        for start in range(len(self.nodes)):
            if comp[start] != -1:
                continue
            comp[start] = start
            stack = [start]
            while stack:
                u = stack.pop()
                for v, _ in self.adjacency[u]:
                    if comp[v] == -1:
                        comp[v] = start
                        stack.append(v)
        return comp

    def _front(self, stand: StandPlace) -> StandFront | None:
        """The spot in front of the stand's side with the longest stretch of alley beside it.

        Works for stands along an alley (touching it) and for island stands standing in a wide one.
        """
        r, s = self.radius, stand.rect
        off = r + FRONT_GAP
        best: tuple[float, StandFront] | None = None
        sides = (  # (strip just outside the side, horizontal side?, outward sign)
            (Rect(s.x0, s.y0 - 1, s.x1, s.y0), True, -1),
            (Rect(s.x0, s.y1, s.x1, s.y1 + 1), True, 1),
            (Rect(s.x0 - 1, s.y0, s.x0, s.y1), False, -1),
            (Rect(s.x1, s.y0, s.x1 + 1, s.y1), False, 1),
        )
        for strip, horizontal, sign in sides:
            spans = []
            for a, _ in self.alley_index.near(strip):
                cover = a.intersection(strip)
                thickness = cover.height if horizontal else cover.width
                if not cover.is_empty() and thickness >= 1 - 1e-9:  # the alley lies right along the side
                    spans.append((cover.x0, cover.x1) if horizontal else (cover.y0, cover.y1))
            for lo, hi in _merge(spans):
                if hi - lo <= 2 * r or (best is not None and hi - lo <= best[0]):
                    continue
                mid = (lo + hi) / 2
                x, y = (mid, (s.y0 if sign < 0 else s.y1) + sign * off) if horizontal else \
                    ((s.x0 if sign < 0 else s.x1) + sign * off, mid)
                spot = self.nearest_walkable(x, y, reach=off)
                if spot is not None:
                    best = (hi - lo, StandFront(stand, spot[0], spot[1]))
        return best[1] if best else None


def _clip(ax: float, ay: float, dx: float, dy: float, r: Rect) -> tuple[float, float] | None:
    """The part [t0, t1] of the segment a + t*(dx, dy), t in [0, 1], inside the closed rectangle."""
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, ax - r.x0), (dx, r.x1 - ax), (-dy, ay - r.y0), (dy, r.y1 - ay)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return None
            t0 = max(t0, t)
        else:
            if t < t0:
                return None
            t1 = min(t1, t)
    return (t0, t1)


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _dedupe(points: list[Vec]) -> list[Vec]:
    out: list[Vec] = []
    for p in points:
        if not out or math.hypot(p[0] - out[-1][0], p[1] - out[-1][1]) > 0.5:
            out.append(p)
    return out
