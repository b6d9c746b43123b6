"""The stand's inbox, followed on a thread of its own: the private conversations with their last message,
first in full, then each one again as soon as it has a new message (the server's long poll of the inbox)."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Hashable
from dataclasses import dataclass

from expo_hall.net import ApiClient, ApiError, Deliver, NetError
from expo_hall.net.errors import unreachable
from expo_hall.net.models import Conversation, Message

log = logging.getLogger("expo_hall")


@dataclass(frozen=True)
class InboxRow:
    conversation: Conversation
    last: Message | None  # its newest message (None: none yet)

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
        self.retry_min, self.retry_max = retry_min, retry_max
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"expo-inbox-{stand_id}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def refresh(self) -> None:
        """Read the whole inbox again (after the next answer of the poll under way)."""
        self._full = True
        self._wake.set()

    _full = True

    def _row(self, conversation: Conversation) -> InboxRow:
        last = None
        if conversation.message_count:
            page = self.client.history(conversation.room_id, limit=1)
            last = page.messages[-1] if page.messages else None
        return InboxRow(conversation, last)

    def _run(self) -> None:
        after, failures = 0, 0
        while not self._stop.is_set():
            try:
                full = self._full
                self._full = False
                found = (self.client.conversations(self.stand_id) if full else
                         self.client.poll_conversations(self.stand_id, after, self.timeout))
                rows = tuple(self._row(c) for c in found)
            except NetError as exc:
                self._full = self._full or full
                if isinstance(exc, ApiError) and not exc.transient and not unreachable(exc):
                    if not self._stop.is_set():
                        self.deliver(self.tag, exc)
                    return
                failures += 1
                self._wake.clear()
                self._wake.wait(min(self.retry_max, self.retry_min * 2 ** (failures - 1)) * random.uniform(0.8, 1.2))
                continue
            except Exception as exc:  # a bug: say so once, and stop rather than spin
                log.exception("following the inbox of %s failed", self.stand_id)
                self.deliver(self.tag, exc)
                return
            failures = 0
            after = max([after, *(r.order for r in rows)])
            if self._stop.is_set():
                return
            if rows or full:
                self.deliver(self.tag, InboxUpdate(rows, full))
