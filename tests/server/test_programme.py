"""The business programme on the server: imported with the expo (the programme folder beside the maps), served as
frab schedule.xml and schedule.json valid against the c3voc schemas, listed for the client with now/next at the
server's clock; each user's bookmarks with their overlaps and calendar feed; a re-import keeps bookmarks and
questions (events are keyed by guid)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid

from icalendar import Calendar

from expo_hall.programme import load_programme
from tests.programme.sample import CAMPUS, DAY, EARLY, OPENING, TEACHER, at
from tests.programme.validators import json_errors, xml_errors
from tests.server.conftest import start_server, write_expo
from tests.server.test_processes import cli_here

GUIDS = [EARLY, OPENING, CAMPUS, TEACHER]


def test_the_programme_is_served_as_frab_xml_and_json_valid_against_the_c3voc_schemas(server, tmp_path):
    anyone = server.anonymous()
    xml = anyone.get("/programme/schedule.xml")
    assert xml.status_code == 200 and xml.headers["content-type"] == "application/xml"
    assert xml_errors(xml.content) == []
    served = anyone.get("/programme/schedule.json")
    assert served.status_code == 200 and served.headers["content-type"] == "application/json"
    doc = served.json()
    assert json_errors(doc) == []
    events = [e for day in doc["schedule"]["conference"]["days"] for room in day["rooms"].values() for e in room]
    assert sorted(e["guid"] for e in events) == sorted(GUIDS)
    opening = next(e for e in events if e["guid"] == OPENING)
    assert {"url": "https://stream.example/hall-1/index.m3u8", "title": "Live stream", "type": "media"} in \
        opening["links"]

    for name, data in (("schedule.xml", xml.content), ("schedule.json", served.content)):  # and back again
        folder = tmp_path / name.replace(".", "-")
        folder.mkdir()
        (folder / name).write_bytes(data)
        programme, problems = load_programme(folder)
        assert [p.key for p in problems] == ["programme_toml_missing"]
        assert [e.guid for e in programme.schedule.events] == GUIDS


def test_now_and_next_at_the_servers_clock(server):
    anyone = server.anonymous()
    server.clock.now = at(9)
    listing = anyone.get("/programme").json()
    assert listing["conference"]["acronym"] == "mmco2020" and dt.datetime.fromisoformat(listing["now"]) == at(9)
    assert [c["cluster_id"] for c in listing["clusters"]] == ["digital-school", "higher"]
    assert [(r["name"], r["hall"]) for r in listing["rooms"]] == [("Зал 1", "hall-1"), ("Зал 2", "hall-2")]
    assert {e["guid"]: e["status"] for e in listing["events"]} == {EARLY: "ended", OPENING: "next", TEACHER: "later",
                                                                   CAMPUS: "next"}
    opening = next(e for e in listing["events"] if e["guid"] == OPENING)
    assert (opening["title_en"], opening["hall"], opening["cluster_id"], opening["duration_minutes"]) == (
        "Forum opening", "hall-1", "digital-school", 60)
    assert [(p["name"], p["moderator"]) for p in opening["persons"]][:2] == [("Анна Петрова", True),
                                                                            ("Иван Сидоров", False)]
    assert opening["stream_url"] == "https://stream.example/hall-1/index.m3u8"
    assert opening["recording_url"] == f"https://media.example/recordings/{OPENING}.mp4"

    server.clock.now = at(10, 45)
    now = {e["guid"]: e["status"] for e in anyone.get("/programme").json()["events"]}
    assert now == {EARLY: "ended", OPENING: "now", TEACHER: "next", CAMPUS: "now"}
    assert anyone.get(f"/programme/events/{TEACHER}").json()["status"] == "next"
    server.clock.now = at(12)
    assert anyone.get(f"/programme/events/{TEACHER}").json()["status"] == "ended"

    only = anyone.get("/programme", params={"cluster": "higher"}).json()["events"]
    assert [e["guid"] for e in only] == [CAMPUS]
    assert [e["guid"] for e in anyone.get("/programme", params={"hall": "hall-1", "day": DAY.isoformat()})
            .json()["events"]] == [EARLY, OPENING, TEACHER]
    assert anyone.get("/programme", params={"day": "2020-10-02"}).json()["events"] == []
    assert anyone.get(f"/programme/events/{uuid.uuid4()}").status_code == 404
    assert anyone.get("/programme/events/not-a-guid").status_code == 422


def test_bookmarks_warn_of_overlapping_events(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    assert vera.get("/me/programme/bookmarks").json() == {"events": [], "conflicts": []}
    saved = vera.put("/me/programme/bookmarks", json={"events": [TEACHER, OPENING, CAMPUS, OPENING.upper()]})
    assert saved.status_code == 200
    assert saved.json() == {"events": [OPENING, CAMPUS, TEACHER], "conflicts": [
        {"first": OPENING, "second": CAMPUS, "overlap_minutes": 30},
        {"first": CAMPUS, "second": TEACHER, "overlap_minutes": 30}]}
    assert vera.get("/me/programme/bookmarks").json() == saved.json()
    assert ivan.get("/me/programme/bookmarks").json()["events"] == []  # each their own

    unknown = vera.put("/me/programme/bookmarks", json={"events": [OPENING, str(uuid.uuid4())]})
    assert unknown.status_code == 422 and "not events of the programme" in unknown.json()["detail"]
    assert vera.put("/me/programme/bookmarks", json={"events": ["x"]}).status_code == 422
    assert vera.get("/me/programme/bookmarks").json()["events"] == [OPENING, CAMPUS, TEACHER]  # unchanged
    assert vera.put("/me/programme/bookmarks", json={"events": [EARLY]}).json() == {"events": [EARLY],
                                                                                   "conflicts": []}
    assert server.anonymous().get("/me/programme/bookmarks").status_code == 401


def test_the_calendar_feed_is_the_bookmarks_at_a_secret_url(server):
    vera = server.visitor("Вера")
    vera.put("/me/programme/bookmarks", json={"events": [OPENING, CAMPUS]})
    made = vera.post("/me/programme/calendar")
    assert made.status_code == 201
    url = made.json()["url"]
    assert url.startswith("/api/v1/programme/calendar/") and url.endswith(".ics")
    feed = server.anonymous().session.get(server.url + url, params={"lang": "en"}, timeout=30)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [(str(e["uid"]), str(e["summary"])) for e in events] == [
        (f"{OPENING}@expo-hall", "Forum opening"), (f"{CAMPUS}@expo-hall", "A university without a campus")]

    vera.put("/me/programme/bookmarks", json={"events": [TEACHER]})
    ru = Calendar.from_ical(server.anonymous().session.get(server.url + url, timeout=30).content).walk("VEVENT")
    assert [str(e["summary"]) for e in ru] == ["Учитель в цифровой среде"]  # follows the bookmarks

    # the stand webinars the visitor asked to be reminded of are in the same feed, by time, with the events
    morning = {"exhibitor_id": "alpha", "starts": "2020-10-01T10:00:00+03:00", "title": "Утренний эфир"}
    gone = {"exhibitor_id": "alpha", "starts": "2020-10-01T10:00:00+03:00", "title": "Нет такого"}
    put = vera.put("/me/agenda/webinars", json={"webinars": [morning, gone]})
    assert put.status_code == 200 and [w["title"] for w in put.json()["webinars"]] == ["Утренний эфир"]
    both = Calendar.from_ical(server.anonymous().session.get(server.url + url, timeout=30).content).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in both) == ["Утренний эфир", "Учитель в цифровой среде"]
    [webinar] = [e for e in both if str(e["summary"]) == "Утренний эфир"]
    assert webinar.decoded("DTSTART") == dt.datetime(2020, 10, 1, 7, 0, tzinfo=dt.UTC)
    assert vera.put("/me/agenda/webinars", json={"webinars": [{**morning, "starts": "2020-10-01T10:00:00"}]}
                    ).status_code == 422  # a time without its offset is refused, naming the field
    assert vera.get("/me/agenda/webinars").json()["webinars"][0]["exhibitor_id"] == "alpha"

    newer = vera.post("/me/programme/calendar").json()["url"]
    assert server.anonymous().session.get(server.url + url, timeout=30).status_code == 404  # replaced
    assert server.anonymous().session.get(server.url + newer, timeout=30).status_code == 200
    me = vera.get("/me").json()["id"]
    assert server.organizer().post(f"/users/{me}/revoke").status_code == 200
    assert server.anonymous().session.get(server.url + newer, timeout=30).status_code == 404  # revoked


def test_a_reimport_keeps_bookmarks_and_questions_of_events_by_guid(db_url, tmp_path):
    maps, stands = write_expo(tmp_path / "expo")
    srv = start_server(db_url, (maps, stands))
    try:
        vera = srv.visitor("Вера")
        vera.put("/me/programme/bookmarks", json={"events": [OPENING, CAMPUS]})
        asked = vera.post(f"/programme/events/{OPENING}/questions",
                          json={"text": "Будет ли запись?", "client_id": str(uuid.uuid4())})
        assert asked.status_code == 201
        srv.organizer().patch(f"/programme/questions/{asked.json()['id']}", json={"state": "visible"})
    finally:
        srv.embedded.stop()

    schedule = tmp_path / "expo" / "programme" / "schedule.xml"
    text = schedule.read_text(encoding="utf-8").replace("Открытие форума", "Торжественное открытие")
    start = text.index(f"<event guid='{CAMPUS}'")
    schedule.write_text(text[:start] + text[text.index("</event>", start) + len("</event>"):], encoding="utf-8")
    srv = start_server(db_url, (maps, stands))
    try:
        assert srv.embedded.imported.events == 3
        vera = srv.anonymous()
        vera.session.headers["Authorization"] = f"Bearer {asked.request.headers['Authorization'].split()[1]}"
        assert vera.get("/me/programme/bookmarks").json()["events"] == [OPENING]  # CAMPUS is gone from the schedule
        assert vera.get(f"/programme/events/{OPENING}").json()["title"] == "Торжественное открытие"
        questions = vera.get(f"/programme/events/{OPENING}/questions").json()["questions"]
        assert [q["text"] for q in questions] == ["Будет ли запись?"]
        assert vera.get(f"/programme/events/{CAMPUS}").status_code == 404
    finally:
        srv.embedded.stop()

    shutil.rmtree(tmp_path / "expo" / "programme")
    srv = start_server(db_url, (maps, stands))
    try:
        listing = srv.anonymous().get("/programme").json()
        assert listing["conference"] is None and listing["events"] == []
        assert srv.anonymous().get("/programme/schedule.xml").status_code == 404
    finally:
        srv.embedded.stop()


def test_moderator_tokens_name_halls_of_the_programme(server):
    made = cli_here("token", "--moderator", "hall-1", "--name", "Эксперт", "--db", server.db_url)
    assert made.returncode == 0, made.stderr
    assert "moderator 'Эксперт'" in made.stderr and "hall-1" in made.stderr
    me = server.anonymous()
    me.session.headers["Authorization"] = f"Bearer {made.stdout.strip()}"
    assert (me.get("/me").json()["role"], me.get("/me").json()["halls"]) == ("moderator", ["hall-1"])
    listed = cli_here("token", "list", "--role", "moderator", "--db", server.db_url).stdout.splitlines()
    assert [line.split()[1:4] for line in listed[1:]] == [["moderator", "Эксперт", "hall-1"]]
    typo = cli_here("token", "--moderator", "hall-11", "--name", "Эксперт", "--db", server.db_url)
    assert typo.returncode == 2 and "no hall 'hall-11'" in typo.stderr and "hall-1" in typo.stderr


def test_exports_need_a_programme(tmp_path, db_url):
    maps, stands = write_expo(tmp_path / "expo")
    shutil.rmtree(tmp_path / "expo" / "programme")
    srv = start_server(db_url, (maps, stands))
    try:
        anyone = srv.anonymous()
        assert anyone.get("/programme").json()["conference"] is None
        for path in ("/programme/schedule.xml", "/programme/schedule.json", f"/programme/events/{OPENING}"):
            answer = anyone.get(path)
            assert answer.status_code == 404 and answer.json()["detail"], path
        vera = srv.visitor()
        assert vera.put("/me/programme/bookmarks", json={"events": [OPENING]}).status_code == 422
        assert json.loads(vera.get("/me/programme/bookmarks").content) == {"events": [], "conflicts": []}
    finally:
        srv.embedded.stop()
