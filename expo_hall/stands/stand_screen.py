"""The stand window: the exhibitor's logo, name and details, with a tab per part of the stand."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIImage, UILabel, UITextBox, UIWindow

from expo_hall.floors.model import StandPlace
from expo_hall.frames import soonest
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.screens import WindowScreen
from expo_hall.stands.looks import STAND_WINDOW_LOGO
from expo_hall.stands.package import Exhibitor
from expo_hall.stands.panels.about import AboutPanel
from expo_hall.stands.panels.base import Panel
from expo_hall.stands.panels.chat import ChatPanel
from expo_hall.stands.panels.contacts import ContactsPanel
from expo_hall.stands.panels.materials import MaterialsPanel
from expo_hall.stands.panels.video import VideoPanel
from expo_hall.stands.panels.webinars import WebinarsPanel
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

PANELS: tuple[type[Panel], ...] = (AboutPanel, VideoPanel, MaterialsPanel, ContactsPanel, WebinarsPanel, ChatPanel)
LOGO = STAND_WINDOW_LOGO
TABS_Y = 140


class StandScreen(WindowScreen):
    def __init__(self, app: App, exhibitor: Exhibitor, stand: StandPlace | None) -> None:
        super().__init__(app)
        self.exhibitor = exhibitor
        self.stand = stand
        self.lang = app.lang
        self._shade: pygame.Surface | None = None
        rect = window_rect(app.size, 880, 640)
        self.window = UIWindow(rect, app.ui, window_display_title=exhibitor.name_for(self.lang),
                               object_id="#stand_window", resizable=False)
        inner_w, inner_h = self.window.get_container().get_size()
        logo = app.logos.get(exhibitor, LOGO)
        self.logo = UIImage(pygame.Rect(16, 14, logo.get_width(), logo.get_height()), logo, app.ui,
                            container=self.window)
        text_x = 16 + LOGO + 16
        # "Add to my route" / "On my route": top right, beside the name (shown when the hall is there)
        route_w = max(170, app.text.font(15).size(tr("route.stand_on"))[0] + 30) if app.hall is not None else 0
        self.name_box = UITextBox(f"<b>{literal(exhibitor.name_for(self.lang))}</b>",
                                  pygame.Rect(text_x, 8, inner_w - text_x - 12 - (route_w + 12 if route_w else 0), 72),
                                  app.ui,
                                  container=self.window, object_id="#stand_name")
        # "Leave my contact": top right, above the tabs, where the info line leaves room for it
        lead_w = max(150, app.text.font(15).size(tr("lead.button"))[0] + 36) if app.backend is not None else 0
        info_w = inner_w - text_x - 12 - (lead_w + 12 if lead_w else 0)
        self.info = UILabel(pygame.Rect(text_x, 84, info_w, 26), self._info_line(), app.ui,
                            container=self.window, object_id="#stand_info")
        self.lead_button: UIButton | None = None
        if lead_w:
            self.lead_button = UIButton(pygame.Rect(inner_w - 12 - lead_w, 80, lead_w, 34), key("lead.button"),
                                        app.ui, container=self.window, object_id="#lead_open",
                                        command=self.leave_contact)
        self.route_button: UIButton | None = None  # whether the stand is on the visitor's route; a click toggles
        if route_w:
            self.route_button = UIButton(pygame.Rect(inner_w - 12 - route_w, 12, route_w, 34), self._route_text(),
                                         app.ui, container=self.window, object_id="#route_toggle",
                                         command=self.toggle_route)
        self.tab_buttons: dict[str, UIButton] = {}
        self.panel_classes = [p for p in PANELS if p.available(exhibitor)]
        x = 16
        for panel_class in self.panel_classes:
            label = tr(f"stand.tab.{panel_class.tab}")
            width = max(110, app.text.font(15).size(label)[0] + 36)
            self.tab_buttons[panel_class.tab] = UIButton(pygame.Rect(x, TABS_Y, width, 34),
                                                         key(f"stand.tab.{panel_class.tab}"), app.ui,
                                                         container=self.window, object_id="#tab")
            x += width + 6
        self.panel_rect = pygame.Rect(16, TABS_Y + 42, inner_w - 32, inner_h - TABS_Y - 56)
        self.panels: dict[str, Panel] = {}
        self.tab = ""
        self.show_tab(self.panel_classes[0].tab)

    def _info_line(self) -> str:
        parts = []
        if self.stand is not None:
            parts.append(tr("popup.stand", number=self.stand.number))
            floor = self.app.expo.floor(self.stand.floor_id) if self.app.expo else None
            if floor is not None:
                parts.append(floor.title_for(self.lang))
        category = self.exhibitor.category_for(self.lang)
        if category and category not in parts:
            parts.append(category)
        return " · ".join(parts)

    @property
    def panel(self) -> Panel:
        return self.panels[self.tab]

    def show_tab(self, tab: str) -> Panel:
        """Show a tab, building its panel on first use."""
        if tab == self.tab:
            return self.panel
        if self.tab:
            self.panel.hide()
        if tab not in self.panels:
            panel_class = next(p for p in self.panel_classes if p.tab == tab)
            self.panels[tab] = panel_class(self, self.panel_rect)
        self.tab = tab
        self.panel.show()
        for name, button in self.tab_buttons.items():
            button.select() if name == tab else button.unselect()
        return self.panel

    def _route_text(self) -> str:
        return tr("route.stand_on" if self.exhibitor.exhibitor_id in self.app.route.stops else "route.stand_add")

    def toggle_route(self) -> None:
        hall = self.app.hall
        if hall is not None:
            hall.routes.toggle(self.exhibitor.exhibitor_id)
        if self.route_button is not None:
            self.route_button.set_text(self._route_text())

    def leave_contact(self) -> None:
        """The visitor's explicit choice to share their contact with this exhibitor (nothing is sent before
        they confirm it in the dialog)."""
        from expo_hall.stands.lead_dialog import open_lead_dialog

        open_lead_dialog(self.app, self.exhibitor)

    def logo_came(self, exhibitor: Exhibitor) -> None:
        """The exhibitor's logo came after the window opened (a first start): shown in place of the placeholder."""
        self.exhibitor = exhibitor
        self.logo.set_image(self.app.logos.get(exhibitor, LOGO))

    # -- screen ----------------------------------------------------------------------------------

    def leave(self) -> None:
        for panel in self.panels.values():
            panel.close()
        super().leave()
        self.app.release_memory()

    def event(self, event: pygame.event.Event) -> None:
        super().event(event)
        if self not in self.app.stack.screens:
            return  # that event closed the window: the panels are gone
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for tab, button in self.tab_buttons.items():
                if event.ui_element is button:
                    self.show_tab(tab)
        for panel in list(self.panels.values()):
            panel.event(event)

    def update(self, dt: float) -> None:
        for panel in self.panels.values():
            panel.update(dt)

    def wants_frame(self) -> bool:
        return any(panel.wants_frame() for panel in self.panels.values())

    def next_wakeup(self) -> float | None:
        return soonest(*(panel.next_wakeup() for panel in self.panels.values()))

    def draw_over(self, surface: pygame.Surface) -> None:
        if self.tab and self.panel.visible:
            self.panel.draw(surface)

    def draw(self, surface: pygame.Surface) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((20, 24, 32, 110))
        surface.blit(self._shade, (0, 0))


def refresh_stand(app: App, exhibitor: Exhibitor) -> None:
    """The exhibitor's content changed (a published version went live): its open stand window is made again in
    its place, on the same tab."""
    for i, screen in enumerate(app.stack.screens):
        if isinstance(screen, StandScreen) and screen.exhibitor.exhibitor_id == exhibitor.exhibitor_id:
            tab = screen.tab
            screen.leave()
            fresh = StandScreen(app, exhibitor, screen.stand)
            if any(p.tab == tab for p in fresh.panel_classes):
                fresh.show_tab(tab)
            app.stack.screens[i] = fresh
