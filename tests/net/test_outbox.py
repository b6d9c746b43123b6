"""The outbox: messages written offline are kept on disk and arrive exactly once, in order, even across
a server restart and a client restart; an unknown outcome is resolved by resending the same client_id."""

from __future__ import annotations

import dataclasses
import http.server
import sqlite3
import threading
from collections.abc import Iterator

import pytest
import requests

from expo_hall.net.client import ApiClient
from expo_hall.net.outbox import FAILED, OUTBOX, PENDING, MessageFailed, MessageSent, Outbox
from expo_hall.net.status import StatusMonitor
from tests.net.conftest import FAST_RETRY, until


def attempts(path) -> int:  # noqa: ANN001
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COALESCE(SUM(attempts), 0) FROM outbox").fetchone()[0]


def sent(inbox, n: int, timeout: float = 5.0) -> list[MessageSent]:  # noqa: ANN001
    got = [inbox.tagged(OUTBOX, timeout) for _ in range(n)]
    assert all(isinstance(e, MessageSent) for e in got), got
    return got


def test_messages_survive_a_server_and_a_client_restart(server, inbox, tmp_path):
    path = tmp_path / "data" / "outbox.sqlite3"
    client = ApiClient(server.url, retry=FAST_RETRY)
    token = client.register("Вера").token
    alpha, beta = client.exhibitor("alpha").room_id, client.exhibitor("beta").room_id
    outbox = Outbox(client, inbox, path, retry_min=0.05, retry_max=0.2)
    first = outbox.send(alpha, "при сервере")
    assert sent(inbox, 1)[0].message.client_id == first.client_id
    assert outbox.pending() == []

    server.stop()
    texts = {alpha: [f"альфа {i}" for i in range(5)], beta: ["бета 1", "бета 2"]}
    queued = [outbox.send(alpha, texts[alpha][0]), outbox.send(beta, texts[beta][0])]
    queued += [outbox.send(alpha, t) for t in texts[alpha][1:]] + [outbox.send(beta, texts[beta][1])]
    assert [m.text for m in outbox.pending(alpha)] == texts[alpha]
    assert [(m.text, m.state) for m in outbox.pending(beta)] == [(t, PENDING) for t in texts[beta]]
    until(lambda: attempts(path) >= 2)  # it tried, and failed: the server is down
    assert len(outbox.pending()) == 7 and inbox.all(OUTBOX) == []
    outbox.close()
    del outbox, client

    server.start()  # the same database, the same port
    client = ApiClient(server.url, token, retry=FAST_RETRY)
    outbox = Outbox(client, inbox, path, retry_min=0.05, retry_max=0.2)
    try:
        events = sent(inbox, 7)
        assert sorted(str(e.pending.client_id) for e in events) == sorted(str(m.client_id) for m in queued)
        for room in (alpha, beta):
            in_room = [e for e in events if e.pending.room_id == room]
            assert [e.message.text for e in in_room] == texts[room]  # in order, per room
            assert [e.message.id for e in in_room] == sorted(e.message.id for e in in_room)
        history = {room: [m.text for m in client.history(room).messages] for room in (alpha, beta)}
        assert history == {alpha: ["при сервере", *texts[alpha]], beta: texts[beta]}  # each exactly once
        assert outbox.pending() == []
        assert inbox.all(OUTBOX) == []
    finally:
        outbox.close()


def test_the_status_monitor_sends_at_once_when_the_backend_is_back(server, inbox, tmp_path):
    client = ApiClient(server.url, retry=FAST_RETRY)
    client.register("Вера")
    room = client.exhibitor("gamma").room_id
    status = StatusMonitor(client, inbox, offline_interval=0.05)
    outbox = Outbox(client, inbox, tmp_path / "outbox.sqlite3", retry_min=60, retry_max=60)  # only a kick helps
    status.add_listener(lambda online: online and outbox.kick())
    status.start()
    try:
        server.stop()
        outbox.send(room, "когда вернётся")
        until(lambda: status.online is False)
        server.start()
        assert sent(inbox, 1, timeout=3)[0].message.text == "когда вернётся"
    finally:
        outbox.close()
        status.stop()


