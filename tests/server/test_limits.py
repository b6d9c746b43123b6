"""Limits: request bodies over the limit refused before they are read (413), rate limits per token and per
address (429 with Retry-After), and statistics that count people rather than requests."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from expo_hall.server.settings import RateLimits, Settings
from tests.server.conftest import PDF_BYTES, Api, TestServer, start_server

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = RateLimits()


@pytest.fixture
def limited(db_url: str, expo_dirs: tuple[Path, Path]) -> Iterator[TestServer]:
    """The server with the default rate limits (its clock stands still unless a test moves it: no refill)."""
    srv = start_server(db_url, expo_dirs, rate_limits=DEFAULTS)
    yield srv
    srv.embedded.stop()


def raw_answer(server: TestServer, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as it is (a head announcing more body than follows, say) and read the answer until the server
    closes the connection; a server still waiting for the body makes this time out."""
    url = urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=20) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def post_head(server: TestServer, path: str, token: str, framing: str) -> bytes:
    return (f"POST /api/v1{path} HTTP/1.1\r\nHost: {urlsplit(server.url).netloc}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\n{framing}\r\n\r\n").encode()


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


# --- the body limit --------------------------------------------------------------------------------------------------

def test_a_body_declared_over_the_limit_is_refused_before_it_is_sent(server):
    vera = server.visitor()
    head = post_head(server, f"/rooms/{server.room_of('alpha')}/messages", vera.token, "Content-Length: 100000000")
    status, headers, body = raw_answer(server, head + b'{"text": "' + b"x" * 1000)  # 1 kB of the 100 MB announced
    assert status == 413 and headers["content-type"] == "application/json"
    assert json.loads(body) == {"detail": "the request body is over this server's limit of 65536 bytes"}


def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit(server):
    vera = server.visitor()
    head = post_head(server, f"/rooms/{server.room_of('alpha')}/messages", vera.token, "Transfer-Encoding: chunked")
    status, _, body = raw_answer(server, head + chunk(b"x" * 40_000) + chunk(b"x" * 30_000))  # no last chunk: more
    assert status == 413 and "65536 bytes" in json.loads(body)["detail"]


