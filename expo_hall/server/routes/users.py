"""The organizers' view of users: list them, and revoke a token (a lost or misused one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.concurrency import run_in_threadpool

from expo_hall.server.auth import CurrentUser, Principal, forbid
from expo_hall.server.db import MAX_ID
from expo_hall.server.errors import responses
from expo_hall.server.schemas import Role, UserList, UserOut
from expo_hall.server.state import Server
from expo_hall.server.users import list_users, revoke

router = APIRouter(tags=["users"])


def _check_organizer(who: Principal) -> None:
    if who.role is not Role.organizer:
        raise forbid("only organizers manage users")


@router.get("/users", response_model=UserList, responses=responses(401, 403, 422))
def users(server: Server, who: CurrentUser, role: Role | None = None,
          after: Annotated[int, Query(ge=0, le=MAX_ID, description="The last id of the previous page")] = 0,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> UserList:
    """Users by id, of one role or all (organizers only); tokens are never shown, only stored as hashes."""
    _check_organizer(who)
    found, more = list_users(server.engine, role, after, limit)
    return UserList(users=found, has_more=more)


@router.post("/users/{user_id}/revoke", response_model=UserOut, responses=responses(401, 403, 404, 422))
async def revoke_user(server: Server, who: CurrentUser, user_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> UserOut:
    """Revoke the user's token (organizers only): from now on it gets 401 from every server process within
    a second. Revoking again changes nothing. Messages the user wrote stay."""
    _check_organizer(who)
    user = await run_in_threadpool(revoke, server.engine, user_id, server.settings.clock())
    if user is None:
        raise HTTPException(404, f"no user {user_id}")
    server.tokens.forget([user_id])
    return user
