"""The agenda on the backend: its bookmarked events and reminded webinars are sent whenever they change, so that
the calendar feed (an .ics URL the visitor subscribes to) lists the same agenda as the app.

The file in the data folder stays the agenda's truth; the server holds a copy. A send that fails is tried again
when the agenda changes or the server answers again (the network layer says so).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

from expo_hall.agenda.store import Agenda

log = logging.getLogger("expo_hall.agenda")
TAG = "agenda"


class AgendaSync:
    def __init__(self, agenda: Agenda, network: Any | None) -> None:
        self.agenda = agenda
        self.network = network  # expo_hall.net.Network; None without a backend
        # the agenda's version last sent and taken; an empty agenda at start has nothing for the server's feed
        self.sent = agenda.version if network is not None and len(agenda) == 0 else -1
        self.busy = 0  # calls in flight
        self.failed = False  # one of the calls in flight failed

    def update(self) -> None:
        """Send the agenda if it changed since it was last taken (called every frame; cheap when it did not)."""
        if self.network is None or self.busy or self.sent == self.agenda.version:
            return
        entries = self.agenda.entries()
        webinars = [(e.exhibitor_id, e.starts.isoformat(), e.title) for e in entries if not e.guid]
        version = self.agenda.version
        self.busy, self.failed = 2, False
        tag = (TAG, id(self), version)  # an answer to a sync the app replaced is not this one's
        self.network.call(tag, self.network.client.put_bookmarks, self.agenda.bookmarked())
        self.network.call(tag, self.network.client.put_reminders, webinars)

    def answer(self, tag: Hashable, result: Any) -> bool:
        """A network answer; False when it is not ours."""
        if not (isinstance(tag, tuple) and len(tag) == 3 and tag[0] == TAG):
            return False
        if tag[1] != id(self):
            return True  # a replaced sync's: nobody waits for it
        self.busy -= 1
        if isinstance(result, BaseException):
            log.info("the agenda could not be sent to the server (tried again later): %s", result)
            self.failed = True
        if not self.busy:
            self.sent = -1 if self.failed else tag[2]
        return True

    def retry(self) -> None:
        """The server answers again: send what it may have missed."""
        self.sent = -1
