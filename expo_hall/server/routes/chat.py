"""Chat endpoints: rooms (a stand's public room, or a private conversation) with history, stream, long poll
and idempotent sends; a visitor's conversation with a stand; a representative's inbox."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import exists, select

from expo_hall.server import db
from expo_hall.server.auth import CurrentUser, forbid
from expo_hall.server.chat import RoomInfo, check_post, check_read
from expo_hall.server.db import MAX_ID
from expo_hall.server.errors import responses
from expo_hall.server.notify import inbox_key
from expo_hall.server.ratelimits import limit_sends
from expo_hall.server.routes.content import Exhibitor
from expo_hall.server.schemas import (
    ConversationList,
    ConversationOut,
    MessageIn,
    MessageOut,
    MessagePage,
    PresenceOut,
    Role,
)
from expo_hall.server.state import Server
from expo_hall.server.stream import EventStream

router = APIRouter(tags=["chat"])

RoomId = Annotated[int, Path(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
Timeout = Annotated[float, Query(ge=0, le=25, description="Seconds to hold the request when nothing is new "
                                                          "(the server may cap it lower)")]
ROOM_ERRORS = responses(401, 404, 422)  # another visitor's conversation is a 404, as a room that does not exist


async def _room(server: Server, room_id: int) -> RoomInfo:
    return await server.chat.room(room_id)


@router.get("/rooms/{room_id}/messages", response_model=MessagePage, responses=ROOM_ERRORS)
async def history(server: Server, who: CurrentUser, room_id: RoomId, limit: Limit = 50,
                  before: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only ids below this")] = None,
                  ) -> MessagePage:
    """The newest `limit` messages below `before` (all when absent), oldest first."""
    room = await _room(server, room_id)
    check_read(who, room)
    return await run_in_threadpool(server.chat.history, room, before, limit)


@router.get("/rooms/{room_id}/poll", response_model=MessagePage, responses=ROOM_ERRORS)
async def poll(server: Server, who: CurrentUser, room_id: RoomId, limit: Limit = 100,
               after: Annotated[int, Query(ge=0, le=MAX_ID, description="The last message id seen")] = 0,
               timeout: Timeout = 25) -> Response:
    """Long poll: messages after `after`, oldest first, at once if there are any, else as soon as one is
    posted, else an empty page after `timeout` seconds."""
    room = await _room(server, room_id)
    check_read(who, room)
    return Response(await server.chat.poll(room, after, limit, timeout), media_type="application/json")


LastEventId = Annotated[int | None, Header(ge=0, le=MAX_ID, description="Resuming: the last event's id (wins over "
                                                                        "`after`)")]


def stream_answer(kind: str, position: str, schema: str) -> dict[int | str, dict[str, Any]]:
    """The documented 200 of an event stream whose events are `event: kind`, `id` the position, `data` a `schema`."""
    return {200: {"description": f"Server-sent events: `id` {position}, `event: {kind}`, `data` a {schema} (JSON); "
                                 "comment lines keep a quiet stream open",
                  "content": {"text/event-stream": {"schema": {
                      "type": "object", "required": ["data"],
                      "properties": {"event": {"const": kind}, "id": {"type": "string"},
                                     "data": {"type": "string", "contentMediaType": "application/json",
                                              "contentSchema": {"$ref": f"#/components/schemas/{schema}"}}}}}}}}


@router.get("/rooms/{room_id}/stream", response_class=Response,
            responses={**stream_answer("messages", "the last message id", "MessagePage"), **ROOM_ERRORS})
async def stream(server: Server, who: CurrentUser, room_id: RoomId,
                 after: Annotated[int, Query(ge=0, le=MAX_ID, description="The last message id seen")] = 0,
                 last_event_id: LastEventId = None) -> EventStream:
    """The room's messages after `after` as a stream, at once and then as they are posted, until the server
    closes it (after some minutes: resume with Last-Event-ID) or the token is revoked. Where streams cannot pass
    (a buffering proxy), long-poll `/poll` instead."""
    room = await _room(server, room_id)
    check_read(who, room)
    return EventStream(server.hub, room.id, None, last_event_id if last_event_id is not None else after,
                       server.settings.stream_max_wait, lambda: server.tokens.holds(who.id))


@router.post("/rooms/{room_id}/messages", response_model=MessageOut, status_code=201,
             dependencies=[Depends(limit_sends)],
             responses={200: {"model": MessageOut, "description": "A retried send: the message posted before"},
                        **responses(401, 403, 404, 409, 413, 422, 429)})
async def send(server: Server, who: CurrentUser, room_id: RoomId, body: MessageIn, response: Response) -> MessageOut:
    """Post a message (plain text: see `text`). Idempotent by `client_id`."""
    room = await _room(server, room_id)
    check_post(who, room)
    message, created = await server.chat.post(room, who, body.text, body.client_id)
    if not created:
        response.status_code = 200
    return message


@router.post("/exhibitors/{exhibitor_id}/conversation", response_model=ConversationOut,
             responses=responses(401, 403, 404, 422))
def open_conversation(server: Server, who: CurrentUser, entry: Exhibitor) -> ConversationOut:
    """The visitor's private conversation with the stand (created on first call); post to its room."""
    if who.role is not Role.visitor:
        raise forbid("only visitors open conversations with a stand")
    return server.chat.conversation(entry.summary.exhibitor_id, who)


