"""Stand visits (recorded by visitors) and a stand's statistics (its representatives and organizers only)."""

from __future__ import annotations

from fastapi import APIRouter

from expo_hall.server.auth import CurrentUser, forbid
from expo_hall.server.errors import responses
from expo_hall.server.routes.content import Exhibitor, count_downloads
from expo_hall.server.schemas import Role, StandStats, VisitOut
from expo_hall.server.state import Server
from expo_hall.server.visits import record_visit, stand_stats

router = APIRouter(tags=["stands"])


@router.post("/exhibitors/{exhibitor_id}/visits", response_model=VisitOut, status_code=201,
             responses=responses(401, 403, 404, 422, 429))
def visit(server: Server, who: CurrentUser, entry: Exhibitor) -> VisitOut:
    """Record that the visitor opened the stand (each call is one visit)."""
    if who.role is not Role.visitor:
        raise forbid("only visitors' visits are counted")
    return record_visit(server.engine, entry.summary.exhibitor_id, who.id, server.settings.clock())


@router.get("/exhibitors/{exhibitor_id}/stats", response_model=StandStats, responses=responses(401, 403, 404, 422))
def stats(server: Server, who: CurrentUser, entry: Exhibitor) -> StandStats:
    """Visits, unique visitors, conversations, chat messages and material downloads of the stand."""
    stand_id = entry.summary.exhibitor_id
    if who.role is not Role.organizer and not who.represents(stand_id):
        raise forbid("only this stand's representatives and the organizers see its statistics")
    stats = stand_stats(server.engine, stand_id)
    return stats.model_copy(update={"downloads": count_downloads(server.engine, stand_id)})

