"""What every request handler reaches through `Server`: settings, engine, content (also as one answer), chat
(and its streams), tokens, limits, the programme with its Q&A, and published stand versions."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from expo_hall.server.auth import TokenCache
from expo_hall.server.bulk import ExpoAnswer
from expo_hall.server.catalog import Catalog
from expo_hall.server.chat import Chat
from expo_hall.server.notify import Notifier
from expo_hall.server.programme import ServedProgramme
from expo_hall.server.questions import Questions
from expo_hall.server.ratelimits import RateLimiter
from expo_hall.server.settings import Settings
from expo_hall.server.stream import Hub

if TYPE_CHECKING:
    from expo_hall.server.versions import Versions

VERSION = "1"


@dataclass
class ServerState:
    settings: Settings
    engine: Engine
    catalog: Catalog
    notifier: Notifier
    chat: Chat
    tokens: TokenCache
    limiter: RateLimiter
    programme: ServedProgramme | None  # None: the expo has no programme
    questions: Questions
    expo: ExpoAnswer  # the whole content in one answer
    versions: Versions  # stand versions published by representatives, and their review
    hub: Hub  # the chat's streams
    qa_hub: Hub  # the Q&A's streams
    loop: asyncio.AbstractEventLoop | None = None  # the one serving, once it runs (for `closing` from a thread)

    def closing(self) -> None:
        """The server is stopping: held long polls and streams answer and end now (in the serving loop)."""
        self.notifier.close()
        self.hub.wake_all()
        self.qa_hub.wake_all()


async def server_state(request: Request) -> ServerState:
    return request.app.state.server


Server = Annotated[ServerState, Depends(server_state)]
