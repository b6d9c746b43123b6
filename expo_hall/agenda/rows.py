"""A webinar as a row of a list: its text, its status (upcoming, live now, ended), Join and one more action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UIScrollingContainer, UITextBox

from expo_hall.agenda.reminders import status
from expo_hall.i18n import key

ROW_H = 96
SIDE_W = 330  # status, Join and the action, right of the text
JOIN_W = 130
SCROLLBAR_W = 20


class WebinarRow:
    def __init__(self, ui: pygame_gui.UIManager, container: UIScrollingContainer, y: int, width: int, html: str,
                 starts: dt.datetime, ends: dt.datetime, url: str | None, action_key: str,
                 on_join: Callable[[], None], on_action: Callable[[], None]) -> None:
        self.starts, self.ends, self.url = starts, ends, url
        text_w = width - SIDE_W - 8
        self.text = UITextBox(html, pygame.Rect(0, y, text_w, ROW_H - 8), ui, container=container,
                              object_id="#webinar_text")
        x = text_w + 8
        self.status = ""
        self.status_label = UILabel(pygame.Rect(x, y + 2, SIDE_W, 28), "", ui, container=container,
                                    object_id="#webinar_status")
        self.join_button = UIButton(pygame.Rect(x, y + 36, JOIN_W, 34), key("webinar.join"), ui, container=container,
                                    object_id="#webinar_join", command=lambda: on_join())
        self.action_button = UIButton(pygame.Rect(x + JOIN_W + 8, y + 36, SIDE_W - JOIN_W - 8, 34), key(action_key),
                                      ui, container=container, object_id="#webinar_action",
                                      command=lambda: on_action())
        self.action_key = action_key
        if not url:
            self.join_button.disable()

    def set_status(self, now: dt.datetime) -> bool:
        """Show the status at `now`; True when it changed."""
        new = status(self.starts, self.ends, now)
        if new == self.status:
            return False
        self.status = new
        self.status_label.set_text(key(f"webinar.{new}"))
        return True

    def set_action(self, action_key: str, enabled: bool = True) -> None:
        if action_key != self.action_key:
            self.action_key = action_key
            self.action_button.set_text(key(action_key))
        if enabled and not self.action_button.is_enabled:
            self.action_button.enable()
        elif not enabled and self.action_button.is_enabled:
            self.action_button.disable()

    def kill(self) -> None:
        for element in (self.text, self.status_label, self.join_button, self.action_button):
            element.kill()


def scrolling_list(ui: pygame_gui.UIManager, rect: pygame.Rect, container: object, rows: int) -> UIScrollingContainer:
    """A list area `rect` for `rows` rows, scrolling when they do not fit."""
    area = UIScrollingContainer(rect, ui, container=container, allow_scroll_x=False)  # type: ignore[arg-type]
    area.set_scrollable_area_dimensions((rect.width - SCROLLBAR_W, max(rect.height - 4, rows * ROW_H)))
    return area


def row_width(rect: pygame.Rect) -> int:
    return rect.width - SCROLLBAR_W
