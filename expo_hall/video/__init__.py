"""Video presentations played inside the stand window: PyAV decodes in a thread, pygame shows and sounds."""

from expo_hall.video.player import VideoPlayer

__all__ = ["VideoPlayer"]
