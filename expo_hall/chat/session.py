"""A stand's chat for the visitor, on the network layer: the stand's public room and the visitor's private
conversation with its representatives, their history, live messages, sends and the representatives' status.

Everything that waits on the network runs on its threads; results come back as `(tag, result)` through the
app's NET_EVENT events and are handed to `handle` on the main thread. Tags are `("chat", serial, ...)`, so a
session ignores what was asked by an earlier one (a stand window opened and closed before).
"""

from __future__ import annotations

import itertools
import logging
import threading
import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from expo_hall.chat.model import PRIVATE, PUBLIC, RoomLog
from expo_hall.content.limits import MESSAGE_MAX
from expo_hall.net import OUTBOX, ApiClient, ApiError, MessageFailed, MessageSent, NetError, Network, PendingMessage
from expo_hall.net.errors import unreachable
from expo_hall.server.schemas import MessagePage

log = logging.getLogger("expo_hall")

PAGE = 50  # messages per history page
RETRY_SECONDS = 3.0  # a failed set-up or first page is asked again after this long
PRESENCE_SECONDS = 10.0  # the representatives' status is asked again this often while the chat is shown
_serials = itertools.count(1)


@dataclass(frozen=True)
class Rooms:
    private: int | None  # None: this user opens no conversation (a representative, an organizer)
    me_id: int | None


