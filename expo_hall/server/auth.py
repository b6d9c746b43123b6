"""Tokens and who holds them: random bearer tokens stored as sha256 hashes, each tied to one role."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, func, insert, select

from expo_hall.server import db
from expo_hall.server.schemas import MeOut, Role

log = logging.getLogger("expo_hall.server")

@dataclass(frozen=True)
class Principal:
    """Who a token belongs to. Immutable fields only, so it may be cached."""

    id: int
    role: Role
    display_name: str
    organisation: str | None
    email: str | None
    stand_id: str | None
    halls: frozenset[str] = frozenset()  # a moderator's halls of the forum floor

    def represents(self, stand_id: str) -> bool:
        return self.role is Role.representative and self.stand_id == stand_id

    def moderates(self, hall: str | None) -> bool:
        """Whether this user moderates the Q&A of an event in `hall`: organizers everywhere, moderators in their
        halls."""
        return self.role is Role.organizer or (self.role is Role.moderator and hall is not None and hall in self.halls)


TOKEN_PREFIX = "exh_"


def new_token() -> str:
    """256 random bits, URL-safe. The prefix makes a token recognisable and keeps it from starting with '-',
    which a command line (`--token -abc…`) would take for an option."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """sha256 suffices: tokens carry 256 random bits, so there is nothing to brute-force."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_user(engine: Engine, role: Role, display_name: str, now: dt.datetime, *, stand_id: str | None = None,
                organisation: str | None = None, email: str | None = None, halls: Iterable[str] = (),
                ) -> tuple[str, Principal]:
    """A new user and their token (the only time the token is seen in clear); `halls`: a moderator's."""
    token = new_token()
    halls = frozenset(halls)
    with db.writing(engine) as conn:
        user_id = conn.execute(insert(db.users).values(
            token_hash=hash_token(token), role=role.value, display_name=display_name, organisation=organisation,
            email=email, stand_id=stand_id, available=False, created_at=now,
        ).returning(db.users.c.id)).scalar_one()
        if halls:
            conn.execute(insert(db.hall_moderators), [{"user_id": user_id, "hall": hall} for hall in sorted(halls)])
    return token, Principal(user_id, role, display_name, organisation, email, stand_id, halls)


def me_out(engine: Engine, who: Principal) -> MeOut:
    """The user's own view; NoResultFound when their row is gone (the error handler answers 401 then)."""
    with engine.connect() as conn:
        available = conn.execute(select(db.users.c.available).where(db.users.c.id == who.id)).scalar_one()
    return MeOut(id=who.id, role=who.role, display_name=who.display_name, organisation=who.organisation,
                 email=who.email, stand_id=who.stand_id, available=available, halls=sorted(who.halls))


