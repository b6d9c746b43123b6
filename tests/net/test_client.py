"""The API client against the real server: typed results, errors, idempotent sends, and urllib3's retries."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from expo_hall.net.client import ApiClient, safe_join
from expo_hall.net.errors import ApiError, BadResponse, Conflict, Offline
from expo_hall.server.auth import create_user
from expo_hall.server.schemas import Role
from tests.net.conftest import FAST_RETRY


def test_health_and_register(make_client):
    client = make_client()
    assert client.health().status == "ok"
    with pytest.raises(ApiError) as err:
        client.me()
    assert err.value.status == 401 and "token" in err.value.message
    reg = client.register("Вера", organisation="Школа №5")
    assert reg.token and client.token == reg.token
    me = client.me()
    assert (me.display_name, me.organisation, me.role) == ("Вера", "Школа №5", "visitor")
    with pytest.raises(ApiError) as err:
        make_client().register("   ")
    assert err.value.status == 422 and err.value.errors and "display_name" in err.value.message


def test_floors_exhibitors_and_files(make_client, server, net_dirs, tmp_path):
    maps, _ = net_dirs
    client = make_client()
    floors = client.floors()
    assert [f.floor_id for f in floors] == ["main", "upper"]
    main = floors[0]
    assert (main.title, main.title_en, main.width, main.height) == ("Главный зал", "Main hall", 960, 640)
    assert [f.path for f in main.files] == ["maps/main.tmx", "maps/tiles/hall.png"]
    assert main.map_url == main.files[0].url and main.map_url.startswith(server.url + "/api/v1/floors/main/")
    assert {s.number: s.exhibitor_id for s in main.stands} == {"A-1": "alpha", "A-2": "beta", "A-3": "gamma",
                                                                 "A-9": "delta"}
    assert client.floor("upper").files[1].path == "maps/tiles/upper.tsx"

    tmx = client.download_floor(client.floor("upper"), tmp_path / "upper")
    assert tmx == tmp_path / "upper" / "maps" / "upper.tmx"
    for rel in ("upper.tmx", "tiles/upper.tsx", "tiles/upper.png"):
        assert (tmp_path / "upper" / "maps" / rel).read_bytes() == (maps / rel).read_bytes()

    summaries = client.exhibitors()
    assert [(e.exhibitor_id, e.floor_id, e.stand_number) for e in summaries][:2] == [("alpha", "main", "A-1"),
                                                                                   ("beta", "main", "A-2")]
    alpha = client.exhibitor("alpha")
    assert alpha.name == "ООО «Альфа-Обучение»" and alpha.logo_url == server.url + "/api/v1/exhibitors/alpha/logo"
    assert alpha.contacts.email == "hello@alpha.example" and alpha.contacts.messengers == {"telegram": "@alpha"}
    assert alpha.video is not None and alpha.video.external and alpha.video.url == "https://video.example/alpha.mp4"
    brochure, site = alpha.materials
    assert brochure.url == server.url + "/api/v1/exhibitors/alpha/materials/0" and brochure.file_name == "brochure.pdf"
    assert site.url == "https://alpha.example/" and site.file_name is None
    assert [w.title for w in alpha.webinars] == ["Утренний эфир", "Открытый урок"]
    assert alpha.webinars[0].starts == dt.datetime(2020, 10, 1, 7, 0, tzinfo=dt.UTC)
    assert alpha.webinars[0].starts.tzinfo is not None
    assert [w.exhibitor_id for w in client.webinars()] == ["alpha", "alpha"]
    assert client.webinars("beta") == []
    got = client.download(brochure.url, tmp_path / "b.pdf")
    assert got.status == 200 and got.content_type == "application/pdf"
    assert got.path.read_bytes() == (net_dirs[1] / "alpha" / "brochure.pdf").read_bytes()
    with pytest.raises(ApiError) as err:
        client.exhibitor("nobody")
    assert err.value.status == 404 and err.value.message == "no exhibitor 'nobody'"


def test_route_with_versions_and_visits(make_client):
    client = make_client()
    client.register("Вера")
    assert client.route().version == 0
    route = client.put_route(["alpha", "beta"], version=0)
    assert (route.version, route.planned) == (1, ["alpha", "beta"])
    assert client.put_route(["alpha", "beta"], version=0) == route  # our own earlier change: not a conflict
    with pytest.raises(Conflict) as err:
        client.put_route(["gamma"], version=0)
    assert err.value.status == 409 and "version 1" in err.value.message
    assert client.record_visit("beta").exhibitor_id == "beta"
    assert [v.exhibitor_id for v in client.route().visited] == ["beta"]


def test_two_visitors_talk_in_a_stand_room(make_client):
    vera, petr = make_client(), make_client()
    vera.register("Вера")
    petr.register("Пётр")
    room = vera.exhibitor("alpha").room_id
    first = vera.send_message(room, "Здравствуйте!")
    assert first.created and first.message.author_name == "Вера"
    page = petr.poll(room, after=0, timeout=2)
    assert [m.text for m in page.messages] == ["Здравствуйте!"]
    petr.send_message(room, "Добрый день")
    page = vera.poll(room, after=first.message.id, timeout=2)
    assert [(m.author_name, m.text) for m in page.messages] == [("Пётр", "Добрый день")]
    assert [m.text for m in petr.history(room).messages] == ["Здравствуйте!", "Добрый день"]


def test_private_conversation_with_a_representative(make_client, server):
    visitor = make_client()
    visitor.register("Вера")
    engine = server.engine()
    token, _ = create_user(engine, Role.representative, "Роман", dt.datetime.now(dt.UTC), stand_id="alpha")
    engine.dispose()
    rep = make_client(token)
    conv = visitor.conversation("alpha")
    assert conv.stand_id == "alpha" and conv.visitor_name == "Вера"
    visitor.send_message(conv.room_id, "Есть ли курсы для 5 класса?")
    inbox = rep.conversations("alpha")
    assert [c.room_id for c in inbox] == [conv.room_id]
    texts = [(m.author_role, m.text) for m in rep.history(conv.room_id).messages]
    assert texts[0] == ("visitor", "Есть ли курсы для 5 класса?")
    assert texts[1] == ("stand", "Мы ответим в рабочее время.")  # nobody available: the away answer
    reply = rep.send_message(conv.room_id, "Да, есть").message
    page = visitor.poll(conv.room_id, after=texts and rep.history(conv.room_id).messages[1].id, timeout=2)
    assert [m.id for m in page.messages] == [reply.id] and page.messages[0].author_role == "representative"
    outsider = make_client()
    outsider.register("Чужой")
    with pytest.raises(ApiError) as err:
        outsider.history(conv.room_id)
    assert err.value.status == 404  # another visitor's conversation: as if there were none


def test_a_retried_send_does_not_duplicate(make_client):
    client = make_client()
    client.register("Вера")
    room = client.exhibitor("beta").room_id
    cid = uuid.uuid4()
    first = client.send_message(room, "Один раз", cid)
    again = client.send_message(room, "Один раз", cid)
    assert first.created and not again.created and again.message == first.message
    assert again.message.client_id == cid
    assert [m.text for m in client.history(room).messages] == ["Один раз"]
    with pytest.raises(Conflict):
        client.send_message(room, "Другой текст", cid)


def test_offline_when_nobody_listens(server):
    client = ApiClient(server.url, retry=FAST_RETRY)
    server.stop()
    started = time.monotonic()
    with pytest.raises(Offline) as err:
        client.floors()
    assert "refused" in str(err.value).lower()
    assert time.monotonic() - started < 2
    with pytest.raises(Offline):
        ApiClient("http://no-such-host.invalid", retry=FAST_RETRY).health()


def test_get_is_retried_through_a_server_restart(server, make_client):
    client = make_client(retry=FAST_RETRY.__class__(retries=6, backoff_factor=0.1, backoff_jitter=0.02))
    assert client.health().status == "ok"
    server.stop()
    restarter = threading.Timer(0.3, server.start)
    restarter.start()
    started = time.monotonic()
    floors = client.floors()  # refused at first: urllib3 retries with backoff until the server is back
    restarter.join()
    assert [f.floor_id for f in floors] == ["main", "upper"]
    assert time.monotonic() - started >= 0.3


class FlakyHandler(http.server.BaseHTTPRequestHandler):
    """A stand-in proxy, not our server: 503 (with Retry-After) to the first `failures` requests."""

    failures = 2
    seen: list[str] = []

    def _answer(self) -> None:
        self.seen.append(self.command)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if len(self.seen) <= self.failures:
            body, status = b'{"detail": "busy, try again"}', 503
        else:
            body, status = json.dumps({"status": "ok", "version": "1"}).encode(), 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if status == 503:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[tuple[str, list[str]]]:
    FlakyHandler.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FlakyHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", FlakyHandler.seen
    httpd.shutdown()
    httpd.server_close()


def test_503_is_retried_for_get_and_put_but_not_post(flaky):
    url, seen = flaky
    client = ApiClient(url, retry=FAST_RETRY)
    assert client._json("GET", "/webinars")[0]["status"] == "ok"
    assert seen == ["GET", "GET", "GET"]
    seen.clear()
    assert client._json("PUT", "/me/route", json={})[1] == 200 and seen == ["PUT", "PUT", "PUT"]
    seen.clear()
    with pytest.raises(ApiError) as err:
        client._json("POST", "/visitors", json={})
    assert err.value.status == 503 and err.value.message == "busy, try again" and seen == ["POST"]
    seen.clear()
    FlakyHandler.failures = 10
    try:
        with pytest.raises(ApiError) as err:  # retries run out: the last answer is the error
            client._json("GET", "/floors")
        assert err.value.status == 503 and len(seen) == 3
    finally:
        FlakyHandler.failures = 2


def test_only_idempotent_methods_are_retried_even_after_connection_errors():
    from urllib3.exceptions import MaxRetryError, NewConnectionError

    retry = FAST_RETRY.make()
    error = NewConnectionError(None, "refused")
    assert retry.increment("GET", "/x", error=error).total == retry.total - 1
    assert retry.increment("PUT", "/x", error=error).total == retry.total - 1
    with pytest.raises(MaxRetryError):
        retry.increment("POST", "/x", error=error)


def test_unsafe_paths_from_the_server_are_refused(tmp_path):
    assert safe_join(tmp_path, "tiles/a.png") == tmp_path / "tiles" / "a.png"
    for bad in ("../x.png", "/etc/passwd", "tiles/../../x", "a\\..\\b", "C:/x", ""):
        with pytest.raises(BadResponse):
            safe_join(tmp_path, bad)
