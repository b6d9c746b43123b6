"""The visitor in the hall: where they stand, how they walk, and the lifts that take them elsewhere.

Plain Python driven by `step(dt, direction)`; the hall screen turns its results into what is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from expo_hall.expo import Expo
from expo_hall.floors.geometry import Vec
from expo_hall.floors.model import Floor, MapPoint, StandPlace
from expo_hall.floors.navigation import NavMesh

WALK_SPEED = 280.0  # pixels per second
TRANSFER_RADIUS = 22.0  # how close to a lift's point counts as walking into it
ARRIVE_EPS = 1.0


@dataclass(frozen=True)
class ArrivedAtStand:
    stand: StandPlace


@dataclass(frozen=True)
class ChangedFloor:
    floor: Floor
    via: MapPoint | None  # the lift or stairs taken; None for a jump (floor selector, search)


@dataclass(frozen=True)
class Blocked:
    """An automatic walk could not go on (the way is blocked)."""


VisitorEvent = ArrivedAtStand | ChangedFloor | Blocked


class Visitor:
    def __init__(self, expo: Expo, floor_id: str, point: str | None = None) -> None:
        self.expo = expo
        self.floor: Floor
        self.nav: NavMesh
        self.x = self.y = 0.0
        self.path: list[Vec] = []
        self.target_stand: StandPlace | None = None
        self._armed: set[str] = set()
        self._stuck = 0.0
        self.place(floor_id, point)

    @property
    def pos(self) -> Vec:
        return (self.x, self.y)

    @property
    def walking(self) -> bool:
        return bool(self.path)

    def place(self, floor_id: str, point: str | None = None) -> None:
        """Put the visitor on a floor at a named point (the spawn when absent or unknown)."""
        floor = self.expo.floor(floor_id)
        if floor is None:
            raise KeyError(floor_id)
        self.floor, self.nav = floor, self.expo.nav(floor_id)
        self.x, self.y = self.nav.arrival(point)
        self.stop()
        # Lifts we stand on now fire only after we step off them: no ping-pong between floors.
        self._armed = {p.name for p in floor.transfers if not self._on(p)}

    def keep_on(self, expo: Expo) -> None:
        """The expo was read again: stand where you stood, or on the nearest walkable spot if that one is gone
        (the first floor's arrival when the floor itself is gone)."""
        x, y = self.pos
        self.expo = expo
        floor = expo.floor(self.floor.floor_id)
        if floor is None:
            self.place(expo.floors[0].floor_id)
            return
        self.floor, self.nav = floor, expo.nav(floor.floor_id)
        self.stop()
        if not self.nav.is_free(x, y):
            x, y = self.nav.nearest_walkable(x, y, reach=10_000) or self.nav.arrival()
        self.x, self.y = x, y
        self._armed = {p.name for p in floor.transfers if not self._on(p)}

    def stop(self) -> None:
        self.path = []
        self.target_stand = None

    def walk_to(self, x: float, y: float) -> bool:
        """Walk along the shortest way to a point; False when it cannot be reached."""
        path = self.nav.path(self.pos, (x, y))
        self.target_stand = None
        self.path = path[1:] if path else []
        return path is not None

    def walk_to_stand(self, stand: StandPlace) -> bool:
        """Walk to the stand's front; False when no alley leads there."""
        path = self.nav.path_to_stand(self.pos, stand)
        if path is None:
            self.stop()
            return False
        self.path = path[1:]
        self.target_stand = stand
        return True

    def step(self, dt: float, direction: Vec = (0.0, 0.0)) -> list[VisitorEvent]:
        events: list[VisitorEvent] = []
        dx, dy = direction
        manual = bool(dx or dy)
        if manual:
            self.stop()
            n = math.hypot(dx, dy)
            self._move(dx / n * WALK_SPEED * dt, dy / n * WALK_SPEED * dt)
        elif self.path or self.target_stand is not None:
            self._follow(dt, events)
        events.extend(self._check_transfers(manual))
        return events

    def _follow(self, dt: float, events: list[VisitorEvent]) -> None:
        budget = WALK_SPEED * dt
        while self.path and budget > 0:
            tx, ty = self.path[0]
            dist = math.hypot(tx - self.x, ty - self.y)
            if dist <= max(budget, ARRIVE_EPS):
                if self.nav.is_free(tx, ty):
                    self.x, self.y = tx, ty
                budget -= dist
                self.path.pop(0)
                continue
            before = self.pos
            self._move((tx - self.x) / dist * budget, (ty - self.y) / dist * budget)
            if math.hypot(self.x - before[0], self.y - before[1]) < budget * 0.2:
                self._stuck += dt
                if self._stuck > 0.5:
                    self.stop()
                    events.append(Blocked())
                    return
            else:
                self._stuck = 0.0
            budget = 0
        if not self.path and self.target_stand is not None:
            events.append(ArrivedAtStand(self.target_stand))
            self.target_stand = None

    def _move(self, mx: float, my: float) -> None:
        """Move by (mx, my), sliding along walls; in steps small enough never to jump a stand."""
        steps = max(1, math.ceil(max(abs(mx), abs(my)) / (self.nav.radius / 2)))
        sx, sy = mx / steps, my / steps
        for _ in range(steps):
            if self._try(sx, sy):
                continue
            moved_x = sx != 0 and self._try_part(sx, 0.0)
            moved_y = sy != 0 and self._try_part(0.0, sy)
            if not (moved_x or moved_y):
                break

    def _try(self, dx: float, dy: float) -> bool:
        if self.nav.is_free(self.x + dx, self.y + dy):
            self.x += dx
            self.y += dy
            return True
        return False

    def _try_part(self, dx: float, dy: float) -> bool:
        """Go as far along (dx, dy) as is free, to within 1/64 of it: the avatar stops against walls."""
        if self._try(dx, dy):
            return True
        lo, hi = 0.0, 1.0
        for _ in range(6):
            mid = (lo + hi) / 2
            if self.nav.is_free(self.x + dx * mid, self.y + dy * mid):
                lo = mid
            else:
                hi = mid
        if lo == 0.0:
            return False
        self.x += dx * lo
        self.y += dy * lo
        return True

    def _on(self, point: MapPoint) -> bool:
        px, py = self.nav.point_nodes.get(point.name, (point.x, point.y))
        return math.hypot(px - self.x, py - self.y) <= TRANSFER_RADIUS

    def _check_transfers(self, manual: bool) -> list[VisitorEvent]:
        for point in self.floor.transfers:
            on = self._on(point)
            if not on:
                self._armed.add(point.name)
                continue
            if point.name not in self._armed:
                continue
            heading_here = not self.path or self._on_goal(point)
            if manual or heading_here:
                assert point.to_floor is not None
                self.place(point.to_floor, point.to_point)
                return [ChangedFloor(self.floor, point)]
        return []

    def _on_goal(self, point: MapPoint) -> bool:
        gx, gy = self.path[-1]
        px, py = self.nav.point_nodes.get(point.name, (point.x, point.y))
        return math.hypot(px - gx, py - gy) <= TRANSFER_RADIUS
