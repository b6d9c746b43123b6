"""The expo_hall server: floors, stands, chat, webinars and routes over HTTP (FastAPI, SQLAlchemy).

Standalone: `python -m expo_hall.server`; inside the client: `start_embedded(maps_dir, stands_dir)`.
Imports no pygame; importing the package itself imports nothing else, so the client can use its schemas
(`expo_hall.server.schemas`) without FastAPI, uvicorn or SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from expo_hall.server.embedded import EmbeddedServer, start_embedded
    from expo_hall.server.settings import Settings

__all__ = ["EmbeddedServer", "Settings", "start_embedded"]


def __getattr__(name: str) -> Any:  # noqa: ANN401
    if name in ("EmbeddedServer", "start_embedded"):
        from expo_hall.server import embedded

        return getattr(embedded, name)
    if name == "Settings":
        from expo_hall.server.settings import Settings

        return Settings
    raise AttributeError(name)
