"""The chat's stream (server-sent events) over the real server: history then live messages, once and in order,
resumed by Last-Event-ID; private rooms as for polls; a revoked token ends the stream."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator

import pytest
import requests

from expo_hall.content.limits import MESSAGE_MAX
from expo_hall.net.sse import cut, events, response_socket
from expo_hall.server.stream import BATCH


class Stream:
    """A stream read on a thread: its pages land in `pages`; `ended` is set when the server closes it. `room`: a chat
    room's id, or the path of another stream."""

    def __init__(self, api, room: int | str, **headers: str) -> None:  # noqa: ANN001
        path = room if isinstance(room, str) else f"/rooms/{room}/stream"
        self.response = api.session.get(f"{api.base}{path}", headers=headers, stream=True, timeout=(5, 30))
        self.pages: queue.Queue[dict] = queue.Queue()
        self.ids: list[str | None] = []
        self.ended = threading.Event()
        self.socket = response_socket(self.response)
        if self.response.status_code == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for event in events(self.response.iter_content(None)):
                if event is not None:
                    self.ids.append(event.id)
                    self.pages.put(json.loads(event.data))
        except (requests.RequestException, AttributeError):  # closed by the test: urllib3 drops its file
            pass
        self.ended.set()

    def texts(self, count: int) -> Iterator[str]:
        """The next `count` messages' texts (waiting at most 10 s for each page)."""
        while count > 0:
            for message in self.pages.get(timeout=10)["messages"]:
                count -= 1
                yield message["text"]

    def close(self) -> None:
        cut(self.socket)  # the reading thread wakes and ends
        self.ended.wait(10)
        self.response.close()


def test_a_stream_gives_the_history_then_each_message_once_in_order(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    room = server.room_of("alpha")
    before = [f"старое {i}" for i in range(BATCH + 10)]  # more than one read of catching up
    for text in before:
        assert vera.send(room, text).status_code == 201
    first, second = Stream(ivan, room), Stream(vera, room)
    try:
        assert first.response.headers["content-type"].startswith("text/event-stream")
        assert list(first.texts(len(before))) == before and list(second.texts(len(before))) == before
        live = [f"новое {i}" for i in range(5)]
        for text in live:
            vera.send(room, text)
        assert list(first.texts(5)) == live and list(second.texts(5)) == live
        last_id = first.ids[-1]
    finally:
        first.close()
        second.close()
    vera.send(room, "пока никто не слушал")
    resumed = Stream(ivan, room, **{"Last-Event-ID": last_id})
    try:
        assert list(resumed.texts(1)) == ["пока никто не слушал"]
        vera.send(room, "и ещё")
        assert list(resumed.texts(1)) == ["и ещё"]
        assert resumed.pages.empty()
    finally:
        resumed.close()


def test_a_private_room_streams_only_to_its_visitor_and_the_stands_people(server):
    vera, pyotr = server.visitor("Вера"), server.visitor("Пётр")
    room = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    refused = Stream(pyotr, room)
    assert refused.response.status_code == 404 and refused.response.json()["detail"] == f"no chat room {room}"
    assert Stream(server.anonymous(), room).response.status_code == 401
    rep = server.representative("alpha")
    mine, theirs = Stream(vera, room), Stream(rep, room)
    try:
        vera.send(room, "Здравствуйте")
        assert list(theirs.texts(1))[0] == "Здравствуйте" and list(mine.texts(1))[0] == "Здравствуйте"
    finally:
        mine.close()
        theirs.close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_revoked_token_ends_its_stream(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    room = server.room_of("beta")
    stream = Stream(ivan, room)
    try:
        vera.send(room, "раз")
        assert list(stream.texts(1)) == ["раз"]
        me = ivan.get("/me").json()["id"]
        assert server.organizer().post(f"/users/{me}/revoke").status_code == 200
        vera.send(room, "два")  # the next thing to hand on finds the token gone
        assert stream.ended.wait(10)
        assert stream.pages.empty()
    finally:
        stream.close()


def test_stopping_the_server_answers_the_long_polls_and_ends_the_streams_it_holds(db_url, expo_dirs, caplog):
    """A client closing (its embedded server stopping) must not wait out, nor cut with an error, what it holds:
    the long poll of published stands answers (nothing new) and the chat's stream ends cleanly."""
    from expo_hall.server.versions import CHANGES_KEY
    from tests.server.conftest import start_server
    from tests.server.test_tokens import wait_until

    srv = start_server(db_url, expo_dirs, poll_max_wait=25.0)  # held far longer than a shutdown's grace
    vera = srv.visitor("Вера")
    stream = Stream(vera, srv.room_of("alpha"))
    answers: queue.Queue = queue.Queue()
    seq = vera.get("/expo/changes", params={"timeout": 0}).json()["seq"]
    poll = threading.Thread(target=lambda: answers.put(vera.get("/expo/changes", params={"after": seq})))
    poll.start()
    notifier = srv.embedded._server.config.app.state.server.notifier
    wait_until(lambda: notifier.waiting(CHANGES_KEY))  # the poll is held
    with caplog.at_level("ERROR"):
        srv.embedded.stop()
        answer = answers.get(timeout=20)
        assert answer.status_code == 200 and answer.json()["changes"] == []
        assert stream.ended.wait(20)
    assert not [r for r in caplog.records if r.levelname == "ERROR"], [r.getMessage() for r in caplog.records]


def _hub_listeners(server) -> list:  # noqa: ANN001
    hub = server.embedded._server.config.app.state.server.hub
    return [listener for feed in list(hub.feeds.values()) for listener in list(feed.listeners)]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_client_that_stops_reading_holds_back_no_one_and_then_gets_everything_once(server):
    """The feed writes to caught-up listeners itself; one whose connection is full (its client stopped reading) is
    left to its own task while the others go on, and gets every message, in order, once it reads again."""
    from tests.server.test_tokens import wait_until

    vera, ivan, olga = server.visitor("Вера"), server.visitor("Иван"), server.visitor("Ольга")
    room = server.room_of("beta")
    slow = olga.session.get(f"{olga.base}/rooms/{room}/stream", stream=True, timeout=(5, 30))  # not read for now
    fast = Stream(ivan, room)
    try:
        wait_until(lambda: len(_hub_listeners(server)) == 2)
        filler = "ж" * (MESSAGE_MAX - 10)
        sent = 0
        while not any(listener.stalls for listener in _hub_listeners(server)):  # its write had to wait
            assert sent < 5000, "the slow client's connection never filled"
            assert vera.send(room, f"{sent} {filler}").status_code == 201
            sent += 1
        for extra in range(3):  # sent while the slow one's write waits: they queue for it
            vera.send(room, f"{sent + extra} {filler}")
        sent += 3
        assert [text.split()[0] for text in fast.texts(sent)] == [str(i) for i in range(sent)]
        got = []
        for event in events(slow.iter_content(None)):
            if event is not None:
                got += [m["text"].split()[0] for m in json.loads(event.data)["messages"]]
            if len(got) >= sent:
                break
        assert got == [str(i) for i in range(sent)]
    finally:
        cut(response_socket(slow))
        slow.close()
        fast.close()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_client_that_goes_away_leaves_the_hub_at_once(server):
    from tests.server.test_tokens import wait_until

    ivan = server.visitor("Иван")
    stream = Stream(ivan, server.room_of("alpha"))
    wait_until(lambda: len(_hub_listeners(server)) == 1)
    stream.close()
    wait_until(lambda: not _hub_listeners(server))  # no message, no keepalive needed to notice
