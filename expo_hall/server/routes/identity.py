"""Who you are: visitors register themselves; /me, a representative's availability and the personal route."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from sqlalchemy import update

from expo_hall.server import db
from expo_hall.server.auth import CurrentUser, create_user, forbid, me_out
from expo_hall.server.errors import responses
from expo_hall.server.schemas import MeOut, Role, RouteIn, RouteOut, StatusIn, TokenOut, VisitorIn
from expo_hall.server.state import Server
from expo_hall.server.visits import read_route, write_route

router = APIRouter(tags=["identity"])


@router.post("/visitors", response_model=TokenOut, status_code=201, responses=responses(422, 429))
def register_visitor(server: Server, body: VisitorIn) -> TokenOut:
    """Register a visitor; the answer holds their token."""
    token, who = create_user(server.engine, Role.visitor, body.display_name, server.settings.clock(),
                             organisation=body.organisation, email=body.email)
    return TokenOut(token=token, me=me_out(server.engine, who))


@router.get("/me", response_model=MeOut, responses=responses(401))
def me(server: Server, who: CurrentUser) -> MeOut:
    return me_out(server.engine, who)


@router.put("/me/status", response_model=MeOut, responses=responses(401, 403, 422))
def set_status(server: Server, who: CurrentUser, body: StatusIn) -> MeOut:
    """A representative is available (answering chats) or away; while none is, the stand's away message
    answers a visitor's first private message."""
    if who.role is not Role.representative:
        raise forbid("only representatives have an availability")
    with db.writing(server.engine) as conn:
        conn.execute(update(db.users).where(db.users.c.id == who.id).values(available=body.available))
    return me_out(server.engine, who)


@router.get("/me/route", response_model=RouteOut, responses=responses(401))
def get_route(server: Server, who: CurrentUser) -> RouteOut:
    """The planned stands in order (versioned) and the stands visited, with times."""
    return read_route(server.engine, who.id)


@router.put("/me/route", response_model=RouteOut, responses=responses(401, 409, 422))
def put_route(server: Server, who: CurrentUser, body: RouteIn) -> RouteOut:
    """Replace the planned stands; `version` must be the one last read, else 409 and nothing changes."""
    unknown = [ex_id for ex_id in body.planned if ex_id not in server.catalog.exhibitors]
    if unknown:
        raise HTTPException(422, f"unknown exhibitors in the route: {', '.join(map(repr, unknown[:5]))}")
    if len(set(body.planned)) != len(body.planned):
        raise HTTPException(422, "a stand is planned twice in the route")
    return write_route(server.engine, who.id, body.version, body.planned, server.settings.clock())
