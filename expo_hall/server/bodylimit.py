"""The request-body limit, applied before anything reads or parses a body: a thin ASGI layer in front of the app.

A declared Content-Length over the limit is refused at once, unread. A body without one (chunked) is read
here, counting, up to the limit, and refused as soon as it passes it; a body within the limit is handed on
whole. Either refusal is a 413 with the API's JSON error body; the connection is closed after it, so the
rest of the body is never read.

Uploads of stand files (`/api/v1/stand/uploads/<kind>`) have their kind's own limit (content/limits.py): a
larger Content-Length is refused here; a body is never gathered here, the route streams it to disk, counting.
"""

from __future__ import annotations

import re

from fastapi.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from expo_hall.content.limits import UPLOAD_MAX_BYTES

UPLOAD_PATH = re.compile(r"/api/v1/stand/uploads/([a-z]+)")


class BodyLimit:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    async def admit(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """The `receive` the app should use, or None when the request was refused (answered here)."""
        if scope["type"] != "http":
            return receive
        length: bytes | None = None
        chunked = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value
            elif name == b"transfer-encoding":
                chunked = True
        upload = UPLOAD_PATH.fullmatch(scope["path"])
        most = UPLOAD_MAX_BYTES.get(upload[1], self.max_bytes) if upload else self.max_bytes
        if length is not None and length.strip().isdigit():  # the HTTP server has checked that it is one number
            if int(length) > most:
                await self._refuse(scope, receive, send, most)
                return None
            return receive
        if upload:
            return receive  # streamed to disk by the route, which counts
        if not chunked:
            return receive  # no body
        return await self._read(scope, receive, send)

    async def _read(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: let the app see that
                return replay([message], receive)
            parts.append(message.get("body", b""))
            size += len(parts[-1])
            if size > self.max_bytes:
                await self._refuse(scope, receive, send, self.max_bytes)
                return None
            if not message.get("more_body", False):
                return replay([{"type": "http.request", "body": b"".join(parts), "more_body": False}], receive)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, most: int) -> None:
        detail = f"the request body is over this server's limit of {most} bytes"
        await JSONResponse({"detail": detail}, 413, headers={"connection": "close"})(scope, receive, send)


def replay(messages: list[Message], receive: Receive) -> Receive:
    """`receive` that first hands out `messages` (the body read already), then asks the server again."""

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay
