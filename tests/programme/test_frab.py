"""frab interop: a schedule as pretalx exports it is imported, exported as schedule.xml and schedule.json (both
valid against the c3voc validator's schemas), and imported again with the same guids and events; what is wrong in
a programme folder is named, in both languages, and the rest is kept."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from icalendar import Calendar

from expo_hall.agenda.ics import calendar
from expo_hall.agenda.store import Entry
from expo_hall.programme import load_programme, to_frab
from expo_hall.programme.frab_xml import frab_to_xml
from expo_hall.programme.load import default_folder
from expo_hall.programme.model import Event, Programme
from expo_hall.programme.timetable import Status, conflicts, statuses
from tests.programme.pretalx import Talk, pretalx_xml
from tests.programme.sample import CAMPUS, EARLY, OPENING, ROOMS, TALKS, TEACHER, at, write_programme
from tests.programme.validators import json_errors, xml_errors
from tests.stands.test_package_fuzz import check


def page(event: Event) -> str:
    return f"https://expo.example/api/v1/programme/events/{event.guid}"


def export(programme: Programme) -> dict:
    return to_frab(programme.schedule, event_url=page, extra_links=programme.media_links)


def essentials(event: Event) -> tuple:
    return (event.guid, event.id, event.code, event.title, event.subtitle, event.room, event.starts, event.duration,
            event.track, event.slug, event.url, event.language, event.abstract, [p.name for p in event.persons])


def test_a_pretalx_schedule_round_trips_through_both_exports_valid_and_with_the_same_guids(tmp_path):
    programme, problems = load_programme(write_programme(tmp_path / "programme"))
    assert problems == []
    assert [e.guid for e in programme.schedule.events] == [EARLY, OPENING, CAMPUS, TEACHER]
    opening = programme.schedule.events[1]
    assert (opening.title, opening.title_en, opening.starts, opening.duration) == (
        "Открытие форума", "Forum opening", at(10), dt.timedelta(hours=1))
    assert programme.hall_of(opening) == "hall-1" and programme.cluster_of(opening).title_en == "Digital school"
    assert programme.moderator_of(opening) == "Анна Петрова"
    assert [r.guid for r in programme.schedule.rooms] == list(ROOMS.values())

    doc = export(programme)
    xml = frab_to_xml(doc)
    assert xml_errors(xml) == []
    assert json_errors(doc) == []
    exported = doc["schedule"]["conference"]["days"][0]["rooms"]["Зал 1"][1]
    assert [(link["url"], link.get("type")) for link in exported["links"]] == [
        ("https://slides.example/opening.pdf", None), ("https://stream.example/hall-1/index.m3u8", "media"),
        (f"https://media.example/recordings/{OPENING}.mp4", "media")]  # the stream and recording, as links
    assert set(exported) <= set(_json_event_fields())

    for name, data in (("schedule.xml", xml), ("schedule.json", json.dumps(doc, ensure_ascii=False).encode())):
        folder = tmp_path / name.replace(".", "-")
        folder.mkdir()
        (folder / name).write_bytes(data)
        shutil.copy(tmp_path / "programme" / "programme.toml", folder)
        again, problems = load_programme(folder)
        assert problems == [], name
        assert [essentials(e) for e in again.schedule.events] == [essentials(e) for e in programme.schedule.events]
        assert export(again) == doc, name  # imported and exported again: the same document


def _json_event_fields() -> list[str]:
    from tests.programme.validators import FRAB

    return list(json.loads((FRAB / "schema.json").read_text(encoding="utf-8"))["definitions"]["Event"]["properties"])


def test_an_event_without_a_page_gets_the_servers_and_xml_keeps_only_http_urls(tmp_path):
    programme, _ = load_programme(write_programme(tmp_path / "p"))
    bare = to_frab(programme.schedule)  # as stored: nothing made up
    xml = frab_to_xml(to_frab(programme.schedule, event_url=lambda e: f"urn:uuid:{e.guid}"))
    assert xml_errors(xml) == [] and b"urn:uuid" not in xml
    schedule = json.loads(json.dumps(bare))
    for event in schedule["schedule"]["conference"]["days"][0]["rooms"]["Зал 1"]:
        event.pop("url")
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "schedule.json").write_text(json.dumps(schedule), encoding="utf-8")
    again, problems = load_programme(tmp_path / "q")
    assert [p.key for p in problems] == ["programme_toml_missing"]
    doc = export(again)
    assert json_errors(doc) == [] and xml_errors(frab_to_xml(doc)) == []
    assert doc["schedule"]["conference"]["days"][0]["rooms"]["Зал 1"][0]["url"] == page(again.schedule.events[0])


def test_pretalx_json_persons_and_fields_are_read(tmp_path):
    event = {"id": 7, "guid": "2D64F8E2-26EE-529F-B5AB-3B3F326E31B9", "logo": "", "date": "2020-12-14T09:30:00+01:00",
             "start": "09:30", "duration": "00:30", "room": "Gray Room", "slug": "democon-7-quality-website",
             "url": "http://localhost/democon/talk/3NEFSQ/", "title": "Quality website", "subtitle": "",
             "track": None, "type": "Talk", "language": "en", "abstract": "Brand!", "description": "Long\ntext",
             "recording_license": "", "do_not_record": False, "links": [], "attachments": [],
             "persons": [{"id": 27, "code": "XHSHNG", "public_name": "Jordan Parks", "biography": "Bio",
                          "answers": []}]}
    data = {"schedule": {"version": "v1.1", "base_url": "http://localhost/democon/schedule/", "conference": {
        "acronym": "democon", "title": "DemoCon", "start": "2020-12-14", "end": "2020-12-14", "daysCount": 1,
        "timeslot_duration": "00:05", "time_zone_name": "UTC", "rooms": [{"name": "Gray Room", "guid": ROOMS["Зал 1"]}],
        "days": [{"index": 1, "date": "2020-12-14", "day_start": "2020-12-14T04:00:00+01:00",
                  "day_end": "2020-12-15T03:59:00+01:00", "rooms": {"Gray Room": [event]}}]}}}
    (tmp_path / "schedule.json").write_text(json.dumps(data), encoding="utf-8")
    programme, _ = load_programme(tmp_path)
    (read,) = programme.schedule.events
    assert read.guid == "2d64f8e2-26ee-529f-b5ab-3b3f326e31b9"  # the same UUID, in its canonical spelling
    assert (read.persons[0].name, read.persons[0].id, read.persons[0].code) == ("Jordan Parks", 27, "XHSHNG")
    assert (read.description, read.duration, read.do_not_record) == ("Long\ntext", dt.timedelta(minutes=30), False)
    doc = export(programme)
    assert json_errors(doc) == [] and xml_errors(frab_to_xml(doc)) == []


def test_faults_in_the_schedule_are_named_and_the_rest_is_kept(tmp_path):
    good = TALKS[1]
    broken = [
        Talk("0b6c3a1e-5d2f-4c1a-9f00-0000000000a1", 201, "Зал 1", "", at(12), 60, "Цифровая школа"),
        Talk("0b6c3a1e-5d2f-4c1a-9f00-0000000000a2", 202, "Зал 1", "Без даты", at(13), 60, "Цифровая школа"),
        Talk("0b6c3a1e-5d2f-4c1a-9f00-0000000000a3", 203, "Зал 1", "Бесконечное", at(14), 0, "Цифровая школа"),
        Talk(OPENING, 204, "Зал 2", "Тот же guid", at(15), 30, "Цифровая школа"),
        Talk("not-a-guid", 102, "Зал 2", "Без guid и с чужим id", at(16), 30, "Цифровая школа"),
    ]
    text = pretalx_xml([good, *broken]).replace("<date>2020-10-01T13:00:00+03:00</date>", "<date>завтра</date>")
    (tmp_path / "schedule.xml").write_text(text, encoding="utf-8")
    programme, problems = load_programme(tmp_path)
    found = {(p.key, p.obj_name) for p in problems}
    assert {("event_no_title", "0b6c3a1e-5d2f-4c1a-9f00-0000000000a1"), ("event_bad_date", "Без даты"),
            ("event_bad_duration", "Бесконечное"), ("event_guid_twice", "Тот же guid"),
            ("event_guid_made", "Без guid и с чужим id"), ("event_id_made", "Без guid и с чужим id"),
            ("programme_toml_missing", "")} <= found
    for found_problem in problems:
        check(found_problem)
    kept = {e.title: e for e in programme.schedule.events}
    assert set(kept) == {"Открытие форума", "Без guid и с чужим id"}
    made = kept["Без guid и с чужим id"]
    assert made.id != 102 and made.guid != "not-a-guid"
    again, _ = load_programme(tmp_path)
    assert [e.guid for e in again.schedule.events] == [e.guid for e in programme.schedule.events]  # made alike
    doc = export(programme)
    assert json_errors(doc) == [] and xml_errors(frab_to_xml(doc)) == []


def test_unreadable_programme_files_are_named_problems(tmp_path):
    cases = {
        "bad_xml": ("schedule.xml", b"<schedule><conference><title>x</title>", "schedule_bad_xml"),
        "bomb": ("schedule.xml", b'<!DOCTYPE s [<!ENTITY a "aaaa">]><schedule>&a;</schedule>', "schedule_bad_xml"),
        "not_frab": ("schedule.xml", b"<map version='1.10'/>", "schedule_not_frab"),
        "no_acronym": ("schedule.xml", b"<schedule><version>1</version><conference><title>T</title></conference>"
                                       b"</schedule>", "schedule_missing_field"),
        "bad_json": ("schedule.json", b'{"schedule": ', "schedule_bad_json"),
        "deep_json": ("schedule.json", b"[" * 100_000 + b"]" * 100_000, "json_too_deep"),
        "json_list": ("schedule.json", b"[1, 2]", "schedule_not_frab"),
        "not_utf8": ("schedule.json", b'{"schedule": "\xff"}', "unreadable"),
    }
    for name, (file, data, key) in cases.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / file).write_bytes(data)
        programme, problems = load_programme(tmp_path / name)
        assert programme is None and [p.key for p in problems] == [key], name
        check(problems[0])
    (tmp_path / "empty").mkdir()
    assert [p.key for p in load_programme(tmp_path / "empty")[1]] == ["programme_no_schedule"]
    assert [p.key for p in load_programme(tmp_path / "nowhere")[1]] == ["programme_dir_missing"]
    assert default_folder(tmp_path / "expo" / "maps") == tmp_path / "expo" / "programme"


def test_faults_in_programme_toml_are_warnings_and_the_programme_is_served_without_them(tmp_path):
    folder = write_programme(tmp_path / "p")
    (folder / "programme.toml").write_text(f'''\
colour = "red"

[rooms."Зал 1"]
hall = "hall-1"
stream = "ftp://stream.example/hall-1"
recordings = "https://media.example/all.mp4"

[rooms."Зал 3"]
hall = "hall-3"

[rooms."Зал 2"]
hall = "hall-1"

[clusters.digital-school]
title = "Цифровая школа"
tracks = ["Цифровая школа", "Цифровая шкала"]

[clusters.twice]
title = "Снова цифровая"
tracks = ["Цифровая школа"]

[clusters."не id"]
title = "Высшее образование"

[events."{OPENING}"]
moderator = "Кто-то другой"

[events."0b6c3a1e-5d2f-4c1a-9f00-0000000000ff"]
moderator = "Никто"
''', encoding="utf-8")
    programme, problems = load_programme(folder)
    keys = sorted(p.key for p in problems)
    assert keys == sorted(["unknown_key", "programme_bad_url", "programme_recordings_no_guid", "programme_unknown_room",
                           "programme_hall_twice", "programme_room_no_hall", "programme_unknown_track",
                           "programme_track_twice", "programme_bad_cluster_id", "programme_track_no_cluster",
                           "programme_moderator_not_person", "programme_unknown_event"])
    for found in problems:
        check(found)
    unknown = next(p for p in problems if p.key == "programme_unknown_room")
    assert "Зал 1" in unknown.text() and "Зал 3" in unknown.text()
    opening = next(e for e in programme.schedule.events if e.guid == OPENING)
    assert programme.stream_url(opening) is None and programme.recording_url(opening) is None
    assert programme.hall_of(opening) == "hall-1" and programme.moderator_of(opening) is None
    campus = next(e for e in programme.schedule.events if e.guid == CAMPUS)
    assert programme.hall_of(campus) is None and programme.cluster_of(campus) is None

    (folder / "programme.toml").write_text("[rooms\n", encoding="utf-8")
    programme, problems = load_programme(folder)
    assert [p.key for p in problems] == ["bad_toml"] and programme is not None and programme.mapping.rooms == {}
    (folder / "schedule.json").write_text("{}", encoding="utf-8")
    programme, problems = load_programme(folder)
    assert "programme_two_schedules" in [p.key for p in problems] and programme is not None


def test_now_and_next_per_room_and_overlaps():
    programme_events = [_event(t) for t in TALKS]
    assert statuses(programme_events, at(9)) == {EARLY: Status.ended, OPENING: Status.next, TEACHER: Status.later,
                                                 CAMPUS: Status.next}
    assert statuses(programme_events, at(10, 45)) == {EARLY: Status.ended, OPENING: Status.now,
                                                      TEACHER: Status.next, CAMPUS: Status.now}
    assert statuses(programme_events, at(11)) == {EARLY: Status.ended, OPENING: Status.ended, TEACHER: Status.now,
                                                  CAMPUS: Status.now}
    assert [(a.guid, b.guid) for a, b in conflicts(programme_events)] == [(OPENING, CAMPUS), (CAMPUS, TEACHER)]


def test_the_calendar_names_events_by_guid(tmp_path):
    programme, _ = load_programme(write_programme(tmp_path / "p"))
    chosen = [e for e in programme.schedule.events if e.guid in (OPENING, CAMPUS)]
    cal = Calendar.from_ical(calendar([Entry.of_event(programme, e) for e in chosen], at(9), "en").to_ical())
    events = cal.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"{OPENING}@expo-hall", f"{CAMPUS}@expo-hall"]
    assert [str(e["summary"]) for e in events] == ["Forum opening", "A university without a campus"]
    assert events[0].decoded("dtstart") == at(10).astimezone(dt.UTC)
    assert str(events[0]["location"]) == "Зал 1"  # the event's room; its stream to join in the description
    assert "https://stream.example/hall-1/index.m3u8" in str(events[0]["description"])


def _event(talk: Talk) -> Event:
    return Event(talk.guid, talk.id, talk.title, talk.room, talk.start, dt.timedelta(minutes=talk.minutes),
                 f"mmco2020-{talk.id}-talk", track=talk.track)

