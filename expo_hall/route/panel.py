"""The route panel beside the hall: the stops (number, floor, stand, name, logo), progress, and what to do
with them (reorder, remove, clear, best order, guide me, avoid stairs, and a conflict's three choices); or the
organizers' recommended routes, one of which a click copies into the visitor's own.

Built again whenever the route changes (an edit, the server's answer, a plan): never per frame.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UIButton, UIImage, UILabel, UIPanel, UIScrollingContainer, UITextBox

from expo_hall.i18n import tr
from expo_hall.layout import BAR_H, STRIP_H
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.route.controller import RouteController
    from expo_hall.server.schemas import RecommendedRouteOut

WIDTH = 440
ROW_H = 56
LOGO = 36
SCROLLBAR_W = 20
DRAG_PX = 8  # a press that moves further than this is a drag, not a click
SWITCH_W = 160  # the button between my route and the recommended ones
OFFER_H = 164  # a recommended route in the list: title, description, stops and "Take"


class RoutePanel:
    def __init__(self, ctl: RouteController) -> None:
        self.ctl = ctl
        self.app = ctl.app
        self.selected: str | None = None  # the stop the keys move or remove
        self.panel: UIPanel | None = None
        self.rows: dict[str, UIButton] = {}
        self.remove_buttons: dict[str, UIButton] = {}
        self.places: dict[str, UILabel] = {}  # each stop's stand, floor and visit time
        self.buttons: dict[str, UIButton] = {}
        self.summary: UILabel | None = None
        self.refusal: UITextBox | None = None  # why the server did not take the route
        self.area: UIScrollingContainer | None = None
        self._pressed: tuple[str, int] | None = None  # a row the mouse went down on, and where
        self.dragging: str | None = None  # the stop being dragged to another place
        self.drop_y = 0
        self.showing_recommended = False
        self.offer: RecommendedRouteOut | None = None  # a recommended route to take: replace mine or append?
        self.take_buttons: dict[str, UIButton] = {}
        self.descriptions: dict[str, UITextBox] = {}
        self.ask: UITextBox | None = None
        self.note: UITextBox | None = None  # why no recommended route is listed (asking, none, failed)
        self.build()

    @property
    def rect(self) -> pygame.Rect:
        w, h = self.app.size
        return pygame.Rect(12, BAR_H + 8, min(WIDTH, w - 24), max(260, h - BAR_H - STRIP_H - 56))  # above the hint

    def kill(self) -> None:
        if self.panel is not None:
            self.panel.kill()
            self.panel = None

    def build(self) -> None:
        """Lay the panel out again from the route as it is now."""
        self.kill()
        ui, route = self.app.ui, self.ctl.route
        rect = self.rect
        self.panel = panel = UIPanel(rect, starting_height=4, manager=ui, object_id="#route_panel")
        inner_w = panel.get_container().get_size()[0]
        done, total = route.progress()
        self.buttons = {}
        title = tr("route.recommended_title") if self.showing_recommended else tr("route.title", done=done, total=total)
        UILabel(pygame.Rect(10, 6, inner_w - 26 - SWITCH_W, 28), title, ui, container=panel, object_id="#route_title")
        self._button("switch", pygame.Rect(inner_w - 10 - SWITCH_W, 6, SWITCH_W, 28),
                     tr("route.back" if self.showing_recommended else "route.recommended"), self.switch)
        self.summary = UILabel(pygame.Rect(10, 34, inner_w - 20, 24), self.ctl.note, ui, container=panel)
        y = 62
        self.refusal = None
        if refusal := self.ctl.refusal():
            self.refusal = UITextBox(f'<font color="#b04a10">{literal(refusal)}</font>',
                                     pygame.Rect(6, y, inner_w - 12, 64), ui, container=panel)
            y += 68
        if self.showing_recommended:
            self._build_recommended(y, inner_w, rect.height)
            return
        if route.conflict is not None:
            UILabel(pygame.Rect(10, y, inner_w - 20, 24), tr("route.conflict"), ui, container=panel,
                    object_id="#route_conflict")
            y += 26
            bw = (inner_w - 20 - 12) // 3
            for i, choice in enumerate(("mine", "theirs", "merge")):
                self._button(f"resolve_{choice}", pygame.Rect(10 + i * (bw + 6), y, bw, 32), tr(f"route.{choice}"),
                             partial(self.ctl.resolve, choice))
            y += 40
        bottom = rect.height - 3 * 46 - 12
        self.rows, self.remove_buttons, self.places = {}, {}, {}
        self.area = area = UIScrollingContainer(pygame.Rect(6, y, inner_w - 12, bottom - y), ui, container=panel,
                                    allow_scroll_x=False)
        row_w = inner_w - 12 - SCROLLBAR_W
        area.set_scrollable_area_dimensions((row_w, max(bottom - y - 4, len(route.stops) * ROW_H)))
        if not route.stops:
            UITextBox(literal(tr("route.empty")), pygame.Rect(4, 4, row_w - 8, 60), ui, container=area)
        for i, exhibitor_id in enumerate(route.stops):
            self._row(area, i, exhibitor_id, row_w)
        bw = (inner_w - 20 - 6) // 2
        b1, b2, b3 = rect.height - 3 * 46 - 4, rect.height - 2 * 46 - 4, rect.height - 46 - 4
        self._button("best", pygame.Rect(10, b1, bw, 38), tr("route.best_order"), self.ctl.plan_best_order)
        self._button("guide", pygame.Rect(16 + bw, b1, bw, 38), tr("route.guide"), self.ctl.guide)
        stairs = tr("route.avoid_stairs_on" if route.avoid_stairs else "route.avoid_stairs_off")
        self._button("stairs", pygame.Rect(10, b2, bw, 38), stairs, self.ctl.toggle_avoid_stairs)
        self._button("clear", pygame.Rect(16 + bw, b2, bw, 38), tr("route.clear"), self.ctl.clear)
        self._button("visit", pygame.Rect(10, b3, inner_w - 20, 38), tr("visit.button"), self.ctl.save_visit)
        if self.ctl.saving or not (route.stops or route.visited):
            self.buttons["visit"].disable()
        if not route.stops:
            for name in ("best", "guide", "clear"):
                self.buttons[name].disable()

    def switch(self) -> None:
        self.showing_recommended, self.offer = not self.showing_recommended, None
        if self.showing_recommended and self.ctl.recommended is None:
            self.ctl.fetch_recommended()  # asked for when first wanted; the panel is built again on the answer
        self.build()

    def _build_recommended(self, y: int, inner_w: int, height: int) -> None:
        ui, ctl = self.app.ui, self.ctl
        self.take_buttons, self.descriptions, self.ask, self.note = {}, {}, None, None
        if self.offer is not None:  # the visitor's route is not empty: replace it, or add these after?
            title = self.offer.title_en if ctl.hall.lang == "en" and self.offer.title_en else self.offer.title
            ask = tr("route.take_ask", stops=len(ctl.route.stops), title=title)
            self.ask = UITextBox(f'<font color="#b04a10">{literal(ask)}</font>', pygame.Rect(6, y, inner_w - 12, 96),
                                 ui, container=self.panel)
            y += 100
            bw = (inner_w - 20 - 12) // 3
            for i, (name, command) in enumerate((("replace", partial(ctl.take, self.offer, "replace")),
                                                 ("append", partial(ctl.take, self.offer, "append")),
                                                 ("cancel", self.cancel_offer))):
                self._button(name, pygame.Rect(10 + i * (bw + 6), y, bw, 32), tr(f"route.{name}"), command)
            y += 40
        self.area = area = UIScrollingContainer(pygame.Rect(6, y, inner_w - 12, height - y - 12), ui,
                                                container=self.panel, allow_scroll_x=False)
        row_w = inner_w - 12 - SCROLLBAR_W
        routes = ctl.recommended or []
        area.set_scrollable_area_dimensions((row_w, max(height - y - 16, len(routes) * OFFER_H)))
        if not routes:
            say = (tr("route.recommended_failed", error=ctl.recommended_error) if ctl.recommended_error
                   else tr("route.recommended_loading") if ctl.recommended is None else tr("route.recommended_none"))
            self.note = UITextBox(literal(say), pygame.Rect(4, 4, row_w - 8, 80), ui, container=area)
        en = ctl.hall.lang == "en"
        for i, rec in enumerate(routes):
            top = i * OFFER_H
            UILabel(pygame.Rect(4, top + 2, row_w - 8, 26), rec.title_en if en and rec.title_en else rec.title,
                    ui, container=area, object_id="#route_title")
            about = (rec.description_en if en and rec.description_en else rec.description) or ""
            self.descriptions[rec.route_id] = UITextBox(literal(about), pygame.Rect(4, top + 28, row_w - 8, 92), ui,
                                                        container=area)
            UILabel(pygame.Rect(4, top + 124, row_w - 120, 30), tr("route.recommended_stops", stops=len(rec.stops)),
                    ui, container=area, object_id="#route_place")
            self.take_buttons[rec.route_id] = UIButton(pygame.Rect(row_w - 110, top + 124, 106, 32), tr("route.take"),
                                                       ui, container=area, command=partial(self.take, rec))

    def take(self, recommended: RecommendedRouteOut) -> None:
        """One click copies it into an empty route; a route with stops asks first."""
        if not self.ctl.route.stops:
            self.ctl.take(recommended, "replace")
        else:
            self.offer = recommended
            self.build()

    def cancel_offer(self) -> None:
        self.offer = None
        self.build()

    def _button(self, name: str, rect: pygame.Rect, text: str, command: Callable[[], None]) -> None:
        self.buttons[name] = UIButton(rect, text, self.app.ui, container=self.panel, command=command)

    def _row(self, area: UIScrollingContainer, i: int, exhibitor_id: str, row_w: int) -> None:
        ui, expo = self.app.ui, self.ctl.expo
        y = i * ROW_H
        ex = expo.exhibitors.get(exhibitor_id)
        if ex is not None:
            logo = self.app.logos.get(ex, LOGO)
            UIImage(pygame.Rect(2 + (LOGO - logo.get_width()) // 2, y + (ROW_H - logo.get_height()) // 2,
                                logo.get_width(), logo.get_height()), logo, ui, container=area)
        where = self._place_text(exhibitor_id)
        pointer = "» " if exhibitor_id == self.selected else ""
        name = ex.name_for(self.ctl.hall.lang) if ex is not None else exhibitor_id
        text_w = row_w - LOGO - 8 - 40
        row = UIButton(pygame.Rect(LOGO + 8, y + 2, text_w, 28), f"{pointer}{i + 1}. {name}", ui, container=area,
                       object_id="#route_row", command=lambda: self.select(exhibitor_id))
        self.places[exhibitor_id] = UILabel(pygame.Rect(LOGO + 8, y + 30, text_w, 22), where, ui, container=area,
                                            object_id="#route_place")
        if exhibitor_id == self.ctl.route.next_stop():
            row.select()
        self.rows[exhibitor_id] = row
        self.remove_buttons[exhibitor_id] = UIButton(
            pygame.Rect(row_w - 36, y + 2, 34, 28), "×", ui, container=area,
            tool_tip_text=tr("route.remove"), command=lambda: self.ctl.remove(exhibitor_id))

    def _place_text(self, exhibitor_id: str) -> str:
        where = self.ctl.stop_place(exhibitor_id, floor=not (visit := self.ctl.visit_text(exhibitor_id)))
        return f"{where} · {visit}" if visit else where  # the stand and the visit (the floor is behind)

    def refresh_place(self, exhibitor_id: str) -> None:
        """The stop's line again (its time at the stand grows while the visitor is there), when it reads otherwise."""
        label = self.places.get(exhibitor_id)
        if label is not None and label.alive():
            text = self._place_text(exhibitor_id)
            if text != label.text:
                label.set_text(text)

    def select(self, exhibitor_id: str) -> None:
        if self.dragging:
            return  # the end of a drag, not a click
        self.selected = None if self.selected == exhibitor_id else exhibitor_id
        self.build()

    # -- dragging a stop to another place --------------------------------------------------------
    def pointer(self, event: pygame.event.Event) -> None:
        """Mouse events: a row dragged more than a few pixels is dropped between the rows where it is let go."""
        t = event.type
        if t == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._pressed = next(((ex, event.pos[1]) for ex, row in self.rows.items()
                                  if row.rect.collidepoint(event.pos) and self._in_view(event.pos)), None)
        elif t == pygame.MOUSEMOTION and self._pressed is not None:
            if self.dragging or abs(event.pos[1] - self._pressed[1]) > DRAG_PX:
                self.dragging, self.drop_y = self._pressed[0], event.pos[1]
        elif t == pygame.MOUSEBUTTONUP and event.button == 1:
            dragged, self._pressed = self.dragging, None
            if dragged is not None:
                to = sum(1 for ex, row in self.rows.items() if ex != dragged and row.rect.centery <= event.pos[1])
                self.dragging = None
                self.ctl.move(dragged, to)

    def _in_view(self, pos: tuple[int, int]) -> bool:
        return self.area is not None and self.area.rect.collidepoint(pos)

    def draw_drag(self, surface: pygame.Surface) -> None:
        """Where the dragged stop would go: a line between the rows."""
        if self.dragging is None or self.area is None:
            return
        rows = [row.rect for ex, row in self.rows.items() if ex != self.dragging]
        above = [r for r in rows if r.centery <= self.drop_y]
        y = (above[-1].bottom + 12) if above else (rows[0].top - 2 if rows else self.area.rect.top)
        y = max(self.area.rect.top, min(self.area.rect.bottom, y))
        pygame.draw.line(surface, (238, 122, 20), (self.area.rect.x + 4, y), (self.area.rect.right - 24, y), 4)

    def contains(self, pos: tuple[int, int]) -> bool:
        return self.panel is not None and self.panel.rect.collidepoint(pos)
