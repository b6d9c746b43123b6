"""The stand window: the exhibitor's logo, name, description and contacts, in tabs with room to grow."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIImage, UILabel, UITextBox, UIWindow

from expo_hall.floors.model import StandPlace
from expo_hall.i18n import key, tr
from expo_hall.input import Back, Intent
from expo_hall.screens import Screen
from expo_hall.stands.package import Exhibitor
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

TABS = ("about", "contacts", "materials", "webinars")
LOGO = 112


class StandScreen(Screen):
    opaque = False

    def __init__(self, app: App, exhibitor: Exhibitor, stand: StandPlace | None) -> None:
        super().__init__(app)
        self.exhibitor = exhibitor
        self.stand = stand
        self.lang = app.lang
        self.tab = "about"
        self._shade: pygame.Surface | None = None
        w, h = app.size
        size = (min(860, w - 60), min(620, h - 90))
        rect = pygame.Rect((0, 0), size)
        rect.center = (w // 2, h // 2 + 20)
        self.window = UIWindow(rect, app.ui, window_display_title=exhibitor.name_for(self.lang),
                               object_id="#stand_window", resizable=False)
        inner_w = self.window.get_container().get_size()[0]
        logo = app.logos.get(exhibitor, LOGO)
        self.logo = UIImage(pygame.Rect(16, 14, logo.get_width(), logo.get_height()), logo, app.ui,
                            container=self.window)
        text_x = 16 + LOGO + 16
        self.name_box = UITextBox(f"<b>{literal(exhibitor.name_for(self.lang))}</b>",
                                  pygame.Rect(text_x, 8, inner_w - text_x - 12, 72), app.ui,
                                  container=self.window, object_id="#stand_name")
        self.info = UILabel(pygame.Rect(text_x, 84, inner_w - text_x - 12, 26), self._info_line(), app.ui,
                            container=self.window, object_id="#stand_info")
        self.tab_buttons: dict[str, UIButton] = {}
        x = 16
        for tab in TABS:
            label = tr(f"stand.tab.{tab}")
            width = max(110, app.text.font(15).size(label)[0] + 36)
            self.tab_buttons[tab] = UIButton(pygame.Rect(x, 140, width, 34), key(f"stand.tab.{tab}"), app.ui,
                                             container=self.window, object_id="#tab")
            x += width + 6
        container_h = self.window.get_container().get_size()[1]
        self.body = UITextBox(self.tab_html(), pygame.Rect(16, 182, inner_w - 32, container_h - 196), app.ui,
                              container=self.window, object_id="#stand_body")
        self._mark_tab()

    # -- content ------------------------------------------------------------------------------
    def _info_line(self) -> str:
        parts = []
        if self.stand is not None:
            parts.append(tr("popup.stand", number=self.stand.number))
            floor = self.app.expo.floor(self.stand.floor_id)
            if floor is not None:
                parts.append(floor.title_for(self.lang))
        category = self.exhibitor.category_for(self.lang)
        if category:
            parts.append(category)
        return " · ".join(parts)

    def tab_html(self, tab: str | None = None) -> str:
        tab = tab or self.tab
        ex = self.exhibitor
        if tab == "about":
            text = ex.description_for(self.lang)
            return literal(text) if text else f"<i>{literal(tr('stand.no_description'))}</i>"
        if tab == "contacts":
            c = ex.contacts
            rows = [(tr(f"contacts.{k}"), getattr(c, k)) for k in ("email", "phone", "website", "address")]
            rows += [(k.capitalize(), v) for k, v in c.messengers.items()]
            shown = [f"<b>{literal(label)}:</b> {literal(value)}" for label, value in rows if value]
            return "<br>".join(shown) if shown else f"<i>{literal(tr('stand.no_contacts'))}</i>"
        if tab == "materials":
            lines = []
            for m in ex.materials:
                if m.file is not None:
                    kind = m.file.suffix.lstrip(".").upper() or "—"
                    size = _size(m.file.stat().st_size) if m.file.exists() else "?"
                    lines.append(f"• <b>{literal(m.title_for(self.lang))}</b> — {literal(kind)}, {literal(size)}")
                else:
                    lines.append(f"• <b>{literal(m.title_for(self.lang))}</b> — {literal(m.url or '')}")
            return "<br>".join(lines) if lines else f"<i>{literal(tr('stand.no_materials'))}</i>"
        if tab == "webinars":
            now = dt.datetime.now(dt.UTC)
            lines = []
            for w in ex.webinars:
                local = w.starts.astimezone()
                status = "ended" if now >= w.ends else "live" if now >= w.starts else "upcoming"
                when = f"{local:%d.%m.%Y %H:%M} ({local:%Z})"
                lines.append(f"• <b>{literal(w.title_for(self.lang))}</b><br>   {literal(when)}, "
                             f"{w.duration_minutes} {literal(tr('stand.minutes'))} — "
                             f"{literal(tr('webinar.' + status))}")
            return "<br>".join(lines) if lines else f"<i>{literal(tr('stand.no_webinars'))}</i>"
        raise ValueError(tab)

    def show_tab(self, tab: str) -> None:
        self.tab = tab
        self.body.set_text(self.tab_html())
        self._mark_tab()

    def _mark_tab(self) -> None:
        for tab, button in self.tab_buttons.items():
            if tab == self.tab:
                button.select()
            else:
                button.unselect()

    # -- screen ----------------------------------------------------------------------------------
    def close(self) -> None:
        self.app.stack.pop(self)

    def leave(self) -> None:
        self.window.kill()

    def handle(self, intent: Intent) -> None:
        if isinstance(intent, Back):
            self.close()

    def event(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.window:
            self.close()
        elif event.type == pygame_gui.UI_BUTTON_PRESSED:
            for tab, button in self.tab_buttons.items():
                if event.ui_element is button:
                    self.show_tab(tab)

    def draw(self, surface: pygame.Surface) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((20, 24, 32, 110))
        surface.blit(self._shade, (0, 0))


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
