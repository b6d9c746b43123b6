"""schedule.xml, frab's XML as pretalx and frab export it, turned into frab's JSON shape (which frab.py reads)
and written from it, element by element as the c3voc XSD (validator/xsd/schedule.xml.xsd) has them.

The XML's own spellings map onto the JSON's: <days> is daysCount, a day's start/end are day_start/day_end,
rooms are listed per day (with their guid), <person> text is the name, <link href> the url and its text the title,
<recording><license>/<optout> are recording_license/do_not_record.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from expo_hall.problems import ContentError, problem
from expo_hall.programme import values

CONFERENCE_TEXT = ("title", "acronym", "start", "end", "timeslot_duration", "url", "logo", "time_zone_name")
EVENT_TEXT = ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract", "slug", "track", "logo",
              "language", "description", "url", "feedback_url", "origin_url")


def xml_to_frab(data: bytes, file: Path) -> dict[str, Any]:
    """The schedule in `data` in frab's JSON shape; ContentError when it is not XML or not a schedule."""
    if b"<!ENTITY" in data:  # nothing in a schedule needs them; expanding them is how XML bombs work
        raise ContentError(problem(file, "schedule_bad_xml", error="entity declarations are not allowed"))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ContentError(problem(file, "schedule_bad_xml", error=exc)) from exc
    conf = root.find("conference")
    if root.tag != "schedule" or conf is None:
        raise ContentError(problem(file, "schedule_not_frab"))
    conference: dict[str, Any] = {tag: _text(conf, tag) for tag in CONFERENCE_TEXT if conf.find(tag) is not None}
    if conf.find("days") is not None:
        conference["daysCount"] = _text(conf, "days")
    conference["tracks"] = [dict(track.attrib) for track in conf.findall("track")]
    rooms: dict[str, dict[str, str]] = {}
    days = []
    for day in root.findall("day"):
        day_rooms: dict[str, list[dict[str, Any]]] = {}
        for room in day.findall("room"):
            name = room.get("name", "")
            rooms.setdefault(name, {"name": name, **({"guid": room.get("guid")} if room.get("guid") else {})})
            day_rooms.setdefault(name, []).extend(_event(event) for event in room.findall("event"))
        days.append({"index": day.get("index"), "date": day.get("date"), "day_start": day.get("start"),
                     "day_end": day.get("end"), "rooms": day_rooms})
    conference["rooms"] = list(rooms.values())
    conference["days"] = days
    schedule: dict[str, Any] = {"version": _text(root, "version"), "conference": conference}
    if conf.find("base_url") is not None:
        schedule["base_url"] = _text(conf, "base_url")
    return {"schedule": schedule}


def _text(parent: ET.Element, tag: str) -> str:
    found = parent.find(tag)
    return (found.text or "") if found is not None else ""


def _event(el: ET.Element) -> dict[str, Any]:
    event: dict[str, Any] = {key: el.get(key) for key in ("guid", "id", "code") if el.get(key) is not None}
    event.update({tag: _text(el, tag) for tag in EVENT_TEXT if el.find(tag) is not None})
    event["persons"] = [{"name": p.text or "", **{k: p.get(k) for k in ("id", "guid") if p.get(k) is not None}}
                        for p in el.iterfind("persons/person")]
    for key, item in (("links", "link"), ("attachments", "attachment")):
        event[key] = [{"url": link.get("href"), "title": link.text or "",
                       **({"type": link.get("type")} if link.get("type") else {})}
                      for link in el.iterfind(f"{key}/{item}")]
    recording = el.find("recording")
    if recording is not None:
        if recording.find("license") is not None:
            event["recording_license"] = _text(recording, "license")
        if recording.find("optout") is not None:
            event["do_not_record"] = _text(recording, "optout")
    return event


def frab_to_xml(doc: dict[str, Any]) -> bytes:
    """frab.to_frab's JSON as schedule.xml (UTF-8)."""
    top = doc["schedule"]
    conf = top["conference"]
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", {k: str(v) for k, v in doc.get("generator", {}).items() if k != "url"})
    _add(root, "version", top["version"])
    conference = ET.SubElement(root, "conference")
    for tag, value in (("title", conf["title"]), ("acronym", conf["acronym"]), ("start", conf["start"]),
                       ("end", conf["end"]), ("days", conf["daysCount"]),
                       ("timeslot_duration", conf["timeslot_duration"]), ("base_url", top.get("base_url")),
                       ("logo", conf.get("logo")), ("url", conf.get("url")),
                       ("time_zone_name", conf.get("time_zone_name"))):
        if value is not None:
            _add(conference, tag, value)
    for track in conf["tracks"]:
        ET.SubElement(conference, "track", {k: v for k, v in track.items() if k in ("name", "color", "slug")})
    guids = {room["name"]: room["guid"] for room in conf["rooms"]}
    for day in conf["days"]:
        day_el = ET.SubElement(root, "day", {"index": str(day["index"]), "date": day["date"],
                                             "start": day["day_start"], "end": day["day_end"]})
        for name, events in day["rooms"].items():
            room_el = ET.SubElement(day_el, "room", {"name": name, **({"guid": guids[name]} if name in guids else {})})
            for event in events:
                _write_event(room_el, event)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _write_event(parent: ET.Element, event: dict[str, Any]) -> None:
    el = ET.SubElement(parent, "event", {key: str(event[key]) for key in ("guid", "id", "code") if key in event})
    for tag in ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract", "slug"):
        _add(el, tag, event[tag])
    _add(el, "track", event["track"] or "")
    if event.get("logo"):
        _add(el, "logo", event["logo"])
    persons = ET.SubElement(el, "persons")
    for person in event["persons"]:
        attrs = {key: str(person[key]) for key in ("id", "guid") if key in person}
        _add(persons, "person", person["name"], attrs)
    if event["language"] is not None:
        _add(el, "language", event["language"])
    _add(el, "description", event["description"])
    if "recording_license" in event or "do_not_record" in event:
        recording = ET.SubElement(el, "recording")
        _add(recording, "license", event.get("recording_license") or "")
        _add(recording, "optout", "true" if event.get("do_not_record") else "false")
    for key, item in (("links", "link"), ("attachments", "attachment")):
        group = ET.SubElement(el, key)
        for link in event[key]:
            _add(group, item, link.get("title", ""), {"href": link["url"], **({"type": link["type"]}
                                                                             if "type" in link else {})})
    for tag in ("url", "feedback_url", "origin_url"):
        if values.is_http_url(event.get(tag)):
            _add(el, tag, event[tag])


def _add(parent: ET.Element, tag: str, text: object, attrs: dict[str, str] | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs or {})
    el.text = str(text)
    return el
