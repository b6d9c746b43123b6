"""Following something on the server by long polling, on a thread of its own, and the one backoff every retry
loop of the network layer waits with: chat rooms (`LongPoller`), a stand's inbox (`reps.inbox`), the outbox.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from expo_hall.net.errors import ApiError, NetError, unreachable

log = logging.getLogger("expo_hall.net")
T = TypeVar("T")


ASKED_MAX = 300.0  # the longest wait a server's Retry-After makes a client keep to (a longer one is a fault)


@dataclass(frozen=True)
class Backoff:
    """Waits after failures in a row: first, 2 × first, 4 × first... at most `most`, each times 1 ± `jitter` at
    random, so that clients cut off together do not all come back in the same instant."""

    first: float = 0.5
    most: float = 30.0
    jitter: float = 0.2

    def delay(self, failures: int, error: BaseException | None = None) -> float:
        """Seconds to wait after the `failures`-th failure in a row (1 for the first), and at least what the
        server asked for with `error` (its Retry-After, up to ASKED_MAX: clients refused together by an overloaded
        server do not come back together either)."""
        base = min(self.most, self.first * 2 ** max(0, failures - 1))
        wait = base * random.uniform(1 - self.jitter, 1 + self.jitter)
        asked = getattr(error, "retry_after", None)
        if not asked:
            return wait
        return max(wait, min(asked, ASKED_MAX) * random.uniform(1, 1 + self.jitter))  # spread, never sooner


def gives_up(error: NetError) -> bool:
    """A refusal that will not pass by waiting (4xx but 408 and 429: the room is gone, not ours)."""
    return isinstance(error, ApiError) and not error.transient and not unreachable(error)


class Follow(Generic[T]):
    """Calls `poll()` (a long poll) again and again on a daemon thread until `stop()`, and hands each answer to
    `take(answer)` on that thread. A failure that may pass (offline, 5xx, 429) waits `backoff`, cut short by
    `wake()` (the backend is back); one that will not (`gives_up`), or a bug, goes to `fail(error)` once, and
    the thread ends. Nothing is handed on after `stop()`."""

    def __init__(self, name: str, poll: Callable[[], T], take: Callable[[T], None],
                 fail: Callable[[BaseException], None], backoff: Backoff | None = None) -> None:
        self.name = name
        self.poll = poll
        self.take = take
        self.fail = fail
        self.backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Follow[T]:
        self.thread.start()
        return self

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """No more polls; one under way ends within its timeout, and what it brings is dropped."""
        self._stop.set()
        self._wake.set()

    def wake(self) -> None:
        """Try again now if waiting after a failure."""
        self._wake.set()

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                answer = self.poll()
            except NetError as exc:
                if gives_up(exc):
                    if not self._stop.is_set():
                        self.fail(exc)
                    return
                failures += 1
                self._wake.clear()
                self._wake.wait(self.backoff.delay(failures, exc))
                continue
            except Exception as exc:  # a bug: say so once and stop rather than spin
                log.exception("%s failed", self.name)
                if not self._stop.is_set():
                    self.fail(exc)
                return
            failures = 0
            if self._stop.is_set():
                return
            self.take(answer)
