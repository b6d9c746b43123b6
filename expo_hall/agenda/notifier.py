"""Telling the visitor that a reminded webinar or a bookmarked programme event starts, over whatever screen they
are on.

The app calls `AgendaNotifier.update(dt)` every frame (from App.step); once a second it asks the
Reminders which reminded webinars have just started and shows each in a small always-on-top window
in the notice strip along the bottom of the app's window (expo_hall.layout), which no other window
reaches: a notice never covers the buttons of what is open beneath it. It shows the title, the
exhibitor, the time, and Join; it stays until closed, joined, or its webinar ends. As many as fit
side by side are shown (three at most), from the right; the others wait for a place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIButton, UITextBox, UIWindow

from expo_hall.agenda import glue
from expo_hall.agenda.glue import current_url
from expo_hall.agenda.reminders import Reminders, reminder_spans, status, until_change
from expo_hall.agenda.store import Entry
from expo_hall.agenda.when import when_text
from expo_hall.i18n import key
from expo_hall.layout import NOTICE_H, notice_strip
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

CHECK_SECONDS = 1.0
NOTE_W = 480
GAP = 8
MOST_SHOWN = 3
JOIN_W = 116
TEXT_SIZE, TEXT_PADDING = 13, 4  # as the theme's #reminder_text has them


class Notification:
    """One started webinar's notice: a window with its text and Join."""

    def __init__(self, app: App, entry: Entry, rect: pygame.Rect, on_join: Callable[[Notification], object]) -> None:
        self.entry = entry
        title_key = "agenda.event_reminder_title" if entry.guid else "agenda.reminder_title"
        self.window = UIWindow(rect, app.ui, window_display_title=key(title_key),
                               object_id="#reminder", resizable=False, always_on_top=True,
                               ignore_shadow_for_initial_size_and_pos=False)  # `rect` is all it covers
        self.window.set_minimum_dimensions((0, 0))  # pygame-gui makes a window 100 px high at least
        self.window.set_dimensions(rect.size)
        w, h = self.window.get_container().get_size()
        # three lines at most (the title's two, whose and when), each cut with … to fit: no scrolling in a notice
        room = w - JOIN_W - 10 - 2 * TEXT_PADDING - 6
        title = app.text.wrap(entry.title_for(app.lang), TEXT_SIZE, room, bold=True, max_lines=2)
        where = app.text.wrap(f"{entry.exhibitor_name_for(app.lang)} · {when_text(entry.starts, entry.ends)}",
                              TEXT_SIZE, room, max_lines=1)
        html = "<br>".join([f"<b>{literal(line)}</b>" for line in title] + [literal(where[0])])
        self.text = UITextBox(html, pygame.Rect(2, 0, w - JOIN_W - 10, h), app.ui, container=self.window,
                              object_id="#reminder_text")
        self.join_button = UIButton(pygame.Rect(w - JOIN_W - 4, (h - 34) // 2, JOIN_W, 34), key("webinar.join"),
                                    app.ui, container=self.window, object_id="#webinar_join",
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

    def next_wakeup(self) -> float | None:
        """Seconds until a reminder is due or an entry ends (the app's idle wait wakes then), once a second at most."""
        if not self.app.ready:
            return None
        if self.reminders is None:
            return max(0.0, self._wait)  # the first look, at the webinars that started while the app was closed
        agenda = self.app.agenda
        return until_change(reminder_spans(agenda.entries(), agenda.remind_before), self.app.time.now(), self._wait)

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
        opened = glue.join(self.app, note.entry)
        if opened:  # else the notice stays, Join can be tried again
            note.close()
        return opened

    def close_all(self) -> None:
        for note in self.shown:
            note.close()
        self.shown, self.waiting = [], []

    @property
    def room(self) -> int:
        """How many notices fit side by side in the strip."""
        return max(1, min(MOST_SHOWN, (self.app.size[0] - 24 + GAP) // (NOTE_W + GAP)))

    def _tidy(self) -> None:
        """Forget closed notices, show waiting ones where there is room, keep them in the strip."""
        before = len(self.shown)
        self.shown = [n for n in self.shown if n.open]
        moved = len(self.shown) != before or self._size != self.app.size
        self._size = self.app.size
        while len(self.shown) > self.room:  # the window got narrower: the last ones wait again
            note = self.shown.pop()
            note.close()
            self.waiting.insert(0, note.entry)
        while self.waiting and len(self.shown) < self.room:
            entry = self.waiting.pop(0)
            self.shown.append(Notification(self.app, entry, self.rect(len(self.shown)), self.join))
        if moved:
            for i, note in enumerate(self.shown):
                note.window.set_position(self.rect(i).topleft)

    def rect(self, i: int) -> pygame.Rect:
        """The place of the i-th notice, counted from the right of the notice strip."""
        strip = notice_strip(self.app.size)
        right = strip.right - 12 - i * (NOTE_W + GAP)
        return pygame.Rect(right - NOTE_W, strip.y + (strip.height - NOTICE_H) // 2, NOTE_W, NOTICE_H)

