"""Text the API takes: control characters refused field by field, bidi controls removed, emoji kept; and no
database fault ever puts a token or its hash in the log."""

from __future__ import annotations

import logging
import re

from sqlalchemy import text

from tests.server.conftest import Api

SPOOF = "\u202eevil\u202c gpj.exe"  # shown as "exe.jpg live" if the override is kept
EMOJI = "👨\u200d👩\u200d👧 👍🏽 ❤\ufe0f"
LEAD = {"name": "Вера", "email": "vera@example.org"}


def _fields(room: int) -> list[tuple[str, str, dict, str]]:
    """(method, path, body, the field holding the fault) for every text field of every request body."""
    return [
        ("POST", "/visitors", {"display_name": "Ве\x00ра"}, "display_name"),
        ("POST", "/visitors", {"display_name": "Вера", "organisation": "Лицей\x1b[31m"}, "organisation"),
        ("POST", "/visitors", {"display_name": "Вера", "email": "vera\x00@example.org"}, "email"),
        ("POST", "/visitors", {"display_name": "Вера", "email": "ve\x7fra@example.org"}, "email"),
        ("POST", f"/rooms/{room}/messages", {"text": "при\x07вет", "client_id": "0" * 32}, "text"),
        ("POST", "/exhibitors/alpha/leads", {**LEAD, "name": "Вера\x85"}, "name"),
        ("POST", "/exhibitors/alpha/leads", {**LEAD, "organisation": "\x00"}, "organisation"),
        ("POST", "/exhibitors/alpha/leads", {**LEAD, "email": "vera@exa\x00mple.org"}, "email"),
        ("POST", "/exhibitors/alpha/leads", {**LEAD, "phone": "+7 (900) 000\x0000"}, "phone"),
        ("POST", "/exhibitors/alpha/leads", {**LEAD, "note": "до\x1bсвидания"}, "note"),
        ("PUT", "/me/route", {"version": 0, "planned": ["alp\x00ha"]}, "planned"),
    ]


def test_control_characters_are_refused_in_every_text_field_naming_it(server):
    vera = server.visitor()
    for method, path, body, field in _fields(server.room_of("alpha")):
        r = vera.session.request(method, vera.base + path, json=body, timeout=10)
        assert r.status_code == 422, (path, field, r.text)
        assert field in r.json()["errors"][0]["loc"] and field in r.json()["detail"], (path, field)


def test_line_breaks_are_refused_in_names_and_kept_in_messages(server):
    r = server.anonymous().post("/visitors", json={"display_name": "Вера\nПетрова"})
    assert r.status_code == 422 and "body.display_name" in r.json()["detail"] and "one line" in r.json()["detail"]
    vera = server.visitor()
    assert vera.send(server.room_of("alpha"), "первая\r\nвторая").json()["text"] == "первая\nвторая"


def test_a_nul_in_an_email_address_is_refused_and_nothing_is_stored(server):
    r = server.anonymous().post("/visitors", json={"display_name": "Вера", "email": "vera\x00@example.org"})
    assert r.status_code == 422 and "body.email" in r.json()["detail"]
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 0


def test_bidi_controls_are_removed_from_names_and_messages_and_emoji_kept(server):
    vera = server.visitor(f"{SPOOF} {EMOJI}", organisation=SPOOF)
    me = vera.get("/me").json()
    assert (me["display_name"], me["organisation"]) == (f"evil gpj.exe {EMOJI}", "evil gpj.exe")
    message = vera.send(server.room_of("alpha"), f"{SPOOF}\n{EMOJI}").json()
    assert message["text"] == f"evil gpj.exe\n{EMOJI}" and message["author_name"] == f"evil gpj.exe {EMOJI}"
    lead = vera.post("/exhibitors/alpha/leads", json={**LEAD, "name": SPOOF, "note": f"\u2067{EMOJI}\u2069"}).json()
    assert (lead["name"], lead["note"]) == ("evil gpj.exe", EMOJI)


def test_a_database_fault_logs_neither_the_token_nor_its_hash(server, caplog):
    with server.engine.begin() as conn:  # the database refuses every new user (a real fault, made by SQL)
        conn.execute(text("CREATE TRIGGER refuse_users BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'disk "
                          "quota exceeded'); END" if server.engine.dialect.name == "sqlite" else
                          "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                          "RAISE EXCEPTION 'disk quota exceeded'; END $$; CREATE TRIGGER refuse_users BEFORE "
                          "INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse()"))
    try:
        with caplog.at_level(logging.DEBUG):
            r = server.anonymous().post("/visitors", json={"display_name": "Вера", "email": "vera@example.org"})
        assert r.status_code == 500 and r.json() == {"detail": "internal server error"}
        logged = caplog.text + "".join(str(record.exc_info) for record in caplog.records)
        assert "disk quota exceeded" in logged  # the fault is logged...
        assert not re.search(r"[0-9a-f]{64}", logged) and "exh_" not in logged  # ...without the hash or token
        assert "vera@example.org" not in logged
    finally:
        with server.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER refuse_users" if server.engine.dialect.name == "sqlite" else
                              "DROP TRIGGER refuse_users ON users; DROP FUNCTION refuse()"))


def test_names_given_on_the_command_line_follow_the_same_rules(server):
    from tests.server.test_processes import cli_here

    refused = cli_here("token", "--admin", "--name", "Оль\x1bга", "--db", server.db_url)
    assert refused.returncode == 2 and "--name: control character U+001B" in refused.stderr
    made = cli_here("token", "--admin", "--name", f"{SPOOF} 🎓", "--db", server.db_url)
    assert made.returncode == 0, made.stderr
    assert Api(server.url, made.stdout.strip()).get("/me").json()["display_name"] == "evil gpj.exe 🎓"
