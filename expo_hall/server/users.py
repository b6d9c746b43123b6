"""Users as the organizers manage them, from the command line and the API: listing, and revoking a token."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, Row, insert, select, update

from expo_hall.server import db
from expo_hall.server.auth import hash_token
from expo_hall.server.schemas import Role, UserOut

U, H = db.users.c, db.hall_moderators.c
_COLUMNS = (U.id, U.role, U.display_name, U.organisation, U.stand_id, U.created_at, U.revoked_at)


def _out(conn: Connection, rows: list[Row]) -> list[UserOut]:
    moderators = [row.id for row in rows if row.role == Role.moderator.value]
    halls: dict[int, list[str]] = {}
    if moderators:
        for user_id, hall in conn.execute(select(H.user_id, H.hall).where(H.user_id.in_(moderators))
                                          .order_by(H.user_id, H.hall)):
            halls.setdefault(user_id, []).append(hall)
    return [UserOut(id=row.id, role=Role(row.role), display_name=row.display_name, organisation=row.organisation,
                    stand_id=row.stand_id, halls=halls.get(row.id, []), created_at=db.as_utc(row.created_at),
                    revoked_at=None if row.revoked_at is None else db.as_utc(row.revoked_at)) for row in rows]


def list_users(engine: Engine, role: Role | None = None, after: int = 0, limit: int | None = None,
               ) -> tuple[list[UserOut], bool]:
    """Users with ids above `after`, by id, at most `limit` (all when None); and whether more follow."""
    query = select(*_COLUMNS).where(U.id > after).order_by(U.id)
    if role is not None:
        query = query.where(U.role == role.value)
    if limit is not None:
        query = query.limit(limit + 1)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        more = limit is not None and len(rows) > limit
        return _out(conn, rows[:limit]), more


def get_user(engine: Engine, user_id: int) -> UserOut | None:
    with engine.connect() as conn:
        return next(iter(_out(conn, conn.execute(select(*_COLUMNS).where(U.id == user_id)).all())), None)


def user_with_token(engine: Engine, token: str) -> UserOut | None:
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLUMNS).where(U.token_hash == hash_token(token.strip()))).all()
        return next(iter(_out(conn, rows)), None)


def revoke(engine: Engine, user_id: int, now: dt.datetime) -> UserOut | None:
    """Revoke the user's token for good (a representative is marked away too); None for an unknown user.
    Revoking again changes nothing. Every server process forgets the token within `token_recheck` seconds."""
    with db.writing(engine) as conn:
        if conn.execute(update(db.users).where(U.id == user_id, U.revoked_at.is_(None))
                        .values(revoked_at=now, available=False)).rowcount:
            conn.execute(insert(db.revocations).values(user_id=user_id, at=now))
    return get_user(engine, user_id)
