"""Publishing endpoints: a representative uploads their stand's files and publishes versions of its content; an
organizer reviews versions (when the server runs with --review); clients follow stands going live."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool

from expo_hall.server.auth import CurrentUser, Principal, forbid
from expo_hall.server.db import MAX_ID
from expo_hall.server.errors import responses
from expo_hall.server.routes.content import Exhibitor
from expo_hall.server.schemas import (
    UPLOAD_NAME_MAX,
    PublishOut,
    ReviewIn,
    ReviewList,
    Role,
    StandChanges,
    StandIn,
    UploadKind,
    UploadOut,
    VersionList,
    VersionOut,
)
from expo_hall.server.state import Server
from expo_hall.server.uploads import accept, check_room, display_name, held_by, receive
from expo_hall.server.versions import CHANGES_KEY

router = APIRouter(tags=["publishing"])

UPLOAD_BODY = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
               "required": True, "description": "The file's bytes, as they are"}


def _stand(who: Principal, server: Server) -> str:
    if who.role is not Role.representative or not who.stand_id:
        raise forbid("only a stand's representatives publish its content")
    if who.stand_id not in server.catalog.exhibitors:
        raise HTTPException(404, f"the stand {who.stand_id!r} is not in the expo")
    return who.stand_id


def _organizer(who: Principal) -> None:
    if who.role is not Role.organizer:
        raise forbid("only organizers review stand versions")


@router.post("/stand/uploads/{kind}", response_model=UploadOut, status_code=201,
             openapi_extra={"requestBody": UPLOAD_BODY}, responses=responses(401, 403, 404, 413, 422))
async def upload(request: Request, server: Server, who: CurrentUser, kind: UploadKind,
                 name: Annotated[str, Query(min_length=1, max_length=1000,
                                            description="The file's name, for people: only its last part is kept, "
                                                        f"cleaned, at most {UPLOAD_NAME_MAX} characters")]
                 ) -> UploadOut:
    """A file for your stand (representatives): checked by its content, never its name (a logo PNG, JPEG or WebP;
    a video MP4 or WebM; a material PDF, a picture or an office document), within the kind's size limit and what
    the stand's uploads may hold together (413), stored under its sha256. Publish a version that refers to it by
    that sha256; an upload no live or waiting version uses is let go after a day."""
    stand_id = _stand(who, server)
    shown = display_name(name)
    folder = server.settings.content_dir
    assert folder is not None
    held = await run_in_threadpool(held_by, server.engine, folder, stand_id, server.settings.clock())
    received = await receive(request.stream(), folder, kind, shown)
    check_room(received, held, server.settings.stand_uploads_max, shown)
    return await run_in_threadpool(accept, server.engine, folder, received, kind, shown, stand_id, who.id,
                                   server.settings.clock())


@router.post("/stand/versions", response_model=PublishOut, status_code=201, responses=responses(401, 403, 404, 422))
async def publish(server: Server, who: CurrentUser, body: StandIn) -> PublishOut:
    """Publish your stand's content as its next version (representatives). It is checked as `expo-hall preview`
    checks a package: errors answer 422, each with its field, fault and fix. It goes live at once, or waits for
    an organizer's review when the server runs with --review."""
    stand_id = _stand(who, server)
    out = await run_in_threadpool(server.versions.publish, who, stand_id, body)
    server.notifier.publish(CHANGES_KEY, server.versions.seen)
    return out


@router.get("/stand/versions", response_model=VersionList, responses=responses(401, 403, 404))
def versions(server: Server, who: CurrentUser) -> VersionList:
    """Your stand's versions, newest first, each with its state (and an organizer's reason for a rejection)."""
    return server.versions.history(_stand(who, server))


@router.get("/exhibitors/{exhibitor_id}/versions", response_model=VersionList, responses=responses(401, 403, 404, 422))
def exhibitor_versions(server: Server, who: CurrentUser, entry: Exhibitor) -> VersionList:
    """A stand's versions, newest first (organizers, and the stand's representatives)."""
    stand_id = entry.summary.exhibitor_id
    if who.role is not Role.organizer and not who.represents(stand_id):
        raise forbid("only organizers and the stand's representatives see its versions")
    return server.versions.history(stand_id)


@router.get("/reviews", response_model=ReviewList, responses=responses(401, 403))
def reviews(server: Server, who: CurrentUser) -> ReviewList:
    """Versions waiting for review, oldest first (organizers)."""
    _organizer(who)
    return server.versions.waiting()


Number = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/exhibitors/{exhibitor_id}/versions/{number}/approve", response_model=VersionOut,
             responses=responses(401, 403, 404, 409, 422))
async def approve(server: Server, who: CurrentUser, entry: Exhibitor, number: Number,
                  body: ReviewIn | None = None) -> VersionOut:
    """The version waiting for review goes live (organizers); 409 when it is not waiting."""
    _organizer(who)
    out = await run_in_threadpool(server.versions.decide, who, entry.summary.exhibitor_id, number, True,
                                  body.reason if body else None)
    server.notifier.publish(CHANGES_KEY, server.versions.seen)
    return out


@router.post("/exhibitors/{exhibitor_id}/versions/{number}/reject", response_model=VersionOut,
             responses=responses(401, 403, 404, 409, 422))
async def reject(server: Server, who: CurrentUser, entry: Exhibitor, number: Number, body: ReviewIn) -> VersionOut:
    """The version waiting for review is refused, with the reason its representatives will read (organizers)."""
    _organizer(who)
    return await run_in_threadpool(server.versions.decide, who, entry.summary.exhibitor_id, number, False,
                                   body.reason)


@router.get("/expo/changes", response_model=StandChanges, responses=responses(422))
async def changes(server: Server,
                  after: Annotated[int, Query(ge=0, le=MAX_ID, description="The last seq seen (0: all)")] = 0,
                  timeout: Annotated[float, Query(ge=0, le=25, description="Seconds to hold the request when "
                                                                           "nothing is new")] = 25) -> StandChanges:
    """Long poll: stands whose published content went live after `after`, as soon as one does, else an empty
    list after `timeout` seconds. Ask for the stand (or the whole expo) again to see its content."""

    async def fetch() -> StandChanges | None:
        return await run_in_threadpool(server.versions.changes, after)

    wait = min(timeout, server.settings.poll_max_wait)
    found = await server.notifier.wait_for(CHANGES_KEY, after, fetch, wait, server.settings.poll_recheck)
    return found or StandChanges(changes=[], seq=max(after, server.versions.seen))
