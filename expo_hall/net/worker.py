"""Calls off the main thread: a small pool of worker threads, and threads that follow chat rooms and Q&As (stream or
long poll).

Results go back through the `Deliver` callback the caller gives, as `(tag, result)`, where `result`
is what the call returned or the exception it raised. The app's callback posts a pygame event (thread-safe),
so the result is handled in the event loop and no frame waits on the network.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from expo_hall.net.client import ApiClient
from expo_hall.net.errors import Busy, NetError
from expo_hall.net.follow import Backoff, Follow
from expo_hall.server.schemas import MessagePage, QuestionPage

log = logging.getLogger("expo_hall.net")

Deliver = Callable[[Hashable, Any], None]  # (tag, result or exception); called from the network threads
P = TypeVar("P")  # a page a followed channel brings
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


class Channel(Protocol[P]):
    """What a LongPoller follows: a chat room, or a programme event's Q&A."""

    name: str  # for the thread and the log

    def stream(self, client: ApiClient, after: int, first_byte: float,
               opened: Callable[[Callable[[], None]], None]) -> Iterator[P]: ...

    def poll(self, client: ApiClient, after: int, timeout: float) -> P: ...

    def fresh(self, page: P, after: int) -> tuple[P | None, int]:
        """What of `page` follows `after` (None: nothing to hand on), and where it leaves the follower."""
        ...


@dataclass(frozen=True)
class RoomChannel:
    """A chat room's messages, by id."""

    room_id: int

    @property
    def name(self) -> str:
        return f"room {self.room_id}"

    def stream(self, client: ApiClient, after: int, first_byte: float,
               opened: Callable[[Callable[[], None]], None]) -> Iterator[MessagePage]:
        return client.room_stream(self.room_id, after, first_byte=first_byte, opened=opened)

    def poll(self, client: ApiClient, after: int, timeout: float) -> MessagePage:
        return client.poll(self.room_id, after, timeout)

    def fresh(self, page: MessagePage, after: int) -> tuple[MessagePage | None, int]:
        fresh = [m for m in page.messages if m.id > after]
        return (MessagePage(messages=fresh, has_more=page.has_more), fresh[-1].id) if fresh else (None, after)


@dataclass(frozen=True)
class QuestionsChannel:
    """A programme event's Q&A changes, by seq (as this user may see them)."""

    guid: str

    @property
    def name(self) -> str:
        return f"Q&A {self.guid}"

    def stream(self, client: ApiClient, after: int, first_byte: float,
               opened: Callable[[Callable[[], None]], None]) -> Iterator[QuestionPage]:
        return client.question_stream(self.guid, after, first_byte=first_byte, opened=opened)

    def poll(self, client: ApiClient, after: int, timeout: float) -> QuestionPage:
        return client.poll_questions(self.guid, after, timeout)

    def fresh(self, page: QuestionPage, after: int) -> tuple[QuestionPage | None, int]:
        if page.seq <= after:
            return None, after
        return (page if page.questions or page.removed or page.votes else None), page.seq


