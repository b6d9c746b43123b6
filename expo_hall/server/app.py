"""The FastAPI application: `create_app(settings)` over an imported database."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.types import Receive, Scope, Send

from expo_hall.server import errors
from expo_hall.server.auth import TokenCache
from expo_hall.server.catalog import API, Catalog
from expo_hall.server.chat import Chat
from expo_hall.server.db import is_postgres, make_engine
from expo_hall.server.fastpoll import FastPoll
from expo_hall.server.notify import Notifier, listen
from expo_hall.server.routes import chat, content, identity, leads, stands
from expo_hall.server.settings import Settings
from expo_hall.server.state import VERSION, ServerState

SETTINGS_ENV = "EXPO_HALL_SERVER_SETTINGS"  # JSON settings for worker processes started by uvicorn


class ExpoApi(FastAPI):
    """FastAPI with the long poll's fast lane in front of all of it (see fastpoll.py)."""

    fast_poll: FastPoll | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast_poll is None or not await self.fast_poll(scope, send):
            await super().__call__(scope, receive, send)


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The app over `settings.db_url`, whose content the importer has loaded (its tables must exist)."""
    engine = engine or make_engine(settings.db_url)
    catalog = Catalog.load(engine, settings.content_dir)
    notifier = Notifier()
    state = ServerState(settings, engine, catalog, notifier, Chat(engine, settings, catalog, notifier),
                        TokenCache(engine))

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        listener = None
        if is_postgres(engine):
            dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            listener = asyncio.create_task(listen(dsn, notifier))
        try:
            yield
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener

    app = ExpoApi(title="expo_hall server", version=VERSION, lifespan=lifespan,
                  description="Floors, stands, chat, webinars and routes of a virtual education fair.")
    app.state.server = state
    errors.install(app)
    app.fast_poll = FastPoll(state)
    for module in (content, identity, chat, stands, leads):
        app.include_router(module.router, prefix=API)
    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (`--workers N`): settings come in an environment variable."""
    data = json.loads(os.environ[SETTINGS_ENV])
    return create_app(Settings(**data))
