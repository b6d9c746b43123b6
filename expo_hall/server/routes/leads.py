"""Leads: a visitor shares their contact details with a stand, by their own choice; the stand's representatives
and the organizers read them. One lead per visitor and stand: sharing again updates it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from expo_hall.server import db
from expo_hall.server.auth import CurrentUser, forbid
from expo_hall.server.errors import responses
from expo_hall.server.routes.content import Exhibitor
from expo_hall.server.schemas import LeadIn, LeadList, LeadOut, Role
from expo_hall.server.state import Server

router = APIRouter(tags=["leads"])
L = db.leads.c
_COLUMNS = (L.id, L.stand_id, L.visitor_id, L.name, L.organisation, L.email, L.phone, L.note, L.created_at,
            L.updated_at)


def _out(row: Row) -> LeadOut:
    return LeadOut(id=row.id, exhibitor_id=row.stand_id, visitor_id=row.visitor_id, name=row.name,
                   organisation=row.organisation, email=row.email, phone=row.phone, note=row.note,
                   created_at=db.as_utc(row.created_at), updated_at=db.as_utc(row.updated_at))


def save_lead(engine: Engine, stand_id: str, visitor_id: int, body: LeadIn, now: dt.datetime) -> tuple[LeadOut, bool]:
    """Store the visitor's lead for the stand; True when it is new, False when an earlier one was updated."""
    values = {"name": body.name, "organisation": body.organisation, "email": body.email, "phone": body.phone,
              "note": body.note, "updated_at": now}
    mine = (L.stand_id == stand_id) & (L.visitor_id == visitor_id)
    created = False
    for _attempt in range(2):  # a concurrent first share may win the insert: then ours is an update
        try:
            with db.writing(engine) as conn:
                if not conn.execute(update(db.leads).where(mine).values(**values)).rowcount:
                    conn.execute(insert(db.leads).values(stand_id=stand_id, visitor_id=visitor_id, created_at=now,
                                                         **values))
                    created = True
            break
        except IntegrityError:
            created = False
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(mine)).one()
    return _out(row), created


def read_leads(engine: Engine, stand_id: str, limit: int) -> list[LeadOut]:
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLUMNS).where(L.stand_id == stand_id)
                            .order_by(L.updated_at.desc(), L.id.desc()).limit(limit)).all()
    return [_out(row) for row in rows]


@router.post("/exhibitors/{exhibitor_id}/leads", response_model=LeadOut, status_code=201,
             responses={200: {"model": LeadOut, "description": "The visitor had shared before: their lead, updated"},
                        **responses(401, 403, 404, 413, 422)})
def share_lead(server: Server, who: CurrentUser, entry: Exhibitor, body: LeadIn, response: Response) -> LeadOut:
    """A visitor shares their contact with the stand (name, organisation, e-mail, phone, a short note).
    Sharing again replaces what they shared before."""
    if who.role is not Role.visitor:
        raise forbid("only visitors share their contact with a stand")
    lead, created = save_lead(server.engine, entry.summary.exhibitor_id, who.id, body, server.settings.clock())
    if not created:
        response.status_code = 200
    return lead


@router.get("/exhibitors/{exhibitor_id}/leads", response_model=LeadList, responses=responses(401, 403, 404, 422))
def list_leads(server: Server, who: CurrentUser, entry: Exhibitor,
               limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> LeadList:
    """The contacts visitors shared with the stand, newest first (its representatives and the organizers)."""
    stand_id = entry.summary.exhibitor_id
    if who.role is not Role.organizer and not who.represents(stand_id):
        raise forbid("only this stand's representatives and the organizers read its leads")
    return LeadList(leads=read_leads(server.engine, stand_id, limit))
