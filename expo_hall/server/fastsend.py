"""The send's fast lane: `POST /api/v1/rooms/{id}/messages` answered without FastAPI's routing, dependency solving
and response validation when everything about it is plain (a cached token and room, a JSON body that MessageIn
takes, within the rate limits). Anything else, and any failure of the post itself (it is idempotent by
`client_id`, so trying again is safe), goes on to the FastAPI route with the body replayed, which gives the
documented answer.

Measured reason: a send cost about 0.9 ms of Python, most of it FastAPI's work around the SQL (benchmarks/chat.py).
"""

from __future__ import annotations

import logging
import re

from starlette.types import Receive, Scope, Send

from expo_hall.server.bodylimit import replay
from expo_hall.server.chat import check_post
from expo_hall.server.db import MAX_ID
from expo_hall.server.fastpoll import bearer
from expo_hall.server.schemas import MessageIn
from expo_hall.server.state import ServerState

log = logging.getLogger("expo_hall.server")

_PATH = re.compile(r"/api/v1/rooms/([1-9][0-9]{0,18})/messages")
_HEADERS = [(b"content-type", b"application/json")]


class FastSend:
    def __init__(self, state: ServerState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """None when the send was answered here; else the `receive` the route should read the body from."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["query_string"]:
            return receive
        match = _PATH.fullmatch(scope["path"])
        if match is None:
            return receive
        token, room_id = bearer(scope["headers"]), int(match[1])
        who = self.state.tokens.cached(token) if token else None
        room = self.state.chat.cached_room(room_id) if room_id <= MAX_ID else None
        if who is None or room is None or not _json(scope["headers"]):
            return receive
        body, replay = await _body(receive)
        if body is None:
            return replay
        try:
            check_post(who, room)
            message = MessageIn.model_validate_json(body)
            client = scope.get("client")
            self.state.limiter.check("send", who.id, client[0] if client else None)
        except Exception:  # noqa: BLE001  # refused: the route says why (nothing was counted)
            return replay
        try:
            stored, created = await self.state.chat.post(room, who, message.text, message.client_id)
        except Exception:  # noqa: BLE001  # the route tries again (idempotent) and answers as documented
            return _replayed(body, receive)
        answer = stored.model_dump_json().encode()
        await send({"type": "http.response.start", "status": 201 if created else 200,
                    "headers": [*_HEADERS, (b"content-length", str(len(answer)).encode())]})
        await send({"type": "http.response.body", "body": answer})
        return None


def _json(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name == b"content-type":
            return value.split(b";")[0].strip().lower() == b"application/json"
    return False


async def _body(receive: Receive) -> tuple[bytes | None, Receive]:
    """The whole body (None when the client left first), and a `receive` that hands it out again."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None, replay([message], receive)
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            body = b"".join(parts)
            return body, _replayed(body, receive)


def _replayed(body: bytes, receive: Receive) -> Receive:
    return replay([{"type": "http.request", "body": body, "more_body": False}], receive)
