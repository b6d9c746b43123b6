"""The programme's Q&A as a stream (server-sent events) over the real server: a visitor's stream brings approvals,
pins and the vote counts announced together, in order; never a dismissed question, never an anonymous author (a
moderator's stream has both); resumed by Last-Event-ID; and the client's follower falls back to long polls where a
proxy holds the stream back. One server for the module."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import pytest

from expo_hall.net.client import ApiClient
from expo_hall.net.worker import LongPoller
from expo_hall.server.schemas import QuestionPage
from tests.net.conftest import Inbox
from tests.net.test_stream import BufferingProxy
from tests.programme.sample import CAMPUS, OPENING, TEACHER
from tests.server.conftest import BACKENDS, TestServer, fresh_db_url, start_server
from tests.server.test_questions import WAIT, ask, history
from tests.server.test_stream import Stream

INTERVAL = 1.0  # qa_vote_interval: the server's default


@pytest.fixture(scope="module", params=BACKENDS)
def qa(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
       expo_dirs) -> Iterator[TestServer]:  # noqa: ANN001
    srv = start_server(fresh_db_url(request.param, tmp_path_factory.mktemp("qa")), expo_dirs,
                       qa_vote_interval=INTERVAL)
    yield srv
    srv.embedded.stop()


def stream(who, guid: str, after: int | None = None, **headers: str) -> Stream:  # noqa: ANN001
    return Stream(who, f"/programme/events/{guid}/questions/stream" + (f"?after={after}" if after is not None else ""),
                  **headers)


def pages_until(live: Stream, found: Callable[[list[dict]], bool], pages: list[dict] | None = None) -> list[dict]:
    """The stream's pages (after `pages`, kept) until `found(pages)`."""
    pages = [] if pages is None else pages
    while not found(pages):
        pages.append(live.pages.get(timeout=WAIT))
    return pages


def showing(question_id: int, check: Callable[[dict], bool] = lambda _q: True) -> Callable[[list[dict]], bool]:
    return lambda pages: any(q["id"] == question_id and check(q) for p in pages for q in p["questions"])


def test_a_visitors_stream_brings_an_approval_a_pin_and_the_votes_together_in_order(qa):
    vera, ivan, mod = qa.visitor("Вера"), qa.visitor("Иван"), qa.organizer()
    voters = [qa.visitor(f"Голос {i}") for i in range(6)]
    live = stream(ivan, OPENING, history(ivan)["seq"])
    try:
        q = ask(vera, "Будет ли запись?").json()
        assert mod.patch(f"/programme/questions/{q['id']}", json={"state": "visible"}).status_code == 200
        pages = pages_until(live, showing(q["id"]))
        assert mod.patch(f"/programme/questions/{q['id']}", json={"pinned": True}).status_code == 200
        pages = pages_until(live, showing(q["id"], lambda x: x["pinned"]), pages)
        pinned_at = len(pages)
        started = time.monotonic()
        for voter in voters:
            assert voter.post(f"/programme/questions/{q['id']}/vote").status_code == 201
        elapsed = time.monotonic() - started
        pages = pages_until(live, lambda pages: pages[-1]["votes"].get(str(q["id"])) == len(voters), pages)
    finally:
        live.close()
    seen = [(x["state"], x["pinned"], x["votes"]) for p in pages for x in p["questions"] if x["id"] == q["id"]]
    assert seen == [("visible", False, 0), ("visible", True, 0)]  # never the queued one; then only counts
    counts = [p["votes"][str(q["id"])] for p in pages[pinned_at:]]
    assert counts == sorted(counts) and counts[-1] == len(voters)
    # the counts go out at most once an interval (plus the first at once and the last one's): not once a vote
    assert len(counts) <= elapsed / INTERVAL + 2
    assert [int(i) for i in live.ids] == sorted(int(i) for i in live.ids) and len(set(live.ids)) == len(live.ids)


def test_a_dismissed_question_never_reaches_a_visitors_stream(qa):
    vera, ivan, mod = qa.visitor("Вера"), qa.visitor("Иван"), qa.organizer()
    live = stream(ivan, TEACHER, history(ivan, TEACHER)["seq"])
    try:
        spam = ask(vera, "Купите мой курс", TEACHER).json()
        mod.patch(f"/programme/questions/{spam['id']}", json={"state": "archived"})
        shown = ask(vera, "Сначала показан, потом убран", TEACHER).json()
        mod.patch(f"/programme/questions/{shown['id']}", json={"state": "visible"})
        mod.patch(f"/programme/questions/{shown['id']}", json={"state": "archived"})
        kept = ask(vera, "Нормальный вопрос", TEACHER).json()
        mod.patch(f"/programme/questions/{kept['id']}", json={"state": "visible"})
        pages = pages_until(live, showing(kept["id"]))
    finally:
        live.close()
    from_start = stream(qa.visitor("Пётр"), TEACHER, 0)  # a listener catching up from the database
    try:
        caught_up = pages_until(from_start, showing(kept["id"]))
    finally:
        from_start.close()
    for got in (pages, caught_up):
        assert "Купите" not in json.dumps(got, ensure_ascii=False)
        assert spam["id"] not in [i for p in got for i in [q["id"] for q in p["questions"]] + p["removed"]]
    assert shown["id"] in [i for p in pages for i in p["removed"]]  # named by id only, to take it off the screen
    assert "Сначала показан" not in json.dumps(caught_up, ensure_ascii=False)


