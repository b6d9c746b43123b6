"""Identity and roles: who a token is, and every refusal of acting outside one's role."""

from __future__ import annotations

import pytest


def test_register_and_me(server):
    vera = server.visitor("  Вера\tПетрова ", organisation="Лицей №2", email="vera@example.org")
    me = vera.get("/me").json()
    assert me == {"id": me["id"], "role": "visitor", "display_name": "Вера Петрова", "organisation": "Лицей №2",
                  "email": "vera@example.org", "stand_id": None, "available": False, "halls": []}
    rep = server.representative("alpha", "Роман").get("/me").json()
    assert (rep["role"], rep["stand_id"]) == ("representative", "alpha")
    assert server.organizer().get("/me").json()["role"] == "organizer"


@pytest.mark.parametrize("body", [{}, {"display_name": ""}, {"display_name": " \x00 "}, {"display_name": "я" * 81},
                                  {"display_name": "Вера", "email": "not an email"},
                                  {"display_name": "Вера", "role": "organizer"}])
def test_registration_refuses_bad_input(server, body):
    r = server.anonymous().post("/visitors", json=body)
    assert r.status_code == 422 and r.json()["detail"]


def test_missing_and_wrong_tokens_get_401(server):
    room = server.room_of("alpha")
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic dXNlcjpwYXNz"}):
        for method, path in (("GET", "/me"), ("GET", f"/rooms/{room}/poll?timeout=0"), ("GET", "/me/route"),
                             ("POST", f"/rooms/{room}/messages"), ("GET", "/exhibitors/alpha/stats")):
            r = server.anonymous().session.request(method, server.url + "/api/v1" + path, headers=headers,
                                                   json={"text": "x", "client_id": "0" * 32}, timeout=10)
            assert r.status_code == 401, (headers, path)
            assert r.json()["detail"] and r.headers["www-authenticate"] == "Bearer"


def test_a_representative_acts_only_for_their_own_stand(server):
    vera = server.visitor()
    alpha_rep, beta_rep = server.representative("alpha"), server.representative("beta")
    room = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    vera.send(room, "вопрос альфе")
    assert beta_rep.get(f"/rooms/{room}/messages").status_code == 404  # another stand's conversation
    assert beta_rep.get(f"/rooms/{room}/poll", params={"timeout": 0}).status_code == 404
    assert beta_rep.send(room, "отвечу за альфу").status_code == 404
    assert beta_rep.send(server.room_of("alpha"), "я от альфы").status_code == 403  # posting as another stand
    assert beta_rep.get("/exhibitors/alpha/conversations").status_code == 403
    assert beta_rep.get("/exhibitors/alpha/conversations/poll", params={"timeout": 0}).status_code == 403
    assert beta_rep.get("/exhibitors/alpha/stats").status_code == 403
    assert beta_rep.post("/exhibitors/alpha/conversation").status_code == 403
    assert beta_rep.send(server.room_of("beta"), "у нас тоже интересно").status_code == 201
    assert alpha_rep.get("/exhibitors/alpha/stats").status_code == 200
    assert alpha_rep.send(room, "ответ альфы").status_code == 201


def test_a_visitor_sees_only_their_own_conversations_and_route(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    room = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    vera.send(room, "личное")
    assert ivan.get(f"/rooms/{room}/messages").status_code == 404
    assert ivan.get(f"/rooms/{room}/poll", params={"after": 0, "timeout": 0}).status_code == 404
    assert ivan.send(room, "вмешаюсь").status_code == 404
    assert ivan.get("/exhibitors/alpha/conversations").status_code == 403
    assert ivan.get("/exhibitors/alpha/stats").status_code == 403
    assert ivan.put("/me/status", json={"available": True}).status_code == 403
    vera.put("/me/route", json={"version": 0, "planned": ["beta", "alpha"]})
    assert ivan.get("/me/route").json()["planned"] == []  # only ever one's own route
    assert ivan.post("/exhibitors/beta/conversation").json()["room_id"] != room


def test_another_visitors_conversation_is_answered_as_a_room_that_does_not_exist(server):
    vera, ivan, beta_rep = server.visitor("Вера"), server.visitor("Иван"), server.representative("beta")
    private = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    vera.send(private, "личное")
    missing = 10**9 + private
    for stranger in (ivan, beta_rep, server.organizer()):
        stranger.get("/me")  # the token is known now: a poll takes the fast lane first
        for room in (private, missing):
            answers = [stranger.get(f"/rooms/{room}/messages"), stranger.send(room, "угадал?"),
                       stranger.get(f"/rooms/{room}/poll", params={"timeout": 0})]
            assert [(r.status_code, r.json()) for r in answers] == [(404, {"detail": f"no chat room {room}"})] * 3
    assert beta_rep.send(server.room_of("alpha"), "я от беты").status_code == 403  # a public room: known to all
    assert "угадал?" not in [m["text"] for m in vera.get(f"/rooms/{private}/messages").json()["messages"]]


def test_organizers_read_statistics_but_not_private_conversations(server):
    vera, olga = server.visitor(), server.organizer()
    room = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    vera.send(room, "личное")
    assert olga.get("/exhibitors/alpha/stats").status_code == 200
    assert olga.get(f"/rooms/{room}/messages").status_code == 404
    assert olga.send(room, "проверка").status_code == 404
    assert olga.send(server.room_of("alpha"), "Добро пожаловать на выставку!").status_code == 201
    assert olga.post("/exhibitors/alpha/visits").status_code == 403


def test_tokens_never_look_like_command_line_options():
    from expo_hall.server.auth import new_token

    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000 and all(t.startswith("exh_") and len(t) >= 40 for t in tokens)
