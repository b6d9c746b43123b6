"""Contacts: e-mail, phone, website, address and messengers."""

from __future__ import annotations

import pygame
from pygame_gui.elements import UITextBox

from expo_hall.i18n import tr
from expo_hall.stands.panels.base import Panel
from expo_hall.text import literal


class ContactsPanel(Panel):
    tab = "contacts"

    def rows(self) -> list[tuple[str, str]]:
        c = self.exhibitor.contacts
        rows = [(tr(f"contacts.{k}"), getattr(c, k)) for k in ("email", "phone", "website", "address")]
        rows += [(k.capitalize(), v) for k, v in c.messengers.items()]
        return [(label, value) for label, value in rows if value]

    def build(self) -> None:
        shown = [f"<b>{literal(label)}:</b> {literal(value)}" for label, value in self.rows()]
        html = "<br>".join(shown) if shown else f"<i>{literal(tr('stand.no_contacts'))}</i>"
        self.body = UITextBox(html, pygame.Rect((0, 0), self.size), self.app.ui, container=self.panel,
                              object_id="#stand_body")
