"""The request-body limit, applied before anything reads or parses a body: a thin ASGI layer in front of the app.

A declared Content-Length over the limit is refused at once, unread. A body without one (chunked) is read
here, counting, up to the limit, and refused as soon as it passes it; a body within the limit is handed on
whole. Either refusal is a 413 with the API's JSON error body; the connection is closed after it, so the
rest of the body is never read.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send


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
        if length is not None and length.strip().isdigit():  # the HTTP server has checked that it is one number
            if int(length) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return None
            return receive
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
                await self._refuse(scope, receive, send)
                return None
            if not message.get("more_body", False):
                return replay([{"type": "http.request", "body": b"".join(parts), "more_body": False}], receive)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"the request body is over this server's limit of {self.max_bytes} bytes"
        await JSONResponse({"detail": detail}, 413, headers={"connection": "close"})(scope, receive, send)


def replay(messages: list[Message], receive: Receive) -> Receive:
    """`receive` that first hands out `messages` (the body read already), then asks the server again."""

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay
