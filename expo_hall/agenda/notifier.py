"""Telling the visitor that a reminded webinar has started, over whatever screen they are on.

The app calls `AgendaNotifier.update(dt)` every frame (from App.step); once a second it asks the
Reminders which reminded webinars have just started and shows each in a small always-on-top window
at the top right: the title, the exhibitor, the time, and Join. A notice stays until closed, joined,
or its webinar ends; three are shown at most, the others wait for a place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIButton, UITextBox, UIWindow

from expo_hall.agenda import browser
from expo_hall.agenda.glue import current_url
from expo_hall.agenda.reminders import Reminders, status
from expo_hall.agenda.store import Entry
from expo_hall.agenda.when import when_text
from expo_hall.i18n import key
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

CHECK_SECONDS = 1.0
NOTE_W, NOTE_H = 420, 204
TOP = 64  # below the hall's top bar
GAP = 8
MOST_SHOWN = 3


class Notification:
    """One started webinar's notice: a window with its text and Join."""

    def __init__(self, app: App, entry: Entry, rect: pygame.Rect, on_join: Callable[[Notification], object]) -> None:
        self.entry = entry
        self.window = UIWindow(rect, app.ui, window_display_title=key("agenda.reminder_title"),
                               object_id="#reminder", resizable=False, always_on_top=True)
        w, h = self.window.get_container().get_size()
        html = (f"<b>{literal(entry.title_for(app.lang))}</b><br>{literal(entry.exhibitor_name_for(app.lang))}<br>"
                f"{literal(when_text(entry.starts, entry.ends))}")
        self.text = UITextBox(html, pygame.Rect(6, 4, w - 12, h - 52), app.ui, container=self.window,
                              object_id="#reminder_text")
        self.join_button = UIButton(pygame.Rect(w - 148, h - 44, 140, 36), key("webinar.join"), app.ui,
                                    container=self.window, object_id="#webinar_join",
                                    command=lambda: on_join(self))
        if not current_url(app, entry):
            self.join_button.disable()

    @property
    def open(self) -> bool:
        return bool(self.window.alive())

    def close(self) -> None:
        self.window.kill()


class AgendaNotifier:
    def __init__(self, app: App) -> None:
        self.app = app
        self.reminders: Reminders | None = None
        self.shown: list[Notification] = []
        self.waiting: list[Entry] = []
        self._wait = 0.0
        self._size = app.size

    def update(self, dt: float) -> None:
        self._wait -= dt
        if self._wait <= 0:
            self._wait = CHECK_SECONDS
            self.check()
        self._tidy()

    def check(self) -> list[Entry]:
        """Show the reminded webinars that have started since the last check; returns them."""
        if not self.app.ready:
            return []
        agenda, clock = self.app.agenda, self.app.time
        if self.reminders is None or self.reminders.agenda is not agenda or self.reminders.clock is not clock:
            self.reminders = Reminders(agenda, clock)
        due = self.reminders.due()
        self.waiting.extend(due)
        now = clock.now()
        for note in self.shown:
            if status(note.entry.starts, note.entry.ends, now) == "ended":
                note.close()
        self.waiting = [e for e in self.waiting if status(e.starts, e.ends, now) != "ended"]
        return due

    def join(self, note: Notification) -> bool:
        opened = browser.join(current_url(self.app, note.entry))
        if opened:  # else the notice stays, Join can be tried again
            note.close()
        return opened

    def close_all(self) -> None:
        for note in self.shown:
            note.close()
        self.shown, self.waiting = [], []

    def _tidy(self) -> None:
        """Forget closed notices, show waiting ones where there is room, keep them in the corner."""
        before = len(self.shown)
        self.shown = [n for n in self.shown if n.open]
        moved = len(self.shown) != before or self._size != self.app.size
        self._size = self.app.size
        while self.waiting and len(self.shown) < MOST_SHOWN:
            entry = self.waiting.pop(0)
            self.shown.append(Notification(self.app, entry, self._rect(len(self.shown)), self.join))
        if moved:
            for i, note in enumerate(self.shown):
                note.window.set_position(self._rect(i).topleft)

    def _rect(self, i: int) -> pygame.Rect:
        w = self.app.size[0]
        return pygame.Rect(w - NOTE_W - 12, TOP + i * (NOTE_H + GAP), NOTE_W, NOTE_H)

