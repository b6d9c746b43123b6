"""Server-sent event streams (the chat's rooms, the programme's Q&A): one hub per kind and worker, one feed per topic
(a room, an event) with listeners.

A topic's feed waits on the notifier like a long poll, reads what is new once per wake-up, and hands the same
bytes to every listener of the same audience (a Q&A's visitors and moderators see different frames of one read): no
database query per listener. A listener behind the feed (it resumed from an older id, or it fell so far behind that
its queue was dropped) first catches up from the database on its own, so every listener gets every change after the
id it started from, once and in order. A read with nothing for an audience (a question only moderators see) moves
that audience's listeners on without waking them.

Each event is `id: <position>`, `event: <kind>`, `data: <JSON>`; a client resumes with `Last-Event-ID`. A comment
line goes out at once (proxies and clients see the stream flowing) and whenever a topic has been quiet for
`keepalive` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass
from typing import Protocol

from expo_hall.server.chat import Chat
from expo_hall.server.notify import Notifier, room_key
from expo_hall.server.schemas import MessageOut, MessagePage

log = logging.getLogger("expo_hall.server")

BATCH = 200  # rows a feed or a catching-up listener reads at once
QUEUE_MAX = 256  # pages waiting for one listener; beyond that it is dropped and the listener reads the database
HELLO = b"retry: 2000\n: stream\n\n"
KEEPALIVE = b": keepalive\n\n"


def sse(kind: str, position: int, data: str) -> bytes:
    return f"id: {position}\nevent: {kind}\ndata: {data}\n\n".encode()


def event(messages: list[MessageOut]) -> bytes:
    return sse("messages", messages[-1].id, MessagePage(messages=messages, has_more=False).model_dump_json())


@dataclass(frozen=True)
class Page:
    """What a feed (or a catching-up listener) read once: the changes after `prev` up to `last`, as each audience's
    event (None: nothing for that audience)."""

    prev: int
    last: int
    frames: dict[Hashable, bytes | None]


class Source(Protocol):
    """What a hub streams: the notifier key of a topic, its newest position, and one read of what follows one (`live`:
    the feed's read, whose pages every listener gets in order; else a listener's catch-up)."""

    def key(self, topic: Hashable) -> str: ...

    async def newest(self, topic: Hashable) -> int: ...

    async def read(self, topic: Hashable, after: int, live: bool) -> Page | None: ...


class Listener:
    """One open stream's queue of pages (None: a keepalive), for one audience."""

    def __init__(self, audience: Hashable) -> None:
        self.audience = audience
        self.pages: deque[Page | None] = deque()
        self.lagged = False
        self.ready = asyncio.Event()

    def put(self, page: Page | None) -> None:
        if page is not None and page.frames.get(self.audience) is None:  # nothing to send: move on, quietly
            tail = self.pages[-1] if self.pages else None
            if tail is not None and tail.last == page.prev:
                self.pages[-1] = Page(tail.prev, page.last, tail.frames)
            else:
                self.pages.append(page)
            return
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
    """A topic's reader for this worker; runs while the topic has listeners."""

    def __init__(self, hub: Hub, topic: Hashable) -> None:
        self.hub = hub
        self.topic = topic
        self.last: int | None = None  # the newest position handed out (None: not known yet)
        self.listeners: set[Listener] = set()
        self.task = asyncio.create_task(self._run(), name=f"feed-{topic}")

    async def _fetch(self) -> Page | None:
        assert self.last is not None
        return await self.hub.source.read(self.topic, self.last, live=True)

    async def _run(self) -> None:
        source, notifier = self.hub.source, self.hub.notifier
        key = source.key(self.topic)
        failures = 0
        while True:
            try:
                if self.last is None:
                    self.last = await source.newest(self.topic)
                    for listener in self.listeners:  # a change newer than their catch-up may be below `last`
                        listener.ready.set()
                page = await notifier.wait_for(key, self.last, self._fetch, self.hub.keepalive, self.hub.recheck)
                failures = 0
            except Exception as exc:  # noqa: BLE001  # the database away: listeners get keepalives, the feed retries
                failures += 1
                log.warning("stream feed of %s: %s", self.topic, exc)
                page = None
                await asyncio.sleep(min(5.0, 0.2 * 2 ** failures))
            if page is None:
                for listener in self.listeners:
                    listener.put(None)
                continue
            self.last = page.last
            for listener in self.listeners:
                listener.put(page)


class Hub:
    def __init__(self, source: Source, notifier: Notifier, keepalive: float, recheck: float) -> None:
        self.source = source
        self.notifier = notifier
        self.keepalive = keepalive
        self.recheck = recheck
        self.feeds: dict[Hashable, Feed] = {}

    @property
    def listeners(self) -> int:
        return sum(len(feed.listeners) for feed in self.feeds.values())

    def _join(self, topic: Hashable, listener: Listener) -> Feed:
        feed = self.feeds.get(topic)
        if feed is None:
            feed = self.feeds[topic] = Feed(self, topic)
        feed.listeners.add(listener)
        return feed

    def _leave(self, feed: Feed, listener: Listener) -> None:
        feed.listeners.discard(listener)
        if not feed.listeners and self.feeds.get(feed.topic) is feed:
            del self.feeds[feed.topic]
            feed.task.cancel()

    async def events(self, topic: Hashable, audience: Hashable, after: int, seconds: float,
                     allowed: Callable[[], bool]) -> AsyncIterator[bytes]:
        """The stream's bytes: every change of `topic` after `after` as `audience` sees it, for `seconds` at most,
        while `allowed()` (the token is still valid)."""
        listener = Listener(audience)
        feed = self._join(topic, listener)
        deadline = asyncio.get_running_loop().time() + seconds
        try:
            yield HELLO
            while allowed() and not self.notifier.closing:
                while feed.last is None or after < feed.last:  # behind the feed: catch up from the database
                    page = await self.source.read(topic, after, live=False)
                    if page is None:
                        break
                    after = page.last
                    frame = page.frames.get(audience)
                    if frame is not None:
                        yield frame
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
                    elif page.last <= after:
                        continue  # the catch-up read it already
                    elif lagged or page.prev != after:
                        break  # a gap, or a page the catch-up read part of: the catch-up above reads on
                    else:
                        frame = page.frames.get(audience)
                        if frame is not None:
                            out.append(frame)
                        after = page.last
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


class Rooms:
    """The chat's source: a room's messages, by id."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat

    def key(self, topic: Hashable) -> str:
        assert isinstance(topic, int)
        return room_key(topic)

    async def newest(self, topic: Hashable) -> int:
        assert isinstance(topic, int)
        return await self.chat.newest_id(topic)

    async def read(self, topic: Hashable, after: int, live: bool) -> Page | None:
        assert isinstance(topic, int)
        messages, _ = await self.chat.messages_after(topic, after, BATCH)
        return Page(after, messages[-1].id, {None: event(messages)}) if messages else None
