"""The business programme as the client has it: the server's listing (GET /programme, asked through the network
layer, the answer kept on the app), or, without a backend, the programme folder beside the maps read here.

Statuses (now, next) are the app's clock's, not the server's: the fair-time demo mode moves them too.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from expo_hall.agenda.store import Entry
from expo_hall.programme.load import default_folder, load_programme
from expo_hall.programme.timetable import Status, overlap, statuses
from expo_hall.server.schemas import ProgrammeEventOut, ProgrammeOut
from expo_hall.stands.package import Exhibitor, Webinar

if TYPE_CHECKING:
    from expo_hall.app import App

log = logging.getLogger("expo_hall.forum")
TAG = ("programme", "listing")
NowNext = tuple[ProgrammeEventOut | None, ProgrammeEventOut | None]  # a hall's event on now, its next one


def request(app: App) -> None:
    """Ask for the programme: the backend answers through the event loop (`answer`); without one the folder is read
    at once."""
    if app.backend is not None:
        app.backend.network.call(TAG, app.backend.network.client.programme)
    else:
        app.programme = local_listing(app, app.time.now())


def answer(app: App, tag: object, result: object) -> bool:
    """The backend's answer, kept on the app; False when the answer is not ours."""
    if tag != TAG:
        return False
    if isinstance(result, ProgrammeOut):
        app.programme = result
    else:
        log.warning("the programme could not be read from the server: %s", result)
        if app.programme is None:
            app.programme_error = str(result)
    return True


def local_listing(app: App, now: dt.datetime) -> ProgrammeOut | None:
    """The programme folder beside the maps, as the server would list it; None when there is none."""
    programme, problems = load_programme(default_folder(app.settings.maps))
    for found in problems:
        log.info("programme: %s", found)
    if programme is None:
        return None
    from expo_hall.server.programme import ServedProgramme  # the server's listing, made from memory (no database)

    return ServedProgramme(programme, {e.guid: e for e in programme.schedule.events}).listing(now)


def status_at(listing: ProgrammeOut, now: dt.datetime) -> dict[str, Status]:
    return statuses(listing.events, now)


def now_next_by_hall(listing: ProgrammeOut, now: dt.datetime) -> dict[str, NowNext]:
    """Each hall's event on now and its next one (on any day), at `now`: what the programme window names at the top
    of a hall's window and what the forum floor shows over each hall."""
    status = status_at(listing, now)
    found: dict[str, NowNext] = {}
    for e in listing.events:
        if not e.hall or status[e.guid] not in (Status.now, Status.next):
            continue
        on, nxt = found.get(e.hall, (None, None))
        if status[e.guid] == Status.now and on is None:
            on = e
        elif status[e.guid] == Status.next and nxt is None:
            nxt = e
        found[e.hall] = (on, nxt)
    return found


def next_change(listing: ProgrammeOut, halls: set[str], now: dt.datetime) -> dt.datetime | None:
    """The next moment after `now` an event of these halls starts or ends (when what is on and next changes in one
    of them); None when none will."""
    return min((t for e in listing.events if e.hall in halls for t in (e.starts, e.ends) if t > now), default=None)


def last_change(listing: ProgrammeOut, halls: set[str], now: dt.datetime) -> dt.datetime | None:
    """The last moment up to `now` an event of these halls started or ended; None when none did."""
    return max((t for e in listing.events if e.hall in halls for t in (e.starts, e.ends) if t <= now), default=None)


def entry_of(event: ProgrammeEventOut) -> Entry:
    """The event as the agenda keeps it (its stream to join, its room)."""
    return Entry.programme_event(event.guid, event.title, event.title_en, event.starts, event.ends,
                                 event.stream_url or event.url, event.room)


def cluster_webinars(app: App, cluster_id: str, day: dt.date | None,
                     tz: dt.tzinfo | None) -> list[tuple[Exhibitor, Webinar]]:
    """The stand webinars of exhibitors tagged with this cluster (stand.toml's clusters), on `day` (in the
    programme's time zone `tz`) when given, by start."""
    expo = app.expo
    if expo is None:
        return []
    found = [(ex, w) for ex in expo.exhibitors.values() if cluster_id in ex.clusters for w in ex.webinars
             if day is None or w.starts.astimezone(tz).date() == day]
    return sorted(found, key=lambda pair: (pair[1].starts, pair[0].exhibitor_id))


def overlaps(entry: Entry, others: list[Entry]) -> list[tuple[Entry, int]]:
    """The agenda's entries that overlap `entry` in time, with the minutes they share."""
    found = []
    for other in others:
        if other.key == entry.key:
            continue
        shared = overlap(entry, other).total_seconds() // 60  # type: ignore[arg-type] - any span
        if shared > 0:
            found.append((other, int(shared)))
    return found
