"""The visitor's route with its version, stand visits, and a stand's statistics."""

from __future__ import annotations

import datetime as dt


def test_the_route_is_versioned_and_a_stale_write_is_refused(server):
    vera = server.visitor()
    assert vera.get("/me/route").json() == {"version": 0, "planned": [], "visited": []}
    r = vera.put("/me/route", json={"version": 0, "planned": ["beta", "alpha"]})
    assert r.status_code == 200 and r.json()["version"] == 1 and r.json()["planned"] == ["beta", "alpha"]
    assert vera.put("/me/route", json={"version": 1, "planned": ["gamma", "beta", "alpha"]}).json()["version"] == 2
    for stale in (0, 1, 3):  # another device wrote first (or the client made a version up)
        r = vera.put("/me/route", json={"version": stale, "planned": ["delta"]})
        assert r.status_code == 409 and "version 2" in r.json()["detail"]
    assert vera.get("/me/route").json()["planned"] == ["gamma", "beta", "alpha"]
    assert vera.put("/me/route", json={"version": 2, "planned": []}).json() == {
        "version": 3, "planned": [], "visited": []}


def test_a_route_refuses_unknown_or_repeated_stands(server):
    vera = server.visitor()
    for planned in (["alpha", "nobody"], ["alpha", "alpha"]):
        r = vera.put("/me/route", json={"version": 0, "planned": planned})
        assert r.status_code == 422 and r.json()["detail"]
    assert vera.put("/me/route", json={"version": -1, "planned": []}).status_code == 422
    assert vera.get("/me/route").json()["version"] == 0


def test_visits_fill_the_route_and_the_stands_statistics(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    rep, olga = server.representative("alpha"), server.organizer()
    start = server.clock.now
    assert vera.post("/exhibitors/alpha/visits").json() == {"exhibitor_id": "alpha", "at": "2020-10-01T06:00:00Z"}
    server.clock.now = start + dt.timedelta(minutes=5)
    vera.post("/exhibitors/beta/visits")
    server.clock.now = start + dt.timedelta(minutes=9)
    again = vera.post("/exhibitors/alpha/visits")  # within 30 minutes: answered, not counted
    assert (again.status_code, again.json()["at"]) == (200, "2020-10-01T06:00:00Z")
    ivan.post("/exhibitors/alpha/visits")
    server.clock.now = start + dt.timedelta(minutes=31)
    assert vera.post("/exhibitors/alpha/visits").status_code == 201
    assert vera.post("/exhibitors/nobody/visits").status_code == 404

    visited = vera.get("/me/route").json()["visited"]
    assert [(v["exhibitor_id"], v["visits"], v["first_at"][11:16], v["last_at"][11:16]) for v in visited] == [
        ("alpha", 2, "06:00", "06:31"), ("beta", 1, "06:05", "06:05")]

    rep.put("/me/status", json={"available": True})
    conv = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    vera.send(conv, "вопрос")
    rep.send(conv, "ответ")
    vera.send(server.room_of("alpha"), "всем привет")
    vera.send(server.room_of("beta"), "не сюда")
    stats = {"exhibitor_id": "alpha", "visits": 3, "unique_visitors": 2, "conversations": 1, "public_messages": 1,
             "private_messages": 2, "downloads": 0}
    assert rep.get("/exhibitors/alpha/stats").json() == stats
    assert olga.get("/exhibitors/alpha/stats").json() == stats
    assert olga.get("/exhibitors/delta/stats").json()["visits"] == 0
