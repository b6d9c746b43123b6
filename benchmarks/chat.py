"""Benchmark the chat server: many listening clients (streams, or long polls) in one room while a sender posts.

Runs the real server as a subprocess (one worker, SQLite in a temporary folder, loopback only) and
prints one `name: value unit` line per figure:
  lost, duplicated            messages a polling client never got, or got twice (goal: 0 and 0)
  latency_p50_ms, _p99_ms     from the start of a send to its delivery to a poller (goal: p99 <= 100)
  polls_per_s                 poll answers carrying messages, per second of that phase
  server_cpu_per_poll_us      the server's CPU time (user + system) per such answer: less noisy than
                              the latencies on a shared machine
  send_per_s                  sends per second when pushed to the limit (no pollers)
  bare_get_per_s              GET /api/v1/health pushed to the limit: the ceiling to compare with
  send_vs_get_pct             send_per_s as a share of bare_get_per_s (goal: >= 25)
  load_average                the machine's 1-minute load average at the end of the listening phase (it is shared)

The clients are plain asyncio streams speaking HTTP/1.1 (no client library), split over --procs
processes. The machine has 2 cores: the server gets about one, the clients the other, so these are
figures for a single worker on one core shared with its load, not for a production box.

Run: python benchmarks/chat.py [--clients 1000] [--seconds 60] [--rate 20] [--procs 1] [--transport stream|poll]
     python benchmarks/chat.py --nodes 2 --db postgresql+psycopg://...   (the clients through nginx)
     python benchmarks/chat.py --idle 5000 --seconds 300                 (idle_clients_held and the memory)

With --qa, the business programme's moderated Q&A instead: --clients visitors (2000) follow one live event's
questions (its stream, or long polls with --transport poll) while visitors ask --questions a second (5) and vote
--votes a second (50) on the visible ones, and a moderator (an organizer's token) approves each question as its own
long poll brings it:
  qa_latency_p50_ms, _p99_ms  from the start of an approval to each visitor's stream (or poll) bringing the question
                              visible (goal: p99 <= 200)
  qa_lost                     (visitor, approved question) pairs never delivered
  qa_asked, qa_approved, qa_votes, qa_answers_per_s (pages the visitors got), qa_server_cpu_load,
  qa_load_average             the machine's 1-minute load average at the end (it is shared)
"""

from __future__ import annotations

import argparse
import array
import asyncio
import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HOST = "127.0.0.1"
POLL_TIMEOUT = 25
DRAIN_SECONDS = 5.0  # after the last send, how long pollers may take to get it


# --- a minimal HTTP/1.1 keep-alive client --------------------------------------------------------------------------

class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(HOST, port)
        return cls(reader, writer)

    async def request(self, method: str, path: str, token: str | None = None, body: bytes = b"") -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        status_and_headers = await self.reader.readuntil(b"\r\n\r\n")
        status = int(status_and_headers[9:12])
        length = 0
        for line in status_and_headers.split(b"\r\n")[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        return status, await self.reader.readexactly(length) if length else b""

    def close(self) -> None:
        self.writer.close()


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop

        return uvloop.new_event_loop()
    except ImportError:
        return asyncio.new_event_loop()


async def open_stream(port: int, room: int | str, token: str, after: int) -> Connection:
    """A chat stream (server-sent events) opened: read on from its first chunk (keep the connection: its writer
    closes the socket when collected). `room`: a room's id, or the path of another stream."""
    path = room if isinstance(room, str) else f"/api/v1/rooms/{room}/stream"
    conn = await Connection.open(port)
    conn.writer.write(f"GET {path}?after={after} HTTP/1.1\r\nHost: {HOST}\r\n"
                      f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode())
    head = await conn.reader.readuntil(b"\r\n\r\n")
    if head[9:12] != b"200" or b"chunked" not in head.lower():
        raise RuntimeError(f"stream answered {head[:200]!r}")
    return conn


async def stream_pages(reader: asyncio.StreamReader, field: str | None = "messages"):  # noqa: ANN201
    """Each event's data (decoded JSON), or its `field`, from a chunked event stream."""
    buffer = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).strip(), 16)
        if size == 0:
            return
        buffer += (await reader.readexactly(size + 2))[:-2]
        *done, buffer = buffer.split(b"\n\n")
        for event in done:
            for line in event.split(b"\n"):
                if line.startswith(b"data: "):
                    data = json.loads(line[6:])
                    yield data[field] if field else data


