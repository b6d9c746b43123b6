"""Moderated Q&A of programme events: a question's states (queued, visible, archived; answered, pinned, voted), who
may do what (visitor, representative, a hall's moderator, organizer), anonymity kept from other visitors but not
from moderators, a dismissed question never reaching a visitor, and questions arriving live through the long
poll the chat uses."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from expo_hall.server.settings import Rate, RateLimits
from tests.programme.sample import CAMPUS, EARLY, OPENING, TEACHER, at
from tests.server.conftest import Api, start_server

WAIT = 30.0  # seconds: the most a condition below may take on a loaded machine


def ask(who: Api, text: str, guid: str = OPENING, anonymous: bool = False, client_id: str | None = None):
    return who.post(f"/programme/events/{guid}/questions",
                    json={"text": text, "anonymous": anonymous, "client_id": client_id or str(uuid.uuid4())})


def history(who: Api, guid: str = OPENING) -> dict:
    answer = who.get(f"/programme/events/{guid}/questions")
    assert answer.status_code == 200, answer.text
    return answer.json()


def texts(page: dict) -> list[str]:
    return [q["text"] for q in page["questions"]]


def poll_until(who: Api, after: int, found, guid: str = OPENING) -> list[dict]:
    """Long-poll from `after` until `found(pages)` holds; every page seen, in order."""
    pages: list[dict] = []
    deadline = time.monotonic() + WAIT
    while not found(pages):
        assert time.monotonic() < deadline, f"not found in {WAIT} s: {pages}"
        answer = who.get(f"/programme/events/{guid}/questions/poll", params={"after": after, "timeout": 10})
        assert answer.status_code == 200, answer.text
        page = answer.json()
        pages.append(page)
        after = page["seq"]
    return pages


def test_a_question_goes_through_the_moderation_queue_and_its_states(server):
    vera, ivan, mod = server.visitor("Вера"), server.visitor("Иван"), server.moderator("hall-1")
    asked = ask(vera, "Будет ли запись?")
    assert asked.status_code == 201
    q = asked.json()
    assert (q["state"], q["votes"], q["pinned"], q["answered"], q["author_name"]) == ("queued", 0, False, False, "Вера")
    assert texts(history(vera)) == ["Будет ли запись?"] and history(vera)["mine"] == [q["id"]]  # her own, waiting
    assert texts(history(ivan)) == []  # not shown before a moderator approves it
    assert ivan.post(f"/programme/questions/{q['id']}/vote").status_code == 404
    assert vera.post(f"/programme/questions/{q['id']}/vote").status_code == 409  # waiting: no votes yet
    queue = history(mod)
    assert queue["moderator"] is True and [(x["text"], x["state"]) for x in queue["questions"]] == [
        ("Будет ли запись?", "queued")]

    approved = mod.patch(f"/programme/questions/{q['id']}", json={"state": "visible"})
    assert approved.status_code == 200 and approved.json()["state"] == "visible"
    assert texts(history(ivan)) == ["Будет ли запись?"]
    voted = ivan.post(f"/programme/questions/{q['id']}/vote")
    assert voted.status_code == 201 and voted.json()["votes"] == 1
    again = ivan.post(f"/programme/questions/{q['id']}/vote")
    assert again.status_code == 200 and again.json()["votes"] == 1  # once per visitor
    assert vera.post(f"/programme/questions/{q['id']}/vote").json()["votes"] == 2
    assert history(ivan)["voted"] == [q["id"]]

    other = ask(ivan, "А слайды?").json()
    mod.patch(f"/programme/questions/{other['id']}", json={"state": "visible"})
    pinned = mod.patch(f"/programme/questions/{q['id']}", json={"pinned": True}).json()
    assert pinned["pinned"] is True
    assert mod.patch(f"/programme/questions/{other['id']}", json={"pinned": True}).json()["pinned"] is True
    now = {x["id"]: x for x in history(ivan)["questions"]}
    assert (now[q["id"]]["pinned"], now[other["id"]]["pinned"]) == (False, True)  # one is answered at a time
    answered = mod.patch(f"/programme/questions/{other['id']}", json={"answered": True}).json()
    assert (answered["answered"], answered["pinned"]) == (True, False)
    edited = mod.patch(f"/programme/questions/{q['id']}", json={"text": "Будет ли запись мероприятия?"}).json()
    assert edited["edited"] is True and texts(history(ivan))[0] == "Будет ли запись мероприятия?"

    dismissed = mod.patch(f"/programme/questions/{q['id']}", json={"state": "archived"})
    assert dismissed.json()["state"] == "archived"
    assert texts(history(ivan)) == ["А слайды?"] and texts(history(vera)) == ["А слайды?"]  # the author too
    assert ivan.post(f"/programme/questions/{q['id']}/vote").status_code == 404
    assert [x["state"] for x in history(mod)["questions"]] == ["archived", "visible"]  # moderators keep it
    queued = ask(ivan, "Ещё вопрос").json()
    pin_queued = mod.patch(f"/programme/questions/{queued['id']}", json={"pinned": True})
    assert pin_queued.status_code == 409 and "approve" in pin_queued.json()["detail"]
    assert mod.patch(f"/programme/questions/{queued['id']}", json={}).status_code == 422


def test_who_may_ask_vote_and_moderate(server):
    vera, rep, org = server.visitor("Вера"), server.representative("alpha"), server.organizer()
    hall_1, hall_2 = server.moderator("hall-1"), server.moderator("hall-2")
    for who in (org, hall_1):
        refused = ask(who, "Можно спросить?")
        assert refused.status_code == 403 and "moderate" in refused.json()["detail"]
    q = ask(rep, "Вопрос от экспонента").json()  # representatives are attendees too
    assert server.anonymous().post(f"/programme/events/{OPENING}/questions",
                                   json={"text": "?", "client_id": str(uuid.uuid4())}).status_code == 401

    assert vera.patch(f"/programme/questions/{q['id']}", json={"state": "visible"}).status_code == 404  # unseen
    other_hall = hall_2.patch(f"/programme/questions/{q['id']}", json={"state": "visible"})
    assert other_hall.status_code == 404  # hall-2's moderator does not see hall-1's queue
    assert history(hall_2)["moderator"] is False and texts(history(hall_2)) == []
    assert hall_1.patch(f"/programme/questions/{q['id']}", json={"state": "visible"}).status_code == 200
    forbidden = hall_2.patch(f"/programme/questions/{q['id']}", json={"answered": True})
    assert forbidden.status_code == 403 and "hall-1" in forbidden.json()["detail"]
    assert vera.patch(f"/programme/questions/{q['id']}", json={"answered": True}).status_code == 403
    assert org.patch(f"/programme/questions/{q['id']}", json={"answered": True}).json()["answered"] is True
    for who in (org, hall_1):
        assert who.post(f"/programme/questions/{q['id']}/vote").status_code == 403

    campus = ask(vera, "Про кампус", CAMPUS).json()
    assert hall_2.patch(f"/programme/questions/{campus['id']}", json={"state": "visible"}).status_code == 200
    assert history(hall_2, CAMPUS)["moderator"] is True

    server.clock.now = at(11, 30)  # the opening is over; the next talk in its room is under way
    closed = ask(vera, "Поздно?")
    assert closed.status_code == 409 and "ended" in closed.json()["detail"]
    assert ask(vera, "Ещё не поздно", TEACHER).status_code == 201
    assert ask(vera, "Давно прошло", EARLY).status_code == 409
    assert vera.get(f"/programme/events/{uuid.uuid4()}/questions").status_code == 404
    assert vera.post("/programme/questions/999999/vote").status_code == 404


def test_asking_is_idempotent_and_follows_the_text_rules(server):
    vera = server.visitor("Вера")
    client_id = str(uuid.uuid4())
    first = ask(vera, "Один раз", client_id=client_id)
    retried = ask(vera, "Один раз", client_id=client_id)
    assert (first.status_code, retried.status_code) == (201, 200) and first.json()["id"] == retried.json()["id"]
    assert ask(vera, "Другой текст", client_id=client_id).status_code == 409
    assert len(history(vera)["questions"]) == 1
    control = ask(vera, "Вопрос\x07")
    assert control.status_code == 422 and "text" in control.json()["detail"]
    assert ask(vera, "  ").status_code == 422 and ask(vera, "я" * 501).status_code == 422
    cleaned = ask(vera, "\u202eevil\u202c gpj.exe\nвторая строка").json()
    assert cleaned["text"] == "evil gpj.exe\nвторая строка"


def test_anonymity_is_kept_from_other_visitors_but_not_from_moderators(server):
    vera, ivan, mod = server.visitor("Вера"), server.visitor("Иван"), server.moderator("hall-1")
    seq = history(ivan)["seq"]
    hidden = ask(vera, "Анонимный вопрос", anonymous=True).json()
    named = ask(vera, "Вопрос с именем").json()
    assert (hidden["anonymous"], hidden["author_name"], hidden["author_id"]) == (True, None, None)
    vera_id = vera.get("/me").json()["id"]
    for x in history(mod)["questions"]:
        assert (x["author_name"], x["author_id"]) == ("Вера", vera_id)
    for q in (hidden, named):
        mod.patch(f"/programme/questions/{q['id']}", json={"state": "visible"})
    seen = {x["text"]: x for x in history(ivan)["questions"]}
    assert (seen["Анонимный вопрос"]["author_name"], seen["Анонимный вопрос"]["author_id"]) == (None, None)
    assert (seen["Вопрос с именем"]["author_name"], seen["Вопрос с именем"]["author_id"]) == ("Вера", None)
    pages = poll_until(ivan, seq, lambda pages: sum(len(p["questions"]) for p in pages) >= 2)
    raw = [x for p in pages for x in p["questions"]]
    assert {x["text"]: x["author_name"] for x in raw} == {"Анонимный вопрос": None, "Вопрос с именем": "Вера"}
    assert hidden["id"] in history(vera)["mine"]  # the author knows it is theirs


def test_a_dismissed_question_never_reaches_a_visitor(server):
    vera, ivan, mod = server.visitor("Вера"), server.visitor("Иван"), server.moderator("hall-1")
    start = history(ivan)["seq"]
    spam = ask(vera, "Купите мой курс по ссылке").json()
    mod.patch(f"/programme/questions/{spam['id']}", json={"text": "Купите мой курс!!!"})
    mod.patch(f"/programme/questions/{spam['id']}", json={"state": "archived"})
    shown = ask(vera, "Сначала показан, потом убран").json()
    mod.patch(f"/programme/questions/{shown['id']}", json={"state": "visible"})
    mod.patch(f"/programme/questions/{shown['id']}", json={"state": "archived"})
    kept = ask(vera, "Нормальный вопрос").json()
    mod.patch(f"/programme/questions/{kept['id']}", json={"state": "visible"})

    pages = poll_until(ivan, start, lambda pages: any(kept["id"] in [x["id"] for x in p["questions"]]
                                                      for p in pages))
    for page in pages:
        assert spam["id"] not in [x["id"] for x in page["questions"]] + page["removed"]
    assert shown["id"] in [i for p in pages for i in p["removed"]]  # named by id only, to take it off the screen
    from_start = ivan.get(f"/programme/events/{OPENING}/questions/poll", params={"after": start, "timeout": 0})
    assert "Купите" not in from_start.text and "Сначала показан" not in from_start.text
    for who in (ivan, vera):
        whole = who.get(f"/programme/events/{OPENING}/questions")
        assert "Купите" not in whole.text and "Сначала показан" not in whole.text
        assert texts(whole.json()) == ["Нормальный вопрос"]
    assert {x["id"] for x in history(mod)["questions"]} == {spam["id"], shown["id"], kept["id"]}


def test_questions_arrive_live_through_the_long_poll(server):
    vera, ivan, mod = server.visitor("Вера"), server.visitor("Иван"), server.moderator("hall-1")
    visitor_seq, moderator_seq = history(ivan)["seq"], history(mod)["seq"]
    with ThreadPoolExecutor(2) as pool:
        to_visitor: Future = pool.submit(poll_until, ivan, visitor_seq, lambda pages: any(p["questions"]
                                                                                          for p in pages))
        to_moderator: Future = pool.submit(poll_until, mod, moderator_seq, lambda pages: any(p["questions"]
                                                                                            for p in pages))
        q = ask(vera, "Живой вопрос").json()
        queued = next(p for p in to_moderator.result(timeout=WAIT) if p["questions"])["questions"]
        assert [(x["id"], x["state"], x["author_name"]) for x in queued] == [(q["id"], "queued", "Вера")]
        mod.patch(f"/programme/questions/{q['id']}", json={"state": "visible"})
        shown = next(p for p in to_visitor.result(timeout=WAIT) if p["questions"])["questions"]
        assert [(x["id"], x["state"]) for x in shown] == [(q["id"], "visible")]  # never the queued one

    after = history(ivan)["seq"]
    with ThreadPoolExecutor(1) as pool:
        votes = pool.submit(poll_until, ivan, after, lambda pages: any(p["questions"] for p in pages))
        vera.post(f"/programme/questions/{q['id']}/vote")
        assert next(p for p in votes.result(timeout=WAIT) if p["questions"])["questions"][0]["votes"] == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_questions_and_votes_are_rate_limited(db_url, expo_dirs):
    limits = RateLimits(question_per_token=Rate(2, 1), vote_per_token=Rate(1, 1))
    srv = start_server(db_url, expo_dirs, rate_limits=limits)
    try:
        vera, mod = srv.visitor("Вера"), srv.organizer()
        assert [ask(vera, f"Вопрос {i}").status_code for i in range(3)] == [201, 201, 429]
        refused = ask(vera, "Ещё")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert "questions" in refused.json()["detail"]
        ids = [q["id"] for q in history(mod)["questions"]]
        for question_id in ids:
            mod.patch(f"/programme/questions/{question_id}", json={"state": "visible"})
        ivan = srv.visitor("Иван")
        assert [ivan.post(f"/programme/questions/{i}/vote").status_code for i in ids] == [201, 429]
    finally:
        srv.embedded.stop()
