"""The agenda as an iCalendar file (RFC 5545), for the visitor's own calendar.

One VEVENT per reminded webinar: UID stable per webinar (the same webinar exported twice replaces
itself in a calendar), DTSTAMP, DTSTART/DTEND in UTC, SUMMARY, URL and LOCATION (the room's URL),
DESCRIPTION naming the exhibitor, and a display alarm 10 minutes before the start.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from expo_hall.agenda.store import Entry, Key, data_dir
from expo_hall.files import write_atomically

PRODID = "-//expo_hall//Online education fair agenda//RU"
UID_DOMAIN = "expo-hall"
ALARM_BEFORE = dt.timedelta(minutes=10)
FILE_NAME = "expo_hall_agenda.ics"


def uid(k: Key) -> str:
    digest = hashlib.sha256("\x1f".join((k.exhibitor_id, k.starts.isoformat(), k.title)).encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def calendar(entries: Iterable[Entry], now: dt.datetime, lang: str = "ru",
             names: Mapping[str, str] | None = None) -> Calendar:
    """The calendar; `names`: the exhibitors' names as the expo has them now (else as reminded)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
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
            event.add("location", entry.url)
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
