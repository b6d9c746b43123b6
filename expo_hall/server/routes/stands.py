"""Stand visits (recorded by visitors) and a stand's statistics (its representatives and organizers only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from expo_hall.server.auth import CurrentUser, forbid
from expo_hall.server.errors import responses
from expo_hall.server.ratelimits import limit_visits
from expo_hall.server.routes.content import Exhibitor
from expo_hall.server.schemas import Role, StandSeries, StandStats, VisitOut
from expo_hall.server.series import stand_series
from expo_hall.server.state import Server
from expo_hall.server.visits import record_visit, stand_stats

router = APIRouter(tags=["stands"])


@router.post("/exhibitors/{exhibitor_id}/visits", response_model=VisitOut, status_code=201,
             dependencies=[Depends(limit_visits)],
             responses={200: {"model": VisitOut, "description": "Within 30 minutes of the visitor's last counted "
                                                                "visit to the stand: that visit, not counted again"},
                        **responses(401, 403, 404, 422, 429)})
def visit(server: Server, who: CurrentUser, entry: Exhibitor, response: Response) -> VisitOut:
    """Record that the visitor opened the stand: a visit counts once per visitor and stand in 30 minutes."""
    if who.role is not Role.visitor:
        raise forbid("only visitors' visits are counted")
    visit, counted = record_visit(server.engine, entry.summary.exhibitor_id, who.id, server.settings.clock())
    if not counted:
        response.status_code = 200
    return visit


@router.get("/exhibitors/{exhibitor_id}/stats", response_model=StandStats, responses=responses(401, 403, 404, 422))
def stats(server: Server, who: CurrentUser, entry: Exhibitor) -> StandStats:
    """Visits, unique visitors, conversations, chat messages and material downloads of the stand."""
    stand_id = entry.summary.exhibitor_id
    if who.role is not Role.organizer and not who.represents(stand_id):
        raise forbid("only this stand's representatives and the organizers see its statistics")
    return stand_stats(server.engine, stand_id)


MSK_MINUTES = 180  # the fair's own time zone, Moscow


@router.get("/exhibitors/{exhibitor_id}/stats/series", response_model=StandSeries,
            responses=responses(401, 403, 404, 422))
def series(server: Server, who: CurrentUser, entry: Exhibitor,
           utc_offset: Annotated[int, Query(ge=-720, le=840, description="Minutes east of UTC the days and hours "
                                                                       "are counted in (default: Moscow)")]
           = MSK_MINUTES) -> StandSeries:
    """Visits, unique visitors, chat messages, downloads and leads per day; visits per hour; downloads per
    material."""
    if who.role is not Role.organizer and not who.represents(entry.summary.exhibitor_id):
        raise forbid("only this stand's representatives and the organizers see its statistics")
    return stand_series(server.engine, entry, utc_offset)