class _Cache:
    """Private room ids and the user's id per server (and token): asked once per run, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[tuple, Any] = {}

    def get(self, key: tuple, make: Any) -> Any:  # noqa: ANN401
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = make()
        with self._lock:
            return self._values.setdefault(key, value)


_cache = _Cache()


def stand_rooms(client: ApiClient, exhibitor_id: str) -> Rooms:
    """The visitor's private room with the stand (created on first call) and who they are.

    Blocking: on a worker thread."""
    server, token = client.base_url, client.token or ""
    me = _cache.get(("me", server, token), client.me)

    def conversation() -> int | None:
        if me.role != "visitor":
            return None
        return client.conversation(exhibitor_id).room_id

    private = _cache.get(("private", server, token, exhibitor_id), conversation)
    return Rooms(private, me.id)


class StandChat:
    """The stand's public room (its id comes with the stand's data: messages can be written into it at once, also
    while the server does not answer) and the visitor's private one (asked for once the server answers)."""

    def __init__(self, network: Network, exhibitor_id: str, public_room: int, *, page: int = PAGE) -> None:
        self.network = network
        self.exhibitor_id = exhibitor_id
        self.public_room = public_room
        self.page = page
        self.serial = next(_serials)
        self.rooms = {PUBLIC: RoomLog(PUBLIC), PRIVATE: RoomLog(PRIVATE)}
        self.ready = False  # both rooms are known
        self.has_private = True
        self.available: bool | None = None  # some representative answers now; None: not known
        self.error: NetError | None = None  # why the chat is not working now (None: it is, or it is starting)
        self.version = 0  # grows when `ready`, `available` or `error` change
        self._retry_in: float | None = None
        self._presence_in = 0.0
        self._presence_asked = False
        self._presence_again = False
        self._presence_supported = True
        self._closed = False
        self._followed: list[int] = []

    # --- asking ------------------------------------------------------------------------------------------------------

    def tag(self, *what: Hashable) -> tuple:
        return ("chat", self.serial, *what)

    def start(self) -> None:
        self._open(PUBLIC, self.public_room)
        self._ask_rooms()

    def _ask_rooms(self) -> None:
        self.network.call(self.tag("rooms"), stand_rooms, self.network.client, self.exhibitor_id)

    def _open(self, kind: str, room_id: int) -> None:
        room = self.rooms[kind]
        room.room_id = room_id
        room.set_pending(self.network.outbox.pending(room_id))
        self._first_page(kind)

    def load_older(self, kind: str) -> bool:
        """Ask for the page before the oldest message shown (once at a time, while older ones exist)."""
        room = self.rooms[kind]
        if not room.loaded or not room.has_more or room.loading_older or room.room_id is None:
            return False
        room.loading_older = True
        room.version += 1
        self.network.call(self.tag("history", kind, "older"), self.network.client.history, room.room_id,
                          room.oldest_id, self.page)
        return True

    def check_presence(self) -> None:
        """Ask for the representatives' status (again once the answer under way is in: it may be older news)."""
        if not self._presence_supported or not hasattr(self.network.client, "presence"):
            return
        if self._presence_asked:
            self._presence_again = True
            return
        self._presence_asked = True
        self.network.call(self.tag("presence"), self.network.client.presence, self.exhibitor_id)

    def send(self, kind: str, text: str) -> PendingMessage:
        """Put the message in the outbox (on disk before this returns); ValueError when it cannot go."""
        room = self.rooms[kind]
        text = text.strip()
        if not text:
            raise ValueError("empty")
        if len(text) > MESSAGE_MAX:
            raise ValueError("too long")
        if room.room_id is None:
            raise LookupError("the room is not known yet")
        pending = self.network.outbox.send(room.room_id, text)
        room.add_pending(pending)
        return pending

    def retry(self, kind: str, client_id: uuid.UUID) -> None:
        self.network.outbox.retry(client_id)
        self.rooms[kind].retrying(client_id)

    def discard(self, kind: str, client_id: uuid.UUID) -> None:
        self.network.outbox.discard(client_id)
        self.rooms[kind].discard(client_id)

    # --- answers -----------------------------------------------------------------------------------------------------

    def handle(self, tag: Hashable, result: Any) -> bool:  # noqa: ANN401
        """A network result; True when it was this session's (something may have changed)."""
        if self._closed:
            return False
        if tag == OUTBOX:
            return self._outbox(result)
        if not (isinstance(tag, tuple) and len(tag) >= 3 and tag[0] == "chat" and tag[1] == self.serial):
            return False
        what = tag[2]
        if what == "rooms":
            self._rooms(result)
        elif what == "history":
            self._history(tag[3], result, older=tag[4] == "older")
        elif what == "live":
            self._live(tag[3], result)
        elif what == "presence":
            self._presence(result)
        return True

    def _set_error(self, error: NetError | None) -> None:
        if error is not self.error:
            self.error = error
            self.version += 1

    def _rooms(self, result: Any) -> None:  # noqa: ANN401
        if isinstance(result, BaseException):
            log.info("chat of %s: the rooms cannot be had yet: %s", self.exhibitor_id, result)
            self._set_error(result if isinstance(result, NetError) else NetError(str(result)))
            self._retry_in = RETRY_SECONDS
            return
        assert isinstance(result, Rooms)
        self.ready = True
        self.has_private = result.private is not None
        self._set_error(None)
        self.version += 1
        for room in self.rooms.values():
            room.me_id = result.me_id
            room.version += 1
        if result.private is not None:
            self._open(PRIVATE, result.private)

    def _first_page(self, kind: str) -> None:
        room = self.rooms[kind]
        self.network.call(self.tag("history", kind, "first"), self.network.client.history, room.room_id, None,
                          self.page)

    def _history(self, kind: str, result: Any, older: bool) -> None:  # noqa: ANN401
        room = self.rooms[kind]
        if isinstance(result, BaseException):
            log.info("chat of %s: history of the %s room: %s", self.exhibitor_id, kind, result)
            if older:
                room.loading_older = False  # asked again when scrolled to the top again
                room.version += 1
            else:
                self._set_error(result if isinstance(result, NetError) else NetError(str(result)))
                self._retry_in = RETRY_SECONDS
            return
        assert isinstance(result, MessagePage)
        first = not room.loaded
        room.add_history(result.messages, result.has_more, older)
        if first and room.room_id is not None:
            self._set_error(None)
            try:
                self.network.polls.follow(room.room_id, self.tag("live", kind), after=room.newest_id)
                self._followed.append(room.room_id)
            except RuntimeError as exc:  # the poller follows as many rooms as it can already
                log.warning("chat of %s: the %s room cannot be followed: %s", self.exhibitor_id, kind, exc)

    def _live(self, kind: str, result: Any) -> None:  # noqa: ANN401
        room = self.rooms[kind]
        if isinstance(result, BaseException):  # the poller gave the room up (4xx): say so
            log.warning("chat of %s: the %s room is no longer followed: %s", self.exhibitor_id, kind, result)
            if room.room_id in self._followed:
                self._followed.remove(room.room_id)
            self._set_error(result if isinstance(result, NetError) else NetError(str(result)))
            return
        assert isinstance(result, MessagePage)
        room.add_live(result.messages)

    def _presence(self, result: Any) -> None:  # noqa: ANN401
        self._presence_asked = False
        if isinstance(result, ApiError) and not result.transient and not unreachable(result):
            self._presence_supported = False  # a server without it: the status stays unknown
            log.info("chat of %s: the representatives' status is not known: %s", self.exhibitor_id, result)
        elif not isinstance(result, BaseException) and bool(result) is not self.available:
            self.available = bool(result)
            self.version += 1
        if self._presence_again:  # asked for while this answer was under way: it may be older news
            self._presence_again = False
            self.check_presence()

    def _outbox(self, result: Any) -> bool:  # noqa: ANN401
        if not isinstance(result, MessageSent | MessageFailed):
            return False
        for room in self.rooms.values():
            if room.room_id is not None and room.room_id == result.pending.room_id:
                if isinstance(result, MessageSent):
                    room.sent(result.pending, result.message)
                else:
                    room.failed(result.pending)
                return True
        return False

    # --- time --------------------------------------------------------------------------------------------------------

    def update(self, dt: float, shown: bool) -> None:
        """Each frame: ask again what failed; while the chat is `shown`, keep the representatives' status fresh."""
        if self._retry_in is not None:
            self._retry_in -= dt
            if self._retry_in <= 0:
                self._retry_in = None
                if not self.ready:
                    self._ask_rooms()
                for kind, room in self.rooms.items():
                    if room.room_id is not None and not room.loaded:
                        self._first_page(kind)
        if shown:
            self._presence_in -= dt
            if self._presence_in <= 0:
                self._presence_in = PRESENCE_SECONDS
                self.check_presence()

    def next_wakeup(self, shown: bool) -> float | None:
        """Seconds until `update` has something to do: a retry, or asking for the status while shown."""
        return min((d for d in (self._retry_in, self._presence_in if shown else None) if d is not None), default=None)

    def shown_again(self) -> None:
        """The chat came into view: ask for the representatives' status now."""
        self._presence_in = 0.0

    def close(self) -> None:
        """Stop following the rooms; what is in the outbox is sent all the same."""
        self._closed = True
        for room_id in self._followed:
            self.network.polls.unfollow(room_id)
        self._followed.clear()