def test_a_streamed_body_within_the_limit_is_taken(server):
    vera = server.visitor()
    room = server.room_of("alpha")
    message = json.dumps({"text": "по частям", "client_id": str(uuid.uuid4())}).encode()
    parts = iter([message[:10], message[10:]])  # requests sends an iterator chunked, without Content-Length
    r = vera.session.post(f"{vera.base}/rooms/{room}/messages", data=parts,
                          headers={"Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 201 and r.json()["text"] == "по частям"


def test_the_body_limit_is_a_setting_and_clients_get_the_413(db_url, expo_dirs):
    srv = start_server(db_url, expo_dirs, max_body=1000)
    try:
        vera = srv.visitor()
        room = srv.room_of("alpha")
        assert vera.send(room, "x" * 900).status_code == 201  # with the JSON around it: under 1000 bytes
        big = vera.send(room, "x" * 1000)
        assert big.status_code == 413 and big.json()["detail"] == ("the request body is over this server's limit "
                                                                   "of 1000 bytes")
        r = vera.session.post(f"{vera.base}/rooms/{room}/messages", data=b"x" * 10_000_000,
                              headers={"Content-Type": "application/json"}, timeout=30)
        assert r.status_code == 413 and r.json()["detail"]
    finally:
        srv.embedded.stop()


# --- rate limits -----------------------------------------------------------------------------------------------------

def assert_refused(r: requests.Response, what: str) -> int:
    assert r.status_code == 429, r.text
    wait = int(r.headers["retry-after"])
    assert wait >= 1 and r.json()["detail"] == f"too many {what}; try again in {wait} s"
    return wait


def register(server: TestServer) -> requests.Response:
    return requests.post(server.url + "/api/v1/visitors", json={"display_name": "Бот"}, timeout=10)


def test_registrations_from_one_address_are_limited(limited):
    burst = DEFAULTS.register_per_address.burst
    answers = [register(limited).status_code for _ in range(burst)]
    assert answers == [201] * burst
    wait = assert_refused(register(limited), "registrations from this address")
    assert wait == 6  # one more every 6 s (10 a minute)
    limited.clock.now += dt.timedelta(seconds=wait)
    assert register(limited).status_code == 201
    assert register(limited).status_code == 429


def test_sends_are_limited_per_visitor_and_the_others_go_on(limited):
    vera, ivan = limited.visitor("Вера"), limited.visitor("Иван")
    room = limited.room_of("alpha")
    burst = DEFAULTS.send_per_token.burst
    assert [vera.send(room, f"сообщение {i}").status_code for i in range(burst)] == [201] * burst
    assert_refused(vera.send(room, "ещё одно"), "messages from this account")
    assert ivan.send(room, "а я могу").status_code == 201  # the same address, another visitor
    limited.clock.now += dt.timedelta(seconds=2)  # 30 a minute
    assert vera.send(room, "теперь можно").status_code == 201


def test_visits_and_downloads_are_limited_per_visitor(limited):
    vera = limited.visitor()
    for _ in range(DEFAULTS.visit_per_token.burst):
        assert vera.post("/exhibitors/beta/visits").status_code in (200, 201)
    assert_refused(vera.post("/exhibitors/beta/visits"), "stand visits from this account")
    for _ in range(DEFAULTS.download_per_token.burst):
        assert vera.get("/exhibitors/alpha/materials/0").status_code == 200
    assert_refused(vera.get("/exhibitors/alpha/materials/0"), "downloads from this account")
    assert limited.anonymous().get("/exhibitors/alpha/materials/0").status_code == 200  # the address may go on


def test_per_address_limits_hold_whatever_the_tokens(db_url, expo_dirs):
    limits = RateLimits.parse("send_per_address=3/60,visit_per_address=3/60,download_per_address=3/60")
    srv = start_server(db_url, expo_dirs, rate_limits=limits)
    try:
        visitors = [srv.visitor(f"Гость {i}") for i in range(4)]
        room = srv.room_of("alpha")
        assert [v.send(room, "привет").status_code for v in visitors] == [201, 201, 201, 429]
        assert [v.post("/exhibitors/alpha/visits").status_code for v in visitors] == [201, 201, 201, 429]
        assert [v.get("/exhibitors/alpha/materials/0").status_code for v in visitors[:3]] == [200] * 3
        assert_refused(srv.anonymous().get("/exhibitors/alpha/materials/0"), "downloads from this address")
    finally:
        srv.embedded.stop()


def test_a_visitors_busy_session_stays_within_the_default_limits(limited):
    """Everything the client does for one person at once (the embedded server sees everyone on 127.0.0.1)."""
    vera = limited.visitor()
    room = vera.post("/exhibitors/alpha/conversation").json()["room_id"]
    for _ in range(5):
        for stand in ("alpha", "beta", "gamma"):
            assert vera.post(f"/exhibitors/{stand}/visits").status_code in (200, 201)
    for i in range(15):  # an outbox sending what was typed while offline
        assert vera.send(room, f"вопрос {i}").status_code == 201
    for _ in range(10):
        assert vera.get("/exhibitors/alpha/materials/0").status_code == 200
    assert limited.anonymous().get("/exhibitors/alpha/materials/0").status_code == 200


def test_rate_limits_are_settings_with_a_command_line_form():
    assert RateLimits.parse("on") == RateLimits() and RateLimits.parse("off") == RateLimits.off()
    changed = RateLimits.parse("send-per-token=40/60, register_per_address=off")
    assert changed.send_per_token.burst == 40 and changed.register_per_address is None
    assert changed.visit_per_token == DEFAULTS.visit_per_token
    for bad, named in (("send=3/4", "the names are register_per_address"), ("send_per_token=0/60", "send_per_token"),
                       ("send_per_token=5", "BURST/PER_MINUTE"), ("", "give on, off")):
        with pytest.raises(ValueError, match=named):
            RateLimits.parse(bad)
    settings = Settings(db_url="sqlite://", max_body=1000, rate_limits=changed)
    assert Settings.from_json(settings.to_json()) == settings
    cli = subprocess.run([sys.executable, "-m", "expo_hall.server", "--rate-limits", "sends=5/5"], capture_output=True,
                         text=True, timeout=60, cwd=ROOT)
    assert cli.returncode == 2 and "'sends=5/5' is not NAME=BURST/PER_MINUTE" in cli.stderr
    assert "Traceback" not in cli.stderr


def test_the_openapi_schema_documents_the_413_and_429_answers(server):
    paths = server.anonymous().session.get(server.url + "/openapi.json").json()["paths"]
    for path, method in (("/api/v1/visitors", "post"), ("/api/v1/rooms/{room_id}/messages", "post"),
                         ("/api/v1/exhibitors/{exhibitor_id}/visits", "post"),
                         ("/api/v1/exhibitors/{exhibitor_id}/materials/{index}", "get")):
        assert paths[path][method]["responses"]["429"]["headers"]["Retry-After"]["required"], path
    for path, method in (("/api/v1/visitors", "post"), ("/api/v1/rooms/{room_id}/messages", "post"),
                         ("/api/v1/me/route", "put"), ("/api/v1/me/status", "put"),
                         ("/api/v1/exhibitors/{exhibitor_id}/leads", "post")):
        assert "413" in paths[path][method]["responses"], path


# --- statistics count people -----------------------------------------------------------------------------------------

def stats(server: TestServer, stand: str = "alpha") -> dict:
    return server.organizer().get(f"/exhibitors/{stand}/stats").json()


def test_a_visit_counts_once_per_visitor_and_stand_in_30_minutes(server):
    vera, ivan = server.visitor("Вера"), server.visitor("Иван")
    answers = [vera.post("/exhibitors/alpha/visits").status_code for _ in range(20)]
    assert answers == [201] + [200] * 19
    assert ivan.post("/exhibitors/alpha/visits").status_code == 201
    assert vera.post("/exhibitors/beta/visits").status_code == 201
    assert (stats(server)["visits"], stats(server)["unique_visitors"], stats(server, "beta")["visits"]) == (2, 2, 1)
    server.clock.now += dt.timedelta(minutes=29)
    assert vera.post("/exhibitors/alpha/visits").status_code == 200
    server.clock.now += dt.timedelta(minutes=1)
    assert vera.post("/exhibitors/alpha/visits").status_code == 201
    assert (stats(server)["visits"], stats(server)["unique_visitors"]) == (3, 2)


def test_visits_sent_at_once_still_count_once(server):
    vera = server.visitor()
    sessions = [Api(server.url, vera.token) for _ in range(16)]  # a connection each
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda api: api.post("/exhibitors/alpha/visits").status_code, sessions * 2))
    assert sorted(answers) == [200] * 31 + [201]
    assert stats(server)["visits"] == 1


def test_a_download_counts_once_per_downloader_and_material_a_day(server):
    anonymous, vera, ivan = server.anonymous(), server.visitor("Вера"), server.visitor("Иван")
    for api in (anonymous, vera, ivan):
        for _ in range(10):
            r = api.get("/exhibitors/alpha/materials/0")
            assert r.status_code == 200 and r.content == PDF_BYTES
    assert stats(server)["downloads"] == 3  # this address without a token, Вера, Иван
    server.clock.now += dt.timedelta(hours=23)
    vera.get("/exhibitors/alpha/materials/0")
    assert stats(server)["downloads"] == 3
    server.clock.now += dt.timedelta(hours=1)
    for api in (anonymous, vera):
        api.get("/exhibitors/alpha/materials/0")
    assert stats(server)["downloads"] == 5


def test_scripted_registrations_from_one_address_cannot_pump_unique_visitors(limited):
    counted = 0
    for i in range(50):
        r = register(limited)
        if r.status_code == 201:
            counted += Api(limited.url, r.json()["token"]).post("/exhibitors/alpha/visits").status_code == 201
        else:
            assert r.status_code == 429, i
    assert counted == DEFAULTS.register_per_address.burst < 50
    assert stats(limited)["unique_visitors"] == counted
