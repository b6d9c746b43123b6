"""Tokens and who holds them: random bearer tokens stored as sha256 hashes, each tied to one role."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, insert, select

from expo_hall.server import db
from expo_hall.server.schemas import MeOut, Role


@dataclass(frozen=True)
class Principal:
    """Who a token belongs to. Immutable fields only, so it may be cached."""

    id: int
    role: Role
    display_name: str
    organisation: str | None
    email: str | None
    stand_id: str | None

    def represents(self, stand_id: str) -> bool:
        return self.role is Role.representative and self.stand_id == stand_id


TOKEN_PREFIX = "exh_"


def new_token() -> str:
    """256 random bits, URL-safe. The prefix makes a token recognisable and keeps it from starting with '-',
    which a command line (`--token -abc…`) would take for an option."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """sha256 suffices: tokens carry 256 random bits, so there is nothing to brute-force."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_user(engine: Engine, role: Role, display_name: str, now: dt.datetime, *, stand_id: str | None = None,
                organisation: str | None = None, email: str | None = None) -> tuple[str, Principal]:
    """A new user and their token (the only time the token is seen in clear)."""
    token = new_token()
    with db.writing(engine) as conn:
        user_id = conn.execute(insert(db.users).values(
            token_hash=hash_token(token), role=role.value, display_name=display_name, organisation=organisation,
            email=email, stand_id=stand_id, available=False, created_at=now,
        ).returning(db.users.c.id)).scalar_one()
    return token, Principal(user_id, role, display_name, organisation, email, stand_id)


def me_out(engine: Engine, who: Principal) -> MeOut:
    with engine.connect() as conn:
        available = conn.execute(select(db.users.c.available).where(db.users.c.id == who.id)).scalar_one()
    return MeOut(id=who.id, role=who.role, display_name=who.display_name, organisation=who.organisation,
                 email=who.email, stand_id=who.stand_id, available=available)


class TokenCache:
    """Token -> Principal, so a long poll's authentication costs no database call (nor a hash)."""

    def __init__(self, engine: Engine, max_entries: int = 200_000) -> None:
        self.engine = engine
        self.max_entries = max_entries
        self._known: dict[str, Principal] = {}

    def cached(self, token: str) -> Principal | None:
        return self._known.get(token)

    async def lookup(self, token: str) -> Principal | None:
        who = self._known.get(token)
        if who is None:
            who = await run_in_threadpool(self._load, hash_token(token))
            if who is not None:
                if len(self._known) >= self.max_entries:
                    self._known.clear()
                self._known[token] = who
        return who

    def _load(self, key: str) -> Principal | None:
        u = db.users.c
        with self.engine.connect() as conn:
            row = conn.execute(select(u.id, u.role, u.display_name, u.organisation, u.email, u.stand_id)
                               .where(u.token_hash == key)).first()
        return None if row is None else Principal(row.id, Role(row.role), row.display_name, row.organisation,
                                                  row.email, row.stand_id)


_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/visitors or the organizer's CLI")


async def current_user(request: Request,
                       credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    if credentials is None:
        raise HTTPException(401, "an Authorization: Bearer token is required", {"WWW-Authenticate": "Bearer"})
    who = await request.app.state.server.tokens.lookup(credentials.credentials)
    if who is None:
        raise HTTPException(401, "unknown token", {"WWW-Authenticate": "Bearer"})
    return who


CurrentUser = Annotated[Principal, Depends(current_user)]


async def optional_user(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                                 Depends(_bearer)]) -> Principal | None:
    """Who sent a request to a public endpoint, when it carries a known token; None otherwise (never 401)."""
    return None if credentials is None else await request.app.state.server.tokens.lookup(credentials.credentials)


OptionalUser = Annotated[Principal | None, Depends(optional_user)]


def forbid(reason: str) -> HTTPException:
    return HTTPException(403, reason)
