"""Rate limits on what a script would flood: registrations, chat sends, stand visits, material downloads, and
questions and votes in the programme's Q&A.

In-memory token buckets per visitor (token) and per client address, in each worker process: with N workers
a client whose connections the kernel spreads over all of them gets up to N times the limit. The buckets run
on the server's clock (`Settings.clock`), so tests can move time; a clock set back only delays the refill.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Hashable
from typing import Literal

from fastapi import HTTPException, Request

from expo_hall.server.auth import CurrentUser, OptionalUser, Principal
from expo_hall.server.settings import Rate, RateLimits

Action = Literal["register", "send", "visit", "download", "question", "vote"]
_NOUNS = {"register": "registrations", "send": "messages", "visit": "stand visits", "download": "downloads",
          "question": "questions", "vote": "votes"}


class Buckets:
    """The token buckets of one rate, by key. Used from the event loop thread only."""

    SWEEP_AT = 10_000  # keys held before full buckets (the same as none) are forgotten

    def __init__(self, rate: Rate) -> None:
        self.capacity = float(rate.burst)
        self.per_second = rate.per_minute / 60
        self._levels: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, at)
        self._sweep_at = self.SWEEP_AT

    def wait(self, key: Hashable, now: float) -> float:
        """Seconds until `key` may make a request (0: now)."""
        level = self._level(key, now)
        return 0.0 if level >= 1 else (1 - level) / self.per_second

    def take(self, key: Hashable, now: float) -> None:
        self._levels[key] = (self._level(key, now) - 1, now)
        if len(self._levels) > self._sweep_at:
            self._levels = {k: v for k, v in self._levels.items() if self._refill(*v, now) < self.capacity}
            self._sweep_at = max(self.SWEEP_AT, 2 * len(self._levels))

    def _level(self, key: Hashable, now: float) -> float:
        held = self._levels.get(key)
        return self.capacity if held is None else self._refill(*held, now)

    def _refill(self, tokens: float, at: float, now: float) -> float:
        return min(self.capacity, tokens + max(0.0, now - at) * self.per_second)


class RateLimiter:
    def __init__(self, limits: RateLimits, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock
        self._buckets = {field.name: Buckets(rate) for field in dataclasses.fields(limits)
                         if (rate := getattr(limits, field.name)) is not None}

    def check(self, action: Action, user_id: int | None, address: str | None) -> None:
        """Count one request of `action` by this visitor and address, or refuse it (429, nothing counted) when
        either is over its limit."""
        now = self.clock().timestamp()
        keyed = [(bucket, key, who) for name, key, who in ((f"{action}_per_token", user_id, "account"),
                                                           (f"{action}_per_address", address, "address"))
                 if key is not None and (bucket := self._buckets.get(name)) is not None]
        waits = [(bucket.wait(key, now), who) for bucket, key, who in keyed]
        wait, who = max(waits, default=(0.0, ""))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise HTTPException(429, f"too many {_NOUNS[action]} from this {who}; try again in {seconds} s",
                                {"Retry-After": str(seconds)})
        for bucket, key, _who in keyed:
            bucket.take(key, now)


def client_address(request: Request) -> str | None:
    """The peer's address as this server sees it (behind a reverse proxy: the proxy's)."""
    return request.client.host if request.client else None


def _limiter(request: Request) -> RateLimiter:
    return request.app.state.server.limiter


async def limit_registrations(request: Request) -> None:
    _limiter(request).check("register", None, client_address(request))


async def limit_sends(request: Request, who: CurrentUser) -> None:
    _limiter(request).check("send", who.id, client_address(request))


async def limit_visits(request: Request, who: CurrentUser) -> None:
    _limiter(request).check("visit", who.id, client_address(request))


async def limit_downloads(request: Request, who: OptionalUser) -> Principal | None:
    """Downloads are public: limited per token when the request carries a known one, and per address."""
    _limiter(request).check("download", who.id if who else None, client_address(request))
    return who


async def limit_questions(request: Request, who: CurrentUser) -> None:
    _limiter(request).check("question", who.id, client_address(request))


async def limit_votes(request: Request, who: CurrentUser) -> None:
    _limiter(request).check("vote", who.id, client_address(request))
