"""Telling people what went wrong with the content (a list of problems, or a screen when nothing opens), or that
the hall shows the cache's copy because the server did not answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UITextBox, UIWindow

from expo_hall.agenda.when import local
from expo_hall.i18n import tr
from expo_hall.layout import window_rect
from expo_hall.problems import Problem, Severity
from expo_hall.screens import WindowScreen
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App
    from expo_hall.net.expo_source import SavedAnswer


def problems_html(intro: str, problems: list[Problem]) -> str:
    """Errors (what could not be used) under `intro`, then warnings (what works, but not as its author meant:
    a path leaving its folder, a logo too big, ...) under a heading of their own."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]  # info is for the log only
    parts = []
    for heading, found in ((intro, errors), (tr("problems.warnings"), warnings)):
        if found:
            parts.append(f"<b>{literal(heading)}</b><br><br>" + "<br>".join(_row(p) for p in found))
    return "<br><br>".join(parts)


def _row(found: Problem) -> str:
    """The fault, then what to do about it."""
    fix = found.fix(tr)
    return f"• {literal(found.text(tr))}" + (f" <i>— {literal(fix)}</i>" if fix else "")


class NoticeScreen(WindowScreen):
    """A window over whatever is beneath, closed with Escape or its close button.

    When nothing can be shown beneath (no floor opened), it is opaque and stays.
    """

    def __init__(self, app: App, title: str, html: str, closable: bool = True) -> None:
        super().__init__(app)
        self.opaque = not closable
        self.closable = closable
        rect = window_rect(app.size, 760, 460)
        self.window = UIWindow(rect, app.ui, window_display_title=title, object_id="#notice")
        size = self.window.get_container().get_size()
        self.body = UITextBox(html, pygame.Rect(8, 8, size[0] - 16, size[1] - 16), app.ui, container=self.window)

    def close(self) -> None:
        if self.closable:
            super().close()
        else:  # nothing beneath to go back to: closing it ends the app
            self.app.running = False

    def draw(self, surface: pygame.Surface) -> None:
        if self.opaque:
            surface.fill((226, 223, 214))


def problems_notice(app: App, problems: list[Problem]) -> NoticeScreen:
    return NoticeScreen(app, tr("problems.title"), problems_html(tr("problems.intro"), problems))


def offline_notice(app: App, copy: SavedAnswer) -> NoticeScreen:
    """The server did not answer at start: what the visitor sees is the copy kept in the cache, and what works."""
    where = app.settings.server or tr("loading.embedded")
    text = tr("offline.notice", where=where, when=saved_when(copy))
    return NoticeScreen(app, tr("offline.title"), literal(text).replace("\n", "<br>"))


def saved_when(copy: SavedAnswer) -> str:
    """When the copy was kept, on the visitor's clock: "27.04.2020 11:05"."""
    return f"{local(copy.saved):%d.%m.%Y %H:%M}"


def no_floors_notice(app: App, problems: list[Problem]) -> NoticeScreen:
    return NoticeScreen(app, tr("problems.title"), problems_html(tr("problems.no_floors"), problems), closable=False)
