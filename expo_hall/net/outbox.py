"""Chat messages on their way out, kept on disk until the server has them: nothing typed is lost, nothing
arrives twice.

Every message gets a UUID client_id and a row in a SQLite file (the user's data folder by default)
before it is sent; the row goes only once the server has answered with its id. A send whose outcome is
unknown (a timeout after the server got it, a crash) is simply sent again: the server answers a repeated
client_id with the message it stored the first time. A new Outbox on the same file, after a restart,
sends what the last one left.

Order per room: oldest first, and a message waits for the ones before it; a failure that may pass
(offline, 5xx) stops that room's queue until the next try, one that will not (the server refuses the
message: 4xx) marks it failed and lets the next go. Messages belong to one server and one user (a hash of
the token; the token itself is not stored), so they are never sent elsewhere or under another name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
import threading
import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

from expo_hall.content.limits import MESSAGE_MAX
from expo_hall.net.client import ApiClient
from expo_hall.net.errors import ApiError, NetError, unreachable
from expo_hall.net.follow import Backoff
from expo_hall.net.worker import Deliver, safe_deliver
from expo_hall.server.schemas import MessageOut

log = logging.getLogger("expo_hall.net")

OUTBOX = "net.outbox"  # the tag outbox events are delivered with
APP_NAME = "expo_hall"
PENDING, FAILED = "pending", "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    server TEXT NOT NULL,
    account TEXT NOT NULL,
    room_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_queue ON outbox (server, account, state, room_id, seq);
"""


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "outbox.sqlite3"


@dataclass(frozen=True)
class PendingMessage:
    client_id: uuid.UUID
    room_id: int
    text: str
    created_at: dt.datetime  # UTC, when it was written
    state: str = PENDING  # "pending" (will be sent) or "failed" (refused by the server; see error)
    error: str | None = None


@dataclass(frozen=True)
class MessageSent:
    """Delivered as (OUTBOX, MessageSent): the pending message is now `message`, with its server id."""

    pending: PendingMessage
    message: MessageOut


@dataclass(frozen=True)
class MessageFailed:
    """Delivered as (OUTBOX, MessageFailed): the server refused the message for good (`error`); it stays
    listed as failed until `retry` or `discard`."""

    pending: PendingMessage
    error: NetError


