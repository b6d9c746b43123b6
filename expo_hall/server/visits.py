"""The visitor's route (planned stands, with optimistic versioning), stand visits, material downloads and stand
statistics.

Statistics count people, not requests: a visit once per visitor and stand in `VISIT_WINDOW`, a download once
per downloader and material in `DOWNLOAD_WINDOW` (each window starting at the counted one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from fastapi import HTTPException
from sqlalchemy import Connection, Engine, Table, distinct, exists, func, insert, literal, select, text, update
from sqlalchemy.exc import IntegrityError

from expo_hall.server import db
from expo_hall.server.schemas import RouteOut, StandStats, VisitedStand, VisitOut

RT, V, R, D = db.routes.c, db.visits.c, db.rooms.c, db.downloads.c
VISIT_WINDOW = dt.timedelta(minutes=30)
DOWNLOAD_WINDOW = dt.timedelta(days=1)


def read_route(engine: Engine, user_id: int) -> RouteOut:
    with engine.connect() as conn:
        route = conn.execute(select(RT.version, RT.planned).where(RT.user_id == user_id)).first()
        visited = conn.execute(
            select(V.stand_id, func.min(V.at).label("first"), func.max(V.at).label("last"), func.count().label("n"))
            .where(V.user_id == user_id).group_by(V.stand_id).order_by(func.min(V.at), V.stand_id)).all()
    return RouteOut(
        version=route.version if route else 0, planned=list(route.planned) if route else [],
        visited=[VisitedStand(exhibitor_id=v.stand_id, first_at=db.as_utc(v.first), last_at=db.as_utc(v.last),
                              visits=v.n) for v in visited])


def write_route(engine: Engine, user_id: int, version: int, planned: list[str], now: dt.datetime) -> RouteOut:
    """Apply the change only if the stored route is still at `version` (compare-and-set in one statement)."""
    try:
        with db.writing(engine) as conn:
            if version == 0:  # a first route: the primary key refuses it when one exists already
                conn.execute(insert(db.routes).values(user_id=user_id, version=1, planned=planned, updated_at=now))
                changed = 1
            else:
                changed = conn.execute(update(db.routes).where(RT.user_id == user_id, RT.version == version)
                                       .values(version=version + 1, planned=planned, updated_at=now)).rowcount
    except IntegrityError:
        if version == 0 and read_route(engine, user_id).version == 0:
            raise  # no route was there to conflict with: a fault (the user is gone; errors.py answers)
        changed = 0
    if changed != 1:
        current = read_route(engine, user_id).version
        raise HTTPException(409, f"the route was changed elsewhere: it is at version {current}, not {version};"
                                 " read it again and reapply the change")
    return read_route(engine, user_id)


def record_visit(engine: Engine, stand_id: str, user_id: int, now: dt.datetime) -> tuple[VisitOut, bool]:
    """Count the visit, True; or, within `VISIT_WINDOW` of the visitor's last counted visit to the stand, count
    nothing and answer that visit, False."""
    with db.writing(engine) as conn:
        if insert_once(conn, db.visits, {"stand_id": stand_id, "user_id": user_id}, now, now - VISIT_WINDOW):
            return VisitOut(exhibitor_id=stand_id, at=now), True
        last = conn.execute(select(func.max(V.at)).where(V.stand_id == stand_id, V.user_id == user_id)).scalar_one()
    return VisitOut(exhibitor_id=stand_id, at=db.as_utc(last)), False


def record_download(engine: Engine, stand_id: str, index: int, now: dt.datetime, user_id: int | None,
                    address: str | None) -> bool:
    """Count a download of the material by this user (a request with their token) or else this client address,
    unless that one's last counted download of it is within `DOWNLOAD_WINDOW`. True when counted."""
    key: dict[str, Any] = {"stand_id": stand_id, "material_index": index, "user_id": user_id}
    if user_id is None:
        key["address"] = hashlib.sha256((address or "").encode()).hexdigest()  # the address itself is not kept
    with db.writing(engine) as conn:
        return insert_once(conn, db.downloads, key, now, now - DOWNLOAD_WINDOW)


def insert_once(conn: Connection, table: Table, key: dict[str, Any], at: dt.datetime, since: dt.datetime) -> bool:
    """Insert the row `key` at `at` unless the table has one with the same `key` after `since`; True when
    inserted. One INSERT ... SELECT ... WHERE NOT EXISTS (atomic on SQLite); on PostgreSQL, whose READ COMMITTED
    lets two such statements both insert, after a transaction-scoped advisory lock on the key."""
    if db.is_postgres(conn):
        digest = hashlib.sha256(repr((table.name, sorted(key.items()))).encode()).digest()[:8]
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int.from_bytes(digest, "big", signed=True)})
    values = {**key, "at": at}
    same = [table.c[name].is_(None) if value is None else table.c[name] == value for name, value in key.items()]
    row = select(*(literal(value, table.c[name].type) for name, value in values.items()))
    row = row.where(~exists().where(*same, table.c.at > since))
    return conn.execute(insert(table).from_select(list(values), row).returning(table.c.id)).first() is not None


def stand_stats(engine: Engine, stand_id: str) -> StandStats:
    with engine.connect() as conn:
        visits, unique = conn.execute(select(func.count(), func.count(distinct(V.user_id)))
                                      .where(V.stand_id == stand_id)).one()
        rooms = conn.execute(select(R.visitor_id.is_(None).label("public"), func.count(), func.sum(R.message_count))
                             .where(R.stand_id == stand_id).group_by(R.visitor_id.is_(None))).all()
        downloads = conn.execute(select(func.count()).where(D.stand_id == stand_id)).scalar_one()
    counts = {bool(public): (n, int(total or 0)) for public, n, total in rooms}
    return StandStats(exhibitor_id=stand_id, visits=visits, unique_visitors=unique,
                      conversations=counts.get(False, (0, 0))[0], public_messages=counts.get(True, (0, 0))[1],
                      private_messages=counts.get(False, (0, 0))[1], downloads=downloads)
