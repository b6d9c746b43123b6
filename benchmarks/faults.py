"""Chat through server crashes: several visitors write in a stand's chat through the client's real network layer
(`Network`: the on-disk outbox, the status monitor, the long polls; `StandChat` on top, as the app runs it)
while the server, a separate process, is killed with SIGKILL and started again on the same port at random
moments, some of them while a send is under way. Then every room's history is read back and compared with
what each visitor typed.

Prints one `name: value unit` line per figure:
  kills               SIGKILLs done (each followed by a restart)
  mid_send_kills      kills that struck while a send was under way on some client
  sent                messages typed (each with a text of its own)
  lost, duplicated    typed but never stored / stored more than once (goal: 0 and 0)
  refused             messages the server refused for good (marked failed in the outbox; counted in lost too)
  replayed            sends the server answered as repeats: it had stored the message, the kill ate its answer
  drain_s             from the server answering after the last restart to every outbox empty
  outage_median_ms    from a kill to the server answering /api/v1/health again (and outage_max_ms)

Everything runs on 127.0.0.1 in a temporary folder (a tiny expo written with FloorSketch, the server's
SQLite database, each visitor's data folder), removed at the end; the server runs in a process group of its
own, killed on the way out, also when interrupted. The run stops by itself within --max-seconds.

Run: python benchmarks/faults.py [--clients 4] [--kills 20] [--rate 3] [--seed 1] [--max-seconds 300]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import queue
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from expo_hall.chat.model import PRIVATE, PUBLIC  # noqa: E402
from expo_hall.chat.session import StandChat  # noqa: E402
from expo_hall.floors.tmx_writer import FloorSketch, write_package  # noqa: E402
from expo_hall.net import ApiClient, NetError, Network  # noqa: E402
from expo_hall.net.models import Sent  # noqa: E402
from expo_hall.server.schemas import MessageOut  # noqa: E402

HOST = "127.0.0.1"
STAND = "bench"
PRIVATE_EVERY = 4  # every 4th message goes to the visitor's private conversation with the stand
START_SECONDS = 30.0  # the longest a (re)start may take before the run gives up
UP_SECONDS = (0.5, 3.0)  # how long the server stays up between kills (uniform)
MID_SEND_SHARE = 0.5  # the share of kills aimed at a send under way
MID_SEND_DELAY = 0.004  # a kill aimed at a send comes up to this long after the send began


class BenchmarkFailed(RuntimeError):
    """The run could not be carried out (the server would not start, a visitor's chat broke)."""


@dataclass
class Figures:
    kills: int = 0
    mid_send_kills: int = 0
    sent: int = 0
    lost: int = 0
    duplicated: int = 0
    refused: int = 0
    replayed: int = 0
    drain_s: float | None = None  # None: the outboxes did not drain in time
    outages_s: list[float] = field(default_factory=list)

    def lines(self) -> list[str]:
        drain = f"{self.drain_s:.2f} s" if self.drain_s is not None else "timeout (not drained)"
        outage = sorted(self.outages_s) or [float("nan")]
        return [f"kills: {self.kills}", f"mid_send_kills: {self.mid_send_kills}", f"sent: {self.sent} messages",
                f"lost: {self.lost} messages", f"duplicated: {self.duplicated} messages",
                f"refused: {self.refused} messages", f"replayed: {self.replayed} messages", f"drain_s: {drain}",
                f"outage_median_ms: {statistics.median(outage) * 1000:.0f} ms",
                f"outage_max_ms: {outage[-1] * 1000:.0f} ms"]


# --- the server, as a process of its own ---------------------------------------------------------------------------

def write_expo(root: Path) -> tuple[Path, Path]:
    maps, stands = root / "maps", root / "stands"
    maps.mkdir(parents=True)
    FloorSketch("hall", "Hall", 20, 10).alley(0, 128, 640, 64).stand("1", STAND, 64, 32, 96, 96) \
        .point("spawn", 32, 160).write(maps / "hall.tmx")
    write_package(stands / STAND, "Стенд под нагрузкой")
    return maps, stands


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class ServerProcess:
    """`python -m expo_hall.server` on 127.0.0.1 in a process group of its own: SIGKILLed and started again on
    the same port and database. Its output goes to `log`."""

    def __init__(self, root: Path, port: int) -> None:
        self.maps, self.stands = write_expo(root)
        self.db = root / "db.sqlite3"
        self.log = root / "server.log"
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.proc: subprocess.Popen | None = None
        self.probe = ApiClient(self.url)  # /health only, never retried

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "expo_hall.server", "--maps", str(self.maps), "--stands", str(self.stands),
                 "--db", f"sqlite:///{self.db}", "--host", HOST, "--port", str(self.port)],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, deadline: float) -> float:
        """When the server answered /health (time.monotonic()); BenchmarkFailed if it died or took too long."""
        assert self.proc is not None
        while True:
            with contextlib.suppress(NetError):
                self.probe.health()
                return time.monotonic()
            if self.proc.poll() is not None:
                raise BenchmarkFailed(f"the server exited with {self.proc.returncode}:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise BenchmarkFailed(f"the server did not answer within {START_SECONDS:.0f} s:\n{self.tail()}")
            time.sleep(0.01)

    def signal_kill(self) -> None:
        """SIGKILL the whole process group (reap it with `kill`)."""
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL the whole process group and reap it."""
        self.signal_kill()
        if self.proc is not None:
            self.proc.wait()
            self.proc = None

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# --- the visitors ----------------------------------------------------------------------------------------------------

class Sends:
    """What the visitors' clients are doing with sends, shared by all of them (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inflight = 0
        self.replayed = 0
        self.started = threading.Event()  # set when a send begins


class CountingClient(ApiClient):
    """The app's ApiClient, counting its sends under way (so a kill can be aimed at one, and known to have hit
    one) and the sends the server answered as repeats. Every call still goes to the real server."""

    def __init__(self, base_url: str, sends: Sends) -> None:
        super().__init__(base_url)
        self.sends = sends

    def send_message(self, room_id: int, text: str, client_id: uuid.UUID | str | None = None) -> Sent:
        with self.sends.lock:
            self.sends.inflight += 1
        self.sends.started.set()
        try:
            sent = super().send_message(room_id, text, client_id)
        finally:
            with self.sends.lock:
                self.sends.inflight -= 1
        if not sent.created:
            with self.sends.lock:
                self.sends.replayed += 1
        return sent


class Visitor:
    """One visitor as the app runs one: `Network` and a stand's `StandChat`, the results handed to the chat on a
    thread of its own (the app's event loop), typing `rate` messages a second while `typing` is set."""

    def __init__(self, index: int, url: str, data: Path, sends: Sends, rate: float, typing: threading.Event) -> None:
        self.name = f"Посетитель {index}"
        self.index = index
        self.rate = rate
        self.typing = typing
        self.events: queue.Queue[tuple[Any, Any]] = queue.Queue()
        self.network = Network(url, lambda tag, result: self.events.put((tag, result)),
                               outbox_path=data / "outbox.sqlite3", cache_dir=data / "cache",
                               client=CountingClient(url, sends))
        self.chat: StandChat | None = None
        self.typed: list[str] = []
        self.typing_lock = threading.Lock()  # held while a message is typed: `typing` cleared is then final
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"visitor-{index}", daemon=True)

    def start(self) -> None:
        self.network.client.register(self.name)  # once, while the server is up
        self.chat = StandChat(self.network, STAND, self.network.client.exhibitor(STAND).room_id)
        self.chat.start()
        self._thread.start()

    @property
    def ready(self) -> bool:
        return self.chat is not None and self.chat.ready

    def rooms(self) -> list[int]:
        assert self.chat is not None
        return [room.room_id for room in self.chat.rooms.values() if room.room_id is not None]

    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # reported by the main thread
            self.error = exc

    def _loop(self) -> None:
        assert self.chat is not None
        period = 1.0 / self.rate
        last = next_at = time.monotonic()
        while not self._stop.is_set():
            with contextlib.suppress(queue.Empty):
                tag, result = self.events.get(timeout=max(0.0, min(0.05, next_at - time.monotonic())))
                self.chat.handle(tag, result)
            now = time.monotonic()
            self.chat.update(now - last, shown=True)
            last = now
            if now < next_at:
                continue
            with self.typing_lock:
                if not self.typing.is_set() or not self.chat.ready:
                    next_at = now + period
                    continue
                n = len(self.typed) + 1
                private = n % PRIVATE_EVERY == 0 and self.chat.rooms[PRIVATE].room_id is not None
                text = f"{self.name}: {'личное' if private else 'всем'} №{n}"
                self.chat.send(PRIVATE if private else PUBLIC, text)  # on disk before it returns
                self.typed.append(text)
            next_at = max(next_at + period, now - period)  # steady; no burst after a stall

    def stop_typing(self) -> None:
        self.typing.clear()
        with self.typing_lock:  # a message being typed is in the outbox now
            pass

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        if self.chat is not None:
            self.chat.close()
        self.network.stop()


