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
import types
from collections import deque
from collections.abc import Callable, Coroutine, Generator, Hashable
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from expo_hall.server.chat import Chat
from expo_hall.server.notify import Notifier, room_key
from expo_hall.server.schemas import MessageOut, MessagePage

log = logging.getLogger("expo_hall.server")

BATCH = 200  # rows a feed or a catching-up listener reads at once
QUEUE_MAX = 256  # pages waiting for one listener; beyond that it is dropped and the listener reads the database
HELLO = b"retry: 2000\n: stream\n\n"
KEEPALIVE = b": keepalive\n\n"
BARE_SEND = "expo_hall.bare_send"  # the scope's key of the ASGI server's own `send`
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}  # nginx hands each event on at once


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
    """One open stream: where it stands (`after`: the last position it was given), its audience and its `send`.

    While it is live (caught up, its last write done) its feed writes each page to it directly, without waking the
    task that serves it; otherwise pages wait in `pages` for that task (at most QUEUE_MAX: beyond that they are
    dropped, `lagged` is set and the task reads the database instead)."""

    def __init__(self, audience: Hashable, after: int, send: Send, allowed: Callable[[], bool]) -> None:
        self.audience = audience
        self.after = after
        self.send = send
        self.allowed = allowed
        self.live = False
        self.ended = False
        self.lagged = False
        self.pages: deque[Page | None] = deque()
        self.writing: asyncio.Future[None] | None = None  # a write that waits for the client to read
        self.stalls = 0  # writes that had to wait so (the client read slowly)
        self._wake: asyncio.Future[None] | None = None

    def wake(self) -> None:
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)

    async def sleep(self) -> None:
        self._wake = asyncio.get_running_loop().create_future()
        await self._wake

    def end(self) -> None:
        self.ended, self.live = True, False
        self.wake()

    def offer(self, page: Page | None) -> None:
        """The feed's page (None: a keepalive): written at once when live, else queued for the serving task."""
        if not self.live:
            self._queue(page)
        elif page is None:
            self._write(KEEPALIVE)
        elif page.last <= self.after:
            return  # its catch-up read past this
        elif page.prev != self.after:  # a page its catch-up read part of: the serving task reads on
            self.live = False
            self._queue(page)
            self.wake()  # also when the page has nothing for its audience: the gap is read from the database
        else:
            frame = page.frames.get(self.audience)
            self.after = page.last
            if frame is not None:
                self._write(frame)

    def _queue(self, page: Page | None) -> None:
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
        self.wake()

    def _write(self, data: bytes) -> None:
        """Hands `data` to the server's `send` without a task switch: a send that does not wait finishes here; one
        that waits (the client reads slowly) goes on as a task while later pages queue."""
        if not self.allowed():  # the token was revoked: nothing more goes out
            self.end()
            return
        step = self.send({"type": "http.response.body", "body": data, "more_body": True})
        try:
            waits_for = step.send(None)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001  # the connection failed: the serving task ends the stream
            self.end()
            return
        self.live = False
        self.stalls += 1
        self.writing = asyncio.ensure_future(_resumed(step, waits_for))
        self.writing.add_done_callback(lambda _: self.wake())


async def _resumed(step: Coroutine[Any, Any, None], waits_for: Any) -> None:  # noqa: ANN401
    await _go_on(step, waits_for)