# --- the polling clients (run in worker processes) -----------------------------------------------------------------

def pollers_process(port: int, room: int, after: int, tokens: list[str], stop_at: float, pipe,  # noqa: ANN001
                    transport: str = "stream") -> None:
    loop = new_loop()
    asyncio.set_event_loop(loop)
    received = [array.array("q") for _ in tokens]
    latencies = array.array("d")
    polls = [0]

    async def poller(i: int, conn: Connection) -> None:
        last = after
        while True:
            status, body = await conn.request("GET", f"/api/v1/rooms/{room}/poll?after={last}&timeout={POLL_TIMEOUT}",
                                              tokens[i])
            now = time.monotonic()
            if status != 200:
                raise RuntimeError(f"poll answered {status}: {body[:200]!r}")
            messages = json.loads(body)["messages"]
            polls[0] += bool(messages)
            for message in messages:
                received[i].append(message["id"])
                latencies.append(now - float(message["text"]))
                last = message["id"]

    async def listener(i: int, conn: Connection) -> None:
        async for messages in stream_pages(conn.reader):
            now = time.monotonic()
            polls[0] += 1
            for message in messages:
                received[i].append(message["id"])
                latencies.append(now - float(message["text"]))

    async def main() -> None:
        conns = []
        for start in range(0, len(tokens), 100):  # connect in batches, as a crowd arrives
            if transport == "stream":
                conns += await asyncio.gather(*(open_stream(port, room, tokens[i], after)
                                                for i in range(start, min(start + 100, len(tokens)))))
            else:
                conns += await asyncio.gather(*(Connection.open(port) for _ in tokens[start:start + 100]))
        run = listener if transport == "stream" else poller
        tasks = [asyncio.create_task(run(i, c)) for i, c in enumerate(conns)]
        await asyncio.sleep(0.5)  # every poll is in and held
        pipe.send("ready")
        done, _ = await asyncio.wait(tasks, timeout=stop_at - time.monotonic(), return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()  # a poller that failed fails the benchmark
        for task in tasks:
            task.cancel()
        for conn in conns:
            conn.close()

    cpu_before = time.process_time()
    loop.run_until_complete(main())
    cpu = time.process_time() - cpu_before
    posted = set(pipe.recv())
    lost = duplicated = 0
    for ids in received:
        got = set(ids)
        duplicated += len(ids) - len(got)
        lost += len(posted - got)
    pipe.send((lost, duplicated, polls[0], cpu, latencies.tobytes()))


# --- the load in the main process --------------------------------------------------------------------------------

async def paced_sends(port: int, room: int, token: str, rate: float, seconds: float) -> list[int]:
    """Post `rate` messages a second for `seconds`, each text the monotonic time its send started."""
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(8):
        pool.put_nowait(await Connection.open(port))
    posted: list[int] = []

    async def send_one() -> None:
        conn = await pool.get()
        body = json.dumps({"text": repr(time.monotonic()), "client_id": str(uuid.uuid4())}).encode()
        status, answer = await conn.request("POST", f"/api/v1/rooms/{room}/messages", token, body)
        pool.put_nowait(conn)
        if status != 201:
            raise RuntimeError(f"send answered {status}: {answer[:200]!r}")
        posted.append(json.loads(answer)["id"])

    start, tasks = time.monotonic(), []
    for i in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
        tasks.append(asyncio.create_task(send_one()))
    await asyncio.gather(*tasks)
    while not pool.empty():
        pool.get_nowait().close()
    return posted


async def flat_out(port: int, make_request, seconds: float, concurrency: int) -> float:  # noqa: ANN001
    """Requests per second with `concurrency` connections each sending the next request at once."""
    conns = [await Connection.open(port) for _ in range(concurrency)]
    count, stop_at = 0, time.monotonic() + seconds

    async def worker(i: int, conn: Connection) -> None:
        nonlocal count
        n = 0
        while time.monotonic() < stop_at:
            status, answer = await make_request(conn, i, n)
            if status >= 300:
                raise RuntimeError(f"answered {status}: {answer[:200]!r}")
            count += 1
            n += 1

    started = time.monotonic()
    await asyncio.gather(*(worker(i, c) for i, c in enumerate(conns)))
    elapsed = time.monotonic() - started
    for conn in conns:
        conn.close()
    return count / elapsed


# --- set-up ----------------------------------------------------------------------------------------------------------

def write_expo(root: Path) -> tuple[Path, Path]:
    from expo_hall.floors.tmx_writer import FloorSketch, write_package

    maps, stands = root / "maps", root / "stands"
    maps.mkdir(parents=True)
    FloorSketch("hall", "Hall", 20, 10).alley(0, 128, 640, 64).stand("1", "bench", 64, 32, 96, 96) \
        .point("spawn", 32, 160).write(maps / "hall.tmx")
    write_package(stands / "bench", "Benchmark stand")
    return maps, stands


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(root: Path, port: int, db_url: str | None = None, *extra: str) -> subprocess.Popen:
    maps, stands = (root / "maps", root / "stands") if (root / "maps").is_dir() else write_expo(root)
    db_url = db_url or f"sqlite:///{root / 'bench.sqlite3'}"
    proc = subprocess.Popen([sys.executable, "-m", "expo_hall.server", "--maps", str(maps), "--stands", str(stands),
                             "--db", db_url, "--content", str(root / "content"), "--host", HOST, "--port", str(port),
                             "--rate-limits", "off", *extra],  # 1000 clients on one address, a sender at full speed
                            cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.DEVNULL,
                            stderr=(root / f"server-{port}.log").open("wb"))
    wait_for_port(port, proc)
    return proc


def wait_for_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def start_nodes(root: Path, db_url: str, nodes: int) -> tuple[int, list[subprocess.Popen]]:
    """`nodes` server processes on PostgreSQL behind nginx (expo_hall.server.nginx): nginx's port and the processes."""
    import getpass
    import shutil

    from expo_hall.server.nginx import MEDIA_PREFIX, config

    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        raise SystemExit("--nodes needs nginx (bash .ci/nginx.sh installs it)")
    ports = [free_port() for _ in range(nodes)]
    procs = [start_server(root, p, db_url, "--media-redirect", MEDIA_PREFIX) for p in ports]  # one at a time: imports
    front = free_port()
    run_dir = root / "nginx"
    (run_dir / "tmp").mkdir(parents=True)
    (run_dir / "nginx.conf").write_text(config([f"{HOST}:{p}" for p in ports], f"{HOST}:{front}", root / "content",
                                               run_dir, workers=1, connections=8192,
                                               user=getpass.getuser() if os.geteuid() == 0 else None))
    proc = subprocess.Popen([nginx, "-p", str(run_dir), "-c", str(run_dir / "nginx.conf"), "-e",
                             str(run_dir / "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(front, proc)
    return front, [*procs, proc]


async def register(port: int, count: int) -> list[str]:
    conn = await Connection.open(port)
    tokens = []
    for i in range(count):
        if i and i % 500 == 0:  # a proxy may close a connection after some requests
            conn.close()
            conn = await Connection.open(port)
        status, body = await conn.request("POST", "/api/v1/visitors", None,
                                          json.dumps({"display_name": f"Visitor {i}"}).encode())
        assert status == 201, body
        tokens.append(json.loads(body)["token"])
    conn.close()
    return tokens


async def room_and_last_id(port: int, token: str) -> tuple[int, int]:
    conn = await Connection.open(port)
    room = json.loads((await conn.request("GET", "/api/v1/exhibitors/bench"))[1])["room_id"]
    history = json.loads((await conn.request("GET", f"/api/v1/rooms/{room}/messages?limit=1", token))[1])
    conn.close()
    return room, max((m["id"] for m in history["messages"]), default=0)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def hold_idle(port: int, pid: int, count: int, seconds: float) -> None:
    """`count` visitors each with a stream open on a quiet room for `seconds`: is the server's memory flat?"""
    tokens = await register(port, count)
    room, after = await room_and_last_id(port, tokens[0])
    before = rss_mb(pid)
    readers = []
    for start in range(0, count, 200):
        readers += await asyncio.gather(*(open_stream(port, room, t, after) for t in tokens[start:start + 200]))
    alive = [0] * count

    async def drain(i: int, conn: Connection) -> None:
        while await conn.reader.read(4096):
            alive[i] = 1
    tasks = [asyncio.create_task(drain(i, r)) for i, r in enumerate(readers)]
    await asyncio.sleep(20)  # settled: every stream open, a keepalive through
    first = rss_mb(pid)
    samples = [first]
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        await asyncio.sleep(min(30.0, seconds))
        samples.append(rss_mb(pid))
    held = sum(alive) - sum(task.done() for task in tasks)
    print(f"idle_clients_held: {held} streams")
    print(f"idle_seconds: {time.monotonic() - started:.0f} s")
    print(f"idle_rss_start_mb: {first:.1f} MB")
    print(f"idle_rss_end_mb: {samples[-1]:.1f} MB")
    print(f"idle_rss_max_mb: {max(samples):.1f} MB")
    print(f"idle_rss_before_mb: {before:.1f} MB")
    print(f"idle_rss_per_stream_kb: {1024 * (first - before) / count:.1f} kB")
    for task in tasks:
        task.cancel()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


# --- the programme's Q&A -----------------------------------------------------------------------------------------

def write_programme(root: Path, now: float) -> str:
    """One event under way in one hall (frab JSON and programme.toml beside the maps); returns its guid."""
    import datetime as dt

    from expo_hall.programme.frab import to_frab
    from expo_hall.programme.model import Conference, Day, Event, Room, Schedule

    starts = dt.datetime.fromtimestamp(now, dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=10)
    guid, day = str(uuid.uuid4()), starts.date()
    event = Event(guid, 1, "Benchmark session", "Hall 1", starts, dt.timedelta(hours=3), "bench-1")
    schedule = Schedule(Conference("Bench", "bench", day, day + dt.timedelta(days=1)),
                        rooms=(Room("Hall 1", str(uuid.uuid4())),),
                        days=(Day(1, day, starts - dt.timedelta(hours=1), starts + dt.timedelta(hours=6)),),
                        events=(event,))
    folder = root / "programme"
    folder.mkdir()
    (folder / "schedule.json").write_text(json.dumps(to_frab(schedule)), encoding="utf-8")
    (folder / "programme.toml").write_text('[rooms."Hall 1"]\nhall = "hall-01"\n', encoding="utf-8")
    return guid


def qa_pollers_process(port: int, guid: str, after: int, tokens: list[str], stop_at: float, pipe,  # noqa: ANN001
                       transport: str = "stream") -> None:
    """Visitors following the event's questions (its stream, or long polls); each records when it first saw each
    question visible."""
    loop = new_loop()
    asyncio.set_event_loop(loop)
    seen: list[dict[int, float]] = [{} for _ in tokens]
    answers = [0]
    base = f"/api/v1/programme/events/{guid}/questions"

    def take(i: int, page: dict, now: float) -> None:
        answers[0] += 1
        for q in page["questions"]:
            if q["state"] == "visible" and q["id"] not in seen[i]:
                seen[i][q["id"]] = now

    async def poller(i: int, conn: Connection) -> None:
        last = after
        while True:
            status, body = await conn.request("GET", f"{base}/poll?after={last}&timeout={POLL_TIMEOUT}", tokens[i])
            now = time.monotonic()
            if status != 200:
                raise RuntimeError(f"poll answered {status}: {body[:200]!r}")
            page = json.loads(body)
            take(i, page, now)
            last = page["seq"]

    async def listener(i: int, conn: Connection) -> None:
        async for page in stream_pages(conn.reader, None):
            take(i, page, time.monotonic())

    async def main() -> None:
        conns = []
        for start in range(0, len(tokens), 100):
            batch = tokens[start:start + 100]
            if transport == "stream":
                conns += await asyncio.gather(*(open_stream(port, f"{base}/stream", t, after) for t in batch))
            else:
                conns += await asyncio.gather(*(Connection.open(port) for _ in batch))
        run = listener if transport == "stream" else poller
        tasks = [asyncio.create_task(run(i, c)) for i, c in enumerate(conns)]
        await asyncio.sleep(0.5)
        pipe.send("ready")
        done, _ = await asyncio.wait(tasks, timeout=stop_at - time.monotonic(), return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()
        for task in tasks:
            task.cancel()
        for conn in conns:
            conn.close()

    loop.run_until_complete(main())
    approved: dict[int, float] = pipe.recv()
    latencies, lost = array.array("d"), 0
    for mine in seen:
        for qid, at in approved.items():
            if qid in mine:
                latencies.append(mine[qid] - at)
            else:
                lost += 1
    pipe.send((lost, answers[0], latencies.tobytes()))


async def qa_load(port: int, guid: str, moderator: str, visitors: list[str], question_rate: float, vote_rate: float,
                  seconds: float) -> tuple[dict[int, float], int, int]:
    """Asks and votes at their rates while the moderator approves what its long poll brings; returns when each
    question's approval started (monotonic), questions asked, votes cast."""
    approved: dict[int, float] = {}
    visible: list[int] = []
    voted: set[tuple[int, int]] = set()
    counts = {"asked": 0, "votes": 0}
    stop_at = time.monotonic() + seconds
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(16):
        pool.put_nowait(await Connection.open(port))

    async def call(method: str, path: str, token: str, body: dict | None = None) -> tuple[int, bytes]:
        conn = await pool.get()
        try:
            return await conn.request(method, path, token, json.dumps(body).encode() if body is not None else b"")
        finally:
            pool.put_nowait(conn)

    async def paced(rate: float, act) -> None:  # noqa: ANN001
        if rate <= 0:
            return
        start, n, tasks = time.monotonic(), 0, []
        while time.monotonic() < stop_at:
            await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
            tasks.append(asyncio.create_task(act(n)))
            n += 1
        await asyncio.gather(*tasks)

    async def ask(n: int) -> None:
        status, body = await call("POST", f"/api/v1/programme/events/{guid}/questions", visitors[n % len(visitors)],
                                  {"text": f"Question {n}?", "anonymous": n % 3 == 0, "client_id": str(uuid.uuid4())})
        if status != 201:
            raise RuntimeError(f"ask answered {status}: {body[:200]!r}")
        counts["asked"] += 1

    async def vote(n: int) -> None:
        if not visible:
            return
        qid = visible[n % len(visible)]
        who = (n * 7919) % len(visitors)
        if (who, qid) in voted:
            return
        voted.add((who, qid))
        status, body = await call("POST", f"/api/v1/programme/questions/{qid}/vote", visitors[who])
        if status not in (200, 201):
            raise RuntimeError(f"vote answered {status}: {body[:200]!r}")
        counts["votes"] += 1

    async def moderate() -> None:
        conn = await Connection.open(port)
        status, body = await conn.request("GET", f"/api/v1/programme/events/{guid}/questions?limit=1", moderator)
        last = json.loads(body)["seq"]
        while time.monotonic() < stop_at + 2:
            status, body = await conn.request(
                "GET", f"/api/v1/programme/events/{guid}/questions/poll?after={last}&timeout=2", moderator)
            page = json.loads(body)
            last = page["seq"]
            for q in page["questions"]:
                if q["state"] == "queued" and q["id"] not in approved:
                    approved[q["id"]] = time.monotonic()
                    status, answer = await call("PATCH", f"/api/v1/programme/questions/{q['id']}", moderator,
                                                {"state": "visible"})
                    if status != 200:
                        raise RuntimeError(f"approval answered {status}: {answer[:200]!r}")
                    visible.append(q["id"])
        conn.close()

    await asyncio.gather(paced(question_rate, ask), paced(vote_rate, vote), moderate())
    while not pool.empty():
        pool.get_nowait().close()
    return approved, counts["asked"], counts["votes"]


def start_clients(target, port: int, topic: object, after: int, tokens: list, stop_at: float,  # noqa: ANN001
                  args: argparse.Namespace) -> tuple[list, list]:
    """--procs client processes, each listening with its share of `tokens`; returns once all say they are ready."""
    pipes, procs = [], []
    for p in range(args.procs):
        mine, theirs = mp.Pipe()
        proc = mp.Process(target=target, args=(port, topic, after, tokens[p::args.procs], stop_at, theirs,
                                               args.transport))
        proc.start()
        pipes.append(mine)
        procs.append(proc)
    for pipe in pipes:
        if pipe.recv() != "ready":
            raise SystemExit("a client process failed")
    return pipes, procs


def qa_main(args: argparse.Namespace) -> None:
    loop = new_loop()
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="expo_hall_bench_") as tmp:
        root, port = Path(tmp), free_port()
        guid = write_programme(root, time.time())
        server = start_server(root, port)
        try:
            made = subprocess.run([sys.executable, "-m", "expo_hall.server", "token", "--admin", "--name", "Moderator",
                                   "--db", f"sqlite:///{root / 'bench.sqlite3'}"], capture_output=True, text=True,
                                  cwd=Path(__file__).resolve().parent.parent, check=True)
            moderator = made.stdout.split()[0]
            visitors = loop.run_until_complete(register(port, args.clients))
            stop_at = time.monotonic() + 20 + args.seconds + DRAIN_SECONDS
            pipes, procs = start_clients(qa_pollers_process, port, guid, 0, visitors, stop_at, args)
            started, cpu_before = time.monotonic(), cpu_seconds(server.pid)
            approved, asked, votes = loop.run_until_complete(
                qa_load(port, guid, moderator, visitors, args.questions, args.votes, args.seconds))
            phase = time.monotonic() - started
            server_cpu = cpu_seconds(server.pid) - cpu_before
            lost, answers, latencies = 0, 0, array.array("d")
            for pipe in pipes:
                pipe.send(approved)
            for pipe in pipes:
                p_lost, p_answers, p_lat = pipe.recv()
                lost, answers = lost + p_lost, answers + p_answers
                latencies.frombytes(p_lat)
            for proc in procs:
                proc.join()
        finally:
            server.terminate()
            server.wait(10)
    ordered = sorted(latencies)
    print(f"qa_transport: {args.transport}")
    print(f"qa_clients: {args.clients} connections")
    print(f"qa_asked: {asked} questions")
    print(f"qa_approved: {len(approved)} questions")
    print(f"qa_votes: {votes} votes")
    print(f"qa_lost: {lost} deliveries")
    print(f"qa_latency_p50_ms: {percentile(ordered, 0.50) * 1000:.1f} ms")
    print(f"qa_latency_p99_ms: {percentile(ordered, 0.99) * 1000:.1f} ms")
    print(f"qa_latency_max_ms: {ordered[-1] * 1000:.1f} ms")
    print(f"qa_answers_per_s: {answers / phase:.0f} pages/s")
    print(f"qa_load_average: {os.getloadavg()[0]:.1f}")
    print(f"qa_server_cpu_load: {100 * server_cpu / phase:.0f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000, help="long-polling clients in the room")
    parser.add_argument("--seconds", type=float, default=60, help="how long the sender posts")
    parser.add_argument("--rate", type=float, default=20, help="messages posted per second")
    parser.add_argument("--procs", type=int, default=1, help="processes the polling clients are split over")
    parser.add_argument("--flat-seconds", type=float, default=10, help="length of each pushed-to-the-limit run")
    parser.add_argument("--concurrency", type=int, default=32, help="connections in the pushed-to-the-limit runs")
    parser.add_argument("--qa", action="store_true", help="the programme's moderated Q&A instead of a stand's chat")
    parser.add_argument("--questions", type=float, default=5, help="--qa: questions asked per second")
    parser.add_argument("--votes", type=float, default=50, help="--qa: votes per second")
    parser.add_argument("--transport", choices=("stream", "poll"), default="stream",
                        help="how the clients listen: the room's event stream, or long polls")
    parser.add_argument("--nodes", type=int, default=1,
                        help="server processes behind nginx on PostgreSQL (--db); the clients go through nginx")
    parser.add_argument("--db", default=os.environ.get("EXPO_HALL_TEST_PG"), help="PostgreSQL URL for --nodes")
    parser.add_argument("--idle", type=int, default=0, metavar="N",
                        help="instead: hold N open streams on one worker for --seconds, watching its memory")
    args = parser.parse_args()
    if args.qa:
        if "--clients" not in sys.argv:
            args.clients = 2000
        qa_main(args)
        return

    loop = new_loop()
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="expo_hall_bench_") as tmp:
        if args.nodes > 1:
            if not args.db:
                raise SystemExit("--nodes needs --db postgresql+psycopg://... (or EXPO_HALL_TEST_PG)")
            port, servers = start_nodes(Path(tmp), args.db, args.nodes)
        else:
            port = free_port()
            servers = [start_server(Path(tmp), port)]
        server = servers[0]
        try:
            if args.idle:
                loop.run_until_complete(hold_idle(port, server.pid, args.idle, args.seconds))
                return
            tokens = loop.run_until_complete(register(port, args.clients + args.concurrency + 1))
            sender, senders, clients = tokens[0], tokens[1:args.concurrency + 1], tokens[args.concurrency + 1:]
            room, _ = loop.run_until_complete(room_and_last_id(port, sender))

            # First the ceilings, pushed to the limit with no pollers: sends, then the bare GET.
            async def send(conn: Connection, i: int, n: int) -> tuple[int, bytes]:
                body = json.dumps({"text": f"flat out {n}", "client_id": str(uuid.uuid4())}).encode()
                return await conn.request("POST", f"/api/v1/rooms/{room}/messages", senders[i], body)

            async def health(conn: Connection, _i: int, _n: int) -> tuple[int, bytes]:
                return await conn.request("GET", "/api/v1/health")

            if args.nodes == 1:
                send_rate = loop.run_until_complete(flat_out(port, send, args.flat_seconds, args.concurrency))
                get_rate = loop.run_until_complete(flat_out(port, health, args.flat_seconds, args.concurrency))

            # Then the pollers and the steady sender.
            room, after = loop.run_until_complete(room_and_last_id(port, sender))

            stop_at = time.monotonic() + 15 + args.seconds + DRAIN_SECONDS  # 15: time to connect and get ready
            pipes, procs = start_clients(pollers_process, port, room, after, clients, stop_at, args)
            started, cpu_before = time.monotonic(), cpu_seconds(server.pid)
            posted = loop.run_until_complete(paced_sends(port, room, sender, args.rate, args.seconds))
            send_phase = time.monotonic() - started
            server_cpu = cpu_seconds(server.pid) - cpu_before
            for pipe in pipes:
                pipe.send(posted)
            lost = duplicated = polls = 0
            clients_cpu = 0.0
            latencies = array.array("d")
            for pipe in pipes:
                p_lost, p_dup, p_polls, p_cpu, p_lat = pipe.recv()
                lost, duplicated, polls = lost + p_lost, duplicated + p_dup, polls + p_polls
                clients_cpu += p_cpu
                latencies.frombytes(p_lat)
            for proc in procs:
                proc.join()
            ordered = sorted(latencies)

        finally:
            for proc in servers:
                proc.terminate()
                proc.wait(10)

    print(f"nodes: {args.nodes} servers")
    print(f"transport: {args.transport}")
    print(f"clients: {args.clients} connections")
    print(f"sent: {len(posted)} messages")
    print(f"send_phase: {send_phase:.1f} s")
    print(f"lost: {lost} messages")
    print(f"duplicated: {duplicated} messages")
    print(f"deliveries: {len(ordered)} messages")
    print(f"latency_p50_ms: {percentile(ordered, 0.50) * 1000:.1f} ms")
    print(f"latency_p99_ms: {percentile(ordered, 0.99) * 1000:.1f} ms")
    print(f"latency_max_ms: {ordered[-1] * 1000:.1f} ms")
    print(f"polls_per_s: {polls / send_phase:.0f} req/s")
    print(f"server_cpu_per_poll_us: {server_cpu / polls * 1e6:.0f} us")
    print(f"server_cpu_load: {100 * server_cpu / send_phase:.0f} %")
    print(f"clients_cpu_load: {100 * clients_cpu / (stop_at - started):.0f} %")
    print(f"load_average: {os.getloadavg()[0]:.1f}")
    if args.nodes > 1:
        return
    print(f"send_per_s: {send_rate:.0f} req/s")
    print(f"bare_get_per_s: {get_rate:.0f} req/s")
    print(f"send_vs_get_pct: {100 * send_rate / get_rate:.0f} %")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