class LongPoller:
    """Follows chat rooms and Q&As, each on a thread of its own (at most `max_rooms`): by the server's stream
    (server-sent events) when `stream`, else, and whenever the stream cannot be opened or nothing flows through it
    (a proxy that buffers), by long polling, trying the stream again `stream_retry` seconds later.

    New messages are delivered as `(tag, MessagePage)` (never an empty page), in order, each message once; a Q&A's
    changes as `(tag, QuestionPage)`, in order.
    While the backend is unreachable the thread waits (growing delays, cut short when `wake()` is called,
    e.g. by the status monitor coming back online) and then goes on from the last change it delivered.
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
        self._follows: dict[Hashable, _Followed[Any]] = {}
        self._lock = threading.Lock()

    def follow(self, room_id: int, tag: Hashable, after: int = 0) -> None:
        """Deliver the room's messages with ids above `after` (usually the last one of the history shown)."""
        self._follow(room_id, RoomChannel(room_id), tag, after)

    def follow_questions(self, guid: str, tag: Hashable, after: int = 0) -> None:
        """Deliver the event's Q&A changes after seq `after` (the history's); unfollow with `("qa", guid)`."""
        self._follow(("qa", guid), QuestionsChannel(guid), tag, after)

    def _follow(self, key: Hashable, channel: Channel[Any], tag: Hashable, after: int) -> None:
        with self._lock:
            current = self._follows.get(key)
            if current is not None and current.tag == tag:
                return
            if current is not None:
                current.stop()
            elif len(self._follows) >= self.max_rooms:
                raise RuntimeError(f"already following {self.max_rooms} rooms; unfollow one first")
            followed = self._follows[key] = _Followed(self, key, channel, tag, after)
            followed.follow.start()

    def unfollow(self, key: Hashable) -> None:
        """Stop following a room (its id) or a Q&A (`("qa", guid)`); a poll under way ends within its timeout, and
        what it brings is dropped."""
        with self._lock:
            followed = self._follows.pop(key, None)
            if followed is not None:
                followed.stop()

    def following(self) -> dict[Hashable, int]:
        """room_id (or `("qa", guid)`) -> the last message id (seq) delivered."""
        with self._lock:
            return {key: followed.after for key, followed in self._follows.items()}

    def wake(self) -> None:
        """Rooms waiting to retry after a failure try again now."""
        with self._lock:
            for followed in self._follows.values():
                followed.follow.wake()

    def stop(self, timeout: float = 0.0) -> None:
        with self._lock:
            follows, self._follows = list(self._follows.values()), {}
        for followed in follows:
            followed.stop()
        if timeout > 0:
            for followed in follows:
                followed.follow.thread.join(timeout / len(follows))

    def _forget(self, followed: _Followed[Any]) -> None:
        with self._lock:
            if self._follows.get(followed.key) is followed:
                del self._follows[followed.key]


class _Followed(Generic[P]):
    """One followed channel: its stream or long poll, and where delivery stands."""

    def __init__(self, poller: LongPoller, key: Hashable, channel: Channel[P], tag: Hashable, after: int) -> None:
        self.poller = poller
        self.key = key
        self.channel = channel
        self.tag = tag
        self.after = after
        self.stream_again = 0.0  # time.monotonic() from which the stream is tried again
        self._cut: Callable[[], None] | None = None
        self.follow: Follow[P | None] = Follow(f"expo-poll-{channel.name}", self._poll, self._take, self._fail,
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

    def _poll(self) -> P | None:
        """The stream's pages are handed on as they come, and None when it ends; else one long poll."""
        poller = self.poller
        if poller.stream and time.monotonic() >= self.stream_again:
            flowed = False
            try:
                for page in self.channel.stream(poller.client, self.after, poller.stream_wait, self._opened):
                    flowed = True
                    if self.follow.stopped:
                        break
                    self._take(page)
                return None  # the server ended it (they last minutes): open it again
            except NetError as exc:
                if self.follow.stopped:
                    return None
                if not flowed:
                    log.info("%s: no stream (%s); long polling for %.0f s", self.channel.name, exc,
                             poller.stream_retry)
                    self.stream_again = time.monotonic() + poller.stream_retry
            finally:
                self._cut = None
        return self.channel.poll(poller.client, self.after, poller.timeout)

    def _take(self, page: P | None) -> None:
        if page is None:
            return
        fresh, self.after = self.channel.fresh(page, self.after)
        if fresh is not None:
            safe_deliver(self.poller.deliver, self.tag, fresh)

    def _fail(self, error: BaseException) -> None:
        if isinstance(error, NetError):  # a refusal for good: the channel is no longer followed
            self.poller._forget(self)
        safe_deliver(self.poller.deliver, self.tag, error)
