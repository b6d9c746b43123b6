"""The client's connection to its backend: the embedded server (by default) or a remote one, the network
layer on top, and who the visitor is there.

Runs on the loader's worker thread; results of later calls come back as NET_EVENT pygame events.
"""

from __future__ import annotations

import getpass
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from expo_hall.clock import Clock
from expo_hall.events import NET_EVENT
from expo_hall.files import write_atomically
from expo_hall.frames import post
from expo_hall.net import ApiError, NetError, Network, Offline
from expo_hall.net.errors import unreachable
from expo_hall.paths import cache_dir, data_dir
from expo_hall.settings import Settings

log = logging.getLogger("expo_hall")
IDENTITY_FILE = "identity.json"


def post_result(tag: Any, result: Any) -> None:
    """The network layer's callback: its results join the pygame event queue (safe from any thread)."""
    post(pygame.event.Event(NET_EVENT, tag=tag, result=result))


@dataclass
class Backend:
    network: Network
    server: Any | None  # the embedded server, when this client runs one
    server_key: str  # what identifies the backend in the identity file
    visitor_name: str | None = None
    me: Any | None = None  # schemas.MeOut of a representative or organizer, when signed in with their token
    token_error: BaseException | None = None  # --token was refused (reps.TokenRefused): the visitor is used instead
    unanswered: NetError | None = None  # the server did not answer at start: the visitor's saved identity is used

    @property
    def client(self):  # noqa: ANN201
        return self.network.client

    def stop(self) -> None:
        self.network.stop()
        if self.server is not None:
            self.server.stop()


def connect(settings: Settings, meanwhile: Callable[[], object] = lambda: None) -> Backend:
    """Start the embedded server (unless --server names one), then the network layer and the visitor's identity.
    `meanwhile` runs once before the server's modules are imported: while the embedded server's logos are made on
    the other core."""
    data = data_dir(settings.data_dir)
    server = None
    if settings.server:
        meanwhile()
        url, key = settings.server.rstrip("/"), settings.server.rstrip("/")
    else:
        from expo_hall.server.import_begin import begin_import  # light: the folders read, the logos begun
        from expo_hall.server.settings import Settings as ServerSettings

        db, content = data / "server.sqlite3", data / "content"
        begun = begin_import(settings.maps, settings.stands, content)  # on the other core while the server loads
        meanwhile()
        from expo_hall.server.embedded import start_embedded

        # the demo's fair time (--fair-time) is the embedded server's too: live, ended, the Q&A open or closed
        fair = {"clock": Clock.starting_at(settings.fair_time).now} if settings.fair_time is not None else {}
        server = start_embedded(settings.maps, settings.stands, begun=begun, settings=ServerSettings(
            db_url=f"sqlite:///{db}", content_dir=content, **fair))
        url, key = server.url, f"embedded:{db}"
        # Said once at start: a second client (a representative's) can join this expo with --server URL.
        log.info("the expo's server answers at %s (database %s)", url, db)
    network = None
    try:
        network = Network(url, post_result, outbox_path=data / "outbox.sqlite3", cache_dir=cache_dir(settings.data_dir))
        backend = Backend(network, server, key)
        try:
            network.client.health()  # once, quickly: a server that does not answer is not asked again and again
        except NetError as exc:
            if not unreachable(exc):
                raise
            backend.unanswered = exc
        if backend.unanswered is not None:
            if settings.token:  # only the server can say whose token it is
                raise backend.unanswered
            _saved_identity(backend, data / IDENTITY_FILE)
        elif settings.token:  # a representative's (or organizer's) token instead of the visitor's identity
            from expo_hall.reps import sign_in_with_token

            sign_in_with_token(backend, settings.token, lambda: _sign_in(backend, data / IDENTITY_FILE))
        else:
            _sign_in(backend, data / IDENTITY_FILE)
    except BaseException:
        if network is not None:
            network.stop()
        if server is not None:
            server.stop()
        raise
    return backend


def _saved_identity(backend: Backend, path: Path) -> None:
    """While the server does not answer: the visitor as saved for it (their messages wait in the outbox). Without
    one (never signed in there), raises why it did not answer."""
    entry = _read(path).get(backend.server_key)
    if not entry or not entry.get("token"):
        raise backend.unanswered or Offline("the server does not answer")
    backend.client.token = entry["token"]
    backend.visitor_name = entry.get("name")


def _sign_in(backend: Backend, path: Path) -> None:
    """Use the visitor's saved token for this backend, or register once and save it."""
    saved = _read(path)
    client = backend.client
    entry = saved.get(backend.server_key)
    if entry and entry.get("token"):
        client.token = entry["token"]
        try:
            me = client.me()
            backend.visitor_name = getattr(me, "display_name", None)
            return
        except ApiError as exc:
            if exc.status not in (401, 403):
                raise
            log.info("the saved identity is not known to %s any more; registering anew", backend.server_key)
    name = _default_name()
    reg = client.register(name)
    backend.visitor_name = name
    saved[backend.server_key] = {"token": reg.token, "name": name}
    _write(path, saved)


def _default_name() -> str:
    try:
        return getpass.getuser() or "Гость"
    except (KeyError, OSError):
        return "Гость"


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read (%s); a new identity will be made", path, exc)
        return {}


def _write(path: Path, data: dict) -> None:
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=2), private=True)  # tokens: the user's only
