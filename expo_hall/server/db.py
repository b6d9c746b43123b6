"""Tables and the engine: the same code for SQLite (WAL) and PostgreSQL.

Content (floors, exhibitors, programme events) is upserted by the importer and never deleted, only marked
absent, so chat, route, visit, question and bookmark rows that refer to it are never lost.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    make_url,
    text,
)

# BIGINT on PostgreSQL; plain INTEGER on SQLite, where only that is the auto-incrementing rowid.
BigId = BigInteger().with_variant(Integer, "sqlite")
UtcTime = DateTime(timezone=True)  # every stored time is UTC (see as_utc)
MAX_ID = 2**63 - 1  # the largest id either database can hold; larger ids in requests are refused
SCHEMA_LOCK = 7_243_001  # a PostgreSQL advisory lock: one process at a time creates tables and imports
_write_locks: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()

# The tables, in SQLAlchemy Core (no ORM: importing sqlalchemy.orm alone costs each process megabytes). Every column
# outside the primary key says whether it may be NULL (Core's default is nullable); a column with a foreign key and
# no type of its own takes the type of the column it refers to.
metadata = MetaData()

floors = Table(
    "floors", metadata,
    Column("floor_id", String(200), primary_key=True),
    Column("present", Boolean, nullable=False),
    Column("position", Integer, nullable=False),
    Column("doc", JSON, nullable=False),
    Column("updated_at", UtcTime, nullable=False),
)

exhibitors = Table(
    "exhibitors", metadata,
    Column("exhibitor_id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("present", Boolean, nullable=False),
    Column("doc", JSON, nullable=False),
    Column("updated_at", UtcTime, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("organisation", String(200), nullable=True),
    Column("email", String(254), nullable=True),
    Column("stand_id", ForeignKey("exhibitors.exhibitor_id"), nullable=True, index=True),
    Column("available", Boolean, nullable=False, default=False),
    Column("created_at", UtcTime, nullable=False),
    Column("revoked_at", UtcTime, nullable=True),  # the token no longer opens anything (kept: messages name the user)
)

# Users whose tokens every server process must forget: revoked, or deleted (a trigger on `users` adds those, see
# `create_triggers`). Each process reads the rows added since its last look (auth.TokenCache).
revocations = Table(
    "revocations", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigId, nullable=False),  # no foreign key: the user may be gone
    Column("at", UtcTime, nullable=False),
)

# A stand's public room (key "public:<stand>") or one visitor's conversation with it ("private:<stand>:<user>").
rooms = Table(
    "rooms", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("stand_id", ForeignKey("exhibitors.exhibitor_id"), nullable=False),
    Column("visitor_id", BigId, ForeignKey("users.id"), nullable=True),
    Column("created_at", UtcTime, nullable=False),
    Column("last_message_id", BigId, nullable=True),
    Column("message_count", Integer, nullable=False, default=0),
    Index("ix_rooms_stand_last", "stand_id", "last_message_id"),
)

messages = Table(
    "messages", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("room_id", BigId, ForeignKey("rooms.id"), nullable=False),
    Column("author_id", BigId, ForeignKey("users.id"), nullable=True),  # None: the stand's auto-answer
    Column("author_name", Text, nullable=False),
    Column("author_role", String(20), nullable=False),
    Column("author_stand_id", String(200), nullable=True),
    Column("text", Text, nullable=False),
    Column("client_id", String(36), nullable=True),
    Column("created_at", UtcTime, nullable=False),
    UniqueConstraint("author_id", "client_id", name="uq_messages_author_client"),  # idempotent sends
    Index("ix_messages_room_id", "room_id", "id"),
)

routes = Table(
    "routes", metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("planned", JSON, nullable=False),
    Column("updated_at", UtcTime, nullable=False),
)

visits = Table(
    "visits", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("stand_id", ForeignKey("exhibitors.exhibitor_id"), nullable=False),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False),
    Column("at", UtcTime, nullable=False),
    Index("ix_visits_stand_user", "stand_id", "user_id"),
    Index("ix_visits_user", "user_id"),
)

# A visitor's contact details, shared with a stand by their own choice; sharing again updates the row.
leads = Table(
    "leads", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("stand_id", ForeignKey("exhibitors.exhibitor_id"), nullable=False),
    Column("visitor_id", BigId, ForeignKey("users.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("organisation", String(200), nullable=True),
    Column("email", String(254), nullable=True),
    Column("phone", String(40), nullable=True),
    Column("note", Text, nullable=True),
    Column("created_at", UtcTime, nullable=False),  # first shared
    Column("updated_at", UtcTime, nullable=False),  # last shared (the lists are newest first by this)
    UniqueConstraint("stand_id", "visitor_id", name="uq_leads_stand_visitor"),  # one lead per visitor and stand
    Index("ix_leads_stand_updated", "stand_id", "updated_at"),
)

# A counted download of a stand's material file (a GET answered with its content: 200, or a 206 from byte 0),
# one per downloader and material a day: the downloader is the token's user, or else the client's address.
downloads = Table(
    "downloads", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("stand_id", ForeignKey("exhibitors.exhibitor_id"), nullable=False),
    Column("material_index", Integer, nullable=False),
    Column("at", UtcTime, nullable=False),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=True),  # None: an anonymous download
    Column("address", String(64), nullable=True),  # an anonymous download's client address, hashed
    Index("ix_downloads_stand", "stand_id", "material_index"),
    Index("ix_downloads_user", "user_id", "stand_id", "material_index", "at"),
    Index("ix_downloads_address", "address", "stand_id", "material_index", "at"),
)

# A moderator's hall of the forum floor: a user of role moderator moderates the Q&A of the events there.
hall_moderators = Table(
    "hall_moderators", metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("hall", String(200), primary_key=True),
)

# The business programme as imported: the frab schedule (as frab JSON) and programme.toml's mapping; one row
# (id 1), replaced by each import, absent when the expo has no programme.
programmes = Table(
    "programmes", metadata,
    Column("id", Integer, primary_key=True),
    Column("doc", JSON, nullable=False),
    Column("updated_at", UtcTime, nullable=False),
)

# A programme event by its frab guid: upserted by the importer and never deleted, only marked absent, so the
# questions and bookmarks that refer to it stay. `qa_seq` numbers its Q&A's changes (see server/questions.py).
programme_events = Table(
    "programme_events", metadata,
    Column("guid", String(36), primary_key=True),
    Column("present", Boolean, nullable=False),
    Column("title", Text, nullable=False),
    Column("starts", UtcTime, nullable=False),
    Column("ends", UtcTime, nullable=False),
    Column("qa_seq", BigInteger, nullable=False, default=0),
    Column("updated_at", UtcTime, nullable=False),
)

bookmarks = Table(
    "bookmarks", metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("event_guid", ForeignKey("programme_events.guid"), primary_key=True),
    Column("created_at", UtcTime, nullable=False),
)

# A stand webinar the user asked to be reminded of (their agenda's webinars: the calendar feed lists them with the
# bookmarked events). A webinar is known by its exhibitor, start and title, as the client's agenda knows it; one no
# longer in the stand's package is kept but not listed.
webinar_reminders = Table(
    "webinar_reminders", metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("exhibitor_id", String(200), primary_key=True),
    Column("starts", UtcTime, primary_key=True),
    Column("title", String(500), primary_key=True),
    Column("created_at", UtcTime, nullable=False),
)

# The secret of a user's calendar feed URL (their agenda as .ics), stored hashed as tokens are.
calendar_feeds = Table(
    "calendar_feeds", metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcTime, nullable=False),
)

# A question to a programme event's speakers. `state`: queued (for the moderators), visible or archived (dismissed:
# never shown to visitors again); `shown`: it has been visible, so visitors are told of its removal; `seq`: the
# event's `qa_seq` at its last change (long polls read the changes after the seq they saw).
questions = Table(
    "questions", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_guid", ForeignKey("programme_events.guid"), nullable=False),
    Column("author_id", BigId, ForeignKey("users.id"), nullable=False),
    Column("author_name", Text, nullable=False),
    Column("anonymous", Boolean, nullable=False),  # the name is hidden from other visitors, not from moderators
    Column("text", Text, nullable=False),
    Column("state", String(20), nullable=False),
    Column("shown", Boolean, nullable=False, default=False),
    Column("answered", Boolean, nullable=False, default=False),
    Column("pinned", Boolean, nullable=False, default=False),
    Column("votes", Integer, nullable=False, default=0),
    Column("seq", BigInteger, nullable=False),
    Column("client_id", String(36), nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("edited_at", UtcTime, nullable=True),
    UniqueConstraint("author_id", "client_id", name="uq_questions_author_client"),  # idempotent asking
    Index("ix_questions_event_seq", "event_guid", "seq"),
)

question_votes = Table(
    "question_votes", metadata,
    Column("question_id", BigId, ForeignKey("questions.id"), primary_key=True),
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("at", UtcTime, nullable=False),
)

# A file a representative uploaded for their stand, kept in the content store as `stored` (its sha256 and a suffix
# chosen from its real type); `name` is only for people (cleaned of any path), never a path on disk.
uploads = Table(
    "uploads", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("stand_id", ForeignKey("exhibitors.exhibitor_id"), nullable=False),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False),
    Column("kind", String(20), nullable=False),  # logo, video or material
    Column("sha256", String(64), nullable=False),
    Column("stored", String(90), nullable=False),
    Column("name", String(200), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Index("ix_uploads_stand_sha", "stand_id", "sha256"),
)

# A published version of a stand's content (`content`: the exhibitor doc's fields a representative edits).
# `state`: in_review, live, rejected or replaced; `live_seq` numbers, across all stands, the moments a version went
# live: clients follow the changes after the one they saw.
stand_versions = Table(
    "stand_versions", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("stand_id", ForeignKey("exhibitors.exhibitor_id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("author_id", BigId, ForeignKey("users.id"), nullable=False),
    Column("author_name", Text, nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("state", String(20), nullable=False),
    Column("reason", Text, nullable=True),
    Column("decided_at", UtcTime, nullable=True),
    Column("decided_by", BigId, ForeignKey("users.id"), nullable=True),
    Column("live_seq", BigInteger, nullable=True, unique=True),
    Column("content", JSON, nullable=False),
    UniqueConstraint("stand_id", "number", name="uq_stand_versions_number"),
    Index("ix_stand_versions_state", "state"),
)


def make_engine(url: str) -> Engine:
    """An engine with the pool and pragmas each backend needs; SQLite's folder is created on demand.

    Statement parameters are kept out of error messages (they hold token hashes, e-mail addresses...),
    so no log line or traceback shows them."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, pool_size=10, max_overflow=30, hide_parameters=True,
                           connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a power cut may lose the last commits
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    _write_locks[engine] = threading.Lock()
    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction. SQLite has one writer at a time: this process's writers queue on a lock
    rather than in SQLite's busy handler, which sleeps in steps of milliseconds."""
    lock = _write_locks.get(engine)
    if lock is None:
        with engine.begin() as conn:
            yield conn
        return
    with lock, engine.begin() as conn:
        yield conn