def full_history(client: ApiClient, room_id: int) -> list[MessageOut]:
    messages: list[MessageOut] = []
    before = None
    while True:
        page = client.history(room_id, before, limit=200)
        messages[:0] = page.messages
        if not page.has_more or not page.messages:
            return messages
        before = page.messages[0].id


def wait_for(condition: Callable[[], bool], deadline: float) -> bool:
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


# --- the run ---------------------------------------------------------------------------------------------------------

def run(*, clients: int = 4, kills: int = 20, rate: float = 3.0, seed: int = 1, max_seconds: float = 300.0,
        mid_send_share: float = MID_SEND_SHARE, say: Callable[[str], None] = lambda _text: None) -> Figures:
    """The whole benchmark; ends within about `max_seconds` (the kills stop at two thirds of it, to leave the
    outboxes time to drain) and leaves no process or folder behind."""
    rng = random.Random(seed)
    deadline = time.monotonic() + max_seconds
    kills_until = time.monotonic() + max_seconds * 2 / 3
    figures = Figures()
    sends = Sends()
    typing = threading.Event()
    visitors: list[Visitor] = []
    with tempfile.TemporaryDirectory(prefix="expo_hall_faults_") as tmp:
        server = ServerProcess(Path(tmp), free_port())
        try:
            server.start()
            server.wait_healthy(time.monotonic() + START_SECONDS)
            for i in range(clients):
                visitor = Visitor(i + 1, server.url, Path(tmp) / f"visitor{i + 1}", sends, rate, typing)
                visitors.append(visitor)
                visitor.start()
            if not wait_for(lambda: all(v.ready for v in visitors), time.monotonic() + START_SECONDS):
                raise BenchmarkFailed("the visitors' chats did not get ready")
            typing.set()
            say(f"{clients} visitors typing {rate:g} messages/s each; killing the server {kills} times")

            up_at = time.monotonic()
            for k in range(kills):
                if time.monotonic() > kills_until:
                    say(f"time is up after {k} kills")
                    break
                time.sleep(rng.uniform(*UP_SECONDS))
                if rng.random() < mid_send_share:  # aim at a send: kill just after one begins
                    sends.started.clear()
                    if sends.started.wait(5):
                        time.sleep(rng.uniform(0, MID_SEND_DELAY))
                with sends.lock:  # no send begins or ends meanwhile
                    figures.mid_send_kills += int(sends.inflight > 0)
                    server.signal_kill()
                server.kill()
                killed_at = time.monotonic()
                figures.kills += 1
                server.start()
                up_at = server.wait_healthy(killed_at + START_SECONDS)
                figures.outages_s.append(up_at - killed_at)
            for v in visitors:
                v.stop_typing()

            def drained() -> bool:
                return all(not v.network.outbox.pending(include_failed=False) for v in visitors)

            if wait_for(drained, deadline):
                figures.drain_s = time.monotonic() - up_at
            for v in visitors:
                if v.error is not None:
                    raise BenchmarkFailed(f"{v.name}'s chat failed: {v.error!r}")
            typed = [text for v in visitors for text in v.typed]
            stored: collections.Counter[str] = collections.Counter()
            read: set[int] = set()
            for v in visitors:  # each visitor reads its private room; the public one is read once
                for room_id in v.rooms():
                    if room_id not in read:
                        read.add(room_id)
                        stored.update(m.text for m in full_history(v.network.client, room_id))
            figures.sent = len(typed)
            figures.lost = sum(1 for text in typed if stored[text] == 0)
            figures.duplicated = sum(stored[text] - 1 for text in typed if stored[text] > 1)
            figures.refused = sum(len(v.network.outbox.pending()) - len(v.network.outbox.pending(include_failed=False))
                                  for v in visitors)
            figures.replayed = sends.replayed
        finally:
            typing.clear()
            for v in visitors:
                v.stop()
            server.kill()
            server.probe.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4, help="visitors chatting")
    parser.add_argument("--kills", type=int, default=20, help="times the server is killed with SIGKILL and restarted")
    parser.add_argument("--rate", type=float, default=3.0, help="messages each visitor types per second")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kills' moments")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="the run ends within about this long")
    args = parser.parse_args()
    if args.clients < 1 or args.kills < 0 or args.rate <= 0 or args.max_seconds <= 0:
        parser.error("--clients must be at least 1, --kills at least 0, --rate and --max-seconds above 0")

    def terminated(_signum: int, _frame: object) -> None:
        raise SystemExit(143)  # unwinds through run()'s clean-up

    signal.signal(signal.SIGTERM, terminated)
    try:
        figures = run(clients=args.clients, kills=args.kills, rate=args.rate, seed=args.seed,
                      max_seconds=args.max_seconds, say=lambda text: print(f"# {text}", file=sys.stderr))
    except BenchmarkFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted (the server and the temporary folder are gone)", file=sys.stderr)
        return 130
    print(f"clients: {args.clients}")
    for line in figures.lines():
        print(line)
    return 0 if figures.lost == 0 and figures.duplicated == 0 and figures.drain_s is not None else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
