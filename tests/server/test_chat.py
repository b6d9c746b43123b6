"""Chat over the real server: public rooms, private conversations, long polls, idempotent sends, away answers."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests


def texts(page: dict) -> list[str]:
    return [m["text"] for m in page["messages"]]


def test_two_visitors_talk_in_a_stands_public_room(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван", organisation="Школа 57")
    room = server.room_of("alpha")
    sent = vera.send(room, "Здравствуйте!\nЕсть ли курсы для 7 класса?")
    assert sent.status_code == 201
    m = sent.json()
    assert (m["author_name"], m["author_role"], m["room_id"]) == ("Вера", "visitor", room)
    assert m["text"] == "Здравствуйте!\nЕсть ли курсы для 7 класса?" and m["created_at"].startswith("2020-10-01T06:00")
    page = ivan.get(f"/rooms/{room}/poll", params={"after": 0}).json()
    assert texts(page) == ["Здравствуйте!\nЕсть ли курсы для 7 класса?"]
    reply = ivan.send(room, "Я тоже жду ответа").json()
    assert reply["id"] > m["id"]
    assert texts(vera.get(f"/rooms/{room}/poll", params={"after": m["id"]}).json()) == ["Я тоже жду ответа"]
    rep = server.representative("alpha", "Роман")
    answer = rep.send(room, "Да, есть!").json()
    assert (answer["author_role"], answer["author_stand_id"]) == ("representative", "alpha")
    assert texts(vera.get(f"/rooms/{room}/messages").json()) == [
        "Здравствуйте!\nЕсть ли курсы для 7 класса?", "Я тоже жду ответа", "Да, есть!"]


def test_a_private_conversation_and_the_representatives_inbox(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    rep, colleague = server.representative("alpha", "Роман"), server.representative("alpha", "Рита")
    rep.put("/me/status", json={"available": True})  # no away answers here
    conv = vera.post("/exhibitors/alpha/conversation").json()
    assert conv == vera.post("/exhibitors/alpha/conversation").json()  # the same one on every call
    room = conv["room_id"]
    assert room != server.room_of("alpha") and conv["visitor_name"] == "Вера"
    first = vera.send(room, "Сколько стоит курс?").json()
    ivans = ivan.post("/exhibitors/alpha/conversation").json()["room_id"]
    ivan.send(ivans, "А у меня другой вопрос")

    inbox = rep.get("/exhibitors/alpha/conversations").json()["conversations"]
    assert [(c["visitor_name"], c["message_count"]) for c in inbox] == [("Иван", 1), ("Вера", 1)]
    assert texts(rep.get(f"/rooms/{room}/messages").json()) == ["Сколько стоит курс?"]
    rep.send(room, "10 000 ₽ в месяц")
    assert texts(colleague.get(f"/rooms/{room}/poll", params={"after": first["id"]}).json()) == ["10 000 ₽ в месяц"]
    assert texts(vera.get(f"/rooms/{room}/messages").json()) == ["Сколько стоит курс?", "10 000 ₽ в месяц"]
    assert rep.get(f"/rooms/{ivans}/messages").status_code == 200
    assert vera.get(f"/rooms/{ivans}/messages").status_code == 404  # another's conversation: as if there were none


def test_history_pages_backwards(server):
    vera = server.visitor()
    room = server.room_of("beta")
    ids = [vera.send(room, f"сообщение {i}").json()["id"] for i in range(7)]
    page = vera.get(f"/rooms/{room}/messages", params={"limit": 3}).json()
    assert texts(page) == ["сообщение 4", "сообщение 5", "сообщение 6"] and page["has_more"]
    page = vera.get(f"/rooms/{room}/messages", params={"limit": 3, "before": ids[4]}).json()
    assert texts(page) == ["сообщение 1", "сообщение 2", "сообщение 3"] and page["has_more"]
    page = vera.get(f"/rooms/{room}/messages", params={"limit": 3, "before": ids[1]}).json()
    assert texts(page) == ["сообщение 0"] and not page["has_more"]
    polled = vera.get(f"/rooms/{room}/poll", params={"after": ids[1], "limit": 4}).json()
    assert texts(polled) == ["сообщение 2", "сообщение 3", "сообщение 4", "сообщение 5"] and polled["has_more"]


def test_a_long_poll_wakes_within_100_ms_of_a_post(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    room = server.room_of("alpha")
    last = vera.send(room, "первое").json()["id"]
    for _ in range(3):
        woke: dict[str, object] = {}

        def wait(after: int = last, woke: dict = woke) -> None:
            page = ivan.get(f"/rooms/{room}/poll", params={"after": after, "timeout": 10}).json()
            woke["at"], woke["page"] = time.monotonic(), page

        poller = threading.Thread(target=wait)
        poller.start()
        time.sleep(0.3)  # the poll is now held by the server
        assert poller.is_alive()
        posted_at = time.monotonic()
        last = vera.send(room, "новое").json()["id"]
        poller.join(5)
        assert texts(woke["page"]) == ["новое"]
        assert woke["at"] - posted_at < 0.1


def test_a_poll_with_nothing_new_answers_an_empty_page_at_its_timeout(server):
    vera = server.visitor()
    room = server.room_of("alpha")
    started = time.monotonic()
    page = vera.get(f"/rooms/{room}/poll", params={"after": 0, "timeout": 0.3}).json()
    assert page == {"messages": [], "has_more": False} and 0.25 < time.monotonic() - started < 2


def test_a_retried_send_returns_the_original_message(server):
    vera = server.visitor()
    room = server.room_of("alpha")
    client_id = str(uuid.uuid4())
    first = vera.send(room, "только один раз", client_id)
    retry = vera.send(room, "только один раз", client_id)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert texts(vera.get(f"/rooms/{room}/messages").json()) == ["только один раз"]
    assert vera.send(room, "другой текст", client_id).status_code == 409
    assert vera.send(server.room_of("beta"), "только один раз", client_id).status_code == 409
    ivan = server.visitor("Иван")  # the key is per author: another author may use the same UUID
    assert ivan.send(room, "только один раз", client_id).status_code == 201


def test_concurrent_identical_sends_post_once(server):
    vera = server.visitor()
    room = server.room_of("beta")
    clients = [requests.Session() for _ in range(8)]
    for s in clients:
        s.headers["Authorization"] = f"Bearer {vera.token}"
    for round_ in range(5):
        body = {"text": f"гонка {round_}", "client_id": str(uuid.uuid4())}
        barrier = threading.Barrier(len(clients))

        def send(session: requests.Session, body: dict = body, barrier: threading.Barrier = barrier) -> tuple:
            barrier.wait()
            r = session.post(f"{server.url}/api/v1/rooms/{room}/messages", json=body, timeout=30)
            return r.status_code, r.json()["id"]

        with ThreadPoolExecutor(len(clients)) as pool:
            results = list(pool.map(send, clients))
        assert sorted(code for code, _ in results) == [200] * (len(clients) - 1) + [201]
        assert len({message_id for _, message_id in results}) == 1
    assert texts(vera.get(f"/rooms/{room}/messages").json()) == [f"гонка {i}" for i in range(5)]


def test_message_text_is_cleaned_and_limited(server):
    vera = server.visitor()
    room = server.room_of("alpha")
    m = vera.send(room, "  Привет\r\nмир\tи\u200bвсё ").json()
    assert m["text"] == "Привет\nмир и\u200bвсё"
    for bad in ("", "   \n\t ", "При\x00вет", "\x1b[31m", "конец \x7f", "я" * 2001):
        r = vera.send(room, bad)
        assert r.status_code == 422 and r.json()["detail"], repr(bad)
    assert vera.send(room, "я" * 2000).status_code == 201
    r = vera.post(f"/rooms/{room}/messages", json={"text": "без client_id"})
    assert r.status_code == 422 and "client_id" in r.json()["detail"]


def test_the_away_message_answers_a_first_private_message_when_nobody_is_in(server):
    vera, ivan, olga = server.visitor("Вера"), server.visitor("Иван"), server.visitor("Ольга")
    rep = server.representative("alpha")
    room = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    vera.send(room, "Есть кто?")
    vera.send(room, "Ау")
    page = vera.get(f"/rooms/{room}/messages").json()["messages"]
    assert [(m["author_role"], m["author_name"], m["text"]) for m in page] == [
        ("visitor", "Вера", "Есть кто?"), ("stand", "Альфа-Обучение", "Мы ответим в рабочее время."),
        ("visitor", "Вера", "Ау")]  # only the first message is answered

    assert rep.put("/me/status", json={"available": True}).json()["available"] is True
    room = ivan.post("/exhibitors/alpha/conversation").json()["room_id"]
    ivan.send(room, "Здравствуйте")
    assert texts(ivan.get(f"/rooms/{room}/messages").json()) == ["Здравствуйте"]  # a representative is in

    assert rep.put("/me/status", json={"available": False}).json()["available"] is False
    assert rep.get("/me").json()["available"] is False
    room = olga.post("/exhibitors/beta/conversation").json()["room_id"]  # beta has no away message
    olga.send(room, "Добрый день")
    assert texts(olga.get(f"/rooms/{room}/messages").json()) == ["Добрый день"]


def test_the_inbox_long_poll_wakes_on_a_private_message(server):
    vera, rep = server.visitor("Вера"), server.representative("alpha")
    room = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    public = server.room_of("alpha")
    result: dict[str, object] = {}

    def wait() -> None:
        r = rep.get("/exhibitors/alpha/conversations/poll", params={"after": 0, "timeout": 10})
        result["at"], result["inbox"] = time.monotonic(), r.json()["conversations"]

    poller = threading.Thread(target=wait)
    poller.start()
    time.sleep(0.3)
    vera.send(public, "в общий зал")  # public messages are not the inbox's business
    time.sleep(0.2)
    assert poller.is_alive()
    posted_at = time.monotonic()
    last = vera.send(room, "личный вопрос").json()["id"] + 1  # +1: the away answer
    poller.join(5)
    assert [(c["room_id"], c["last_message_id"]) for c in result["inbox"]] == [(room, last)]
    assert result["at"] - posted_at < 0.1
    assert rep.get("/exhibitors/alpha/conversations/poll", params={"after": last, "timeout": 0.2}).json() == {
        "conversations": []}


def test_the_polls_fast_lane_answers_like_the_route(server):
    vera, rep = server.visitor(), server.representative("alpha")
    room = server.room_of("alpha")
    vera.send(room, "раз")
    vera.send(room, "два")
    query = {"after": 0, "limit": 1, "timeout": 1}
    first = rep.get(f"/rooms/{room}/poll", params=query)  # an uncached token: the FastAPI route answers
    again = rep.get(f"/rooms/{room}/poll", params=query)  # now the fast lane does
    assert first.status_code == again.status_code == 200
    assert first.headers["content-type"] == again.headers["content-type"] == "application/json"
    assert first.json() == again.json() and texts(again.json()) == ["раз"] and again.json()["has_more"]
    for odd in ("limit=0", "timeout=nan", "timeout=1e9", "after=-1"):  # the lane leaves them to the route: 422
        r = rep.get(f"/rooms/{room}/poll?{odd}")
        assert r.status_code == 422 and r.json()["detail"], odd
    for odd in ("after=%31&timeout=0", "after=0&after=1&timeout=0", "after=1&timeout=0&cursor=5"):
        assert texts(rep.get(f"/rooms/{room}/poll?{odd}").json()) == ["два"], odd
    ivan = server.visitor("Иван")
    private = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    ivan.get("/me")
    assert ivan.get(f"/rooms/{private}/poll", params={"timeout": 0}).status_code == 404


def test_the_sends_fast_lane_answers_like_the_route(server):
    vera, rep = server.visitor(), server.representative("beta")
    room, client_id = server.room_of("alpha"), str(uuid.uuid4())
    first = vera.send(room, "первое")  # an uncached token and room: the FastAPI route answers
    sent = vera.send(room, "второе", client_id)  # now the fast lane does
    again = vera.send(room, "второе", client_id)
    assert (first.status_code, sent.status_code, again.status_code) == (201, 201, 200)
    assert first.json().keys() == sent.json().keys() and sent.json() == again.json()
    assert sent.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert vera.send(room, "другое", client_id).status_code == 409
    for body in ({"text": "", "client_id": str(uuid.uuid4())}, {"text": "без id"}, ["не", "объект"]):
        r = vera.post(f"/rooms/{room}/messages", json=body)
        assert r.status_code == 422 and r.json()["detail"], body
    r = vera.post(f"/rooms/{room}/messages", data=b'{"text": "x", "client_id": "' + client_id.encode() + b'"}',
                  headers={"Content-Type": "text/plain"})
    assert r.status_code == 422
    rep.get("/me")
    assert rep.send(room, "чужой стенд").status_code == 403
    assert texts(vera.get(f"/rooms/{room}/messages").json()) == ["первое", "второе"]
