"""About: the company's description, shown exactly as written."""

from __future__ import annotations

import pygame
from pygame_gui.elements import UITextBox

from expo_hall.i18n import tr
from expo_hall.stands.panels.base import Panel
from expo_hall.text import literal


class AboutPanel(Panel):
    tab = "about"

    def build(self) -> None:
        text = self.exhibitor.description_for(self.lang)
        html = literal(text) if text else f"<i>{literal(tr('stand.no_description'))}</i>"
        self.body = UITextBox(html, pygame.Rect((0, 0), self.size), self.app.ui, container=self.panel,
                              object_id="#stand_body")
