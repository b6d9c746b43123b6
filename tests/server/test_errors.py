"""Bad input gets a clear 4xx JSON answer, never a 500."""

from __future__ import annotations

import pytest


def test_malformed_json_is_a_422_with_a_message(server):
    vera = server.visitor()
    room = server.room_of("alpha")
    for body in (b"{not json", b"", b"[1, 2]", b'{"text": 5, "client_id": "x"}', b"\xff\xfe"):
        r = vera.post(f"/rooms/{room}/messages", data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 422, body
        assert r.headers["content-type"] == "application/json" and r.json()["detail"]
    r = vera.put("/me/route", data=b'{"version": 0, "planned": [', headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"]


@pytest.mark.parametrize("path", ["/exhibitors/nobody", "/exhibitors/nobody/logo", "/exhibitors/nobody/webinars",
                                  "/floors/nowhere", "/floors/nowhere/files/x.tmx", "/rooms/999999/messages",
                                  "/rooms/999999/poll?timeout=0", "/no/such/endpoint"])
def test_unknown_ids_are_404_with_a_message(server, path):
    r = server.visitor().get(path)
    assert r.status_code == 404 and r.json()["detail"]


@pytest.mark.parametrize("query", ["limit=0", "limit=100000", "after=-1", "timeout=26", "after=abc",
                                   "after=99999999999999999999"])
def test_out_of_range_parameters_are_422(server, query):
    r = server.visitor().get(f"/rooms/{server.room_of('alpha')}/poll?{query}")
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][0] == "query"


def test_huge_ids_are_refused_not_overflowed(server):
    vera = server.visitor()
    assert vera.get(f"/rooms/{2**63}/messages").status_code == 422
    assert vera.get(f"/rooms/{2**63 - 1}/messages").status_code == 404
    assert vera.get(f"/exhibitors/alpha/materials/{2**70}").status_code == 422
