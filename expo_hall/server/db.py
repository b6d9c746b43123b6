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
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    make_url,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# BIGINT on PostgreSQL; plain INTEGER on SQLite, where only that is the auto-incrementing rowid.
BigId = BigInteger().with_variant(Integer, "sqlite")
MAX_ID = 2**63 - 1  # the largest id either database can hold; larger ids in requests are refused
SCHEMA_LOCK = 7_243_001  # a PostgreSQL advisory lock: one process at a time creates tables and imports
_write_locks: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: DateTime(timezone=True), dict[str, Any]: JSON, list[Any]: JSON}


class FloorRow(Base):
    __tablename__ = "floors"
    floor_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)
    position: Mapped[int]
    doc: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime]


class ExhibitorRow(Base):
    __tablename__ = "exhibitors"
    exhibitor_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    present: Mapped[bool] = mapped_column(Boolean)
    doc: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime]


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    stand_id: Mapped[str | None] = mapped_column(ForeignKey("exhibitors.exhibitor_id"), index=True)
    available: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]  # the token no longer opens anything (kept: messages name the user)


class RevocationRow(Base):
    """Users whose tokens every server process must forget: revoked, or deleted (a trigger on `users` adds
    those, see `create_triggers`). Each process reads the rows added since its last look (auth.TokenCache)."""

    __tablename__ = "revocations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigId)  # no foreign key: the user may be gone
    at: Mapped[dt.datetime]


class RoomRow(Base):
    """A stand's public room (key "public:<stand>") or one visitor's conversation with it ("private:<stand>:<user>")."""

    __tablename__ = "rooms"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    stand_id: Mapped[str] = mapped_column(ForeignKey("exhibitors.exhibitor_id"))
    visitor_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]
    last_message_id: Mapped[int | None] = mapped_column(BigId)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (Index("ix_rooms_stand_last", "stand_id", "last_message_id"),)


class MessageRow(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    room_id: Mapped[int] = mapped_column(BigId, ForeignKey("rooms.id"))
    author_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))  # None: the stand's auto-answer
    author_name: Mapped[str] = mapped_column(Text)
    author_role: Mapped[str] = mapped_column(String(20))
    author_stand_id: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime]
    __table_args__ = (
        UniqueConstraint("author_id", "client_id", name="uq_messages_author_client"),  # idempotent sends
        Index("ix_messages_room_id", "room_id", "id"),
    )


class RouteRow(Base):
    __tablename__ = "routes"
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), primary_key=True)
    version: Mapped[int]
    planned: Mapped[list[Any]]
    updated_at: Mapped[dt.datetime]


class VisitRow(Base):
    __tablename__ = "visits"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stand_id: Mapped[str] = mapped_column(ForeignKey("exhibitors.exhibitor_id"))
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    at: Mapped[dt.datetime]
    __table_args__ = (Index("ix_visits_stand_user", "stand_id", "user_id"), Index("ix_visits_user", "user_id"))


class LeadRow(Base):
    """A visitor's contact details, shared with a stand by their own choice; sharing again updates the row."""

    __tablename__ = "leads"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stand_id: Mapped[str] = mapped_column(ForeignKey("exhibitors.exhibitor_id"))
    visitor_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]  # first shared
    updated_at: Mapped[dt.datetime]  # last shared (the lists are newest first by this)
    __table_args__ = (
        UniqueConstraint("stand_id", "visitor_id", name="uq_leads_stand_visitor"),  # one lead per visitor and stand
        Index("ix_leads_stand_updated", "stand_id", "updated_at"),
    )


class DownloadRow(Base):
    """A counted download of a stand's material file (a GET answered with its content: 200, or a 206 from byte 0),
    one per downloader and material a day: the downloader is the token's user, or else the client's address."""

    __tablename__ = "downloads"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stand_id: Mapped[str] = mapped_column(ForeignKey("exhibitors.exhibitor_id"))
    material_index: Mapped[int]
    at: Mapped[dt.datetime]
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))  # None: an anonymous download
    address: Mapped[str | None] = mapped_column(String(64))  # an anonymous download's client address, hashed
    __table_args__ = (
        Index("ix_downloads_stand", "stand_id", "material_index"),
        Index("ix_downloads_user", "user_id", "stand_id", "material_index", "at"),
        Index("ix_downloads_address", "address", "stand_id", "material_index", "at"),
    )


class HallModeratorRow(Base):
    """A moderator's hall of the forum floor: a user of role moderator moderates the Q&A of the events there."""

    __tablename__ = "hall_moderators"
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), primary_key=True)
    hall: Mapped[str] = mapped_column(String(200), primary_key=True)


class ProgrammeRow(Base):
    """The business programme as imported: the frab schedule (as frab JSON) and programme.toml's mapping; one row
    (id 1), replaced by each import, absent when the expo has no programme."""

    __tablename__ = "programmes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime]


