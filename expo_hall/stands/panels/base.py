"""What every tab of the stand window is: a panel shown and hidden with its tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIPanel

from expo_hall.stands.package import Exhibitor

if TYPE_CHECKING:
    from expo_hall.app import App
    from expo_hall.stands.stand_screen import StandScreen


class Panel:
    """A tab's content. Subclasses build their elements in `build` inside `self.panel`."""

    tab = ""  # the tab's id; its label is the translation "stand.tab.<tab>"

    def __init__(self, screen: StandScreen, rect: pygame.Rect) -> None:
        self.screen = screen
        self.app: App = screen.app
        self.exhibitor = screen.exhibitor
        self.lang = screen.lang
        self.panel = UIPanel(rect, manager=self.app.ui, container=screen.window, object_id="#tab_panel")
        self.size = self.panel.get_container().get_size()
        self.build()

    @staticmethod
    def available(exhibitor: Exhibitor) -> bool:
        """Whether this exhibitor's stand has this tab at all."""
        return True

    def build(self) -> None:
        raise NotImplementedError

    def show(self) -> None:
        self.panel.show()

    def hide(self) -> None:
        self.panel.hide()

    @property
    def visible(self) -> bool:
        return bool(self.panel.visible)

    def event(self, event: pygame.event.Event) -> None:
        """GUI and app events, while the stand window is open (also when the tab is hidden)."""

    def update(self, dt: float) -> None:
        """Each frame, while the stand window is open."""

    def wants_frame(self) -> bool:
        """True while the panel moves (Screen.wants_frame)."""
        return False

    def next_wakeup(self) -> float | None:
        """Seconds until the panel's next timer (Screen.next_wakeup)."""
        return None

    def draw(self, surface: pygame.Surface) -> None:
        """Each frame while shown, after the GUI is drawn: for what pygame-gui does not draw (video frames)."""

    def close(self) -> None:
        """The window closes: stop what runs (downloads, playback) and free what is held."""
        self.panel.kill()
