"""The chat as server-sent events: one hub per worker, one feed per room with listeners.

A room's feed waits on the notifier like a long poll, reads what is new once per wake-up, and hands the same
bytes to every listener of the room: no database query per listener. A listener behind the feed (it resumed from
an older id, or it fell so far behind that its queue was dropped) first catches up from the database on its own,
so every listener gets every message after the id it started from, once and in order.

Each event is `id: <last message id>`, `event: messages`, `data: <MessagePage JSON>`; a client resumes with
`Last-Event-ID`. A comment line goes out at once (proxies and clients see the stream flowing) and whenever
a room has been quiet for `keepalive` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from expo_hall.server.chat import Chat, RoomInfo
from expo_hall.server.notify import Notifier, room_key
from expo_hall.server.schemas import MessageOut, MessagePage

log = logging.getLogger("expo_hall.server")

BATCH = 200  # messages a feed or a catching-up listener reads at once
QUEUE_MAX = 256  # pages waiting for one listener; beyond that it is dropped and the listener reads the database
HELLO = b"retry: 2000\n: stream\n\n"
KEEPALIVE = b": keepalive\n\n"


def event(messages: list[MessageOut]) -> bytes:
    data = MessagePage(messages=messages, has_more=False).model_dump_json()
    return f"id: {messages[-1].id}\nevent: messages\ndata: {data}\n\n".encode()


@dataclass(frozen=True)
class Page:
    """What a feed read once: the messages after `prev`, and their event."""

    prev: int
    messages: list[MessageOut]
    frame: bytes

    @property
    def last(self) -> int:
        return self.messages[-1].id


class Listener:
    """One open stream's queue of pages (None: a keepalive)."""

    def __init__(self) -> None:
        self.pages: deque[Page | None] = deque()
        self.lagged = False
        self.ready = asyncio.Event()

    def put(self, page: Page | None) -> None:
        if len(self.pages) >= QUEUE_MAX:
            self.pages.clear()
            self.lagged = True
        self.pages.append(page)
        self.ready.set()

    def take(self) -> list[Page | None]:
        pages, self.pages = list(self.pages), deque()
        self.ready.clear()
        return pages


class Feed:
    """A room's reader for this worker; runs while the room has listeners."""

    def __init__(self, hub: Hub, room_id: int) -> None:
        self.hub = hub
        self.room_id = room_id
        self.last: int | None = None  # the newest id handed out (None: not known yet)
        self.listeners: set[Listener] = set()
        self.task = asyncio.create_task(self._run(), name=f"feed-{room_id}")

    async def _fetch(self) -> tuple[list[MessageOut], bool] | None:
        assert self.last is not None
        messages, more = await self.hub.chat.messages_after(self.room_id, self.last, BATCH)
        return (messages, more) if messages else None

    async def _run(self) -> None:
        notifier, key = self.hub.notifier, room_key(self.room_id)
        failures = 0
        while True:
            try:
                if self.last is None:
                    self.last = await self.hub.chat.newest_id(self.room_id)
                    for listener in self.listeners:  # a message newer than their catch-up may be below `last`
                        listener.ready.set()
                found = await notifier.wait_for(key, self.last, self._fetch, self.hub.keepalive, self.hub.recheck)
                failures = 0
            except Exception as exc:  # noqa: BLE001  # the database away: listeners get keepalives, the feed retries
                failures += 1
                log.warning("chat feed of room %s: %s", self.room_id, exc)
                found = None
                await asyncio.sleep(min(5.0, 0.2 * 2 ** failures))
            if found is None:
                for listener in self.listeners:
                    listener.put(None)
                continue
            messages, _ = found
            page = Page(self.last, messages, event(messages))
            self.last = page.last
            for listener in self.listeners:
                listener.put(page)


class Hub:
    def __init__(self, chat: Chat, notifier: Notifier, keepalive: float, recheck: float) -> None:
        self.chat = chat
        self.notifier = notifier
        self.keepalive = keepalive
        self.recheck = recheck
        self.feeds: dict[int, Feed] = {}

    @property
    def listeners(self) -> int:
        return sum(len(feed.listeners) for feed in self.feeds.values())

    def _join(self, room_id: int, listener: Listener) -> Feed:
        feed = self.feeds.get(room_id)
        if feed is None:
            feed = self.feeds[room_id] = Feed(self, room_id)
        feed.listeners.add(listener)
        return feed

    def _leave(self, feed: Feed, listener: Listener) -> None:
        feed.listeners.discard(listener)
        if not feed.listeners and self.feeds.get(feed.room_id) is feed:
            del self.feeds[feed.room_id]
            feed.task.cancel()

    async def events(self, room: RoomInfo, after: int, seconds: float,
                     allowed: Callable[[], bool]) -> AsyncIterator[bytes]:
        """The stream's bytes: every message of the room after `after`, for `seconds` at most, while `allowed()`
        (the token is still valid)."""
        listener = Listener()
        feed = self._join(room.id, listener)
        deadline = asyncio.get_running_loop().time() + seconds
        try:
            yield HELLO
            while allowed() and not self.notifier.closing:
                while feed.last is None or after < feed.last:  # behind the feed: catch up from the database
                    messages, _ = await self.chat.messages_after(room.id, after, BATCH)
                    if not messages:
                        break
                    after = messages[-1].id
                    yield event(messages)
                    if not allowed():
                        return
                try:
                    async with asyncio.timeout_at(deadline):
                        await listener.ready.wait()
                except TimeoutError:
                    return
                lagged, listener.lagged = listener.lagged, False
                out: list[bytes] = []
                for page in listener.take():
                    if page is None:
                        out.append(KEEPALIVE)
                    elif lagged or page.prev > after:
                        break  # a gap: the catch-up above reads it
                    elif page.prev == after:
                        out.append(page.frame)
                        after = page.last
                    else:
                        fresh = [m for m in page.messages if m.id > after]
                        if fresh:
                            out.append(event(fresh))
                            after = fresh[-1].id
                if out and allowed():
                    yield b"".join(out)
        finally:
            self._leave(feed, listener)

    def wake_all(self) -> None:
        """The server is stopping (the notifier is closing): every open stream looks again, and ends."""
        for feed in self.feeds.values():
            for listener in feed.listeners:
                listener.ready.set()

    async def close(self) -> None:
        feeds, self.feeds = list(self.feeds.values()), {}
        for feed in feeds:
            feed.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feed.task
