"""The FastAPI application: `create_app(settings)` over an imported database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from collections.abc import AsyncIterator, Callable
from types import FrameType
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.types import Receive, Scope, Send

from expo_hall.server import errors
from expo_hall.server.auth import TokenCache
from expo_hall.server.bodylimit import BodyLimit
from expo_hall.server.bulk import ExpoAnswer
from expo_hall.server.catalog import API, Catalog
from expo_hall.server.chat import Chat
from expo_hall.server.db import is_postgres, make_engine
from expo_hall.server.fastpoll import FastPoll
from expo_hall.server.fastsend import FastSend
from expo_hall.server.notify import Notifier, listen
from expo_hall.server.programme import ServedProgramme
from expo_hall.server.questions import QuestionFeeds, Questions
from expo_hall.server.ratelimits import RateLimiter
from expo_hall.server.routes import chat, content, identity, leads, programme, publishing, questions, stands, users
from expo_hall.server.settings import Settings
from expo_hall.server.state import VERSION, ServerState
from expo_hall.server.stream import BARE_SEND, Hub, Rooms
from expo_hall.server.uploads import sweep_incoming
from expo_hall.server.versions import Versions
from expo_hall.server.watchdog import exit_with_supervisor

log = logging.getLogger("expo_hall.server")
SETTINGS_ENV = "EXPO_HALL_SERVER_SETTINGS"  # JSON settings for worker processes started by uvicorn
SUPERVISOR_ENV = "EXPO_HALL_SERVER_SUPERVISOR"  # the pid of the process that started them


class ExpoApi(FastAPI):
    """FastAPI with the long poll's fast lane (see fastpoll.py), the body limit (bodylimit.py) and the send's fast
    lane (fastsend.py) in front of it,
    and a schema that documents every error answer (see errors.py)."""

    fast_poll: FastPoll | None = None
    fast_send: FastSend | None = None
    body_limit: BodyLimit | None = None

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = errors.document_errors(super().openapi())
        return self.openapi_schema

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[BARE_SEND] = send  # a stream's body skips the middleware (stream.EventStream)
        if self.fast_poll is not None and await self.fast_poll(scope, send):
            return
        if self.body_limit is not None:
            admitted = await self.body_limit.admit(scope, receive, send)
            if admitted is None:
                return
            receive = admitted
        if self.fast_send is not None:
            rest = await self.fast_send(scope, receive, send)
            if rest is None:
                return
            receive = rest
        await super().__call__(scope, receive, send)


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The app over `settings.db_url`, whose content the importer has loaded (its tables must exist)."""
    engine = engine or make_engine(settings.db_url)
    catalog = Catalog.load(engine, settings.content_dir)
    if settings.content_dir is not None and sweep_incoming(settings.content_dir):
        log.info("removed uploads and staged versions a stopped server left unfinished")
    notifier = Notifier()
    talk = Chat(engine, settings, catalog, notifier)
    expo = ExpoAnswer(catalog, settings.content_dir)
    qa = Questions(engine, settings, notifier)
    state = ServerState(settings, engine, catalog, notifier, talk, TokenCache(engine),
                        RateLimiter(settings.rate_limits, settings.clock), ServedProgramme.load(engine),
                        qa, expo, Versions(settings, engine, catalog, expo),
                        Hub(Rooms(talk), notifier, settings.stream_keepalive, settings.poll_recheck),
                        Hub(QuestionFeeds(qa), notifier, settings.stream_keepalive, settings.poll_recheck))

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.loop = asyncio.get_running_loop()
        close_on_signals(state)
        tasks = [asyncio.create_task(state.tokens.watch(settings.token_recheck))]
        if is_postgres(engine):
            dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            tasks.append(asyncio.create_task(listen(dsn, notifier)))
        try:
            yield
        finally:
            await state.hub.close()
            await state.qa_hub.close()
            await qa.close()
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = ExpoApi(title="expo_hall server", version=VERSION, lifespan=lifespan,
                  description="Floors, stands, chat, webinars, routes and the business programme (with its "
                              "moderated Q&A) of a virtual education fair.")
    app.state.server = state
    errors.install(app)
    app.fast_poll = FastPoll(state)
    app.fast_send = FastSend(state)
    app.body_limit = BodyLimit(settings.max_body)
    for module in (content, identity, chat, stands, leads, users, programme, questions, publishing):
        app.include_router(module.router, prefix=API)
    return app


def close_on_signals(state: ServerState) -> None:
    """uvicorn stops on SIGTERM or SIGINT by waiting (a few seconds) for the requests under way, and then cuts them:
    held long polls and streams would be cut. Ahead of uvicorn's own handler, have them answer and end at once.
    Only where uvicorn runs in the main thread (a standalone server, its workers), not the embedded one."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number in (signal.SIGTERM, signal.SIGINT):
        then = signal.getsignal(number)
        if not callable(then):
            continue

        def handler(signum: int, frame: FrameType | None, then: Callable[[int, FrameType | None], Any] = then) -> None:
            if state.loop is not None:
                state.loop.call_soon_threadsafe(state.closing)
            then(signum, frame)

        signal.signal(number, handler)


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (`--workers N`): settings come in an environment variable."""
    supervisor = os.environ.get(SUPERVISOR_ENV)
    if supervisor:
        exit_with_supervisor(int(supervisor))
    return create_app(Settings.from_json(os.environ[SETTINGS_ENV]))
