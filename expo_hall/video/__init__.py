"""Video presentations played inside the stand window: PyAV decodes in a thread, pygame shows and sounds.

`VideoPlayer` (pygame) is imported on first use, so the plain parts (the decoder, `probe`) stay free of pygame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from expo_hall.video.player import VideoPlayer

__all__ = ["VideoPlayer"]


def __getattr__(name: str) -> object:
    if name == "VideoPlayer":
        from expo_hall.video.player import VideoPlayer

        return VideoPlayer
    raise AttributeError(name)
