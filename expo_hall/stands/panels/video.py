"""Video: the company's presentation, played inside the stand window (a local file or a URL)."""

from __future__ import annotations

import pygame

from expo_hall.stands.package import Exhibitor
from expo_hall.stands.panels.base import Panel
from expo_hall.video import VideoPlayer


class VideoPanel(Panel):
    tab = "video"

    @staticmethod
    def available(exhibitor: Exhibitor) -> bool:
        return bool(exhibitor.video)

    def build(self) -> None:
        assert self.exhibitor.video is not None
        self.player = VideoPlayer(pygame.Rect((0, 0), self.size), self.app.ui, self.panel, self.exhibitor.video,
                                  self.app.text)

    def show(self) -> None:
        super().show()
        self.player.show()

    def hide(self) -> None:
        self.player.hide()  # also pauses
        super().hide()

    def event(self, event: pygame.event.Event) -> None:
        self.player.process_event(event)

    def update(self, dt: float) -> None:
        self.player.update(dt)

    def wants_frame(self) -> bool:
        return self.player.busy

    def close(self) -> None:
        self.player.close()
        super().close()
