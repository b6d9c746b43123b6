"""Webinars: title, time in the visitor's time zone, whether it is upcoming, live or over; Join and Remind me.

The status follows the app's clock while the window is open: it is looked at once a second and only
the label of a row whose status changed is set again. Join opens the room in the system browser
(whenever the webinar has a URL, also before it starts). Remind me puts the webinar in the visitor's
agenda, Remove reminder takes it out; the hall then tells the visitor when it starts.
"""

from __future__ import annotations

import pygame
from pygame_gui.elements import UILabel, UITextBox

from expo_hall.agenda import browser
from expo_hall.agenda.reminders import until_change
from expo_hall.agenda.rows import ROW_H, WebinarRow, row_width, scrolling_list
from expo_hall.agenda.store import Entry
from expo_hall.agenda.when import when_text
from expo_hall.i18n import key, tr
from expo_hall.stands.package import Webinar
from expo_hall.stands.panels.base import Panel
from expo_hall.text import literal

CHECK_SECONDS = 1.0
MESSAGE_H = 28


class WebinarsPanel(Panel):
    tab = "webinars"

    def build(self) -> None:
        self.clock = self.app.time
        self.agenda = self.app.agenda
        self.rows: list[WebinarRow] = []
        self.message: UILabel | None = None
        webinars = self.exhibitor.webinars
        if not webinars:
            self.body = UITextBox(f"<i>{literal(tr('stand.no_webinars'))}</i>", pygame.Rect((0, 0), self.size),
                                  self.app.ui, container=self.panel, object_id="#stand_body")
            return
        w, h = self.size
        rect = pygame.Rect(0, 0, w, h - MESSAGE_H - 4)
        self.body = scrolling_list(self.app.ui, rect, self.panel, len(webinars))
        width = row_width(rect)
        for i, webinar in enumerate(webinars):
            row = WebinarRow(self.app.ui, self.body, i * ROW_H, width, self.html(webinar), webinar.starts, webinar.ends,
                             webinar.url, "webinar.remind",
                             on_join=lambda wb=webinar: self.join(wb),
                             on_action=lambda wb=webinar: self.toggle_reminder(wb))
            self.rows.append(row)
        self.message = UILabel(pygame.Rect(0, h - MESSAGE_H, w, MESSAGE_H), "", self.app.ui, container=self.panel,
                               object_id="#webinar_message")
        self._refresh_kept()
        self._agenda_version = -1
        self._check_status()

    def html(self, webinar: Webinar) -> str:
        return (f"<b>{literal(webinar.title_for(self.lang))}</b><br>"
                f"{literal(when_text(webinar.starts, webinar.ends))} · "
                f"{webinar.duration_minutes} {literal(tr('stand.minutes'))}")

    def entry(self, webinar: Webinar) -> Entry:
        return Entry.of(self.exhibitor, webinar)

    # -- actions -------------------------------------------------------------------------------
    def join(self, webinar: Webinar) -> bool:
        if not webinar.url:
            return False
        opened = browser.join(webinar.url)
        self.say("webinar.opening" if opened else "webinar.open_failed")
        return opened

    def toggle_reminder(self, webinar: Webinar) -> bool:
        """Remind me / Remove reminder; True when the webinar is in the agenda afterwards."""
        entry = self.entry(webinar)
        if entry.key in self.agenda:
            self.agenda.remove(entry.key)
            self.say("webinar.reminder_removed")
        else:
            self.agenda.add(entry)
            self.say("webinar.reminder_set")
        if self.agenda.save_error is not None:
            self.say("agenda.not_saved")
        self._sync_actions()
        return entry.key in self.agenda

    def say(self, name: str) -> None:
        if self.message is not None:
            self.message.set_text(key(name))

    # -- keeping up ----------------------------------------------------------------------------
    def _refresh_kept(self) -> None:
        """What the agenda keeps of these webinars follows the stand (a room's URL may have changed)."""
        for webinar in self.exhibitor.webinars:
            entry = self.entry(webinar)
            kept = self.agenda.get(entry.key)
            if kept is not None and kept != entry:
                self.agenda.add(entry)

    def _check_status(self) -> None:
        self._wait = CHECK_SECONDS
        now = self.clock.now()
        for row in self.rows:
            row.set_status(now)
        self._sync_actions(force=True)

    def _sync_actions(self, force: bool = False) -> None:
        if not force and self.agenda.version == self._agenda_version:
            return
        self._agenda_version = self.agenda.version
        for webinar, row in zip(self.exhibitor.webinars, self.rows, strict=True):
            reminded = self.entry(webinar).key in self.agenda
            row.set_action("webinar.unremind" if reminded else "webinar.remind",
                           enabled=reminded or row.status != "ended")

    def update(self, dt: float) -> None:
        if not self.rows:
            return
        self._wait -= dt
        if self._wait <= 0:
            self._check_status()
        else:
            self._sync_actions()  # the agenda may change elsewhere (the agenda window)

    def next_wakeup(self) -> float | None:
        if not self.rows:
            return None
        return until_change(((row.starts, row.ends) for row in self.rows), self.clock.now(), self._wait)
