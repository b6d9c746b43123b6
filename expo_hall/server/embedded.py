"""Running the server inside another process (the desktop client, tests): uvicorn in a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from expo_hall.server.app import create_app
from expo_hall.server.bulk import ExpoAnswer
from expo_hall.server.catalog import Catalog
from expo_hall.server.db import make_engine
from expo_hall.server.import_begin import ImportBegun
from expo_hall.server.importer import ImportSummary, import_folders
from expo_hall.server.settings import Settings

_log = logging.getLogger("uvicorn.error")
CONNECTIONS_GRACE = 0.1  # seconds uvicorn gives open connections to close before it waits for their tasks
CLOSE_POLL = 0.005  # seconds between two looks at whether they have


class _PromptServer(uvicorn.Server):
    """uvicorn's server, which stops as soon as it is told rather than on its next 0.1 s tick, and does not pause
    0.1 s for connections that have already closed: an embedded server is stopped at every exit of the app (and
    by each test), and those fixed pauses were most of a stop's 0.2 s."""

    _exit_now: asyncio.Event | None = None

    def wake(self) -> None:
        """From any thread, after `should_exit` is set: end the main loop's wait now."""
        loop, exit_now = getattr(self, "_loop", None), self._exit_now
        if loop is not None and exit_now is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(exit_now.set)

    async def main_loop(self) -> None:
        """uvicorn's loop (a tick every 0.1 s: the Date header, the exit flag), woken early by `wake`."""
        self._loop, self._exit_now = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._exit_now.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's shutdown (0.55), with its fixed 0.1 s pause after asking the connections to close replaced by
        a wait that ends when none is left (at most the same 0.1 s)."""
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        deadline = time.monotonic() + CONNECTIONS_GRACE
        while self.server_state.connections and time.monotonic() < deadline:
            await asyncio.sleep(CLOSE_POLL)
        try:
            await asyncio.wait_for(self._wait_tasks_to_complete(), self.config.timeout_graceful_shutdown)
        except TimeoutError:
            _log.error("Cancel %s running task(s), timeout graceful shutdown exceeded", len(self.server_state.tasks))
            for task in self.server_state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        if not self.force_exit:
            await self.lifespan.shutdown()


class EmbeddedServer:
    """A server answering at `url` until `stop()`; also a context manager."""

    def __init__(self, server: _PromptServer, thread: threading.Thread, url: str, engine: Engine | None) -> None:
        self._server = server
        self._thread = thread
        self._engine = engine
        self.url = url
        self.imported: ImportSummary | None = None  # what start_embedded imported, with the content's problems
        self.settings: Settings | None = None  # start_embedded's, for `reimport`

    def stop(self, timeout: float = 5.0) -> None:
        """Stop answering: the long polls and streams still held answer at once, then the server exits."""
        app = self._server.config.app
        while not hasattr(app, "state") and hasattr(app, "app"):  # under an ASGI wrapper (a test's counter)
            app = app.app
        state = getattr(getattr(app, "state", None), "server", None)
        if state is not None and state.loop is not None and not state.loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                state.loop.call_soon_threadsafe(state.closing)
        self._server.should_exit = True
        self._server.wake()
        self._thread.join(timeout)
        if self._engine is not None:
            self._engine.dispose()

    def reimport(self, maps_dir: Path, stands_dir: Path) -> ImportSummary:
        """Import the folders again (organizer mode, after a file was saved) and serve what they hold now, without
        a restart: the answering app takes the new content at once. Chats, routes and visits are kept, as at a
        start's re-import."""
        assert self.settings is not None and self._engine is not None, "only a server of start_embedded imports"
        settings, engine = self.settings, self._engine
        summary = import_folders(engine, Path(maps_dir), Path(stands_dir), settings.clock(), settings.content_dir)
        catalog = Catalog.load(engine, settings.content_dir)
        answer = ExpoAnswer(catalog, settings.content_dir)
        state = self._server.config.app.state.server
        state.catalog, state.chat.catalog, state.expo = catalog, catalog, answer  # each an atomic swap
        self.imported = summary
        return summary

    def __enter__(self) -> EmbeddedServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def serve_in_thread(app: FastAPI, host: str = "127.0.0.1", port: int = 0, engine: Engine | None = None,
                    timeout: float = 15.0) -> EmbeddedServer:
    """Serve `app` from a daemon thread; returns once it accepts requests. Port 0 takes a free port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    config = uvicorn.Config(app, log_level="warning", access_log=False, proxy_headers=False,
                            timeout_graceful_shutdown=1)
    server = _PromptServer(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="expo_hall-server")
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("the embedded server did not start (see the log)")
        time.sleep(0.005)
    return EmbeddedServer(server, thread, f"http://{host}:{sock.getsockname()[1]}", engine)


def start_embedded(maps_dir: Path, stands_dir: Path, db_url: str | None = None,
                   settings: Settings | None = None, content_dir: Path | None = None,
                   begun: ImportBegun | None = None) -> EmbeddedServer:
    """Import the expo's folders and serve them on 127.0.0.1 at a free port.

    The database is `db_url`, or SQLite in the user's data folder; chat, routes and visits stored there
    before are kept. The files served are copied into `content_dir` (default: beside the database). `begun`:
    the import's first step taken before this module was imported (import_begin.begin_import).
    """
    if settings is None:
        settings = Settings(content_dir=content_dir, **({"db_url": db_url} if db_url else {}))
    engine = make_engine(settings.db_url)
    summary = import_folders(engine, Path(maps_dir), Path(stands_dir), settings.clock(), settings.content_dir,
                             begun=begun)
    server = serve_in_thread(create_app(settings, engine), engine=engine)
    server.imported, server.settings = summary, settings
    return server
