"""The agenda as an iCalendar file (RFC 5545): the one writer of both the visitor's export and the server's
calendar feed.

One VEVENT per reminded webinar or bookmarked programme event: UID stable per entry (a programme event's is its
frab guid, so a moved event moves in the calendar; a webinar's a hash of what makes it the same webinar), DTSTAMP,
DTSTART/DTEND in UTC, SUMMARY, URL (the room's or the stream's), LOCATION (the webinar's room URL, the event's
hall), DESCRIPTION naming the exhibitor or the hall, and a display alarm 10 minutes before the start.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from expo_hall.agenda.store import Entry, Key, data_dir
from expo_hall.files import write_atomically

PRODID = "-//expo_hall//Online education fair agenda//RU"
UID_DOMAIN = "expo-hall"
ALARM_BEFORE = dt.timedelta(minutes=10)
FILE_NAME = "expo_hall_agenda.ics"

if TYPE_CHECKING:
    from icalendar import Calendar


def uid(k: Key) -> str:
    if not k.exhibitor_id:  # a programme event: its guid
        return f"{k.title}@{UID_DOMAIN}"
    digest = hashlib.sha256("\x1f".join((k.exhibitor_id, k.starts.isoformat(), k.title)).encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def calendar(entries: Iterable[Entry], now: dt.datetime, lang: str = "ru",
             names: Mapping[str, str] | None = None, title: str | None = None) -> Calendar:
    """The calendar; `names`: the exhibitors' names as the expo has them now (else as reminded); `title`: the
    calendar's name in a calendar app."""
    from icalendar import Alarm, Calendar, Event  # here, not at the top: 8 MB resident in every client otherwise

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if title:
        cal.add("x-wr-calname", title)
    stamp = now.astimezone(dt.UTC)
    for entry in entries:
        title = entry.title_for(lang)
        name = (names or {}).get(entry.exhibitor_id) or entry.exhibitor_name_for(lang)
        event = Event()
        event.add("uid", uid(entry.key))
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.starts.astimezone(dt.UTC))
        event.add("dtend", entry.ends.astimezone(dt.UTC))
        event.add("summary", title)
        event.add("description", f"{name}\n{entry.url}" if entry.url else name)
        if entry.url:
            event.add("url", entry.url)
        if entry.guid or entry.url:
            event.add("location", name if entry.guid else entry.url)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", title)
        event.add_component(alarm)
        cal.add_component(event)
    return cal


def default_export_path() -> Path:
    """The visitor's Downloads folder when there is one, else the app's data folder."""
    try:
        from platformdirs import user_downloads_dir

        downloads = Path(user_downloads_dir())
    except Exception:  # noqa: BLE001 - no Downloads folder to be found is not an error here
        downloads = None
    folder = downloads if downloads is not None and downloads.is_dir() else data_dir()
    return folder / FILE_NAME


def export_ics(entries: Iterable[Entry], path: Path | None, now: dt.datetime, lang: str = "ru",
               names: Mapping[str, str] | None = None) -> Path:
    """Write the calendar (replacing an earlier export) and return where. Raises OSError."""
    path = Path(path) if path is not None else default_export_path()
    return write_atomically(path, calendar(entries, now, lang, names).to_ical())
