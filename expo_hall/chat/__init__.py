"""The client side of the stands' chats: rooms as the visitor sees them (`model`), kept up to date over the
network layer (`session`), and written out for pygame-gui's text boxes (`html`)."""

from expo_hall.chat.model import PRIVATE, PUBLIC, Line, RoomLog
from expo_hall.chat.session import PAGE, StandChat

__all__ = ["PAGE", "PRIVATE", "PUBLIC", "Line", "RoomLog", "StandChat"]
