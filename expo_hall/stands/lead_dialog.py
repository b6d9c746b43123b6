""""Leave my contact": the visitor fills in what they want to share with the exhibitor, reviews exactly what
will be sent, and only their "Share" sends it. What they shared is recorded in their briefcase."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UIPanel, UITextBox, UITextEntryBox, UITextEntryLine, UIWindow

from expo_hall.backend import NET_EVENT
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.net import ApiError, NetError, Offline
from expo_hall.net.models import SharedLead
from expo_hall.screens import WindowScreen
from expo_hall.stands.package import Exhibitor
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

log = logging.getLogger("expo_hall")
FIELDS = ("name", "organisation", "email", "phone", "note")  # in the order shown and sent
LIMITS = {"name": 80, "organisation": 200, "email": 254, "phone": 40, "note": 1000}  # the server's limits
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
PHONE = re.compile(r"^[0-9+()\-. ]+$")
GAP = 8
ROW_H = 36
LABEL_W = 150
BUTTON_H = 36


def open_lead_dialog(app: App, exhibitor: Exhibitor) -> LeadDialog | None:
    """The stand window's "Leave my contact" button: the dialog for this exhibitor (the open one, if any)."""
    if app.backend is None:
        return None
    for screen in app.stack.screens:
        if isinstance(screen, LeadDialog) and screen.exhibitor.exhibitor_id == exhibitor.exhibitor_id:
            return screen
    return app.stack.push(LeadDialog(app, exhibitor))


def problems(values: dict[str, str]) -> list[str]:
    """What is wrong with the form (translation names), as the server would see it; [] when it may be sent."""
    found = []
    if not values.get("name"):
        found.append("lead.need_name")
    if not values.get("email") and not values.get("phone"):
        found.append("lead.need_email_or_phone")
    if values.get("email") and not EMAIL.match(values["email"]):
        found.append("lead.bad_email")
    phone = values.get("phone", "")
    if phone and (not PHONE.match(phone) or not 3 <= sum(ch.isdigit() for ch in phone) <= 20):
        found.append("lead.bad_phone")
    found += [f"lead.too_long_{name}" for name in FIELDS if len(values.get(name, "")) > LIMITS[name]]
    return found