@types.coroutine
def _go_on(step: Coroutine[Any, Any, None], waits_for: Any) -> Generator[Any, Any, None]:  # noqa: ANN401
    """Runs a coroutine that already yielded `waits_for` on its first step, as the task awaiting it would have."""
    while True:
        try:
            sent = yield waits_for
        except GeneratorExit:
            step.close()
            raise
        except BaseException as exc:  # noqa: BLE001  # a cancellation or an error thrown in: the coroutine's own
            try:
                waits_for = step.throw(exc)
            except StopIteration:
                return
        else:
            try:
                waits_for = step.send(sent)
            except StopIteration:
                return


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
                        listener.wake()
                page = await notifier.wait_for(key, self.last, self._fetch, self.hub.keepalive, self.hub.recheck)
                failures = 0
            except Exception as exc:  # noqa: BLE001  # the database away: listeners get keepalives, the feed retries
                failures += 1
                log.warning("stream feed of %s: %s", self.topic, exc)
                page = None
                await asyncio.sleep(min(5.0, 0.2 * 2 ** failures))
            if page is not None:
                self.last = page.last
            for listener in list(self.listeners):  # a failed write ends (and removes) its listener
                listener.offer(page)


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

    async def serve(self, topic: Hashable, audience: Hashable, after: int, seconds: float,
                    allowed: Callable[[], bool], receive: Receive, send: Send) -> None:
        """The body of a stream whose headers went out: every change of `topic` after `after` as `audience` sees
        it, for `seconds` at most, while `allowed()` (the token is still valid) and the client is connected."""
        await send({"type": "http.response.body", "body": HELLO, "more_body": True})
        listener = Listener(audience, after, send, allowed)
        feed = self._join(topic, listener)
        loop = asyncio.get_running_loop()
        timer = loop.call_later(seconds, listener.end)
        gone = asyncio.ensure_future(_disconnected(receive, listener))
        try:
            await self._follow(topic, audience, feed, listener)
        except OSError:
            pass  # the connection failed under a write
        finally:
            timer.cancel()
            gone.cancel()
            listener.live = False
            self._leave(feed, listener)
            if listener.writing is not None and not listener.writing.done():
                listener.writing.cancel()
            with contextlib.suppress(Exception):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _follow(self, topic: Hashable, audience: Hashable, feed: Feed, listener: Listener) -> None:
        send = listener.send
        while not listener.ended and listener.allowed() and not self.notifier.closing:
            if listener.writing is not None:
                writing, listener.writing = listener.writing, None
                try:
                    await writing
                except Exception:  # noqa: BLE001  # the connection failed under the write: the stream ends
                    return
            while feed.last is None or listener.after < feed.last:  # behind the feed: catch up from the database
                page = await self.source.read(topic, listener.after, live=False)
                if page is None:
                    break
                listener.after = page.last
                frame = page.frames.get(audience)
                if frame is not None:
                    if not listener.allowed():
                        return
                    await send({"type": "http.response.body", "body": frame, "more_body": True})
            lagged, listener.lagged = listener.lagged, False
            pages, listener.pages = listener.pages, deque()
            out: list[bytes] = []
            gap = lagged
            for page in pages:
                if gap:
                    break
                if page is None:
                    out.append(KEEPALIVE)
                elif page.last <= listener.after:
                    continue  # the catch-up read it already
                elif page.prev != listener.after:
                    gap = True  # a page the catch-up read part of: the catch-up above reads on
                else:
                    frame = page.frames.get(audience)
                    if frame is not None:
                        out.append(frame)
                    listener.after = page.last
            if out:
                if not listener.allowed():
                    return
                await send({"type": "http.response.body", "body": b"".join(out), "more_body": True})
            if gap or listener.ended or listener.lagged or listener.pages or listener.writing is not None:
                continue  # more came while this task wrote
            if feed.last is not None:  # else the feed wakes its listeners once it knows where the topic stands
                if listener.after < feed.last:
                    continue
                listener.live = True  # from here the feed writes to it, until something wakes this task
            await listener.sleep()
            listener.live = False

    def wake_all(self) -> None:
        """The server is stopping (the notifier is closing): every open stream looks again, and ends."""
        for feed in self.feeds.values():
            for listener in feed.listeners:
                listener.end()

    async def close(self) -> None:
        feeds, self.feeds = list(self.feeds.values()), {}
        for feed in feeds:
            feed.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feed.task


class EventStream(Response):
    """A route's answer that is a hub's stream: the hub serves it with the ASGI `send` the route is answered with."""

    media_type = "text/event-stream"

    def __init__(self, hub: Hub, topic: Hashable, audience: Hashable, after: int, seconds: float,
                 allowed: Callable[[], bool]) -> None:
        self.status_code = 200
        self.background = None
        self.init_headers(HEADERS)
        self._stream = (hub, topic, audience, after, seconds, allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The headers go through the middleware's `send` (it learns that the answer started); the body's chunks,
        one per listener and change, straight to the server's (`BARE_SEND`, when the app put it in the scope)."""
        hub, topic, audience, after, seconds, allowed = self._stream
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await hub.serve(topic, audience, after, seconds, allowed, receive, scope.get(BARE_SEND, send))


async def _disconnected(receive: Receive, listener: Listener) -> None:
    """Ends the listener when its client goes away (the server's next message is the disconnect)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    listener.end()


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
