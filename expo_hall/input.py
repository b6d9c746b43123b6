"""Input: pygame events become intents the screens act on.

Held movement keys are tracked from KEYDOWN/KEYUP (not from the keyboard's live state), so a
synthetic event drives the app exactly as a real key does. While a text field has focus,
no key moves the avatar.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

MOVE_KEYS: dict[int, tuple[int, int]] = {
    pygame.K_w: (0, -1), pygame.K_UP: (0, -1),
    pygame.K_s: (0, 1), pygame.K_DOWN: (0, 1),
    pygame.K_a: (-1, 0), pygame.K_LEFT: (-1, 0),
    pygame.K_d: (1, 0), pygame.K_RIGHT: (1, 0),
}


@dataclass(frozen=True)
class Click:
    pos: tuple[int, int]


@dataclass(frozen=True)
class Hover:
    pos: tuple[int, int]


@dataclass(frozen=True)
class Zoom:
    steps: int  # positive: closer


@dataclass(frozen=True)
class Back:
    """Escape: close what is open."""


Intent = Click | Hover | Zoom | Back


class InputMap:
    def __init__(self) -> None:
        self.held: set[int] = set()
        self.mouse: tuple[int, int] | None = None

    def release_all(self) -> None:
        self.held.clear()

    def direction(self) -> tuple[float, float]:
        dx = dy = 0
        for k in self.held:
            mx, my = MOVE_KEYS[k]
            dx += mx
            dy += my
        return (max(-1, min(1, dx)), max(-1, min(1, dy)))

    def translate(self, event: pygame.event.Event, typing: bool, consumed: bool) -> list[Intent]:
        """Intents for one event. `typing`: a text field has focus; `consumed`: the GUI took it."""
        t = event.type
        if t == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE and not typing:
                return [Back()]
            if event.key in MOVE_KEYS and not typing and not consumed:
                self.held.add(event.key)
            return []
        if t == pygame.KEYUP:
            self.held.discard(event.key)
            return []
        if t == pygame.MOUSEMOTION:
            self.mouse = event.pos
            return [] if consumed else [Hover(event.pos)]
        if t == pygame.MOUSEBUTTONDOWN and event.button == 1 and not consumed:
            self.mouse = event.pos
            return [Click(event.pos)]
        if t == pygame.MOUSEWHEEL and not consumed:
            return [Zoom(1 if event.y > 0 else -1)] if event.y else []
        if t in (pygame.WINDOWFOCUSLOST, pygame.WINDOWLEAVE):
            self.release_all()
            if t == pygame.WINDOWLEAVE:
                self.mouse = None
        return []
