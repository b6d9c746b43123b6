"""A user's bookmarked programme events, with the overlaps among them, and the secret URL of their calendar feed.

Bookmarks refer to events by guid, so they outlive a re-import; those of events no longer in the programme are
kept but not listed. The feed's secret is stored hashed, like tokens, and a revoked user's feed stops answering.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Engine, delete, insert, select

from expo_hall.programme.timetable import conflicts, overlap
from expo_hall.server import db
from expo_hall.server.auth import hash_token
from expo_hall.server.catalog import API
from expo_hall.server.programme import ServedProgramme
from expo_hall.server.schemas import BookmarksOut, CalendarFeedOut, ConflictOut

B, F, U = db.bookmarks.c, db.calendar_feeds.c, db.users.c
FEED_PREFIX = "cal_"


def bookmarked(engine: Engine, user_id: int, served: ServedProgramme | None) -> list[str]:
    """The guids of the user's bookmarked events that are in the programme, by start."""
    with engine.connect() as conn:
        guids = set(conn.execute(select(B.event_guid).where(B.user_id == user_id)).scalars())
    return [guid for guid in (served.events if served else ()) if guid in guids]


def read_bookmarks(engine: Engine, user_id: int, served: ServedProgramme | None) -> BookmarksOut:
    guids = bookmarked(engine, user_id, served)
    events = [served.events[g] for g in guids] if served else []
    return BookmarksOut(events=guids, conflicts=[
        ConflictOut(first=a.guid, second=b.guid, overlap_minutes=int(overlap(a, b).total_seconds() // 60))
        for a, b in conflicts(events)])


def write_bookmarks(engine: Engine, user_id: int, guids: list[str], served: ServedProgramme | None,
                    now: dt.datetime) -> BookmarksOut:
    """Replace the user's bookmarks with `guids` (events of the programme: the caller checks)."""
    chosen = list(dict.fromkeys(g.lower() for g in guids))
    with db.writing(engine) as conn:
        conn.execute(delete(db.bookmarks).where(B.user_id == user_id))
        if chosen:
            conn.execute(insert(db.bookmarks), [{"user_id": user_id, "event_guid": g, "created_at": now}
                                                for g in chosen])
    return read_bookmarks(engine, user_id, served)


def new_feed(engine: Engine, user_id: int, now: dt.datetime) -> CalendarFeedOut:
    """A new secret for the user's calendar feed; the last one stops working."""
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    with db.writing(engine) as conn:
        conn.execute(delete(db.calendar_feeds).where(F.user_id == user_id))
        conn.execute(insert(db.calendar_feeds).values(user_id=user_id, token_hash=hash_token(secret), created_at=now))
    return CalendarFeedOut(url=f"{API}/programme/calendar/{secret}.ics")


def feed_owner(engine: Engine, secret: str) -> int | None:
    """The user whose feed this secret opens, unless their token was revoked."""
    with engine.connect() as conn:
        return conn.execute(select(F.user_id).join(db.users, U.id == F.user_id)
                            .where(F.token_hash == hash_token(secret), U.revoked_at.is_(None))).scalar()
