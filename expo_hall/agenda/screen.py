"""The agenda window over the hall: the reminded webinars in time order, Join, Remove, Export .ics."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIButton, UITextBox, UIWindow

from expo_hall.agenda import glue
from expo_hall.agenda.glue import current_url, exhibitor_names
from expo_hall.agenda.ics import export_ics
from expo_hall.agenda.reminders import until_change
from expo_hall.agenda.rows import ROW_H, WebinarRow, row_width, scrolling_list
from expo_hall.agenda.store import Entry
from expo_hall.agenda.when import when_text
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.screens import WindowScreen
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

CHECK_SECONDS = 1.0
EXPORT_W = 220


class AgendaScreen(WindowScreen):
    opaque = False

    def __init__(self, app: App, export_path: Path | None = None) -> None:
        super().__init__(app)
        self.lang = app.lang
        self.agenda = app.agenda
        self.clock = app.time
        self.export_path = export_path  # None: the Downloads folder (else the data folder)
        self.exported: Path | None = None
        self._shade: pygame.Surface | None = None
        rect = window_rect(app.size, 900, 620)
        self.window = UIWindow(rect, app.ui, window_display_title=key("agenda.title"), object_id="#agenda_window",
                               resizable=False)
        inner_w, inner_h = self.window.get_container().get_size()
        # the list; below it Export .ics on the right; at the bottom, the whole width for where it was written
        self.list_rect = pygame.Rect(16, 12, inner_w - 32, inner_h - 12 - 132)
        self.export_button = UIButton(pygame.Rect(inner_w - 16 - EXPORT_W, inner_h - 124, EXPORT_W, 40),
                                      key("agenda.export"), app.ui, container=self.window,
                                      object_id="#agenda_export", command=self.export)
        self.message = UITextBox("", pygame.Rect(16, inner_h - 78, inner_w - 32, 72), app.ui,
                                 container=self.window, object_id="#agenda_message")
        self.rows: list[WebinarRow] = []
        self.entries: list[Entry] = []
        self.body: object | None = None
        self._version = -1
        self._wait = 0.0
        self.rebuild()

    # -- the list ------------------------------------------------------------------------------
    def rebuild(self) -> None:
        for row in self.rows:
            row.kill()
        if self.body is not None:
            self.body.kill()  # type: ignore[attr-defined]
        self._version = self.agenda.version
        self.entries = self.agenda.entries()
        self.rows = []
        ui = self.app.ui
        if not self.entries:
            self.body = UITextBox(f"<i>{literal(tr('agenda.empty'))}</i>", self.list_rect, ui, container=self.window,
                                  object_id="#agenda_empty")
            self.export_button.disable()
            return
        self.export_button.enable()
        self.body = area = scrolling_list(ui, self.list_rect, self.window, len(self.entries))
        width = row_width(self.list_rect)
        for i, entry in enumerate(self.entries):
            self.rows.append(WebinarRow(ui, area, i * ROW_H, width, self.html(entry), entry.starts, entry.ends,
                                        current_url(self.app, entry), "agenda.remove",
                                        on_join=lambda e=entry: self.join(e),
                                        on_action=lambda e=entry: self.remove(e)))
        self._check_status()

    def html(self, entry: Entry) -> str:
        name = exhibitor_names(self.app).get(entry.exhibitor_id) or entry.exhibitor_name_for(self.lang)
        return (f"<b>{literal(entry.title_for(self.lang))}</b><br>{literal(name)}<br>"
                f"{literal(when_text(entry.starts, entry.ends))}")

    def row_of(self, entry: Entry) -> WebinarRow:
        return self.rows[self.entries.index(entry)]

    # -- actions -------------------------------------------------------------------------------
    def join(self, entry: Entry) -> bool:
        return glue.join(self.app, entry)

    def remove(self, entry: Entry) -> None:
        self.agenda.remove(entry.key)  # the list is rebuilt on the next frame, not inside the click

    def export(self) -> Path | None:
        try:
            path = export_ics(self.agenda.entries(), self.export_path, self.clock.now(), self.lang,
                              exhibitor_names(self.app))
        except OSError as exc:
            self.message.set_text(literal(tr("agenda.export_failed", error=exc)))
            return None
        self.exported = path
        self.message.set_text(f"{literal(tr('agenda.exported'))}<br><b>{literal(str(path))}</b>")
        return path

    # -- screen --------------------------------------------------------------------------------
    def _check_status(self) -> None:
        self._wait = CHECK_SECONDS
        now = self.clock.now()
        for row in self.rows:
            row.set_status(now)

    def update(self, dt: float) -> None:
        if self.agenda.version != self._version:
            self.rebuild()
            return
        self._wait -= dt
        if self._wait <= 0:
            self._check_status()

    def next_wakeup(self) -> float | None:
        return until_change(((row.starts, row.ends) for row in self.rows), self.clock.now(), self._wait)

    def draw(self, surface: pygame.Surface) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((20, 24, 32, 110))
        surface.blit(self._shade, (0, 0))


def open_agenda(app: App, export_path: Path | None = None) -> AgendaScreen:
    """Show the agenda window (or bring the open one back to the top)."""
    screen = app.stack.find(AgendaScreen)
    if isinstance(screen, AgendaScreen):
        if app.stack.top is not screen:
            app.stack.pop(screen)
            app.stack.push(screen := AgendaScreen(app, export_path or screen.export_path))
        return screen
    pushed = AgendaScreen(app, export_path)
    app.stack.push(pushed)
    return pushed
