"""One chat room as the visitor sees it: the server's messages (history pages and live ones, each once, by id)
and the visitor's own messages the server does not have yet (the outbox's pending and refused ones).

No pygame and no network here: the session feeds it, the panel reads `lines()` when `version` moved on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from expo_hall.net.outbox import FAILED, PENDING, PendingMessage
from expo_hall.server.schemas import MessageOut

PUBLIC, PRIVATE = "public", "private"
SENT = "sent"


@dataclass(frozen=True)
class Line:
    """A message as shown: `state` is "sent" (the server has it), "pending" (on its way) or "failed" (refused)."""

    author: str
    role: str  # "visitor", "representative", "organizer", "stand" (the away answer)
    text: str
    at: dt.datetime  # timezone-aware
    state: str = SENT
    mine: bool = False
    message_id: int | None = None
    client_id: uuid.UUID | None = None
    error: str | None = None


class RoomLog:
    """What is known of one room; `version` grows with every change to what is shown."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.room_id: int | None = None
        self.messages: dict[int, MessageOut] = {}
        self.pending: dict[uuid.UUID, PendingMessage] = {}  # in the order written
        self.loaded = False  # the first history page is in
        self.has_more = False  # older messages wait on the server
        self.loading_older = False
        self.prepended = 0  # older messages added since the view last looked (it keeps its place)
        self.visible = False  # shown to the visitor now: messages arriving meanwhile are not unread
        self.unread = 0
        self.version = 0
        self.me_id: int | None = None  # the visitor's user id, to tell their own messages
        self._mine: set[uuid.UUID] = set()  # client_ids written here

    # --- from the server ---------------------------------------------------------------------------------------------

    @property
    def oldest_id(self) -> int | None:
        return min(self.messages) if self.messages else None

    @property
    def newest_id(self) -> int:
        return max(self.messages) if self.messages else 0

    def add_history(self, messages: Sequence[MessageOut], has_more: bool, older: bool) -> int:
        """A history page: the first one (newest messages), or an older one (`older`). Never unread."""
        added = self._add(messages)
        if older:
            self.loading_older = False
            self.prepended += added
        if older or not self.loaded:
            self.has_more = has_more
        self.loaded = True
        self.version += 1
        return added

    def add_live(self, messages: Sequence[MessageOut]) -> int:
        """Messages that just arrived; those not the visitor's own count as unread while the room is not shown."""
        fresh = [m for m in messages if m.id not in self.messages]
        added = self._add(fresh)
        if added:
            if not self.visible:
                self.unread += sum(1 for m in fresh if not self.is_mine(m))
            self.version += 1
        return added

    def _add(self, messages: Sequence[MessageOut]) -> int:
        added = 0
        for m in messages:
            if m.id in self.messages:
                continue
            self.messages[m.id] = m
            added += 1
            if m.client_id is not None and self.pending.pop(m.client_id, None) is not None:
                self._mine.add(m.client_id)
        return added

    def is_mine(self, m: MessageOut) -> bool:
        return (m.client_id is not None and m.client_id in self._mine) or (
            self.me_id is not None and m.author_id == self.me_id)

    # --- the visitor's own -------------------------------------------------------------------------------------------

    def set_pending(self, pending: list[PendingMessage]) -> None:
        """What the outbox holds for this room (read once the room is known, e.g. left from the last run)."""
        known = {m.client_id for m in self.messages.values() if m.client_id is not None}
        for p in pending:
            self._mine.add(p.client_id)
            if p.client_id not in known:
                self.pending[p.client_id] = p
        self.version += 1

    def add_pending(self, p: PendingMessage) -> None:
        self._mine.add(p.client_id)
        self.pending[p.client_id] = p
        self.version += 1

    def sent(self, p: PendingMessage, message: MessageOut) -> None:
        """The server has it: the pending line becomes the message (which a live poll may have brought already)."""
        self._mine.add(p.client_id)
        self.pending.pop(p.client_id, None)
        self.messages.setdefault(message.id, message)
        self.version += 1

    def failed(self, p: PendingMessage) -> None:
        self._mine.add(p.client_id)
        if any(m.client_id == p.client_id for m in self.messages.values()):
            return
        self.pending[p.client_id] = p
        self.version += 1

    def retrying(self, client_id: uuid.UUID) -> None:
        p = self.pending.get(client_id)
        if p is not None:
            self.pending[client_id] = PendingMessage(p.client_id, p.room_id, p.text, p.created_at, PENDING)
            self.version += 1

    def discard(self, client_id: uuid.UUID) -> None:
        if self.pending.pop(client_id, None) is not None:
            self.version += 1

    @property
    def failed_messages(self) -> list[PendingMessage]:
        return [p for p in self.pending.values() if p.state == FAILED]

    # --- for the view ------------------------------------------------------------------------------------------------

    def show(self, visible: bool) -> None:
        self.visible = visible
        if visible:
            self.unread = 0

    def lines(self, my_name: str | None = None) -> list[Line]:
        """Oldest first: the server's messages by id, then the visitor's own not yet there, in the order written."""
        out = [Line(m.author_name, m.author_role, m.text, m.created_at, SENT, self.is_mine(m), m.id, m.client_id)
               for _, m in sorted(self.messages.items())]
        out += [Line(my_name or "", "visitor", p.text, p.created_at, p.state, True, None, p.client_id, p.error)
                for p in self.pending.values()]
        return out