class TokenCache:
    """Token -> Principal, so a long poll's authentication costs no database call (nor a hash).

    Revoked and deleted users leave the cache of every server process: each one reads the `revocations`
    rows added since its last look every `recheck` seconds (`watch`, run by the app), and a process that
    revokes forgets at once. Only the event loop's thread touches the dictionaries.
    """

    def __init__(self, engine: Engine, max_entries: int = 200_000) -> None:
        self.engine = engine
        self.max_entries = max_entries
        self._known: dict[str, Principal] = {}
        self._token_of: dict[int, str] = {}  # user id -> their cached token
        self._seen = (0, 0)  # the revocations read so far: their count and largest id
        self._generation = 0  # bumped by every forgetting, so a lookup racing one does not cache

    def cached(self, token: str) -> Principal | None:
        return self._known.get(token)

    def holds(self, user_id: int) -> bool:
        """The user's token is cached: not revoked since it was looked up (or the cache was emptied when full)."""
        return user_id in self._token_of

    async def lookup(self, token: str) -> Principal | None:
        who = self._known.get(token)
        if who is None:
            generation = self._generation
            who = await run_in_threadpool(self._load, hash_token(token))
            if who is not None and generation == self._generation:
                if len(self._known) >= self.max_entries:
                    self._known.clear()
                    self._token_of.clear()
                self._known[token] = who
                self._token_of[who.id] = token
        return who

    def forget(self, user_ids: Iterable[int] | None) -> None:
        """Drop these users' tokens (None: everyone's)."""
        self._generation += 1
        if user_ids is None:
            self._known.clear()
            self._token_of.clear()
            return
        for user_id in user_ids:
            token = self._token_of.pop(user_id, None)
            if token is not None:
                self._known.pop(token, None)

    async def still_valid(self, user_id: int) -> bool:
        """Ask the database whether the user still exists unrevoked (after a fault that may mean they are
        gone); forget their token if not."""
        alive = await run_in_threadpool(self._alive, user_id)
        if not alive:
            self.forget([user_id])
        return alive

    def _alive(self, user_id: int) -> bool:
        u = db.users.c
        with self.engine.connect() as conn:
            return conn.execute(select(u.id).where(u.id == user_id, u.revoked_at.is_(None))).first() is not None

    async def watch(self, recheck: float) -> None:
        """Forget revoked and deleted users as other processes record them, forever (run as a task)."""
        failing = False
        while True:
            try:
                news = await run_in_threadpool(self._read_revocations)
                if news is not None:
                    self._seen, user_ids = news
                    self.forget(user_ids)
                failing = False
            except Exception as exc:  # noqa: BLE001  # the database is away: try again, say so once
                if not failing:
                    log.warning("cannot read token revocations (%s); retrying", type(exc).__name__)
                failing = True
            await asyncio.sleep(recheck)

    def _read_revocations(self) -> tuple[tuple[int, int], list[int] | None] | None:
        """None when nothing changed; else the new (count, largest id) and the users revoked since, or None
        for "forget everyone" when rows appeared below the largest id seen (a transaction committed late)."""
        r = db.revocations.c
        with self.engine.connect() as conn:
            count, largest = conn.execute(select(func.count(), func.coalesce(func.max(r.id), 0))).one()
            if (count, largest) == self._seen:
                return None
            seen_count, seen_largest = self._seen
            user_ids = list(conn.execute(select(r.user_id).where(r.id > seen_largest, r.id <= largest)).scalars())
        exact = len(user_ids) == count - seen_count
        return (count, largest), user_ids if exact else None

    def _load(self, key: str) -> Principal | None:
        u = db.users.c
        with self.engine.connect() as conn:
            row = conn.execute(select(u.id, u.role, u.display_name, u.organisation, u.email, u.stand_id)
                               .where(u.token_hash == key, u.revoked_at.is_(None))).first()
            role = None if row is None else Role(row.role)
            halls = frozenset(conn.execute(select(db.hall_moderators.c.hall)
                                           .where(db.hall_moderators.c.user_id == row.id)).scalars()
                              ) if role is Role.moderator else frozenset()
        return None if row is None else Principal(row.id, role, row.display_name, row.organisation, row.email,
                                                  row.stand_id, halls)


_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/visitors or the organizer's CLI")


async def current_user(request: Request,
                       credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    if credentials is None:
        raise HTTPException(401, "an Authorization: Bearer token is required", {"WWW-Authenticate": "Bearer"})
    who = await request.app.state.server.tokens.lookup(credentials.credentials)
    if who is None:
        raise HTTPException(401, "unknown token", {"WWW-Authenticate": "Bearer"})
    request.state.principal = who  # for the error handlers: a fault may mean the user is gone (errors.py)
    return who


CurrentUser = Annotated[Principal, Depends(current_user)]


async def optional_user(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                                 Depends(_bearer)]) -> Principal | None:
    """Who sent a request to a public endpoint, when it carries a known token; None otherwise (never 401)."""
    return None if credentials is None else await request.app.state.server.tokens.lookup(credentials.credentials)


OptionalUser = Annotated[Principal | None, Depends(optional_user)]


def forbid(reason: str) -> HTTPException:
    return HTTPException(403, reason)