class LeadDialog(WindowScreen):
    """Two steps in one window: the form, then the review of exactly what is sent with "Share" and "Edit"."""

    def __init__(self, app: App, exhibitor: Exhibitor) -> None:
        super().__init__(app)
        self.exhibitor = exhibitor
        self.lang = app.lang
        self.exhibitor_name = exhibitor.name_for(self.lang)
        self.tag = ("lead", exhibitor.exhibitor_id, id(self))
        self.state = "form"  # "form", "review", "sending", "shared"
        self.reviewed: dict[str, str] | None = None  # what the review shows: exactly what "Share" sends
        self.sent: dict[str, str] | None = None
        self.result: SharedLead | None = None
        rect = window_rect(app.size, 620, 600)
        self.window = UIWindow(rect, app.ui, window_display_title=key("lead.title"), object_id="#lead_window",
                               resizable=False)
        iw, ih = self.window.get_container().get_size()
        ui = app.ui
        buttons_y = ih - GAP - BUTTON_H
        status_y = buttons_y - GAP - 56
        self.status = UITextBox("", pygame.Rect(GAP, status_y, iw - 2 * GAP, 56), ui, container=self.window,
                                object_id="#lead_status")
        body = pygame.Rect(GAP, GAP, iw - 2 * GAP, status_y - 2 * GAP)
        # the form
        self.form = UIPanel(body, manager=ui, container=self.window, object_id="#lead_form")
        fw, fh = self.form.get_container().get_size()
        self.intro = UITextBox(literal(tr("lead.intro", exhibitor=self.exhibitor_name)),
                               pygame.Rect(0, 0, fw, 58), ui, container=self.form, object_id="#lead_intro")
        self.entries: dict[str, UITextEntryLine | UITextEntryBox] = {}
        self.labels: dict[str, UILabel] = {}
        y = 58 + GAP
        for name in FIELDS:
            height = ROW_H if name != "note" else max(ROW_H * 2, fh - y)
            self.labels[name] = UILabel(pygame.Rect(0, y, LABEL_W, ROW_H), key(f"lead.field.{name}"), ui,
                                        container=self.form, object_id="#lead_label")
            field_rect = pygame.Rect(LABEL_W + GAP, y, fw - LABEL_W - GAP, height)
            if name == "note":
                entry: UITextEntryLine | UITextEntryBox = UITextEntryBox(field_rect, "", ui, container=self.form,
                                                                         placeholder_text=key("lead.note_hint"))
            else:
                entry = UITextEntryLine(field_rect, ui, container=self.form)
                entry.set_text_length_limit(LIMITS[name])
            self.entries[name] = entry
            y += height + GAP
        name = (app.backend.visitor_name if app.backend is not None else None) or ""
        self.entries["name"].set_text(name[:LIMITS["name"]])
        # the review
        self.review = UIPanel(body, manager=ui, container=self.window, object_id="#lead_review", visible=False)
        rw, rh = self.review.get_container().get_size()
        self.summary = UITextBox("", pygame.Rect(0, 0, rw, rh), ui, container=self.review,
                                 object_id="#lead_summary")
        # the buttons: [Review | Share] [Edit] ... [Cancel | Close]
        self.review_button = UIButton(pygame.Rect(GAP, buttons_y, 180, BUTTON_H), key("lead.review"), ui,
                                      container=self.window, object_id="#lead_review_button")
        self.share_button = UIButton(pygame.Rect(GAP, buttons_y, 180, BUTTON_H), key("lead.share"), ui,
                                     container=self.window, object_id="#lead_share", visible=False)
        self.edit_button = UIButton(pygame.Rect(GAP * 2 + 180, buttons_y, 150, BUTTON_H), key("lead.edit"), ui,
                                    container=self.window, object_id="#lead_edit", visible=False)
        self.cancel_button = UIButton(pygame.Rect(iw - GAP - 150, buttons_y, 150, BUTTON_H), key("lead.cancel"), ui,
                                      container=self.window, object_id="#lead_cancel")

    # -- the steps -------------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        """The form as it would be sent: trimmed; empty fields left out."""
        found = {}
        for name, entry in self.entries.items():
            text = entry.get_text().replace("\r\n", "\n").strip()
            if name != "note":
                text = " ".join(text.split())
            if text:
                found[name] = text
        return found

    def say(self, text: str, detail: str = "") -> None:
        self.status.set_text(literal(text) + (f"<br>{literal(detail)}" if detail else ""))

    def to_review(self) -> bool:
        """Check the form and show exactly what would be sent; False (and why) when it cannot be sent."""
        values = self.values()
        wrong = problems(values)
        if wrong:
            self.say(" ".join(tr(name) for name in wrong))
            return False
        self.reviewed = values
        rows = [f"<b>{literal(tr(f'lead.field.{name}'))}:</b> {literal(values[name])}" for name in FIELDS
                if name in values]
        self.summary.set_text(f"{literal(tr('lead.review_intro', exhibitor=self.exhibitor_name))}<br><br>"
                              + "<br>".join(rows))
        self._show("review")
        self.say(tr("lead.review_hint"))
        return True

    def to_form(self) -> None:
        self.reviewed = None
        self._show("form")
        self.say("")

    def share(self) -> bool:
        """Send exactly what the review shows (the visitor's explicit choice)."""
        if self.state != "review" or self.reviewed is None or self.app.backend is None:
            return False
        self.sent = dict(self.reviewed)
        net = self.app.backend.network
        values = dict(self.sent)
        net.call(self.tag, net.client.share_lead, self.exhibitor.exhibitor_id, values.pop("name"), **values)
        self._show("sending")
        self.say(tr("lead.sending"))
        return True

    def _show(self, state: str) -> None:
        self.state = state
        form, review = state == "form", state in ("review", "sending", "shared")
        self.form.show() if form else self.form.hide()
        self.review.show() if review else self.review.hide()
        self.review_button.show() if form else self.review_button.hide()
        for button in (self.share_button, self.edit_button):
            button.show() if state in ("review", "sending") else button.hide()
            button.enable() if state == "review" else button.disable()
        self.cancel_button.set_text(key("lead.close" if state == "shared" else "lead.cancel"))

    def _answered(self, result: object) -> None:
        if isinstance(result, SharedLead):
            self.result = result
            lead = result.lead
            reached = ", ".join(v for v in (lead.email, lead.phone) if v)
            title = reached + (f" — {lead.note}" if lead.note else "")
            try:
                self.app.briefcase.add_shared(self.exhibitor.exhibitor_id, title,
                                                  lead.updated_at or dt.datetime.now(dt.UTC),
                                                  exhibitor_name=self.exhibitor_name)
            except OSError as exc:
                log.warning("the shared contact could not be recorded in the briefcase: %s", exc)
            self._show("shared")
            self.say(tr("lead.shared", exhibitor=self.exhibitor_name))
            return
        self._show("review")
        if isinstance(result, Offline):
            self.say(tr("lead.offline"))
        elif isinstance(result, ApiError):
            self.say(tr("lead.refused"), result.message)
        elif isinstance(result, NetError):
            self.say(tr("lead.failed"), str(result))
        else:
            log.error("sharing the contact failed: %r", result)
            self.say(tr("lead.failed"), str(result))

    # -- screen ----------------------------------------------------------------------------------
    def event(self, event: pygame.event.Event) -> None:
        super().event(event)
        if event.type == NET_EVENT and getattr(event, "tag", None) == self.tag:
            self._answered(event.result)
        elif event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.review_button:
                self.to_review()
            elif event.ui_element is self.share_button:
                self.share()
            elif event.ui_element is self.edit_button:
                self.to_form()
            elif event.ui_element is self.cancel_button:
                self.close()
