"""A "+" beside each search result shown: puts that exhibitor on the route ("−" takes it off again).

The results list makes buttons only for the rows in view and moves them as it scrolls, so the "+" buttons
follow its rows (a pool as large as the rows in view); nothing is done while no results are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIButton, UISelectionList

from expo_hall.i18n import tr
from expo_hall.stands.package import Exhibitor

if TYPE_CHECKING:
    from expo_hall.route.controller import RouteController

W = 34


class ResultButtons:
    def __init__(self, ctl: RouteController) -> None:
        self.ctl = ctl
        self.buttons: list[UIButton] = []
        self.ids: list[str | None] = []

    def follow(self, results: UISelectionList | None, items: Mapping[str, Exhibitor]) -> None:
        """Put a button beside each result row in view (call each frame while results are shown)."""
        rows = []
        if results is not None:
            for item in results.item_list:
                button = item.get("button_element")
                ex = items.get(item["text"])
                if button is not None and button.visible and ex is not None:
                    clip = button.rect.clip(results.rect)
                    if clip.height >= button.rect.height // 2:
                        rows.append((ex.exhibitor_id, button.rect))
        for k, (exhibitor_id, rect) in enumerate(rows):
            if k == len(self.buttons):
                self.buttons.append(UIButton(pygame.Rect(0, 0, W, rect.height), "+", self.ctl.app.ui,
                                             starting_height=6, command=partial(self._press, k)))
                self.ids.append(None)
            b = self.buttons[k]
            at = (results.rect.x - W - 2, rect.y)
            if b.rect.topleft != at:
                b.set_position(at)
            on = exhibitor_id in self.ctl.route.stops
            text = "−" if on else "+"
            if self.ids[k] != exhibitor_id or b.text != text:
                self.ids[k] = exhibitor_id
                b.set_text(text)
                b.set_tooltip(tr("route.remove" if on else "route.stand_add"))
            if not b.visible:
                b.show()
        for k in range(len(rows), len(self.buttons)):
            if self.buttons[k].visible:
                self.buttons[k].hide()
            self.ids[k] = None

    def _press(self, k: int) -> None:
        exhibitor_id = self.ids[k]
        if exhibitor_id is not None:
            self.ctl.toggle(exhibitor_id)

    def kill(self) -> None:
        for b in self.buttons:
            b.kill()
        self.buttons, self.ids = [], []