def _check_inbox(who: CurrentUser, stand_id: str) -> None:
    if not who.represents(stand_id):
        raise forbid("only this stand's representatives read its conversations")


@router.get("/exhibitors/{exhibitor_id}/conversations", response_model=ConversationList,
            responses=responses(401, 403, 404, 422))
def inbox(server: Server, who: CurrentUser, entry: Exhibitor, limit: Limit = 100) -> ConversationList:
    """The stand's private conversations, most recently active first (representatives of the stand)."""
    _check_inbox(who, entry.summary.exhibitor_id)
    return ConversationList(conversations=server.chat.inbox(entry.summary.exhibitor_id, None, limit))


@router.get("/exhibitors/{exhibitor_id}/conversations/poll", response_model=ConversationList,
            responses=responses(401, 403, 404, 422))
async def poll_inbox(server: Server, who: CurrentUser, entry: Exhibitor, limit: Limit = 100,
                     after: Annotated[int, Query(ge=0, le=MAX_ID, description="The last message id seen")] = 0,
                     timeout: Timeout = 25) -> ConversationList:
    """Long poll of the inbox: conversations with a message after `after`, as soon as there is one."""
    stand_id = entry.summary.exhibitor_id
    _check_inbox(who, stand_id)

    async def fetch() -> list[ConversationOut] | None:
        found = await run_in_threadpool(server.chat.inbox, stand_id, after, limit)
        if found and len(found) < limit:
            server.notifier.seen(inbox_key(stand_id), max(c.last_message_id or 0 for c in found))
        return found or None

    wait = min(timeout, server.settings.poll_max_wait)
    found = await server.notifier.wait_for(inbox_key(stand_id), after, fetch, wait, server.settings.poll_recheck)
    return ConversationList(conversations=found or [])


@router.get("/exhibitors/{exhibitor_id}/presence", response_model=PresenceOut, responses=responses(404, 422))
def presence(server: Server, entry: Exhibitor) -> PresenceOut:
    """Whether any of the stand's representatives answers chats now (public, as the stand's content is)."""
    stand_id, users = entry.summary.exhibitor_id, db.users.c
    someone = select(exists().where(users.stand_id == stand_id, users.available.is_(True),
                                    users.role == Role.representative.value))
    with server.engine.connect() as conn:
        return PresenceOut(exhibitor_id=stand_id, available=bool(conn.execute(someone).scalar()))
