"""Leads (a visitor's contact shared with a stand, by their choice) and downloads in the stand's statistics."""

from __future__ import annotations

import datetime as dt

import pytest

from expo_hall.server.schemas import LEAD_NOTE_MAX
from tests.server.conftest import PDF_BYTES

LEAD = {"name": "Вера Петрова", "organisation": "Лицей №2", "email": "vera@example.org", "phone": "+7 (900) 123-45-67",
        "note": "Интересует магистратура.\nПозвоните после 18:00."}


def test_a_visitor_shares_a_lead_and_the_stand_reads_it(server):
    vera = server.visitor("Вера")
    r = vera.post("/exhibitors/alpha/leads", json=LEAD)
    assert r.status_code == 201, r.text
    lead = r.json()
    me = vera.get("/me").json()
    assert {k: lead[k] for k in LEAD} == LEAD
    assert (lead["exhibitor_id"], lead["visitor_id"]) == ("alpha", me["id"])
    assert dt.datetime.fromisoformat(lead["created_at"]) == server.clock() == dt.datetime.fromisoformat(
        lead["updated_at"])

    for reader in (server.representative("alpha"), server.organizer()):
        r = reader.get("/exhibitors/alpha/leads")
        assert r.status_code == 200, r.text
        assert r.json()["leads"] == [lead]
    assert server.representative("beta").get("/exhibitors/beta/leads").json() == {"leads": []}


def test_sharing_again_updates_the_lead_and_lists_are_newest_first(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    first = vera.post("/exhibitors/alpha/leads", json=LEAD).json()
    server.clock.now += dt.timedelta(minutes=5)
    assert ivan.post("/exhibitors/alpha/leads", json={"name": "Иван", "phone": "8 800 555 35 35"}).status_code == 201
    server.clock.now += dt.timedelta(minutes=5)
    r = vera.post("/exhibitors/alpha/leads", json={"name": "Вера П.", "email": "vera@school.example", "note": "ещё"})
    assert r.status_code == 200, r.text
    again = r.json()
    assert again["id"] == first["id"] and again["created_at"] == first["created_at"]
    assert dt.datetime.fromisoformat(again["updated_at"]) == server.clock()
    assert (again["name"], again["email"], again["organisation"], again["phone"], again["note"]) == (
        "Вера П.", "vera@school.example", None, None, "ещё")  # what was shared now, not a mix with the earlier
    leads = server.representative("alpha").get("/exhibitors/alpha/leads").json()["leads"]
    assert [(lead["name"], lead["id"]) for lead in leads] == [("Вера П.", first["id"]), ("Иван", leads[1]["id"])]
    assert len(server.organizer().get("/exhibitors/alpha/leads", params={"limit": 1}).json()["leads"]) == 1
    # a lead with another stand is another lead
    assert vera.post("/exhibitors/beta/leads", json=LEAD).status_code == 201


def test_only_visitors_share_and_only_the_stand_and_organizers_read(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    assert vera.post("/exhibitors/alpha/leads", json=LEAD).status_code == 201
    beta_rep, alpha_rep, olga = server.representative("beta"), server.representative("alpha"), server.organizer()
    for outsider in (beta_rep, ivan, vera):
        r = outsider.get("/exhibitors/alpha/leads")
        assert r.status_code == 403 and r.json()["detail"]
    for not_a_visitor in (alpha_rep, beta_rep, olga):
        assert not_a_visitor.post("/exhibitors/alpha/leads", json=LEAD).status_code == 403
    assert server.anonymous().post("/exhibitors/alpha/leads", json=LEAD).status_code == 401
    assert server.anonymous().get("/exhibitors/alpha/leads").status_code == 401
    assert vera.post("/exhibitors/nowhere/leads", json=LEAD).status_code == 404
    assert olga.get("/exhibitors/nowhere/leads").status_code == 404


@pytest.mark.parametrize("body", [
    {}, {"name": "Вера"},  # no way to reach the visitor
    {"name": "", "email": "vera@example.org"}, {"name": " \x00\t", "email": "vera@example.org"},
    {"name": "я" * 81, "email": "vera@example.org"},
    {"name": "Вера", "email": "not an email"}, {"name": "Вера", "email": "ve\x01ra@example.org"},
    {"name": "Вера", "phone": "call me"}, {"name": "Вера", "phone": "12"}, {"name": "Вера", "phone": "1" * 41},
    {"name": "Вера", "email": "vera@example.org", "note": "x" * (LEAD_NOTE_MAX + 1)},
    {"name": "Вера", "email": "vera@example.org", "organisation": "o" * 201},
    {"name": "Вера", "email": "vera@example.org", "visitor_id": 1},
    {"name": "Вера", "email": "vera@example.org", "note": 5},
])
def test_bad_leads_are_refused_with_422(server, body):
    r = server.visitor().post("/exhibitors/alpha/leads", json=body)
    assert r.status_code == 422, (body, r.text)
    assert r.json()["detail"]


def test_a_note_is_plain_text(server):
    vera = server.visitor()
    body = {"name": "  Вера\tПетрова ", "email": "vera@example.org", "organisation": " ",
            "note": "Привет,\r\nстенд!\tконец  \u202e"}
    lead = vera.post("/exhibitors/alpha/leads", json=body).json()
    assert lead["name"] == "Вера Петрова" and lead["organisation"] is None and lead["phone"] is None
    assert lead["note"] == "Привет,\nстенд! конец"
    assert vera.post("/exhibitors/alpha/leads", json={**body, "note": " \n "}).json()["note"] is None
    refused = vera.post("/exhibitors/alpha/leads", json={**body, "note": "\x00Привет\x1b[31m"})
    assert refused.status_code == 422 and "body.note" in refused.json()["detail"]


def test_downloads_of_materials_count_in_the_stand_statistics(server):
    api, rep = server.anonymous(), server.representative("alpha")

    def downloads() -> int:
        r = rep.get("/exhibitors/alpha/stats")
        assert r.status_code == 200, r.text
        return r.json()["downloads"]

    assert downloads() == 0
    full = api.get("/exhibitors/alpha/materials/0")
    assert full.status_code == 200 and full.content == PDF_BYTES
    assert downloads() == 1
    assert api.get("/exhibitors/alpha/materials/0", headers={"If-None-Match": full.headers["etag"]}).status_code == 304
    assert api.session.head(server.url + "/api/v1/exhibitors/alpha/materials/0").status_code in (200, 405)
    assert downloads() == 1  # a revalidation and a HEAD are no downloads
    vera = server.visitor()  # another downloader (by her token, on the same address)
    first = vera.get("/exhibitors/alpha/materials/0", headers={"Range": "bytes=0-9"})
    assert first.status_code == 206 and first.content == PDF_BYTES[:10]
    assert downloads() == 2  # the first part of a ranged download counts
    rest = vera.get("/exhibitors/alpha/materials/0", headers={"Range": "bytes=10-"})
    assert rest.status_code == 206 and first.content + rest.content == PDF_BYTES
    assert vera.get("/exhibitors/alpha/materials/0", headers={"Range": "bytes=9999-"}).status_code == 416
    assert vera.get("/exhibitors/alpha/materials/1").status_code == 404  # an external material: only a URL
    assert downloads() == 2  # the rest of it, a range outside the file, a missing file: no new download
    stats = server.organizer().get("/exhibitors/alpha/stats").json()
    assert stats["downloads"] == 2 and server.organizer().get("/exhibitors/beta/stats").json()["downloads"] == 0
