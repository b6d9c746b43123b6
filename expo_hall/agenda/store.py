"""The visitor's agenda: the stand webinars they asked to be reminded of and the programme events they
bookmarked, one list kept in their data folder.

One JSON file (by default <user data dir>/agenda.json):

    {"version": 1,
     "remind_before_minutes": 5,
     "webinars": [{"exhibitor_id": ..., "title": ..., "starts": "2020-04-27T08:00:00+00:00",
                   "duration_minutes": 60, "url": ..., "title_en": ..., "exhibitor_name": ...,
                   "exhibitor_name_en": ..., "guid": null}, ...],
     "fired": [["<exhibitor_id>", "<starts, UTC ISO>", "<title>"], ...]}

A webinar is known by (exhibitor id, start, title): the same webinar reminded twice is one entry. A programme
event (`guid` set, no exhibitor) is known by ("", start, guid); its room stands where a webinar has its exhibitor.
"fired" remembers which reminders have been shown, so none is shown twice, also after a restart.
The file is read on first use and written whole (to a temporary file, then renamed) on each change.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from expo_hall.files import write_atomically
from expo_hall.programme.model import Event, Programme
from expo_hall.stands.package import Exhibitor, Webinar

log = logging.getLogger("expo_hall.agenda")
APP_NAME = "expo_hall"
FILE_NAME = "agenda.json"
FORMAT_VERSION = 1
REMIND_BEFORE_CHOICES = (0, 5, 10, 15, 30)  # minutes; 0: when it starts


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_path() -> Path:
    return data_dir() / FILE_NAME


class Key(NamedTuple):
    """What makes a webinar the same webinar: its exhibitor, its start (in UTC) and its title."""

    exhibitor_id: str
    starts: dt.datetime
    title: str

    @classmethod
    def of(cls, exhibitor_id: str, starts: dt.datetime, title: str) -> Key:
        return cls(exhibitor_id, starts.astimezone(dt.UTC), title)

    def to_json(self) -> list[str]:
        return [self.exhibitor_id, self.starts.isoformat(), self.title]

    @classmethod
    def from_json(cls, raw: object) -> Key:
        exhibitor_id, starts, title = raw  # type: ignore[misc]
        return cls.of(str(exhibitor_id), _moment(starts), str(title))


@dataclass(frozen=True)
class Entry:
    """A reminded webinar or a bookmarked programme event, with what is needed to show it and join it without the
    stand or the programme at hand."""

    exhibitor_id: str
    title: str
    starts: dt.datetime  # timezone-aware
    duration_minutes: int
    url: str | None = None
    title_en: str | None = None
    exhibitor_name: str = ""  # as it was when reminded: the calendar names the exhibitor
    exhibitor_name_en: str | None = None
    guid: str | None = None  # a programme event's frab guid (then exhibitor_id is "" and the name is its room's)

    @classmethod
    def of(cls, exhibitor: Exhibitor, webinar: Webinar) -> Entry:
        return cls(exhibitor.exhibitor_id, webinar.title, webinar.starts, webinar.duration_minutes, webinar.url,
                   webinar.title_en, exhibitor.name, exhibitor.name_en)

    @classmethod
    def of_event(cls, programme: Programme, event: Event) -> Entry:
        return cls.programme_event(event.guid, event.title, event.title_en, event.starts, event.ends,
                                   programme.stream_url(event) or event.url, event.room)

    @classmethod
    def programme_event(cls, guid: str, title: str, title_en: str | None, starts: dt.datetime, ends: dt.datetime,
                        url: str | None, room: str) -> Entry:
        """A programme event (as the server's model or its API has it): its stream to join, its room where a
        webinar names its exhibitor."""
        minutes = max(1, int((ends - starts).total_seconds() // 60))
        return cls("", title, starts, minutes, url, title_en, room, None, guid)

    @property
    def key(self) -> Key:
        if self.guid:
            return Key.of("", self.starts, self.guid)
        return Key.of(self.exhibitor_id, self.starts, self.title)

    @property
    def ends(self) -> dt.datetime:
        return self.starts + dt.timedelta(minutes=self.duration_minutes)

    def title_for(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title

    def exhibitor_name_for(self, lang: str) -> str:
        name = self.exhibitor_name_en if lang == "en" and self.exhibitor_name_en else self.exhibitor_name
        return name or self.exhibitor_id

    def to_json(self) -> dict[str, object]:
        return {"exhibitor_id": self.exhibitor_id, "title": self.title, "starts": self.starts.isoformat(),
                "duration_minutes": self.duration_minutes, "url": self.url, "title_en": self.title_en,
                "exhibitor_name": self.exhibitor_name, "exhibitor_name_en": self.exhibitor_name_en, "guid": self.guid}

    @classmethod
    def from_json(cls, raw: object) -> Entry:
        if not isinstance(raw, dict):
            raise ValueError("an agenda entry must be an object")
        minutes = raw["duration_minutes"]
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            raise ValueError(f"bad duration_minutes: {minutes!r}")
        return cls(str(raw["exhibitor_id"]), str(raw["title"]), _moment(raw["starts"]), minutes,
                   _text(raw.get("url")), _text(raw.get("title_en")), _text(raw.get("exhibitor_name")) or "",
                   _text(raw.get("exhibitor_name_en")), _text(raw.get("guid")))


def _moment(raw: object) -> dt.datetime:
    when = dt.datetime.fromisoformat(str(raw))
    if when.tzinfo is None:
        raise ValueError(f"a time without a zone: {raw!r}")
    return when


def _text(raw: object) -> str | None:
    return raw if isinstance(raw, str) and raw else None


class Agenda:
    """The reminded webinars and bookmarked events, in time order. `version` grows with each change of the list
    (screens redraw on it). `remind_before` (minutes): how long before the start a reminder shows."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.version = 0
        self._remind_before = 0
        self.save_error: OSError | None = None  # the last write that failed; None once one succeeds
        self._entries: dict[Key, Entry] | None = None
        self._fired: set[Key] = set()
        self._unreadable = False  # the file was there but could not be read: kept aside before writing

    # -- reading -------------------------------------------------------------------------------
    def _loaded(self) -> dict[Key, Entry]:
        if self._entries is None:
            self._entries = {}
            self._load()
        return self._entries

    def _load(self) -> None:
        assert self._entries is not None
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            log.warning("the agenda %s cannot be read, starting an empty one: %s", self.path, exc)
            self._unreadable = True
            return
        if not isinstance(raw, dict):
            log.warning("the agenda %s is not an agenda, starting an empty one", self.path)
            self._unreadable = True
            return
        before = raw.get("remind_before_minutes", 0)
        if isinstance(before, int) and not isinstance(before, bool) and 0 <= before <= max(REMIND_BEFORE_CHOICES):
            self._remind_before = before
        for item in raw.get("webinars") or []:
            try:
                entry = Entry.from_json(item)
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("skipping an agenda entry in %s: %s", self.path, exc)
                continue
            self._entries[entry.key] = entry
        for item in raw.get("fired") or []:
            try:
                fired = Key.from_json(item)
            except (TypeError, ValueError) as exc:
                log.warning("skipping a fired reminder in %s: %s", self.path, exc)
                continue
            if fired in self._entries:
                self._fired.add(fired)

    def entries(self) -> list[Entry]:
        """The reminded webinars, earliest first."""
        return sorted(self._loaded().values(), key=lambda e: (e.starts, e.exhibitor_id, e.title))

    def __len__(self) -> int:
        return len(self._loaded())

    def __contains__(self, item: object) -> bool:
        k = item.key if isinstance(item, Entry) else item
        return k in self._loaded()

    def get(self, k: Key) -> Entry | None:
        return self._loaded().get(k)

    def has_fired(self, k: Key) -> bool:
        self._loaded()
        return k in self._fired

    def bookmarked(self) -> list[str]:
        """The guids of the bookmarked programme events, earliest first."""
        return [e.guid for e in self.entries() if e.guid]

    def event_entry(self, guid: str) -> Entry | None:
        return next((e for e in self._loaded().values() if e.guid == guid), None)

    @property
    def remind_before(self) -> int:
        self._loaded()
        return self._remind_before

    def set_remind_before(self, minutes: int) -> None:
        """Remind this many minutes before each start (one of REMIND_BEFORE_CHOICES)."""
        if minutes not in REMIND_BEFORE_CHOICES:
            raise ValueError(f"remind before {minutes} minutes: not one of {REMIND_BEFORE_CHOICES}")
        if minutes != self.remind_before:
            self._remind_before = minutes
            self._changed()

    # -- changing ------------------------------------------------------------------------------
    def add(self, entry: Entry) -> bool:
        """Remind of this webinar (or refresh what is kept of it). False when nothing changed."""
        entries = self._loaded()
        if entries.get(entry.key) == entry:
            return False
        entries[entry.key] = entry
        self._changed()
        return True

    def toggle_event(self, entry: Entry) -> bool:
        """Bookmark the programme event, or take its bookmark away (by guid: a moved event is the same one);
        True when it is bookmarked now."""
        kept = self.event_entry(entry.guid or "")
        if kept is not None:
            self.remove(kept)
            return False
        self.add(entry)
        return True

    def remove(self, k: Key | Entry) -> bool:
        """No reminder for this webinar any more. False when it was not in the agenda."""
        k = k.key if isinstance(k, Entry) else k
        if self._loaded().pop(k, None) is None:
            return False
        self._fired.discard(k)
        self._changed()
        return True

    def mark_fired(self, keys: list[Key]) -> None:
        """Remember that these reminders were shown. The list is the same, so `version` stays: a window
        showing it is not rebuilt under a click (the notice of the webinar comes at any moment)."""
        new = {k for k in keys if k in self._loaded()} - self._fired
        if new:
            self._fired |= new
            self.save()

    def _changed(self) -> None:
        self.version += 1
        self.save()

    def save(self) -> bool:
        """Write the file; on failure log it, keep `save_error` and go on (the agenda stays in memory)."""
        data = {"version": FORMAT_VERSION, "remind_before_minutes": self._remind_before,
                "webinars": [e.to_json() for e in self.entries()],
                "fired": [k.to_json() for k in sorted(self._fired, key=lambda k: (k.starts, k.exhibitor_id, k.title))]}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._unreadable and self.path.exists():
                os.replace(self.path, self.path.with_name(self.path.name + ".unreadable"))
            self._unreadable = False
            write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        except OSError as exc:
            log.error("the agenda could not be saved to %s: %s", self.path, exc)
            self.save_error = exc
            return False
        self.save_error = None
        return True
