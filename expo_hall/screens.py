"""Screens and the stack they run in (after Tuxemon's StateManager, much reduced).

The top screen gets the intents and events; every screen from the topmost opaque one up is drawn.
The app draws a frame only when one is needed: screens say so with `wants_frame` (something moves) and
`next_wakeup` (a timer); any event draws one too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIWindow

from expo_hall.frames import soonest
from expo_hall.input import Back, Intent

if TYPE_CHECKING:
    from expo_hall.app import App


class Screen:
    opaque = True  # screens beneath an opaque screen are not drawn

    def __init__(self, app: App) -> None:
        self.app = app

    def enter(self) -> None:
        """Called when the screen becomes the top one."""

    def leave(self) -> None:
        """Called when the screen is popped: kill its GUI elements here."""

    def handle(self, intent: Intent) -> None:
        """An intent from the input map."""

    def event(self, event: pygame.event.Event) -> None:
        """A raw event (GUI events, window changes) for screens that need it."""

    def update(self, dt: float) -> None:
        pass

    def wants_frame(self) -> bool:
        """True while the screen moves (walking, a video playing): the app then draws every frame."""
        return False

    def next_wakeup(self) -> float | None:
        """Seconds until the screen's next timer is due (its update then changes what it shows); None: no timer."""
        return None

    def draw(self, surface: pygame.Surface) -> None:
        pass

    def draw_over(self, surface: pygame.Surface) -> None:
        """Drawn after the GUI: for what must lie above pygame-gui's windows (a video frame)."""

    def resize(self, size: tuple[int, int]) -> None:
        pass


class WindowScreen(Screen):
    """A screen that is one pygame-gui window over what lies beneath: Escape or the window's × closes it.

    Subclasses set `self.window`, and call `super().event(event)` if they override `event`.
    """

    opaque = False
    window: UIWindow

    def close(self) -> None:
        self.app.stack.pop(self)

    def leave(self) -> None:
        self.window.kill()

    def handle(self, intent: Intent) -> None:
        if isinstance(intent, Back):
            self.close()

    def event(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.window:
            self.close()


class ScreenStack:
    def __init__(self) -> None:
        self.screens: list[Screen] = []

    @property
    def top(self) -> Screen | None:
        return self.screens[-1] if self.screens else None

    def push(self, screen: Screen) -> Screen:
        self.screens.append(screen)
        screen.enter()
        return screen

    def pop(self, screen: Screen | None = None) -> None:
        """Pop the top screen, or the given screen wherever it is."""
        target = screen or self.top
        if target is None or target not in self.screens:
            return
        self.screens.remove(target)
        target.leave()
        if self.top is not None:
            self.top.enter()

    def wants_frame(self) -> bool:
        return any(s.wants_frame() for s in self.screens)

    def next_wakeup(self) -> float | None:
        return soonest(*(s.next_wakeup() for s in self.screens))

    def visible(self) -> list[Screen]:
        start = 0
        for i, s in enumerate(self.screens):
            if s.opaque:
                start = i
        return self.screens[start:]

    def find(self, kind: type) -> Screen | None:
        for s in self.screens:
            if isinstance(s, kind):
                return s
        return None
