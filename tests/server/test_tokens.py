"""Tokens: organizers list the users and revoke a token; a revoked token, or one whose user is gone, gets 401
everywhere, cached or not."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import delete, select

from expo_hall.server import db
from expo_hall.server.auth import hash_token
from tests.server.conftest import Api, start_server


def wait_until(condition: Callable[[], bool], limit: float = 20.0) -> float:
    """Seconds until `condition()` held; fails after `limit`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < limit, "the condition did not hold in time"
        time.sleep(0.02)
    return time.monotonic() - started


def user_id(api: Api) -> int:
    return api.get("/me").json()["id"]


def refused_everywhere(api: Api, room: int) -> bool:
    """401 from the fast lane's poll, /me, a send and a route write."""
    answers = [api.get(f"/rooms/{room}/poll", params={"timeout": 0}), api.get("/me"), api.send(room, "ещё я"),
               api.put("/me/route", json={"version": 0, "planned": []})]
    return all(r.status_code == 401 and r.headers["www-authenticate"] == "Bearer" for r in answers)


def test_organizers_list_users_without_tokens(server):
    olga = server.organizer("Ольга")
    vera, rep = server.visitor("Вера"), server.representative("alpha", "Роман")
    everyone = olga.get("/users")
    assert everyone.status_code == 200
    assert [(u["role"], u["display_name"], u["stand_id"]) for u in everyone.json()["users"]] == [
        ("organizer", "Ольга", None), ("visitor", "Вера", None), ("representative", "Роман", "alpha")]
    assert set(everyone.json()["users"][0]) == {"id", "role", "display_name", "organisation", "stand_id", "halls",
                                                "created_at", "revoked_at"}
    for secret in (vera.token, rep.token, olga.token):
        assert secret not in everyone.text and hash_token(secret) not in everyone.text
    reps = olga.get("/users", params={"role": "representative"}).json()
    assert [u["display_name"] for u in reps["users"]] == ["Роман"] and reps["has_more"] is False
    first = olga.get("/users", params={"limit": 2}).json()
    rest = olga.get("/users", params={"limit": 2, "after": first["users"][-1]["id"]}).json()
    assert first["has_more"] and [u["display_name"] for u in first["users"] + rest["users"]] == ["Ольга", "Вера",
                                                                                                 "Роман"]


def test_only_organizers_manage_users(server):
    vera, rep, olga = server.visitor(), server.representative("alpha"), server.organizer()
    target = user_id(vera)
    for api in (vera, rep):
        assert api.get("/users").status_code == 403
        assert api.post(f"/users/{target}/revoke").status_code == 403
    assert server.anonymous().get("/users").status_code == 401
    assert server.anonymous().post(f"/users/{target}/revoke").status_code == 401
    r = olga.post("/users/999999/revoke")
    assert r.status_code == 404 and "999999" in r.json()["detail"]
    assert vera.get("/me").status_code == 200  # nothing was revoked


def test_a_revoked_token_gets_401_at_once_cached_or_not(server):
    olga, vera, ivan = server.organizer(), server.visitor("Вера"), server.visitor("Иван")
    room = server.room_of("alpha")
    assert vera.get(f"/rooms/{room}/poll", params={"timeout": 0}).status_code == 200  # cached by now
    revoked = olga.post(f"/users/{user_id(vera)}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] and revoked.json()["display_name"] == "Вера"
    assert refused_everywhere(vera, room)
    assert ivan.get("/me").status_code == 200 and ivan.send(room, "я ещё здесь").status_code == 201
    again = olga.post(f"/users/{revoked.json()['id']}/revoke")  # revoking again changes nothing
    assert again.status_code == 200 and again.json() == revoked.json()
    listed = {u["id"]: u["revoked_at"] for u in olga.get("/users").json()["users"]}
    assert listed[revoked.json()["id"]] == revoked.json()["revoked_at"] and listed[user_id(ivan)] is None
    history = ivan.get(f"/rooms/{room}/messages").json()["messages"]
    assert [m["text"] for m in history] == ["я ещё здесь"]


def test_a_revoked_representative_is_no_longer_available(server):
    rep, olga = server.representative("alpha"), server.organizer()
    rep.put("/me/status", json={"available": True})
    assert server.anonymous().get("/exhibitors/alpha/presence").json()["available"] is True
    olga.post(f"/users/{user_id(rep)}/revoke")
    assert server.anonymous().get("/exhibitors/alpha/presence").json()["available"] is False


def test_a_token_whose_user_row_is_gone_gets_401_not_500(db_url, expo_dirs):
    """Within the moment before the process hears of the deletion (here: never, its look is hourly), the
    request that finds the user gone answers 401 and forgets the token."""
    server = start_server(db_url, expo_dirs, token_recheck=3600)
    try:
        room = server.room_of("alpha")
        apis = [server.visitor(name) for name in ("Вера", "Иван", "Олег", "Анна")]
        ids = [user_id(api) for api in apis]  # each token cached
        with db.writing(server.engine) as conn:
            conn.execute(delete(db.users).where(db.users.c.id.in_(ids)))
        answers = [apis[0].get("/me"), apis[1].send(room, "меня нет"),
                   apis[2].put("/me/route", json={"version": 0, "planned": ["alpha"]}),
                   apis[3].post("/exhibitors/alpha/conversation")]
        assert [r.status_code for r in answers] == [401] * 4, [r.text for r in answers]
        assert all(r.headers["www-authenticate"] == "Bearer" for r in answers)
        for api in apis:
            assert refused_everywhere(api, room)  # forgotten: the fast lane's poll asks the database too
    finally:
        server.embedded.stop()


def test_every_process_hears_of_a_deletion(server):
    vera = server.visitor()
    room = server.room_of("alpha")
    assert vera.get(f"/rooms/{room}/poll", params={"timeout": 0}).status_code == 200  # cached
    with db.writing(server.engine) as conn:
        conn.execute(delete(db.users).where(db.users.c.id == user_id(vera)))
        recorded = conn.execute(select(db.revocations.c.user_id)).scalars().all()
    assert len(recorded) == 1  # by the trigger on users
    wait_until(lambda: vera.get(f"/rooms/{room}/poll", params={"timeout": 0}).status_code == 401)
    assert refused_everywhere(vera, room)
