"""The stand webinars a user asked to be reminded of: their agenda's webinars, which the client sends so that the
calendar feed lists them with the bookmarked programme events. Kept by (exhibitor, start, title), as the client's
agenda knows them; those no stand holds any more are kept but not listed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, delete, insert, select

from expo_hall.server import db
from expo_hall.server.catalog import Catalog
from expo_hall.server.schemas import ReminderIn, WebinarOut

R = db.webinar_reminders.c


def reminded(engine: Engine, user_id: int, catalog: Catalog, now: dt.datetime) -> list[WebinarOut]:
    """The user's reminded webinars that stands hold now, by start."""
    with engine.connect() as conn:
        kept = {(ex_id, db.as_utc(starts), title) for ex_id, starts, title in
                conn.execute(select(R.exhibitor_id, R.starts, R.title).where(R.user_id == user_id))}
    return [w for w in catalog.programme(now)
            if (w.exhibitor_id, w.starts.astimezone(dt.UTC), w.title) in kept]


def write_reminders(engine: Engine, user_id: int, webinars: list[ReminderIn], now: dt.datetime) -> None:
    """Replace the user's reminded webinars."""
    chosen = {(w.exhibitor_id, w.starts.astimezone(dt.UTC), w.title) for w in webinars}
    with db.writing(engine) as conn:
        conn.execute(delete(db.webinar_reminders).where(R.user_id == user_id))
        if chosen:
            conn.execute(insert(db.webinar_reminders), [
                {"user_id": user_id, "exhibitor_id": ex_id, "starts": starts, "title": title, "created_at": now}
                for ex_id, starts, title in sorted(chosen)])
