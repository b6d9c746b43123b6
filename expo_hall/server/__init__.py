"""The expo_hall server: floors, stands, chat, webinars and routes over HTTP (FastAPI, SQLAlchemy).

Standalone: `python -m expo_hall.server`; inside the client: `start_embedded(maps_dir, stands_dir)`.
Imports no pygame.
"""

from expo_hall.server.embedded import EmbeddedServer, start_embedded
from expo_hall.server.settings import Settings

__all__ = ["EmbeddedServer", "Settings", "start_embedded"]