class LosesFirstAnswer(http.server.BaseHTTPRequestHandler):
    """A proxy in front of the real server that forwards everything but drops the answer to the first POST:
    the server stored the message, the client never heard back."""

    upstream = ""
    dropped = 0
    posts = 0

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        r = requests.request(self.command, self.upstream + self.path, headers=headers, data=body, timeout=10)
        if self.command == "POST":
            type(self).posts += 1
            if not type(self).dropped:
                type(self).dropped = 1
                self.close_connection = True
                return  # no answer at all: the connection closes
        self.send_response(r.status_code)
        for k in ("Content-Type", "ETag", "Last-Modified"):
            if k in r.headers:
                self.send_header(k, r.headers[k])
        self.send_header("Content-Length", str(len(r.content)))
        self.end_headers()
        self.wfile.write(r.content)

    do_GET = do_POST = do_PUT = _forward

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def lossy(server) -> Iterator[str]:  # noqa: ANN001
    LosesFirstAnswer.upstream, LosesFirstAnswer.dropped, LosesFirstAnswer.posts = server.url, 0, 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), LosesFirstAnswer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_an_unknown_outcome_is_resent_and_arrives_once(server, lossy, inbox, tmp_path):
    direct = ApiClient(server.url, retry=FAST_RETRY)
    token = direct.register("Вера").token
    room = direct.exhibitor("delta").room_id
    client = ApiClient(lossy, token, retry=FAST_RETRY)
    outbox = Outbox(client, inbox, tmp_path / "outbox.sqlite3", retry_min=0.05, retry_max=0.2)
    try:
        msg = outbox.send(room, "дошло ли?")
        event = sent(inbox, 1)[0]
        assert event.pending.client_id == msg.client_id and event.message.client_id == msg.client_id
        assert LosesFirstAnswer.posts == 2  # sent twice ...
        assert [m.text for m in direct.history(room).messages] == ["дошло ли?"]  # ... stored once
    finally:
        outbox.close()


def test_a_refused_message_is_marked_failed_and_the_next_goes(server, inbox, tmp_path):
    client = ApiClient(server.url, retry=FAST_RETRY)
    client.register("Вера")
    room = client.exhibitor("alpha").room_id
    outbox = Outbox(client, inbox, tmp_path / "outbox.sqlite3", retry_min=0.05, retry_max=0.2)
    try:
        bad = outbox.send(987654, "в никуда")
        good = outbox.send(room, "по адресу")
        events = [inbox.tagged(OUTBOX), inbox.tagged(OUTBOX)]
        failed = next(e for e in events if isinstance(e, MessageFailed))
        assert failed.pending.client_id == bad.client_id and failed.error.status == 404
        assert next(e for e in events if isinstance(e, MessageSent)).pending.client_id == good.client_id
        assert [(m.client_id, m.state) for m in outbox.pending()] == [(bad.client_id, FAILED)]
        assert outbox.pending(include_failed=False) == []
        outbox.discard(bad.client_id)
        assert outbox.pending() == []
        with pytest.raises(ValueError):
            outbox.send(room, "   ")
    finally:
        outbox.close()


def test_messages_belong_to_their_writer(server, inbox, tmp_path):
    path = tmp_path / "outbox.sqlite3"
    vera = ApiClient(server.url, retry=FAST_RETRY)
    vera.register("Вера")
    room = vera.exhibitor("alpha").room_id
    server.stop()
    outbox = Outbox(vera, inbox, path, retry_min=5, retry_max=5)
    outbox.send(room, "от Веры")
    outbox.close()
    server.start()
    petr = ApiClient(server.url, retry=FAST_RETRY)
    petr.register("Пётр")
    other = Outbox(petr, inbox, path, retry_min=0.05, retry_max=0.2)
    try:
        assert other.pending() == []
        other.send(room, "от Петра")
        assert sent(inbox, 1)[0].message.author_name == "Пётр"
        assert [m.text for m in petr.history(room).messages] == ["от Петра"]
    finally:
        other.close()


def test_a_refusal_with_retry_after_is_kept_to(net_dirs, inbox, tmp_path):
    """Over the server's send limit (429, Retry-After: 10), the outbox waits at least those 10 s, not its own
    backoff's fraction of a second, and keeps the message."""
    from expo_hall.net.follow import Backoff
    from expo_hall.server.settings import Rate, RateLimits
    from tests.net.conftest import Server

    limits = dataclasses.replace(RateLimits.off(), send_per_token=Rate(burst=2, per_minute=6))  # 10 s a message
    server = Server(net_dirs, f"sqlite:///{tmp_path / 'limited.sqlite3'}", settings={"rate_limits": limits}).start()
    client = ApiClient(server.url, retry=FAST_RETRY)
    outbox = None
    try:
        client.register("Вера")
        room = client.exhibitor("alpha").room_id
        outbox = Outbox(client, inbox, tmp_path / "outbox.sqlite3", retry_min=0.05, retry_max=0.2)
        for text in ("раз", "два", "три"):
            outbox.send(room, text)
        assert [e.message.text for e in sent(inbox, 2)] == ["раз", "два"]
        waiting = until(lambda: outbox.waiting)
        assert 10 <= waiting <= 10 * (1 + Backoff.jitter)  # not its own 0.05-0.2 s
        assert [(m.text, m.state) for m in outbox.pending()] == [("три", PENDING)]
    finally:
        if outbox is not None:
            outbox.close()
        server.stop()
