"""Standing at a stand's front: after `DWELL_SECONDS` of the app's clock there, the stand counts as visited."""

from __future__ import annotations

import math

from expo_hall.floors.geometry import Vec
from expo_hall.floors.navigation import NavMesh, StandFront
from expo_hall.route.store import DWELL_SECONDS

FRONT_REACH = 24.0  # pixels from a front that still count as standing at it (the avatar's size, about)


class DwellWatch:
    def __init__(self, seconds: float = DWELL_SECONDS, reach: float = FRONT_REACH) -> None:
        self.seconds, self.reach = seconds, reach
        self.front: StandFront | None = None
        self.stood = 0.0
        self._where: tuple[int, Vec] | None = None  # (the mesh's id, the position) the front was looked up for
        self._done = False

    def step(self, dt: float, nav: NavMesh, pos: Vec) -> str | None:
        """Advance by dt; the exhibitor id at the moment the visitor has stood long enough at its front."""
        where = (id(nav), pos)
        if where != self._where:  # looked up only when the visitor moved
            self._where = where
            front = self._front_at(nav, pos)
            if front is not self.front:
                self.front, self.stood, self._done = front, 0.0, False
        if self.front is None or self._done:
            return None
        self.stood += dt
        if self.stood >= self.seconds:
            self._done = True
            return self.front.stand.exhibitor_id
        return None

    def left(self) -> float | None:
        """Seconds until the stand the visitor stands at counts as visited (None: nothing to wait for), so an
        idle loop wakes for it."""
        if self.front is None or self._done:
            return None
        return max(0.0, self.seconds - self.stood)

    def _front_at(self, nav: NavMesh, pos: Vec) -> StandFront | None:
        best, best_d = None, self.reach
        for front in nav.fronts.values():
            d = math.hypot(front.x - pos[0], front.y - pos[1])
            if d <= best_d:
                best, best_d = front, d
        return best