def test_an_anonymous_author_reaches_the_moderators_stream_but_not_the_visitors(qa):
    vera, ivan, mod = qa.visitor("Вера"), qa.visitor("Иван"), qa.moderator("hall-2")
    visitors, moderators = stream(ivan, CAMPUS, history(ivan, CAMPUS)["seq"]), stream(mod, CAMPUS,
                                                                                       history(mod, CAMPUS)["seq"])
    try:
        q = ask(vera, "Анонимный вопрос", CAMPUS, anonymous=True).json()
        mod.patch(f"/programme/questions/{q['id']}", json={"state": "visible"})
        to_visitor = pages_until(visitors, showing(q["id"]))
        to_moderator = pages_until(moderators, showing(q["id"], lambda x: x["state"] == "visible"))
    finally:
        visitors.close()
        moderators.close()
    vera_id = vera.get("/me").json()["id"]
    assert [(x["author_name"], x["author_id"]) for p in to_visitor for x in p["questions"]] == [(None, None)]
    assert "Вера" not in json.dumps(to_visitor, ensure_ascii=False)
    assert [(x["state"], x["author_name"], x["author_id"]) for p in to_moderator for x in p["questions"]] == [
        ("queued", "Вера", vera_id), ("visible", "Вера", vera_id)]


def test_a_stream_resumes_after_its_last_event_id(qa):
    vera, ivan, mod = qa.visitor("Вера"), qa.visitor("Иван"), qa.organizer()
    first, second = ask(vera, "Первый", OPENING).json(), ask(vera, "Второй", OPENING).json()
    live = stream(ivan, OPENING, history(ivan)["seq"])
    try:
        mod.patch(f"/programme/questions/{first['id']}", json={"state": "visible"})
        pages_until(live, showing(first["id"]))
        last_id = live.ids[-1]
    finally:
        live.close()
    mod.patch(f"/programme/questions/{second['id']}", json={"state": "visible"})  # while nobody listened
    resumed = stream(ivan, OPENING, 0, **{"Last-Event-ID": last_id})  # the header wins over `after`
    try:
        [page] = pages_until(resumed, showing(second["id"]))
    finally:
        resumed.close()
    assert [q["id"] for q in page["questions"]] == [second["id"]] and int(page["seq"]) > int(last_id)


def test_where_the_stream_is_held_back_the_client_follows_the_qa_by_long_polls(qa):
    vera, mod = qa.visitor("Вера"), qa.organizer()
    proxy = BufferingProxy(int(qa.url.rsplit(":", 1)[1]))
    client, inbox = ApiClient(proxy.url, qa.visitor("Иван").token), Inbox()
    poller = LongPoller(client, inbox, timeout=0.5, stream_wait=0.5)
    try:
        poller.follow_questions(TEACHER, "qa", after=client.questions(TEACHER).seq)
        q = ask(vera, "Через прокси", TEACHER).json()
        mod.patch(f"/programme/questions/{q['id']}", json={"state": "visible"})
        page = inbox.tagged("qa", timeout=WAIT)
    finally:
        poller.stop()
        client.close()
        proxy.close()
    assert isinstance(page, QuestionPage) and [(x.id, x.state.value) for x in page.questions] == [(q["id"], "visible")]
    asked = [path for path in proxy.paths if path.startswith(f"/api/v1/programme/events/{TEACHER}/questions/")]
    assert asked[0].endswith("/stream") and asked[1].endswith("/poll")


def test_a_visitors_long_poll_gets_past_changes_only_moderators_see(qa):
    vera, ivan, mod = qa.visitor("Вера"), qa.visitor("Иван"), qa.organizer()
    after = history(ivan, CAMPUS)["seq"]
    waiting = [ask(vera, f"Ждёт модератора {i}", CAMPUS).json() for i in range(3)]
    mod.patch(f"/programme/questions/{waiting[-1]['id']}", json={"state": "visible"})
    pages = []
    while not any(p["questions"] for p in pages):  # each read is cut at one change: the queued ones fill the first
        assert len(pages) < 10, pages
        answer = ivan.get(f"/programme/events/{CAMPUS}/questions/poll",
                          params={"after": after, "limit": 1, "timeout": 1})
        pages.append(answer.json())
        after = pages[-1]["seq"]
    assert [q["id"] for p in pages for q in p["questions"]] == [waiting[-1]["id"]]
    assert "Ждёт модератора 0" not in json.dumps(pages, ensure_ascii=False)