class Outbox:
    """The messages this user has written to this server and the server does not have yet."""

    def __init__(self, client: ApiClient, deliver: Deliver, path: Path | None = None, *, retry_min: float = 0.5,
                 retry_max: float = 30.0, tag: Hashable = OUTBOX) -> None:
        self.client = client
        self.deliver = deliver
        self.path = Path(path) if path is not None else default_path()
        self.backoff = Backoff(retry_min, retry_max)
        self.tag = tag
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._refusal: ApiError | None = None
        self.waiting: float | None = None  # seconds the sender waits before trying again (None: until woken)
        self._wake.set()  # whatever an earlier run left is sent at once
        self._thread = threading.Thread(target=self._run, name="expo-net-outbox", daemon=True)
        self._thread.start()

    # --- the caller's side -------------------------------------------------------------------------------------------

    def send(self, room_id: int, text: str) -> PendingMessage:
        """Queue a message (stored before this returns) and send it as soon as the server can be reached."""
        if not self.client.token:
            raise RuntimeError("no token: register (or set client.token) before writing messages")
        text = text.strip()
        if not text:
            raise ValueError("the message is empty")
        if len(text) > MESSAGE_MAX:
            raise ValueError(f"the message is longer than {MESSAGE_MAX} characters")
        msg = PendingMessage(uuid.uuid4(), int(room_id), text, dt.datetime.now(dt.UTC))
        with self._lock:
            self._db.execute("INSERT INTO outbox (client_id, server, account, room_id, text, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             (str(msg.client_id), self._server, self._account, msg.room_id, msg.text,
                              msg.created_at.isoformat()))
        self._wake.set()
        return msg

    def pending(self, room_id: int | None = None, include_failed: bool = True) -> list[PendingMessage]:
        """Messages not yet on the server (oldest first), of one room or all: show them as pending."""
        sql = "SELECT client_id, room_id, text, created_at, state, error FROM outbox WHERE server = ? AND account = ?"
        args: list[object] = [self._server, self._account]
        if room_id is not None:
            sql += " AND room_id = ?"
            args.append(int(room_id))
        if not include_failed:
            sql += " AND state = 'pending'"
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seq", args).fetchall()
        return [_pending(row) for row in rows]

    def retry(self, client_id: uuid.UUID | str) -> None:
        """Send a failed message again."""
        with self._lock:
            self._db.execute("UPDATE outbox SET state = 'pending', error = NULL WHERE client_id = ?", (str(client_id),))
        self._wake.set()

    def discard(self, client_id: uuid.UUID | str) -> None:
        """Forget a message (one being sent at this moment may still arrive)."""
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE client_id = ?", (str(client_id),))

    def kick(self) -> None:
        """Try now (the backend is back): the status monitor's listener."""
        self._wake.set()

    def close(self, timeout: float = 5.0) -> None:
        """Stop sending (a send under way finishes first) and close the file; what is left stays for next time."""
        self._closed = True
        self._wake.set()
        self._thread.join(timeout)
        with self._lock:
            self._db.close()

    # --- the sender thread -------------------------------------------------------------------------------------------

    @property
    def _server(self) -> str:
        return self.client.base_url

    @property
    def _account(self) -> str:
        token = self.client.token or ""
        return hashlib.sha256(token.encode()).hexdigest()[:24] if token else ""

    def _run(self) -> None:
        failures = 0
        while True:
            self._wake.wait(self.waiting)
            self._wake.clear()
            if self._closed:
                return
            self._refusal = None
            try:
                blocked = self._send_all()
            except Exception:  # a bug or a broken file: log it, and try again later rather than spin
                log.exception("the outbox could not send")
                blocked = True
            if self._closed:
                return
            if blocked:
                failures += 1
                self.waiting = self.backoff.delay(failures, self._refusal)
            else:
                failures, self.waiting = 0, None

    def _send_all(self) -> bool:
        """One pass over every room's queue; True when something is left to try later."""
        with self._lock:
            rows = self._db.execute(
                "SELECT client_id, room_id, text, created_at, state, error FROM outbox "
                "WHERE server = ? AND account = ? AND state = 'pending' ORDER BY seq",
                (self._server, self._account)).fetchall()
        rooms: dict[int, list[PendingMessage]] = {}
        for row in rows:
            msg = _pending(row)
            rooms.setdefault(msg.room_id, []).append(msg)
        blocked = False
        for queue in rooms.values():
            for msg in queue:
                if self._closed:
                    return True
                with self._lock:
                    self._db.execute("UPDATE outbox SET attempts = attempts + 1 WHERE client_id = ?",
                                     (str(msg.client_id),))
                try:
                    sent = self.client.send_message(msg.room_id, msg.text, msg.client_id)
                except ApiError as exc:
                    if exc.transient or unreachable(exc) or exc.status == 401:
                        blocked = True
                        self._refusal = exc  # its Retry-After (a 429's, a 503's) sets the least wait
                        break  # this room waits for the next try; others may go on
                    with self._lock:
                        self._db.execute("UPDATE outbox SET state = 'failed', error = ? WHERE client_id = ?",
                                         (exc.message, str(msg.client_id)))
                    log.warning("message %s to room %s refused: %s", msg.client_id, msg.room_id, exc)
                    failed = PendingMessage(msg.client_id, msg.room_id, msg.text, msg.created_at, FAILED, exc.message)
                    safe_deliver(self.deliver, self.tag, MessageFailed(failed, exc))
                    continue
                except NetError as exc:  # offline, or an answer we could not read: the outcome is unknown
                    log.info("outbox: %s; will try again", exc)
                    return True
                with self._lock:
                    self._db.execute("DELETE FROM outbox WHERE client_id = ?", (str(msg.client_id),))
                safe_deliver(self.deliver, self.tag, MessageSent(msg, sent.message))
        return blocked


def _pending(row: tuple) -> PendingMessage:
    client_id, room_id, text, created_at, state, error = row
    return PendingMessage(uuid.UUID(client_id), room_id, text, dt.datetime.fromisoformat(created_at), state, error)
