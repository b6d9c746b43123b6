"""The visitor's route (planned stands, with optimistic versioning), stand visits and stand statistics."""

from __future__ import annotations

import datetime as dt

from fastapi import HTTPException
from sqlalchemy import Engine, distinct, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from expo_hall.server import db
from expo_hall.server.schemas import RouteOut, StandStats, VisitedStand, VisitOut

RT, V, R = db.routes.c, db.visits.c, db.rooms.c


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


def record_visit(engine: Engine, stand_id: str, user_id: int, now: dt.datetime) -> VisitOut:
    with db.writing(engine) as conn:
        conn.execute(insert(db.visits).values(stand_id=stand_id, user_id=user_id, at=now))
    return VisitOut(exhibitor_id=stand_id, at=now)


def stand_stats(engine: Engine, stand_id: str) -> StandStats:
    with engine.connect() as conn:
        visits, unique = conn.execute(select(func.count(), func.count(distinct(V.user_id)))
                                      .where(V.stand_id == stand_id)).one()
        rooms = conn.execute(select(R.visitor_id.is_(None).label("public"), func.count(), func.sum(R.message_count))
                             .where(R.stand_id == stand_id).group_by(R.visitor_id.is_(None))).all()
    counts = {bool(public): (n, int(total or 0)) for public, n, total in rooms}
    return StandStats(exhibitor_id=stand_id, visits=visits, unique_visitors=unique,
                      conversations=counts.get(False, (0, 0))[0], public_messages=counts.get(True, (0, 0))[1],
                      private_messages=counts.get(False, (0, 0))[1])
