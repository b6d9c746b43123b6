"""Following a room by the server's stream, and by long polls when a proxy holds the stream back."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from expo_hall.net.worker import LongPoller


class BufferingProxy:
    """An HTTP proxy that hands on an answer only once it is whole (as a proxy buffering responses does): a long
    poll passes, a stream never does."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.paths: list[str] = []  # the paths asked for through it, without the query
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(65536)
                if not chunk:
                    return
                head += chunk
            self.paths.append(head.split(b" ", 2)[1].decode().partition("?")[0])
            lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
            request = b"\r\n".join(lines[:-2] + [b"Connection: close", b"", b""])
            try:
                with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
                    upstream.sendall(request)
                    answer = b""
                    while chunk := upstream.recv(65536):
                        answer += chunk
            except OSError:  # the server behind it stopped (the test ends): the client sees its connection close
                return
            client.sendall(answer)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def proxy(server) -> Iterator[BufferingProxy]:
    p = BufferingProxy(server.port)
    yield p
    p.close()


def test_a_room_is_followed_by_its_stream_and_resumed_from_the_last_message(make_client, server, inbox):
    listener, talker = make_client(), make_client()
    listener.register("Слушатель")
    talker.register("Говорящий")
    room = talker.exhibitor("gamma").room_id
    poller = LongPoller(listener, inbox, timeout=5)
    try:
        poller.follow(room, "gamma")
        sent = [talker.send_message(room, text).message.id for text in ("раз", "два", "три")]
        got = []
        while len(got) < 3:
            got += [m.id for m in inbox.tagged("gamma").messages]
        assert got == sent
        poller.unfollow(room)
        missed = talker.send_message(room, "пока не слушали").message.id
        poller.follow(room, "again", after=sent[-1])
        assert [m.id for m in inbox.tagged("again").messages] == [missed]
    finally:
        poller.stop(timeout=2)
    asked = [path for method, path in server.requests if method == "GET" and path.startswith(f"/api/v1/rooms/{room}/")]
    assert f"/api/v1/rooms/{room}/stream" in asked and f"/api/v1/rooms/{room}/poll" not in asked
    assert inbox.all("gamma") == [] and inbox.all("again") == []  # nothing twice


def test_where_the_stream_is_held_back_long_polls_carry_the_messages(make_client, server, proxy, inbox):
    listener, talker = make_client(), make_client()
    listener.register("Слушатель")
    talker.register("Говорящий")
    room = talker.exhibitor("beta").room_id
    behind_proxy = make_client(listener.token)
    behind_proxy.base_url, behind_proxy.api = proxy.url, proxy.url + "/api/v1"
    poller = LongPoller(behind_proxy, inbox, timeout=0.5, stream_wait=0.5)
    try:
        poller.follow(room, "beta")
        sent = [talker.send_message(room, text).message.id for text in ("раз", "два")]
        got = []
        while len(got) < 2:
            got += [m.id for m in inbox.tagged("beta", timeout=10).messages]
        assert got == sent
    finally:
        poller.stop()
    asked = [path for method, path in server.requests if method == "GET" and path.startswith(f"/api/v1/rooms/{room}/")]
    assert asked[0] == f"/api/v1/rooms/{room}/stream" and f"/api/v1/rooms/{room}/poll" in asked
    assert asked.count(f"/api/v1/rooms/{room}/stream") == 1  # not tried again before stream_retry
