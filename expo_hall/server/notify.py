"""Waking long polls: an in-process notifier per key ("room:12", "inbox:<stand>", "qa:<event guid>"), fed by this
worker's posts and, on PostgreSQL, by LISTEN/NOTIFY from the other workers.

A notification is only a wake-up call: the rows are the truth, and waiters re-read the database
every `recheck` seconds anyway, so a lost notification delays a message, never loses it.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger("expo_hall.server")

CHANNEL = "expo_hall_chat"
T = TypeVar("T")


def room_key(room_id: int) -> str:
    return f"room:{room_id}"


def inbox_key(stand_id: str) -> str:
    return f"inbox:{stand_id}"


def questions_key(event_guid: str, moderators: bool) -> str:
    """A programme event's Q&A: the changes visitors see, or every change (the moderators')."""
    return f"{'qa-mod' if moderators else 'qa'}:{event_guid}"


class Notifier:
    """Per key: the newest message id known to this worker, and an event set when a newer one arrives.

    Used from the event loop thread only.
    """

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}
        self._latest: dict[str, int] = {}
        self.closing = False  # the server is stopping: held requests answer now, not at their timeout
        self._held: dict[str, int] = {}  # per key, the requests waiting on it now

    def waiting(self, key: str) -> bool:
        """Whether a request waits on `key` now (what a test holding a long poll waits for; a key once waited on
        is not enough: a poll with no timeout leaves its event behind)."""
        return self._held.get(key, 0) > 0

    def close(self) -> None:
        """The server is stopping: every wait ends at once (its answer is what it found, or nothing new), so
        the shutdown does not wait out the long polls and streams it holds."""
        self.closing = True
        self.wake_all()

    def seen(self, key: str, message_id: int) -> None:
        """Record a message id read from the database, without waking anyone."""
        if message_id > self._latest.get(key, 0):
            self._latest[key] = message_id

    def forget(self, key: str) -> None:
        """The newest id is not known (a read stopped at its limit): the next poll reads the database."""
        self._latest.pop(key, None)

    def publish(self, key: str, message_id: int) -> None:
        self.seen(key, message_id)
        event = self._events.pop(key, None)
        if event is not None:
            event.set()

    def wake_all(self) -> None:
        """After a gap in notifications (a reconnect): let every waiter re-read."""
        self._latest.clear()
        events, self._events = self._events, {}
        for event in events.values():
            event.set()

    async def wait_for(self, key: str, after: int, fetch: Callable[[], Awaitable[T | None]], timeout: float,
                       recheck: float) -> T | None:
        """What `fetch` finds newer than `after`, as soon as it finds anything, or None after `timeout` seconds.

        The event is taken before reading, so a post between the read and the wait still wakes us.
        The database is skipped while this worker knows of nothing newer than `after`, except
        every `recheck` seconds, which covers notifications lost between workers.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        must_read = True
        while True:
            event = self._events.get(key)
            if event is None:
                event = self._events[key] = asyncio.Event()
            latest = self._latest.get(key)
            if must_read or latest is None or latest > after:
                found = await fetch()
                if found is not None:
                    return found
            remaining = deadline - loop.time()
            if remaining <= 0 or self.closing:
                return None
            self._held[key] = self._held.get(key, 0) + 1
            try:
                async with asyncio.timeout(min(remaining, recheck)):
                    await event.wait()
                must_read = False
            except TimeoutError:
                must_read = True
            finally:
                self._held[key] -= 1


def notify_payload(keys: list[str], message_id: int) -> str:
    return " ".join([str(os.getpid()), str(message_id), *keys])


async def listen(dsn: str, notifier: Notifier) -> None:
    """Forward NOTIFYs from other workers to this worker's notifier, reconnecting forever (run as a task)."""
    import psycopg

    own_pid = str(os.getpid())
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                notifier.wake_all()  # anything published while we were not listening is re-read
                async for note in conn.notifies():
                    pid, message_id, *keys = note.payload.split(" ")
                    if pid != own_pid:
                        for key in keys:
                            notifier.publish(key, int(message_id))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001  # a dropped connection: pollers fall back to re-checking
            log.warning("LISTEN connection lost (%s); reconnecting", exc)
            await asyncio.sleep(1)
