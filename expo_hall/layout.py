"""Where things go in the app's window: the hall's bar along the top, the notice strip along the bottom, and
between them the area every window (stand, agenda, briefcase, desk, messages) is laid out in.

Reminders ("a webinar is starting") come at any moment and stay on top of everything, so they have a place
of their own that no window reaches: a notice never covers the buttons of whatever window is open beneath
it. The hall keeps its minimap and messages above the strip too; only the floor shows through it.
"""

from __future__ import annotations

import pygame

BAR_H = 56  # the hall's top bar
NOTICE_H = 100  # one reminder, title bar included: three lines of text
STRIP_H = NOTICE_H + 2 * 6  # the notice strip along the bottom
SIDE = 20  # windows keep this far from the left and right edges


def notice_strip(size: tuple[int, int]) -> pygame.Rect:
    w, h = size
    return pygame.Rect(0, h - STRIP_H, w, STRIP_H)


def window_area(size: tuple[int, int]) -> pygame.Rect:
    """Where windows may be: below the hall's bar, above the notice strip."""
    w, h = size
    return pygame.Rect(SIDE, BAR_H + 4, w - 2 * SIDE, h - STRIP_H - BAR_H - 4)


def window_rect(size: tuple[int, int], width: int, height: int) -> pygame.Rect:
    """A window of at most width x height, centred in the window area."""
    area = window_area(size)
    rect = pygame.Rect(0, 0, min(width, area.width), min(height, area.height))
    rect.center = area.center
    return rect
