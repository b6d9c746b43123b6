"""Contacts: e-mail, phone, website, address and messengers, each to copy or open; the whole card to save
in the briefcase as a vCard, or to scan from the screen as a QR code."""

from __future__ import annotations

import logging

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIImage, UILabel, UIScrollingContainer, UITextBox

from expo_hall import system
from expo_hall.i18n import key, tr
from expo_hall.stands.panels.base import Panel
from expo_hall.stands.qr import QrImage, qr_image
from expo_hall.stands.vcard import ContactRow, contact_rows, vcard_text
from expo_hall.text import literal

log = logging.getLogger("expo_hall")
GAP = 8
BUTTON_H = 34
ROW_MAX_H = 96  # a longer value scrolls inside its row
SCROLLBAR_W = 22
STATUS_H = 70  # two lines: what happened, and the path or value it concerns
COPIED_SECONDS = 1.5


class ContactsPanel(Panel):
    tab = "contacts"

    def build(self) -> None:
        self.rows: list[ContactRow] = contact_rows(self.exhibitor.contacts)
        self.row_boxes: list[UITextBox] = []
        self.copy_buttons: list[UIButton] = []
        self.open_buttons: list[UIButton] = []
        self._copied: dict[int, float] = {}  # row -> seconds its Copy button still says "Copied"
        self.qr: QrImage | None = None
        if not self.rows:
            self.body = UITextBox(f"<i>{literal(tr('stand.no_contacts'))}</i>", pygame.Rect((0, 0), self.size),
                                  self.app.ui, container=self.panel, object_id="#stand_body")
            return
        self.vcard = vcard_text(self.exhibitor, self.lang, self.note())
        w, h = self.size
        qr_w = min(260, w // 3)
        left_w = w - qr_w - 2 * GAP
        self._build_rows(left_w, h - STATUS_H - GAP)
        save_w = self._button_width("contacts.save", 180)
        self.save_button = UIButton(pygame.Rect(0, h - (STATUS_H + BUTTON_H) // 2, save_w, BUTTON_H),
                                    key("contacts.save"), self.app.ui, container=self.panel, object_id="#contact_save")
        self.status = UITextBox("", pygame.Rect(save_w + GAP, h - STATUS_H, left_w - save_w - GAP, STATUS_H),
                                self.app.ui, container=self.panel, object_id="#contact_status")
        caption_h = 44
        try:
            self.qr = qr_image(self.vcard, min(qr_w, h - caption_h))
        except ValueError as exc:  # segno's DataOverflowError: more than a QR code holds (the file has it all)
            log.warning("%s: the contact is too long for a QR code (%s)", self.exhibitor.exhibitor_id, exc)
        side = self.qr.surface.get_width() if self.qr else 0
        if self.qr is not None:
            qr_x = left_w + 2 * GAP + (qr_w - side) // 2
            self.qr_image = UIImage(pygame.Rect(qr_x, 0, side, side), self.qr.surface, self.app.ui,
                                    container=self.panel, object_id="#contact_qr")
        caption = "contacts.scan" if self.qr is not None else "contacts.qr_too_long"
        self.qr_caption = UILabel(pygame.Rect(left_w + 2 * GAP, side + 4, qr_w, 26), key(caption),
                                  self.app.ui, container=self.panel, object_id="#contact_qr_caption")

    def note(self) -> str:
        """The vCard's NOTE: where the stand is."""
        stand = self.screen.stand
        if stand is None:
            return ""
        parts = [tr("popup.stand", number=stand.number)]
        floor = self.app.expo.floor(stand.floor_id) if self.app.expo else None
        if floor is not None:
            parts.append(floor.title_for(self.lang))
        return " · ".join(parts)

    def label(self, row: ContactRow) -> str:
        return row.service_name if row.kind == "messenger" else tr(f"contacts.{row.kind}")

    def _button_width(self, name: str, least: int, most: int = 200) -> int:
        return min(most, max(least, self.app.text.font(15).size(tr(name))[0] + 32))

    def _build_rows(self, width: int, height: int) -> None:
        ui = self.app.ui
        self.scroller = UIScrollingContainer(pygame.Rect(0, 0, width, height), ui, container=self.panel,
                                             allow_scroll_x=False, object_id="#contact_rows")
        copy_w = max(self._button_width("contacts.copy", 96, 130), self._button_width("contacts.copied", 96, 130))
        open_w = self._button_width("contacts.open", 96, 130)
        text_w = width - copy_w - open_w - 2 * GAP - SCROLLBAR_W
        y = 0
        for row in self.rows:
            html = f"<b>{literal(self.label(row))}:</b> {literal(row.value)}"
            box = UITextBox(html, pygame.Rect(0, y, text_w, -1), ui, container=self.scroller,
                            object_id="#contact_value")
            if box.rect.height > ROW_MAX_H:  # too long: a box of its own height that scrolls
                box.kill()
                box = UITextBox(html, pygame.Rect(0, y, text_w, ROW_MAX_H), ui, container=self.scroller,
                                object_id="#contact_value")
            row_h = max(box.rect.height, BUTTON_H)
            copy = UIButton(pygame.Rect(text_w + GAP, y, copy_w, BUTTON_H), key("contacts.copy"), ui,
                            container=self.scroller, object_id="#contact_copy")
            opener = UIButton(pygame.Rect(text_w + copy_w + 2 * GAP, y, open_w, BUTTON_H), key("contacts.open"), ui,
                              container=self.scroller, object_id="#contact_open")
            if row.url is None:
                opener.disable()
            self.row_boxes.append(box)
            self.copy_buttons.append(copy)
            self.open_buttons.append(opener)
            y += row_h + GAP
        self.scroller.set_scrollable_area_dimensions((width - SCROLLBAR_W, max(y - GAP, 1)))

    # -- actions ---------------------------------------------------------------------------------
    def say(self, text: str, detail: object = "") -> None:
        """Tell the visitor what happened; the detail (a path, a value: content) on a line of its own."""
        self.status.set_text(literal(text) + (f"<br>{literal(str(detail))}" if detail != "" else ""))

    def copy(self, index: int) -> bool:
        row = self.rows[index]
        if not system.copy_text(row.value):
            self.say(tr("contacts.copy_failed"))
            return False
        self.copy_buttons[index].set_text(key("contacts.copied"))
        self._copied[index] = COPIED_SECONDS
        self.say(tr("contacts.copied_value"), row.value)
        return True

    def open(self, index: int) -> bool:
        url = self.rows[index].url
        if url is None:
            return False
        if system.open_url(url):
            self.say(tr("contacts.opening"), url)
            return True
        self.say(tr("contacts.open_failed"), url)
        return False

    def save(self) -> bool:
        """Write the vCard into the briefcase (contacts/<id>.vcf) and record it there."""
        name = self.exhibitor.name_for(self.lang)
        try:
            briefcase = self.app.briefcase
            item = briefcase.add_contact(self.exhibitor.exhibitor_id, self.vcard, exhibitor_name=name, title=name)
        except OSError as exc:
            log.error("cannot save the contact of %s: %s", self.exhibitor.exhibitor_id, exc)
            self.say(tr("contacts.save_failed"), exc)
            return False
        self.say(tr("contacts.saved"), briefcase.path_of(item))
        return True

    # -- panel -----------------------------------------------------------------------------------
    def event(self, event: pygame.event.Event) -> None:
        if event.type != pygame_gui.UI_BUTTON_PRESSED or not self.rows:
            return
        if event.ui_element is self.save_button:
            self.save()
        elif event.ui_element in self.copy_buttons:
            self.copy(self.copy_buttons.index(event.ui_element))
        elif event.ui_element in self.open_buttons:
            self.open(self.open_buttons.index(event.ui_element))

    def update(self, dt: float) -> None:
        for index in list(self._copied):
            self._copied[index] -= dt
            if self._copied[index] <= 0:
                del self._copied[index]
                self.copy_buttons[index].set_text(key("contacts.copy"))

    def next_wakeup(self) -> float | None:
        return min(self._copied.values(), default=None)  # "Copied" goes back to "Copy"
