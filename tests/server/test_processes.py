"""The server as its own process: the organizer's token command, `python -m expo_hall.server`, and on
PostgreSQL several server processes whose pollers are woken by each other's posts; and the embedded server."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from expo_hall.server import cli, start_embedded
from tests.server.conftest import PDF_BYTES, PG_URL, Api, fresh_db_url

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """`python -m expo_hall.server ARGS` in a process of its own: the entry point, as an organizer runs it."""
    return subprocess.run([sys.executable, "-m", "expo_hall.server", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


def cli_here(*args: str) -> subprocess.CompletedProcess:
    """The same command's main() in this process, its output captured: where a test is about what the command
    does, not its start (an interpreter importing the server costs about a second; run_cli's tests keep that)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse's refusals
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["expo_hall.server", *args], code, out.getvalue(), err.getvalue())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server_process(expo_dirs: tuple[Path, Path], db_url: str, *extra: str, port: int | None = None,
                   started: list[subprocess.Popen] | None = None) -> Iterator[str]:
    """`python -m expo_hall.server` answering at the URL yielded; `started` receives the process."""
    port = port or free_port()
    if not db_url.startswith("sqlite"):  # PostgreSQL: the imported files beside the expo, not in the user's folder
        extra = ("--content", str(expo_dirs[0].parent / "content"), *extra)
    proc = subprocess.Popen([sys.executable, "-m", "expo_hall.server", "--maps", str(expo_dirs[0]), "--stands",
                             str(expo_dirs[1]), "--db", db_url, "--port", str(port), *extra],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if started is not None:
        started.append(proc)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/api/v1/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(15)


def test_cli_issues_tokens_that_the_standalone_server_accepts(expo_dirs, tmp_path):
    db_url = fresh_db_url("sqlite", tmp_path)
    refused = run_cli("token", "--stand", "alpha", "--name", "Роман", "--db", db_url)
    assert refused.returncode == 2 and "start the server once" in refused.stderr  # no stands imported yet
    with server_process(expo_dirs, db_url) as url:
        rep = run_cli("token", "--stand", "alpha", "--name", "Роман", "--db", db_url)
        admin = cli_here("token", "--admin", "--name", "Ольга", "--db", db_url)
        typo = cli_here("token", "--stand", "alpah", "--name", "Роман", "--db", db_url)
        assert rep.returncode == 0 and admin.returncode == 0
        assert typo.returncode == 2 and "did you mean alpha" in typo.stderr
        me = Api(url, rep.stdout.strip()).get("/me").json()
        assert (me["role"], me["display_name"], me["stand_id"]) == ("representative", "Роман", "alpha")
        assert Api(url, admin.stdout.strip()).get("/me").json()["role"] == "organizer"
        assert Api(url, admin.stdout.strip()).get("/exhibitors/alpha/stats").status_code == 200
        assert Api(url).get("/floors").json()[0]["floor_id"] == "main"


def poll_in_thread(api: Api, room: int, after: int) -> tuple[threading.Thread, dict]:
    woke: dict[str, object] = {}

    def wait() -> None:
        page = api.get(f"/rooms/{room}/poll", params={"after": after, "timeout": 20}).json()
        woke["at"], woke["texts"] = time.monotonic(), [m["text"] for m in page["messages"]]

    thread = threading.Thread(target=wait)
    thread.start()
    return thread, woke


@pytest.mark.skipif(not PG_URL, reason="EXPO_HALL_TEST_PG is not set")
def test_a_post_on_one_server_process_wakes_a_poller_on_another(expo_dirs, tmp_path):
    db_url = fresh_db_url("postgres", tmp_path)
    with server_process(expo_dirs, db_url) as first, server_process(expo_dirs, db_url) as second:
        token = requests.post(first + "/api/v1/visitors", json={"display_name": "Вера"}, timeout=10).json()["token"]
        on_first, on_second = Api(first, token), Api(second, token)
        room = on_first.get("/exhibitors/alpha").json()["room_id"]
        last = 0
        for i in range(3):
            poller, woke = poll_in_thread(on_first, room, last)
            time.sleep(0.3)
            posted_at = time.monotonic()
            last = on_second.send(room, f"с другого процесса {i}").json()["id"]
            poller.join(10)
            assert woke["texts"] == [f"с другого процесса {i}"]
            assert woke["at"] - posted_at < 2.5  # NOTIFY (milliseconds), not the re-check 5 s after the poll began


@pytest.mark.skipif(not PG_URL, reason="EXPO_HALL_TEST_PG is not set")
def test_two_workers_wake_every_poller(expo_dirs, tmp_path):
    db_url = fresh_db_url("postgres", tmp_path)
    with server_process(expo_dirs, db_url, "--workers", "2") as url:
        token = requests.post(url + "/api/v1/visitors", json={"display_name": "Вера"}, timeout=10).json()["token"]
        pollers = [Api(url, token) for _ in range(8)]  # a connection each, spread by the kernel over the workers
        room = pollers[0].get("/exhibitors/alpha").json()["room_id"]
        started = [poll_in_thread(api, room, 0) for api in pollers]
        time.sleep(0.5)
        posted_at = time.monotonic()
        Api(url, token).send(room, "всем воркерам")
        for thread, woke in started:
            thread.join(10)
            assert woke["texts"] == ["всем воркерам"] and woke["at"] - posted_at < 2.5  # NOTIFY, not the re-check


def test_start_embedded_keeps_its_database_in_the_users_data_folder(expo_dirs, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    started = time.monotonic()
    with start_embedded(*expo_dirs) as server:
        assert time.monotonic() - started < 5
        assert server.url.startswith("http://127.0.0.1:")
        token = requests.post(server.url + "/api/v1/visitors", json={"display_name": "Вера"}, timeout=10).json()
        assert Api(server.url, token["token"]).get("/me").json()["display_name"] == "Вера"
    assert (tmp_path / "data" / "expo_hall" / "server.sqlite3").is_file()
    stored = [p for p in (tmp_path / "data" / "expo_hall" / "content").iterdir() if len(p.stem) == 64]
    assert len(stored) == 9  # what it serves, imported (beside them: the index of normalised logos, the routes)
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/api/v1/health", timeout=2)


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def answers(url: str) -> bool:
    try:
        requests.get(url + "/api/v1/health", timeout=1)
        return True
    except requests.ConnectionError:
        return False


def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_stop_when_their_supervisor_is_killed(expo_dirs, tmp_path):
    db_url, port = fresh_db_url("sqlite", tmp_path), free_port()
    started: list[subprocess.Popen] = []
    workers: list[int] = []
    try:
        with server_process(expo_dirs, db_url, "--workers", "2", port=port, started=started) as url:
            supervisor = started[0]
            until(lambda: len(children(supervisor.pid)) >= 2, 30, "the workers did not start")
            workers = children(supervisor.pid)
            supervisor.kill()  # SIGKILL: no chance to stop its workers
            supervisor.wait(10)
            until(lambda: not any(map(running, workers)), 30, "the workers outlived their supervisor")
            until(lambda: not answers(url), 10, "the port still answers")
        with server_process(expo_dirs, db_url, port=port) as again:  # the next start gets the port
            assert Api(again).get("/floors").status_code == 200
    finally:
        for pid in filter(running, workers):
            os.kill(pid, signal.SIGKILL)
def test_the_standalone_server_and_its_workers_serve_from_the_content_folder_given(expo_dirs, tmp_path):
    db_url = fresh_db_url("sqlite", tmp_path)
    content = tmp_path / "store"
    with server_process(expo_dirs, db_url, "--content", str(content), "--workers", "2") as url:
        for _ in range(4):  # new connections: both workers answer
            r = requests.get(url + "/api/v1/exhibitors/alpha/materials/0", timeout=10, headers={"Connection": "close"})
            assert r.status_code == 200 and r.content == PDF_BYTES
    assert (content / (hashlib.sha256(PDF_BYTES).hexdigest() + ".pdf")).is_file()
    assert not (tmp_path / "content").exists()


def test_a_stopped_server_answers_its_held_long_polls_and_ends_its_streams_cleanly(expo_dirs, tmp_path):
    """SIGTERM (a deployment's restart): what the server holds ends as it would on its own, not cut after uvicorn's
    grace: the long poll answers "nothing new", the stream ends with its last chunk."""
    from expo_hall.net.sse import events

    started: list[subprocess.Popen] = []
    with server_process(expo_dirs, fresh_db_url("sqlite", tmp_path), started=started) as url:
        token = requests.post(url + "/api/v1/visitors", json={"display_name": "Вера"}, timeout=10).json()["token"]
        vera = Api(url, token)
        room = vera.get("/exhibitors/alpha").json()["room_id"]
        stream = vera.session.get(f"{url}/api/v1/rooms/{room}/stream", stream=True, timeout=(5, 30))
        seq = vera.get("/expo/changes", params={"timeout": 0}).json()["seq"]
        answers: list[requests.Response] = []
        poll = threading.Thread(target=lambda: answers.append(vera.get("/expo/changes", params={"after": seq})))
        poll.start()
        received = events(stream.iter_content(None))
        assert next(received) is None  # the stream's first comment: it is held
        vera.send(room, "до остановки")
        assert [m["text"] for m in json.loads(next(e for e in received if e is not None).data)["messages"]] == [
            "до остановки"]
        started[0].send_signal(signal.SIGTERM)
        assert [e for e in received if e is not None] == []  # and it ends without ChunkedEncodingError: not cut
        poll.join(20)
        assert answers and answers[0].status_code == 200 and answers[0].json()["changes"] == []
        started[0].wait(20)