class ProgrammeEventRow(Base):
    """A programme event by its frab guid: upserted by the importer and never deleted, only marked absent, so the
    questions and bookmarks that refer to it stay. `qa_seq` numbers its Q&A's changes (see server/questions.py)."""

    __tablename__ = "programme_events"
    guid: Mapped[str] = mapped_column(String(36), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)
    title: Mapped[str] = mapped_column(Text)
    starts: Mapped[dt.datetime]
    ends: Mapped[dt.datetime]
    qa_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime]


class BookmarkRow(Base):
    __tablename__ = "bookmarks"
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), primary_key=True)
    event_guid: Mapped[str] = mapped_column(ForeignKey("programme_events.guid"), primary_key=True)
    created_at: Mapped[dt.datetime]


class WebinarReminderRow(Base):
    """A stand webinar the user asked to be reminded of (their agenda's webinars: the calendar feed lists them
    with the bookmarked events). A webinar is known by its exhibitor, start and title, as the client's agenda
    knows it; one no longer in the stand's package is kept but not listed."""

    __tablename__ = "webinar_reminders"
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), primary_key=True)
    exhibitor_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    starts: Mapped[dt.datetime] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500), primary_key=True)
    created_at: Mapped[dt.datetime]


class CalendarFeedRow(Base):
    """The secret of a user's calendar feed URL (their agenda as .ics), stored hashed as tokens are."""

    __tablename__ = "calendar_feeds"
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]


class QuestionRow(Base):
    """A question to a programme event's speakers. `state`: queued (for the moderators), visible or archived
    (dismissed: never shown to visitors again); `shown`: it has been visible, so visitors are told of its removal;
    `seq`: the event's `qa_seq` at its last change (long polls read the changes after the seq they saw)."""

    __tablename__ = "questions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_guid: Mapped[str] = mapped_column(ForeignKey("programme_events.guid"))
    author_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean)  # the name is hidden from other visitors, not from moderators
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    shown: Mapped[bool] = mapped_column(Boolean, default=False)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    votes: Mapped[int] = mapped_column(Integer, default=0)
    seq: Mapped[int] = mapped_column(BigInteger)
    client_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[dt.datetime]
    edited_at: Mapped[dt.datetime | None]
    __table_args__ = (
        UniqueConstraint("author_id", "client_id", name="uq_questions_author_client"),  # idempotent asking
        Index("ix_questions_event_seq", "event_guid", "seq"),
    )


class QuestionVoteRow(Base):
    __tablename__ = "question_votes"
    question_id: Mapped[int] = mapped_column(BigId, ForeignKey("questions.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), primary_key=True)
    at: Mapped[dt.datetime]


class UploadRow(Base):
    """A file a representative uploaded for their stand, kept in the content store as `stored` (its sha256 and a
    suffix chosen from its real type); `name` is only for people (cleaned of any path), never a path on disk."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stand_id: Mapped[str] = mapped_column(ForeignKey("exhibitors.exhibitor_id"))
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))  # logo, video or material
    sha256: Mapped[str] = mapped_column(String(64))
    stored: Mapped[str] = mapped_column(String(90))
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime]
    __table_args__ = (Index("ix_uploads_stand_sha", "stand_id", "sha256"),)


class StandVersionRow(Base):
    """A published version of a stand's content (`content`: the exhibitor doc's fields a representative edits).
    `state`: in_review, live, rejected or replaced; `live_seq` numbers, across all stands, the moments a version
    went live: clients follow the changes after the one they saw."""

    __tablename__ = "stand_versions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stand_id: Mapped[str] = mapped_column(ForeignKey("exhibitors.exhibitor_id"))
    number: Mapped[int]
    author_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    live_seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    content: Mapped[dict[str, Any]]
    __table_args__ = (UniqueConstraint("stand_id", "number", name="uq_stand_versions_number"),
                      Index("ix_stand_versions_state", "state"))


floors, exhibitors, users, rooms = FloorRow.__table__, ExhibitorRow.__table__, UserRow.__table__, RoomRow.__table__
messages, routes, visits = MessageRow.__table__, RouteRow.__table__, VisitRow.__table__
leads, downloads, revocations = LeadRow.__table__, DownloadRow.__table__, RevocationRow.__table__
hall_moderators, programmes, programme_events = (HallModeratorRow.__table__, ProgrammeRow.__table__,
                                                 ProgrammeEventRow.__table__)
bookmarks, calendar_feeds = BookmarkRow.__table__, CalendarFeedRow.__table__
webinar_reminders = WebinarReminderRow.__table__
questions, question_votes = QuestionRow.__table__, QuestionVoteRow.__table__
uploads, stand_versions = UploadRow.__table__, StandVersionRow.__table__


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