def is_postgres(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "postgresql"


def create_schema(conn: Connection) -> None:
    """Create the tables, or migrate them to the newest schema (Alembic: see migrate.py; the migration that made
    `revocations` installs the triggers below)."""
    from expo_hall.server.migrate import upgrade  # it reads this module's tables

    upgrade(conn)


# A deleted user's token must stop working in every process: the deletion is recorded as a revocation,
# however it was made (our code never deletes users; an administrator with SQL might).
_SQLITE_TRIGGERS = ["""
CREATE TRIGGER IF NOT EXISTS users_deleted_revoke AFTER DELETE ON users
BEGIN INSERT INTO revocations (user_id, at) VALUES (OLD.id, CURRENT_TIMESTAMP); END
"""]
_POSTGRES_TRIGGERS = ["""
CREATE OR REPLACE FUNCTION users_deleted_revoke() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO revocations (user_id, at) VALUES (OLD.id, now()); RETURN OLD; END $$
""", """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'users_deleted_revoke' AND tgrelid = 'users'::regclass) THEN
    CREATE TRIGGER users_deleted_revoke AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION users_deleted_revoke();
  END IF;
END $$
"""]


def create_triggers(conn: Connection) -> None:
    """The triggers the tables need (idempotent): called by the migration that creates `revocations`, and again by
    any later migration that has SQLite rebuild `users` (batch mode), which drops the table's triggers."""
    for statement in _POSTGRES_TRIGGERS if is_postgres(conn) else _SQLITE_TRIGGERS:
        conn.execute(text(statement))


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
