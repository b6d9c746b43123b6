"""Worker threads and long polls: results come through the callback, and the caller never waits."""

from __future__ import annotations

import threading
import time

import pytest

from expo_hall.net.errors import ApiError, Busy, Offline
from expo_hall.net.worker import LongPoller, Worker
from expo_hall.server.schemas import MessagePage


def test_results_and_errors_come_through_the_callback(inbox):
    worker = Worker(inbox, threads=2, max_pending=2)
    try:
        gate = threading.Event()
        started = time.monotonic()
        assert worker.submit("slow", lambda: gate.wait(5) and "done")
        assert worker.submit("fails", lambda: 1 / 0)
        assert time.monotonic() - started < 0.05  # submit never waits for the call
        assert isinstance(inbox.tagged("fails"), ZeroDivisionError)
        assert inbox.empty()
        gate.set()
        assert inbox.tagged("slow") == "done"
        assert worker.submit(("floor", 3), lambda x: x * 2, 21)
        assert inbox.tagged(("floor", 3)) == 42
    finally:
        worker.stop()


def test_a_full_queue_says_busy_at_once(inbox):
    worker = Worker(inbox, threads=1, max_pending=1)
    gate = threading.Event()
    try:
        worker.submit("a", gate.wait, 5)
        until_running = time.monotonic() + 2
        while worker.pending and time.monotonic() < until_running:
            time.sleep(0.005)
        assert worker.submit("b", lambda: "b")
        assert not worker.submit("c", lambda: "c")
        assert isinstance(inbox.tagged("c"), Busy)
        gate.set()
        assert inbox.tagged("b") == "b"
    finally:
        gate.set()
        worker.stop()
    with pytest.raises(RuntimeError):
        worker.submit("late", lambda: None)


def test_worker_runs_api_calls(make_client, inbox):
    client = make_client()
    worker = Worker(inbox)
    try:
        worker.submit("floors", client.floors)
        worker.submit("missing", client.exhibitor, "nobody")
        assert [f.floor_id for f in inbox.tagged("floors")] == ["main", "upper"]
        error = inbox.tagged("missing")
        assert isinstance(error, ApiError) and error.status == 404
    finally:
        worker.stop()


def test_a_long_poll_wakes_within_100_ms_of_a_post(make_client, inbox):
    listener, talker = make_client(), make_client()
    listener.register("Слушатель")
    talker.register("Говорящий")
    room = talker.exhibitor("gamma").room_id
    poller = LongPoller(listener, inbox, timeout=5)
    try:
        poller.follow(room, "gamma-chat")
        first = talker.send_message(room, "раз").message
        page = inbox.tagged("gamma-chat")
        assert isinstance(page, MessagePage) and [m.id for m in page.messages] == [first.id]
        delays = []
        for text in ("два", "три", "четыре"):
            time.sleep(0.05)  # the poll is held by now
            started = time.monotonic()
            sent = talker.send_message(room, text).message
            page = inbox.tagged("gamma-chat", timeout=2)
            delays.append(time.monotonic() - started)
            assert [m.text for m in page.messages] == [text] and page.messages[0].id == sent.id
        assert max(delays) < 0.1, delays
        assert poller.following() == {room: sent.id}
    finally:
        poller.stop()


def test_a_long_poll_carries_on_after_a_restart(make_client, server, inbox):
    listener, talker = make_client(), make_client()
    listener.register("Слушатель")
    talker.register("Говорящий")
    room = talker.exhibitor("beta").room_id
    poller = LongPoller(listener, inbox, timeout=1, retry_min=0.05, retry_max=0.2)
    try:
        poller.follow(room, "beta")
        talker.send_message(room, "до")
        assert [m.text for m in inbox.tagged("beta").messages] == ["до"]
        server.stop()
        with pytest.raises(Offline):
            talker.health()
        server.start()
        talker.send_message(room, "после")
        assert [m.text for m in inbox.tagged("beta", timeout=5).messages] == ["после"]
    finally:
        poller.stop()


def test_a_room_we_may_not_read_is_reported_and_dropped(make_client, inbox):
    visitor, other = make_client(), make_client()
    visitor.register("Вера")
    other.register("Пётр")
    private = visitor.conversation("alpha").room_id
    poller = LongPoller(other, inbox, timeout=1)
    try:
        poller.follow(private, "private")
        error = inbox.tagged("private")
        assert isinstance(error, ApiError) and error.status == 404  # another's conversation: as if there were none
        assert poller.following() == {}
    finally:
        poller.stop()
