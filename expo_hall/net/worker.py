"""Calls off the main thread: a small pool of worker threads, and threads that follow chat rooms (stream or long poll).

Results go back through the `Deliver` callback the caller gives, as `(tag, result)`, where `result`
is what the call returned or the exception it raised. The app's callback posts a pygame event (thread-safe),
so the result is handled in the event loop and no frame waits on the network.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from expo_hall.net.client import ApiClient
from expo_hall.net.errors import Busy, NetError
from expo_hall.net.follow import Backoff, Follow
from expo_hall.server.schemas import MessagePage

log = logging.getLogger("expo_hall.net")

Deliver = Callable[[Hashable, Any], None]  # (tag, result or exception); called from the network threads
_STOP = object()


def safe_deliver(deliver: Deliver, tag: Hashable, result: Any) -> None:
    try:
        deliver(tag, result)
    except Exception:  # a failing callback must not kill the thread that delivers
        log.exception("delivering %r failed", tag)


class Worker:
    """`threads` daemon threads taking calls from a queue of at most `max_pending`.

    `submit` never blocks: each call it accepts is delivered exactly once, as `(tag, result)`; when the
    queue is full, `(tag, Busy(...))` is delivered at once instead and submit returns False.
    """

    def __init__(self, deliver: Deliver, threads: int = 4, max_pending: int = 256, name: str = "expo-net") -> None:
        self.deliver = deliver
        self._queue: queue.Queue[Any] = queue.Queue(max_pending)
        self._stopped = False
        self._threads = [threading.Thread(target=self._run, name=f"{name}-{i}", daemon=True) for i in range(threads)]
        for t in self._threads:
            t.start()

    def submit(self, tag: Hashable, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run `fn(*args, **kwargs)` on a worker; its result or exception is delivered with `tag`."""
        if self._stopped:
            raise RuntimeError("the worker is stopped")
        try:
            self._queue.put_nowait((tag, fn, args, kwargs))
        except queue.Full:
            safe_deliver(self.deliver, tag, Busy(f"{self._queue.maxsize} calls are waiting already"))
            return False
        return True

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop taking calls; calls still queued are dropped, and running ones finish within their timeouts
        (the threads are daemons, so the process may end without waiting)."""
        self._stopped = True
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        for _ in self._threads:
            try:
                self._queue.put_nowait(_STOP)
            except queue.Full:
                break
        for t in self._threads:
            t.join(timeout / max(1, len(self._threads)))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP or self._stopped:
                return
            tag, fn, args, kwargs = item
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:
                if not isinstance(exc, NetError):
                    log.exception("network call %r failed", tag)
                result = exc
            if not self._stopped:
                safe_deliver(self.deliver, tag, result)


class LongPoller:
    """Follows chat rooms, each on a thread of its own (at most `max_rooms`): by the server's stream of the room
    (server-sent events) when `stream`, else, and whenever the stream cannot be opened or nothing flows through it
    (a proxy that buffers), by long polling, trying the stream again `stream_retry` seconds later.

    New messages are delivered as `(tag, MessagePage)` (never an empty page), in order, each message once.
    While the backend is unreachable the thread waits (growing delays, cut short when `wake()` is called,
    e.g. by the status monitor coming back online) and then goes on from the last message it delivered.
    An error that will not pass (the room is gone, not ours: 4xx) is delivered as `(tag, ApiError)` and the
    room is no longer followed.
    """

    def __init__(self, client: ApiClient, deliver: Deliver, *, timeout: float = 20.0, max_rooms: int = 4,
                 retry_min: float = 0.5, retry_max: float = 30.0, stream: bool = True, stream_wait: float = 5.0,
                 stream_retry: float = 60.0) -> None:
        self.client = client
        self.deliver = deliver
        self.timeout = timeout
        self.stream = stream
        self.stream_wait = stream_wait  # seconds for the stream's first bytes, else it is held back: long poll
        self.stream_retry = stream_retry
        self.max_rooms = max_rooms
        self.backoff = Backoff(retry_min, retry_max)
        self._follows: dict[int, _Room] = {}
        self._lock = threading.Lock()

    def follow(self, room_id: int, tag: Hashable, after: int = 0) -> None:
        """Deliver the room's messages with ids above `after` (usually the last one of the history shown)."""
        with self._lock:
            current = self._follows.get(room_id)
            if current is not None and current.tag == tag:
                return
            if current is not None:
                current.stop()
            elif len(self._follows) >= self.max_rooms:
                raise RuntimeError(f"already following {self.max_rooms} rooms; unfollow one first")
            room = self._follows[room_id] = _Room(self, room_id, tag, after)
            room.follow.start()

    def unfollow(self, room_id: int) -> None:
        """Stop following; a poll under way ends within its timeout, and what it brings is dropped."""
        with self._lock:
            room = self._follows.pop(room_id, None)
            if room is not None:
                room.stop()

    def following(self) -> dict[int, int]:
        """room_id -> the last message id delivered."""
        with self._lock:
            return {room_id: room.after for room_id, room in self._follows.items()}

    def wake(self) -> None:
        """Rooms waiting to retry after a failure try again now."""
        with self._lock:
            for room in self._follows.values():
                room.follow.wake()

    def stop(self, timeout: float = 0.0) -> None:
        with self._lock:
            rooms, self._follows = list(self._follows.values()), {}
        for room in rooms:
            room.stop()
        if timeout > 0:
            for room in rooms:
                room.follow.thread.join(timeout / len(rooms))

    def _forget(self, room: _Room) -> None:
        with self._lock:
            if self._follows.get(room.room_id) is room:
                del self._follows[room.room_id]


