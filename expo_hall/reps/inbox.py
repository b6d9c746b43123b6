"""The stand's inbox, followed on a thread of its own: the private conversations with their last message,
first in full, then each one again as soon as it has a new message (the server's long poll of the inbox)."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass

from expo_hall.net import ApiClient, Deliver, NetError
from expo_hall.net.follow import Backoff, Follow
from expo_hall.server.schemas import ConversationOut, MessageOut

log = logging.getLogger("expo_hall")


@dataclass(frozen=True)
class InboxRow:
    conversation: ConversationOut
    last: MessageOut | None  # its newest message (None: none yet)

    @property
    def room_id(self) -> int:
        return self.conversation.room_id

    @property
    def order(self) -> int:
        return self.conversation.last_message_id or 0


@dataclass(frozen=True)
class InboxUpdate:
    rows: tuple[InboxRow, ...]  # the conversations that changed (all of them when `full`)
    full: bool


class InboxFollower:
    """Delivers `(tag, InboxUpdate)` with `deliver` from its thread; `(tag, ApiError)` once when the server refuses
    for good (not this stand's representative), after which it stops. Offline: it waits and tries again."""

    def __init__(self, client: ApiClient, stand_id: str, deliver: Deliver, tag: Hashable, *, timeout: float = 20.0,
                 retry_min: float = 0.5, retry_max: float = 30.0) -> None:
        self.client = client
        self.stand_id = stand_id
        self.deliver = deliver
        self.tag = tag
        self.timeout = timeout
        self._after = 0
        self._full = True
        self._follow: Follow[InboxUpdate] = Follow(f"expo-inbox-{stand_id}", self._poll, self._take,
                                                   lambda error: deliver(tag, error), Backoff(retry_min, retry_max))
        self._follow.start()

    def stop(self) -> None:
        self._follow.stop()

    def refresh(self) -> None:
        """Read the whole inbox again (after the next answer of the poll under way)."""
        self._full = True
        self._follow.wake()

    def _row(self, conversation: ConversationOut) -> InboxRow:
        last = None
        if conversation.message_count:
            page = self.client.history(conversation.room_id, limit=1)
            last = page.messages[-1] if page.messages else None
        return InboxRow(conversation, last)

    def _poll(self) -> InboxUpdate:
        full, self._full = self._full, False
        try:
            found = (self.client.conversations(self.stand_id) if full else
                     self.client.poll_conversations(self.stand_id, self._after, self.timeout))
            rows = tuple(self._row(c) for c in found)
        except NetError:
            self._full = self._full or full  # asked for again on the next try
            raise
        self._after = max([self._after, *(r.order for r in rows)])
        return InboxUpdate(rows, full)

    def _take(self, update: InboxUpdate) -> None:
        if update.rows or update.full:
            self.deliver(self.tag, update)
