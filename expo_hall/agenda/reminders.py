"""Which reminded webinars and bookmarked events are due (started, or starting within the agenda's
`remind_before` minutes): each reminder fires once, also across restarts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from expo_hall.agenda.store import Agenda, Entry
from expo_hall.clock import Clock


def status(starts: dt.datetime, ends: dt.datetime, now: dt.datetime) -> str:
    """"upcoming", "live" or "ended" (the translations are webinar.<status>)."""
    if now >= ends:
        return "ended"
    return "live" if now >= starts else "upcoming"


def reminder_spans(entries: Iterable[Entry], before_minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """(reminder, end) of each entry: the moments at which a reminder is due or goes."""
    lead = dt.timedelta(minutes=before_minutes)
    return [(e.starts - lead, e.ends) for e in entries]


def until_change(spans: Iterable[tuple[dt.datetime, dt.datetime]], now: dt.datetime,
                 not_before: float = 0.0) -> float | None:
    """Seconds until a status of these (starts, ends) spans changes after `now` (at least `not_before`);
    None when none will."""
    ahead = [t for span in spans for t in span if t > now]
    return max(not_before, (min(ahead) - now).total_seconds()) if ahead else None


class Reminders:
    """Ask `due()` now and then (once a second): the agenda's entries whose reminder came since the last ask.

    A reminder comes `agenda.remind_before` minutes before the start (at the start with 0) and fires while the
    entry has not ended, once: what fired is stored in the agenda's file.
    The first ask of a run fires every live webinar whose reminder has not fired yet (the app was
    closed when it started); a webinar that is over by then fires no more. A webinar reminded while
    it is already live does not fire in that run: the visitor has just seen it.
    If the clock goes back (the fair-time demo mode, a test), the reminders ahead fire again when it
    passes them, unless they fired already.
    """

    def __init__(self, agenda: Agenda, clock: Clock) -> None:
        self.agenda = agenda
        self.clock = clock
        self.last_check: dt.datetime | None = None

    def due(self) -> list[Entry]:
        now = self.clock.now()
        since = self.last_check
        if since is not None and now < since:
            since = now
        self.last_check = now
        lead = dt.timedelta(minutes=self.agenda.remind_before)
        fired = [e for e in self.agenda.entries()
                 if e.starts - lead <= now < e.ends and not self.agenda.has_fired(e.key)
                 and (since is None or e.starts - lead > since)]
        if fired:
            self.agenda.mark_fired([e.key for e in fired])
        return fired