class _Room:
    """One followed room: its stream or long poll, and the last message id delivered."""

    def __init__(self, poller: LongPoller, room_id: int, tag: Hashable, after: int) -> None:
        self.poller = poller
        self.room_id = room_id
        self.tag = tag
        self.after = after
        self.stream_again = 0.0  # time.monotonic() from which the stream is tried again
        self._cut: Callable[[], None] | None = None
        self.follow: Follow[MessagePage] = Follow(f"expo-poll-{room_id}", self._poll, self._take, self._fail,
                                                  poller.backoff)

    def stop(self) -> None:
        self.follow.stop()
        cut = self._cut
        if cut is not None:
            cut()

    def _opened(self, cut: Callable[[], None]) -> None:
        self._cut = cut
        if self.follow.stopped:
            cut()

    def _poll(self) -> MessagePage:
        """The stream's pages are handed on as they come, and an empty page when it ends; else one long poll."""
        if self.poller.stream and time.monotonic() >= self.stream_again:
            flowed = False
            try:
                for page in self.poller.client.room_stream(self.room_id, self.after, first_byte=self.poller.stream_wait,
                                                               opened=self._opened):
                    flowed = True
                    if self.follow.stopped:
                        break
                    self._take(page)
                return _NOTHING  # the server ended it (they last minutes): open it again
            except NetError as exc:
                if self.follow.stopped:
                    return _NOTHING
                if not flowed:
                    log.info("room %s: no stream (%s); long polling for %.0f s", self.room_id, exc,
                             self.poller.stream_retry)
                    self.stream_again = time.monotonic() + self.poller.stream_retry
            finally:
                self._cut = None
        return self.poller.client.poll(self.room_id, self.after, self.poller.timeout)

    def _take(self, page: MessagePage) -> None:
        fresh = [m for m in page.messages if m.id > self.after]
        if fresh:
            self.after = fresh[-1].id
            safe_deliver(self.poller.deliver, self.tag, MessagePage(messages=fresh, has_more=page.has_more))

    def _fail(self, error: BaseException) -> None:
        if isinstance(error, NetError):  # a refusal for good: the room is no longer followed
            self.poller._forget(self)
        safe_deliver(self.poller.deliver, self.tag, error)


_NOTHING = MessagePage(messages=[], has_more=False)
