"""frab's schedule in its JSON shape (schedule.json as pretalx and frab export it; frab_xml.py reads schedule.xml
into the same shape and writes it from it), read into the model and written back.

Reading keeps what it can: a fault in one event skips that event (or just the faulty value), each named as a
Problem; only a file with no conference to speak of is refused (ContentError). What is kept is in a form both
c3voc schemas take (values.py), so an export of it validates. Writing gives exactly the fields the JSON schema
allows; URLs beyond frab's own (the stream, the recording) go into an event's `links`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from expo_hall.content.text import clean_text
from expo_hall.problems import ContentError, Problem, Severity, problem
from expo_hall.programme import values
from expo_hall.programme.model import Conference, Day, Event, Link, Person, Room, Schedule, Track

GENERATOR = {"name": "expo_hall", "version": "1"}
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
MULTILINE = {"abstract", "description"}
URL_FIELDS = ("url", "logo", "feedback_url", "origin_url")

EventUrl = Callable[[Event], str]
ExtraLinks = Callable[[Event], Iterable[Link]]


def read_frab(data: object, file: Path) -> tuple[Schedule, list[Problem]]:
    """The schedule in `data` (parsed JSON, or frab_xml's reading of XML) and the problems found in it."""
    return _Reader(Path(file)).schedule(data)


class _Reader:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def warn(self, where: tuple[str, object] | None, key: str, /, **values_: object) -> None:
        self.problems.append(problem(self.file, key, where, Severity.WARNING, **values_))

    def skip(self, where: tuple[str, object], key: str, /, **values_: object) -> None:
        self.problems.append(problem(self.file, key, where, Severity.ERROR, **values_))

    def refuse(self, key: str, /, **values_: object) -> ContentError:
        return ContentError(problem(self.file, key, **values_))

    def text(self, table: dict[str, Any], key: str, where: tuple[str, object] | None = None) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.warn(where, "not_text", field=key, kind=type(value).__name__)
            return None
        return clean_text(str(value), multiline=key in MULTILINE) or None

    def items(self, table: dict[str, Any], key: str, where: tuple[str, object] | None = None) -> list[Any]:
        value = table.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.warn(where, "frab_not_list", field=key)
            return []
        return value

    def table(self, value: object, field: str, where: tuple[str, object] | None = None) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.warn(where, "frab_not_object", field=field)
        return None

    # --- the schedule ------------------------------------------------------------------------------------------------

    def schedule(self, data: object) -> tuple[Schedule, list[Problem]]:
        top = data.get("schedule") if isinstance(data, dict) else None
        if not isinstance(top, dict):
            raise self.refuse("schedule_not_frab")
        conf = top.get("conference")
        if not isinstance(conf, dict):
            raise self.refuse("schedule_missing_field", field="conference")
        title = self.text(conf, "title")
        given_acronym = self.text(conf, "acronym")
        if not title or not given_acronym:
            raise self.refuse("schedule_missing_field", field="conference.title" if not title else "conference.acronym")
        acronym = given_acronym
        if not values.ACRONYM.match(acronym):
            acronym = values.acronym_from(acronym)
            self.warn(("key", "conference.acronym"), "schedule_acronym_changed", value=given_acronym, acronym=acronym)

        tracks = self.tracks(conf)
        rooms = {r.name: r for r in self.rooms(conf, acronym)}
        days: list[Day] = []
        drafts: list[dict[str, Any]] = []
        for n, raw_day in enumerate(self.items(conf, "days", ("key", "conference")), 1):
            day = self.table(raw_day, "days", ("day", n))
            if day is None:
                continue
            made = self.day(day, n)
            if made is not None:
                days.append(made)
            room_table = day.get("rooms")
            if room_table is None:
                continue
            if not isinstance(room_table, dict):
                self.warn(("day", n), "frab_not_object", field="rooms")
                continue
            for room_name, raw_events in room_table.items():
                if not isinstance(raw_events, list):
                    self.warn(("room", room_name), "frab_not_list", field=str(room_name))
                    continue
                for raw_event in raw_events:
                    event = self.table(raw_event, "event", ("room", room_name))
                    if event is not None:
                        draft = self.event(event, str(room_name), acronym)
                        if draft is not None:
                            drafts.append(draft)

        events = self.settle(drafts, acronym)
        for event in events:
            if event.room not in rooms:
                rooms[event.room] = Room(event.room, values.guid_for(acronym, "room", event.room))
            if event.track and all(t.name != event.track for t in tracks):
                tracks.append(Track(event.track))
        if not events:
            self.warn(None, "schedule_no_events")

        local_dates = sorted(e.starts.date() for e in events) or sorted(d.date for d in days)
        start = values.parse_date(conf.get("start")) or (local_dates[0] if local_dates else None)
        end = values.parse_date(conf.get("end")) or (local_dates[-1] if local_dates else None)
        if start is None or end is None:
            raise self.refuse("schedule_missing_field", field="conference.start" if start is None else "conference.end")
        slot = values.parse_duration(conf.get("timeslot_duration"))
        conference = Conference(
            title=title, acronym=acronym, start=start, end=max(start, end),
            timeslot_duration=values.format_duration(slot) if slot else "00:05",
            time_zone_name=self.text(conf, "time_zone_name"),
            base_url=self.url(top, "base_url", ("key", "base_url")),
            url=self.url(conf, "url", ("key", "conference.url")),
            logo=self.url(conf, "logo", ("key", "conference.logo")))
        schedule = Schedule(conference=conference, version=self.text(top, "version") or "1.0", tracks=tuple(tracks),
                            rooms=tuple(rooms.values()), days=tuple(sorted(days, key=lambda d: d.date)),
                            events=tuple(events))
        return schedule, self.problems

    def tracks(self, conf: dict[str, Any]) -> list[Track]:
        found: list[Track] = []
        for raw in self.items(conf, "tracks", ("key", "conference")):
            track = self.table(raw, "tracks", ("key", "conference.tracks"))
            name = self.text(track, "name", ("key", "conference.tracks")) if track is not None else None
            if track is None or not name or any(t.name == name for t in found):
                continue
            color, slug = track.get("color"), track.get("slug")
            found.append(Track(name, color if isinstance(color, str) and values.HEX_COLOR.match(color) else None,
                               slug if isinstance(slug, str) and values.TRACK_SLUG.match(slug) else None))
        return found

    def rooms(self, conf: dict[str, Any], acronym: str) -> list[Room]:
        found: list[Room] = []
        for raw in self.items(conf, "rooms", ("key", "conference")):
            room = self.table(raw, "rooms", ("key", "conference.rooms"))
            name = self.text(room, "name", ("key", "conference.rooms")) if room is not None else None
            if room is None or not name or any(r.name == name for r in found):
                continue
            guid = room.get("guid")
            valid = isinstance(guid, str) and values.GUID.match(guid)
            found.append(Room(name, guid.lower() if valid else values.guid_for(acronym, "room", name)))
        return found

    def day(self, day: dict[str, Any], n: int) -> Day | None:
        index = values.whole_number(day.get("index")) or n
        start, end = values.parse_moment(day.get("day_start")), values.parse_moment(day.get("day_end"))
        date = values.parse_date(day.get("date")) or (start.date() if start else None)
        if date is None or start is None or end is None or end <= start:
            self.warn(("day", index), "schedule_bad_day")
            return None
        return Day(index, date, start, end)

    # --- events ------------------------------------------------------------------------------------------------------

    def event(self, raw: dict[str, Any], room_key: str, acronym: str) -> dict[str, Any] | None:
        """The event's fields, checked; its id and slug are settled once every event is read (see `settle`)."""
        title = self.text(raw, "title")
        label = title or raw.get("guid") or raw.get("id") or "?"
        where = ("event", label)
        if not title:
            self.skip(where, "event_no_title")
            return None
        starts = values.parse_moment(raw.get("date"))
        if starts is None:
            self.skip(where, "event_bad_date", value=raw.get("date", ""))
            return None
        duration = values.parse_duration(raw.get("duration"))
        if duration is None and (ends := values.parse_moment(raw.get("end"))) is not None:
            duration = ends - starts
        if duration is None or not dt.timedelta(0) < duration <= values.MAX_DURATION:
            self.skip(where, "event_bad_duration", value=raw.get("duration", ""))
            return None
        room = self.text(raw, "room", where) or clean_text(room_key)
        if not room:
            self.skip(where, "event_no_room")
            return None
        given_id = values.whole_number(raw.get("id"))
        guid = raw.get("guid")
        if isinstance(guid, str) and values.GUID.match(guid):
            guid = guid.lower()
        else:
            made = values.guid_for(acronym, "event", given_id or f"{title}@{starts.isoformat()}")
            self.warn(where, "event_guid_made", value=guid if guid is not None else "", guid=made)
            guid = made
        code = raw.get("code")
        recording = raw.get("do_not_record")
        if isinstance(recording, str):
            recording = {"true": True, "false": False}.get(recording.strip().lower())
        return {
            "where": where, "given_id": given_id, "given_slug": raw.get("slug"), "guid": guid, "title": title,
            "room": room, "starts": starts, "duration": duration, "type": self.text(raw, "type", where) or "talk",
            "track": self.text(raw, "track", where), "subtitle": self.text(raw, "subtitle", where) or "",
            "abstract": self.text(raw, "abstract", where) or "",
            "description": self.text(raw, "description", where) or "",
            "language": self.text(raw, "language", where),
            "code": code if isinstance(code, str) and values.CODE.match(code) else None,
            "recording_license": self.text(raw, "recording_license", where),
            "do_not_record": recording if isinstance(recording, bool) else None,
            **{key: self.url(raw, key, where) for key in URL_FIELDS},
            "persons": tuple(self.persons(raw, where)),
            "links": tuple(self.links(raw, "links", where)),
            "attachments": tuple(self.links(raw, "attachments", where)),
        }

    def url(self, table: dict[str, Any], key: str, where: tuple[str, object]) -> str | None:
        value = table.get(key)
        if value is None or value == "":
            return None
        if not values.is_http_url(value):
            self.warn(where, "event_bad_url", field=key, value=value)
            return None
        return value

    def persons(self, raw: dict[str, Any], where: tuple[str, object]) -> Iterable[Person]:
        for item in self.items(raw, "persons", where):
            person = self.table(item, "persons", where)
            if person is None:
                continue
            name = self.text(person, "name", where) or self.text(person, "public_name", where)
            if not name:
                self.warn(where, "event_person_no_name")
                continue
            guid, code = person.get("guid"), person.get("code")
            yield Person(name, values.whole_number(person.get("id")),
                         guid.lower() if isinstance(guid, str) and values.GUID.match(guid) else None,
                         code if isinstance(code, str) and values.PERSON_CODE.match(code) else None)

    def links(self, raw: dict[str, Any], key: str, where: tuple[str, object]) -> Iterable[Link]:
        for item in self.items(raw, key, where):
            link = self.table(item, key, where)
            if link is None:
                continue
            url = link.get("url")
            if not values.is_http_url(url):
                self.warn(where, "event_bad_url", field=key, value=url if url is not None else "")
                continue
            kind = link.get("type")
            yield Link(url, self.text(link, "title", where) or "", kind if kind in values.LINK_TYPES else None)

    def settle(self, drafts: list[dict[str, Any]], acronym: str) -> list[Event]:
        """Events with unique guids (a repeated one is skipped), ids (a missing or repeated one is replaced),
        slugs and codes (made or dropped), by start and room."""
        by_guid: dict[str, dict[str, Any]] = {}
        for draft in drafts:
            if draft["guid"] in by_guid:
                self.skip(draft["where"], "event_guid_twice", guid=draft["guid"])
            else:
                by_guid[draft["guid"]] = draft
        kept = list(by_guid.values())
        ids: set[int] = set()
        for draft in kept:
            if draft["given_id"] is not None and draft["given_id"] not in ids:
                ids.add(draft["given_id"])
                draft["id"] = draft["given_id"]
        next_id = max(ids, default=0) + 1
        slugs: set[str] = set()
        codes: set[str] = set()
        events = []
        for draft in kept:
            if "id" not in draft:
                draft["id"], next_id = next_id, next_id + 1
                self.warn(draft["where"], "event_id_made", value=draft["given_id"] or "", id=draft["id"])
            slug = draft["given_slug"]
            if not (isinstance(slug, str) and values.SLUG.match(slug)) or slug in slugs:
                made = values.slug_for(acronym, draft["id"], draft["subtitle"], draft["title"])
                while made in slugs:
                    made += "-x"
                if slug:
                    self.warn(draft["where"], "event_slug_made", value=slug, slug=made)
                slug = made
            slugs.add(slug)
            if draft["code"] in codes:
                draft["code"] = None
            codes.add(draft["code"])
            fields = {k: v for k, v in draft.items() if k not in ("where", "given_id", "given_slug")}
            events.append(Event(slug=slug, **fields))
        events.sort(key=lambda e: (e.starts, e.room, e.id))
        return events


# --- writing ----------------------------------------------------------------------------------------------------------

def to_frab(schedule: Schedule, *, event_url: EventUrl | None = None, extra_links: ExtraLinks | None = None,
            ) -> dict[str, Any]:
    """The schedule as frab JSON. `event_url` gives the page of an event that has none (the JSON schema requires
    one; without it the field is left out, as for storage); `extra_links` adds links (deduplicated by URL)."""
    conf = schedule.conference
    conference: dict[str, Any] = {
        "acronym": conf.acronym, "title": conf.title, "start": conf.start.isoformat(), "end": conf.end.isoformat(),
        "daysCount": 0, "timeslot_duration": conf.timeslot_duration,
    }
    if conf.time_zone_name and values.TIME_ZONE.match(conf.time_zone_name):
        conference["time_zone_name"] = conf.time_zone_name
    conference.update({key: value for key in ("url", "logo") if (value := getattr(conf, key))})
    conference["tracks"] = [{"name": t.name, **({"color": t.color} if t.color else {}),
                             **({"slug": t.slug} if t.slug else {})} for t in schedule.tracks]
    conference["rooms"] = [{"name": r.name, "guid": r.guid} for r in schedule.rooms]
    days = []
    for day, events in export_days(schedule):
        rooms: dict[str, list[dict[str, Any]]] = {r.name: [] for r in schedule.rooms}
        for event in events:
            rooms.setdefault(event.room, []).append(_event_json(event, event_url, extra_links))
        days.append({"index": day.index, "date": day.date.isoformat(), "day_start": day.start.isoformat(),
                     "day_end": day.end.isoformat(), "rooms": rooms})
    conference["daysCount"] = len(days)
    conference["days"] = days
    top: dict[str, Any] = {"version": schedule.version}
    if conf.base_url:
        top["base_url"] = conf.base_url
    top["conference"] = conference
    return {"$schema": SCHEMA_URL, "generator": dict(GENERATOR), "schedule": top}


def export_days(schedule: Schedule) -> list[tuple[Day, list[Event]]]:
    """The days with their events: an event is on the day whose span holds its start, else on the day of its date
    (made from midnight to midnight when the schedule has no such day). Days are numbered by date from 1."""
    days = list(schedule.days)
    placed: dict[Day, list[Event]] = {d: [] for d in days}
    for event in schedule.events:
        day = next((d for d in days if d.holds(event.starts)), None)
        day = day or next((d for d in days if d.date == event.starts.date()), None)
        if day is None:
            midnight = event.starts.replace(hour=0, minute=0, second=0, microsecond=0)
            day = Day(0, midnight.date(), midnight, midnight + dt.timedelta(days=1))
            days.append(day)
            placed[day] = []
        placed[day].append(event)
    ordered = sorted(days, key=lambda d: (d.date, d.start))
    return [(Day(i, d.date, d.start, d.end), placed[d]) for i, d in enumerate(ordered, 1)]


def _event_json(event: Event, event_url: EventUrl | None, extra_links: ExtraLinks | None) -> dict[str, Any]:
    out: dict[str, Any] = {"guid": event.guid, "id": event.id}
    if event.code:
        out["code"] = event.code
    if event.logo:
        out["logo"] = event.logo
    out.update({"date": event.starts.isoformat(), "start": values.format_start(event.starts),
                "end": event.ends.isoformat(), "duration": values.format_duration(event.duration),
                "room": event.room, "slug": event.slug})
    url = event.url or (event_url(event) if event_url else None)
    if url:
        out["url"] = url
    out.update({"title": event.title, "subtitle": event.subtitle, "track": event.track, "type": event.type,
                "language": event.language, "abstract": event.abstract, "description": event.description})
    if event.recording_license is not None:
        out["recording_license"] = event.recording_license
    if event.do_not_record is not None:
        out["do_not_record"] = event.do_not_record
    out["persons"] = [{"name": p.name, **{k: v for k in ("id", "guid", "code") if (v := getattr(p, k)) is not None}}
                      for p in event.persons]
    links = list(event.links)
    for link in extra_links(event) if extra_links else ():
        if all(known.url != link.url for known in links):
            links.append(link)
    out["links"] = [_reference(link) for link in links]
    out.update({key: value for key in ("feedback_url", "origin_url") if (value := getattr(event, key))})
    out["attachments"] = [_reference(link) for link in event.attachments]
    return out


def _reference(link: Link) -> dict[str, str]:
    return {"url": link.url, **({"title": link.title} if link.title else {}), **({"type": link.type} if link.type
                                                                                else {})}
