"""Keeping the route in step with the backend's versioned copy (GET/PUT /api/v1/me/route, 409 on a stale write).

Calls run on the network layer's workers; their answers come back through the app's event loop to `answer`.
One call is in flight at a time: an edit made meanwhile is sent once the answer is in. While the server does
not answer, edits wait in the route (marked dirty, kept on disk); when it answers again the route is read
first, so an edit made offline is merged with what changed there, or the conflict is kept for the visitor.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

from expo_hall.net.errors import ApiError, Conflict, NetError, unreachable
from expo_hall.route.store import Route

log = logging.getLogger("expo_hall.route")
TAG = "route"


class RouteSync:
    def __init__(self, route: Route, network: Any | None) -> None:
        self.route = route
        self.network = network  # expo_hall.net.Network; None without a backend (the route stays local)
        self.busy = False
        self.wanted: str | None = None  # "pull" or "push": what to do once the call in flight is answered
        self.refused: str | None = None  # the server's word on a route it would not take (e.g. unknown stands)
        self.changes = 0  # bumped on every answer that changed the route (screens redraw on it)

    def pull(self) -> None:
        """Read the server's route (at start, and when the server answers again after a silence)."""
        if self.network is None:
            return
        if self.busy:
            self.wanted = "pull"
            return
        self.busy = True
        self.network.call((TAG, "get"), self.network.client.route)

    def push(self) -> None:
        """Send our stops when they changed (not while a conflict waits for the visitor's choice)."""
        if self.network is None or self.route.conflict is not None or not self.route.dirty:
            return
        if self.busy:
            self.wanted = self.wanted or "push"
            return
        self.busy = True
        self.refused = None
        sent = list(self.route.stops)
        self.network.call((TAG, "put", tuple(sent)), self.network.client.put_route, sent, self.route.version)

    def resolve(self, choice: str) -> None:
        if self.route.resolve(choice):
            self.push()
        self.changes += 1

    def answer(self, tag: Hashable, result: Any) -> bool:
        """A network answer; False when it is not ours."""
        if not (isinstance(tag, tuple) and tag and tag[0] == TAG):
            return False
        self.busy = False
        route = self.route
        if isinstance(result, Conflict):
            self.pull()  # moved on elsewhere: read it, then merge or ask
            return True
        if isinstance(result, NetError):
            if isinstance(result, ApiError) and not result.transient and not unreachable(result):
                self.refused = result.message
                log.warning("the server refused the route: %s", result.message)
            self._follow_up(send=False)
            return True
        if isinstance(result, BaseException):
            log.error("route call %r failed: %s", tag, result)
            return True
        if tag[1] == "get":
            visited = [(v.exhibitor_id, v.first_at) for v in result.visited]
            send = route.server_said(result.version, list(result.planned), visited)
        else:
            send = route.pushed(list(tag[2]), result.version)
        self.changes += 1
        self._follow_up(send)
        return True

    def _follow_up(self, send: bool) -> None:
        wanted, self.wanted = self.wanted, None
        if wanted == "pull":
            self.pull()
        elif send or wanted == "push":
            self.push()
