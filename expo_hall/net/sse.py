"""Reading server-sent events (the chat's stream) from a response's chunks, as the HTML standard describes them."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import requests


@dataclass(frozen=True)
class Event:
    id: str | None  # the last id given so far in the stream, as the standard keeps it
    name: str
    data: str


def events(chunks: Iterable[bytes]) -> Iterator[Event | None]:
    """Each event as it ends (a blank line after data lines); None for every chunk with no complete event, so a
    reader sees that bytes arrived (comments keep a quiet stream open)."""
    buffer, last_id, name, data = b"", None, "message", []
    for chunk in chunks:
        buffer += chunk
        *lines, buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        done = False
        for raw in lines:
            line = raw.decode("utf-8", "replace")
            if not line:
                if data:
                    yield Event(last_id, name, "\n".join(data))
                    done = True
                name, data = "message", []
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "data":
                data.append(value)
            elif field == "event":
                name = value or "message"
            elif field == "id" and "\0" not in value:
                last_id = value
        if not done:
            yield None


def response_socket(response: requests.Response) -> socket.socket | None:
    """The socket a streamed response is read from (to cut it from another thread), when urllib3 shows it."""
    connection = getattr(response.raw, "connection", None) or getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    return sock if isinstance(sock, socket.socket) else None


def cut(sock: socket.socket | None) -> None:
    """End a blocking read on `sock` from another thread (closing alone does not wake it)."""
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
