"""The hall: a floor to walk, stands to hover and enter, a floor selector, search and a minimap."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UIPanel, UISelectionList, UITextEntryLine

from expo_hall.agenda.when import local
from expo_hall.backend import NET_EVENT
from expo_hall.expo import Expo
from expo_hall.floors.camera import Camera
from expo_hall.floors.geometry import Rect
from expo_hall.floors.minimap import Minimap
from expo_hall.floors.model import Floor, StandPlace
from expo_hall.floors.popup import HoverPopup
from expo_hall.floors.renderer import FloorRenderer
from expo_hall.floors.visitor import ArrivedAtStand, Blocked, ChangedFloor, Visitor
from expo_hall.forum.halls import ForumHalls
from expo_hall.i18n import key, tr
from expo_hall.input import Back, Click, Hover, Intent, Zoom
from expo_hall.layout import BAR_H, STRIP_H
from expo_hall.net import STATUS, ConnectionStatus
from expo_hall.route.controller import RouteController
from expo_hall.route.overlay import FloorOverlay, draw_on_floor, draw_visited, minimap_image
from expo_hall.route.result_buttons import ResultButtons
from expo_hall.screens import Screen
from expo_hall.stands.package import Exhibitor
from expo_hall.text import shortened

if TYPE_CHECKING:
    from expo_hall.app import App
    from expo_hall.organizer.mode import OrganizerMode

TITLE_MIN_W = 220
TOAST_SECONDS = 4.0
AVATAR = (226, 74, 51)
SEARCH_W, FLOOR_W, AGENDA_W, BRIEFCASE_W, DESK_W, ROUTE_W, PROGRAMME_W = 290, 270, 160, 120, 130, 150, 130
KEY_PROGRAMME = pygame.K_f  # the forum's programme
RESULTS_SHOWN = 8


class HallScreen(Screen):
    def __init__(self, app: App, floor_id: str) -> None:
        super().__init__(app)
        self.expo = app.expo
        self.lang = app.lang
        self.visitor = Visitor(self.expo, floor_id)
        self.camera = Camera(app.size, (self.floor.width, self.floor.height))
        self.camera.center_on(self.visitor.pos)
        self.popup = HoverPopup(self.expo.exhibitors, app.logos, app.text, self.lang)
        self._renderers: dict[str, FloorRenderer] = {}
        self._minimaps: dict[str, Minimap] = {}
        self.hovered: StandPlace | None = None
        self.popup_rect: pygame.Rect | None = None
        self.pending_open: StandPlace | None = None
        self.toast: str | None = None
        self._toast_left = 0.0
        self.results: list[Exhibitor] = []
        self._result_items: dict[str, Exhibitor] = {}
        self.results_list: UISelectionList | None = None
        self.forum = ForumHalls(app)  # the forum floor's halls (the business programme)
        status = app.net_status  # the network may have spoken before the hall was up
        self.online: bool | None = status.online if status is not None else None  # None: not known yet
        self.floor_menu: UIDropDownMenu | None = None
        self.routes = RouteController(self)  # the visitor's personal route: panel, visits, guidance, drawing
        self.result_buttons = ResultButtons(self.routes)  # "+": a search result onto the route
        self._route_minimap: tuple[tuple, pygame.Surface] | None = None
        self.organizer: OrganizerMode | None = None  # --organizer: overlay, findings, files read again when saved
        self._visited_stands: tuple[tuple, list[Rect]] | None = None
        self._build_bar()
        self._show_floor(announce=False)
        if app.organizer_start is not None:
            from expo_hall.organizer.mode import OrganizerMode

            self.organizer = OrganizerMode(self, app.organizer_start)

    # -- state -------------------------------------------------------------------------------
    @property
    def floor(self) -> Floor:
        return self.visitor.floor

    @property
    def renderer(self) -> FloorRenderer:
        r = self._renderers.get(self.floor.floor_id)
        if r is None:
            r = FloorRenderer(self.floor, self.expo.exhibitors, self.app.logos, self.app.text, self.lang,
                              self.app.tiles.get(self.floor.floor_id))
            self._renderers[self.floor.floor_id] = r
        return r

    def stand_changed(self, exhibitor_id: str) -> None:
        """A stand's content changed (a published version went live): the floors show its new logo."""
        for r in self._renderers.values():
            r.forget(exhibitor_id)

    def logos_changed(self, exhibitor_ids: set[str]) -> None:
        """These exhibitors' logos came after the hall opened: the floors and the hover cards draw them."""
        for r in self._renderers.values():
            r.forget(*exhibitor_ids)
        self.popup.forget()
        if self.routes.panel is not None and self.routes.panel.panel is not None:
            self.routes.panel.build()  # its rows show the logos too

    @property
    def minimap(self) -> Minimap:
        m = self._minimaps.get(self.floor.floor_id)
        if m is None:
            m = self._minimaps[self.floor.floor_id] = Minimap(self.floor)
        m.place(self.app.size)
        return m

    @property
    def route_busy(self) -> bool:
        """The route is being worked on or followed (planning, its lines computed, guidance): an idle-aware loop
        keeps stepping while this holds, as it does while the visitor walks."""
        return self.routes.busy

    def say(self, text: str) -> None:
        self.toast = text
        self._toast_left = TOAST_SECONDS

    # -- GUI -----------------------------------------------------------------------------------
    def _bar_slots(self) -> dict[str, pygame.Rect]:
        """The top bar's places, laid from the right edge leftwards; the floor's title takes what is left.

        In a narrow window the search box and the floor menu give up width first; if the title would still
        have too little room it is left out (the floor menu names the floor too).
        """
        w, gap, y, h = self.app.size[0], 8, 10, 36
        places = {"search": SEARCH_W, "floor": FLOOR_W, "programme": PROGRAMME_W, "route": ROUTE_W,
                  "agenda": AGENDA_W, "briefcase": BRIEFCASE_W}
        if self.app.backend is not None:  # the stand's desk, for representatives (or the window to sign in)
            places["desk"] = DESK_W
        shortfall = sum(places.values()) + gap * len(places) + 24 + TITLE_MIN_W - w
        for name, least in (("search", 180), ("floor", 200)):
            give = min(max(0, shortfall), places[name] - least)
            places[name] -= give
            shortfall -= give
        slots: dict[str, pygame.Rect] = {}
        right = w - 12
        for name, width in places.items():
            slots[name] = pygame.Rect(right - width, y, width, h)
            right -= width + gap
        room = right - 12
        slots["title"] = pygame.Rect(12, 0, max(1, room), 36)
        slots["status"] = pygame.Rect(12, 34, max(90, room), 20)
        return slots

    def _build_bar(self) -> None:
        ui = self.app.ui
        slots = self._bar_slots()
        self.bar = UIPanel(pygame.Rect(0, 0, self.app.size[0], BAR_H), manager=ui, object_id="#top_bar")
        self.title = UILabel(slots["title"], "", ui, container=self.bar, object_id="#floor_title",
                             visible=slots["title"].width >= TITLE_MIN_W)
        self.net_label = UILabel(slots["status"], "", ui, container=self.bar, object_id="#net_checking",
                                 visible=self.app.backend is not None)
        self.agenda_button = UIButton(slots["agenda"], key("agenda.open"), ui, container=self.bar,
                                      object_id="#agenda_open", command=self.open_agenda)
        self.programme_button = UIButton(slots["programme"], key("programme.open"), ui, container=self.bar,
                                         object_id="#programme_open", command=self.open_programme)
        self.route_button = UIButton(slots["route"], self.routes.button_text(), ui, container=self.bar,
                                     object_id="#route_open", command=self.routes.toggle_panel)
        self.briefcase_button = UIButton(slots["briefcase"], key("briefcase.button"), ui, container=self.bar,
                                         object_id="#briefcase_open", command=self.open_briefcase)
        self.desk_button: UIButton | None = None
        if "desk" in slots:
            self.desk_button = UIButton(slots["desk"], key("reps.button"), ui, container=self.bar,
                                        object_id="#desk_open", command=self.open_desk)
        self.search = UITextEntryLine(slots["search"], ui, container=self.bar,
                                      placeholder_text=key("search.placeholder"))
        self._show_online()
        self._build_floor_menu()

    def _show_online(self) -> None:
        """The bar says whether the expo's server answers: a coloured dot and a word under the title."""
        state = "checking" if self.online is None else "online" if self.online else "offline"
        copy = self.app.offline_copy
        texts = ["• " + tr(f"hall.{state}")]
        if copy is not None and not self.online:  # nothing answered since the start: the cache's copy is shown
            texts.insert(0, "• " + tr("hall.offline_copy", when=f"{local(copy.saved):%d.%m %H:%M}"))
        label = self.net_label  # under the title, beside the buttons: a narrow window leaves it little room, and
        room = label.rect.width - 4  # then the shorter word (the offline notice said which copy is shown)
        text = next((t for t in texts if label.font.size(t)[0] <= room), texts[-1])
        label.set_text(shortened(text, room, lambda t: label.font.size(t)[0]))
        self.net_label.change_object_id(f"#net_{'offline' if copy is not None and not self.online else state}")

    def show_route_button(self) -> None:
        self.route_button.set_text(self.routes.button_text())

    def route_overlay_changed(self) -> None:
        self._route_minimap = None

    def open_agenda(self) -> None:
        from expo_hall.agenda.screen import open_agenda

        open_agenda(self.app)

    def open_programme(self) -> None:
        from expo_hall.forum.screen import open_programme

        open_programme(self.app)

    def open_briefcase(self) -> None:
        from expo_hall.briefcase.screen import open_briefcase

        open_briefcase(self.app)

    def open_desk(self) -> None:
        from expo_hall.reps import open_desk

        open_desk(self.app)

    def _build_floor_menu(self) -> None:
        if self.floor_menu is not None:
            self.floor_menu.kill()
        options = [(self._floor_label(f), f.floor_id) for f in self.expo.floors]
        current = next(o for o in options if o[1] == self.floor.floor_id)
        # Beside the bar, not in it: a menu inside the bar's container could not open below the bar.
        self.floor_menu = UIDropDownMenu(options, current, self._bar_slots()["floor"], self.app.ui)

    def _floor_label(self, floor: Floor) -> str:
        return f"{floor.order}. {floor.title_for(self.lang)}" if floor.order else floor.title_for(self.lang)

    def leave(self) -> None:
        if self.organizer is not None:
            self.organizer.close()
        self.routes.close()
        self.result_buttons.kill()
        for element in (self.bar, self.floor_menu, self.results_list):
            if element is not None:
                element.kill()

    def resize(self, size: tuple[int, int]) -> None:
        self.camera.resize(size)
        text = self.search.get_text()
        for element in (self.bar,):
            element.kill()
        self._build_bar()
        self.search.set_text(text)
        self._show_title()
        self._show_results()
        if self.routes.panel is not None:
            self.routes.panel.build()
        if self.organizer is not None:
            self.organizer.resize()

    def _show_title(self) -> None:
        """The floor's title in the bar, shortened with "…" when the buttons leave it too little room."""
        title = self.floor.title_for(self.lang)
        if self.title.visible:  # else too narrow to show at all: the floor menu names the floor
            title = shortened(title, self.title.rect.width - 8, lambda t: self.title.font.size(t)[0])
        self.title.set_text(title)

    def _show_floor(self, announce: bool = True) -> None:
        self.camera.set_world((self.floor.width, self.floor.height))
        self.camera.center_on(self.visitor.pos)
        self._show_title()
        self.hovered = None
        self._build_floor_menu()
        if self.organizer is not None:
            self.organizer.floor_shown()
        if announce:
            self.say(tr("hall.now_on_floor", floor=self.floor.title_for(self.lang)))

    def world_changed(self, expo: Expo) -> None:
        """The expo was read again (organizer mode): every floor is drawn anew from it, the visitor stays where
        they stand (or on the nearest walkable spot, if that one is gone)."""
        self.app.expo = self.expo = self.routes.expo = expo
        self.popup = HoverPopup(expo.exhibitors, self.app.logos, self.app.text, self.lang)
        self._renderers.clear()
        self._minimaps.clear()
        self._route_minimap = None
        self.pending_open = None
        self.visitor.keep_on(expo)
        self.routes.refresh_overlay()
        self._show_floor(announce=False)

    def change_floor(self, floor_id: str, point: str | None = None) -> None:
        self.visitor.place(floor_id, point)
        self.pending_open = None
        self._show_floor()

    # -- search --------------------------------------------------------------------------------
    def _run_search(self, query: str) -> None:
        self.results = self.expo.search(query)
        self._show_results()

    def _show_results(self) -> None:
        if self.results_list is not None:
            self.results_list.kill()
            self.results_list = None
        self._result_items = {}
        if not self.results and not self.search.get_text().strip():
            return
        items: list[str] = []
        for ex in self.results:
            place = self.expo.place_of(ex.exhibitor_id)
            where = ""
            if place is not None:
                floor = self.expo.floor(place.floor_id)
                where = f" · {place.number} · {floor.title_for(self.lang) if floor else place.floor_id}"
            label = f"{ex.name_for(self.lang)}{where}"
            self._result_items[label] = ex
            items.append(label)
        if not items:
            items = [tr("search.nothing")]
        w = self.app.size[0]
        rows = min(RESULTS_SHOWN, len(items))
        width = min(w - 24, 520)
        self.results_list = UISelectionList(pygame.Rect(w - width - 12, BAR_H + 2, width, rows * 30 + 6),
                                            items, self.app.ui, starting_height=5)

    def go_to(self, exhibitor: Exhibitor) -> bool:
        """Take the visitor to an exhibitor's stand, on whatever floor, and open it on arrival."""
        self.close_search()
        place = self.expo.place_of(exhibitor.exhibitor_id)
        if place is None:
            self.say(tr("hall.not_placed", name=exhibitor.name_for(self.lang)))
            return False
        if place.floor_id != self.floor.floor_id:
            self.change_floor(place.floor_id)
        return self.click_stand(place)

    def close_search(self) -> None:
        self.search.set_text("")
        self.app.ui.set_focus_set(None)
        self.results = []
        self._show_results()

    # -- intents and events --------------------------------------------------------------------
    def over_gui(self, pos: tuple[int, int]) -> bool:
        if pos[1] < BAR_H:
            return True
        if self.floor_menu is not None and self.floor_menu.current_state is self.floor_menu.menu_states["expanded"]:
            expanded = self.floor_menu.current_state.options_selection_list
            if expanded is not None and expanded.rect.collidepoint(pos):
                return True
        if self.results_list is not None and self.results_list.rect.collidepoint(pos):
            return True
        if self.routes.panel is not None and self.routes.panel.contains(pos):
            return True
        if self.organizer is not None and self.organizer.contains(pos):
            return True
        return bool(self.floor_menu is not None and self.floor_menu.rect.collidepoint(pos))

    def handle(self, intent: Intent) -> None:
        if isinstance(intent, Click):
            self._click(intent.pos)
        elif isinstance(intent, Hover):
            self._hover(intent.pos)
        elif isinstance(intent, Zoom):
            if self.camera.zoom_by(intent.steps):
                self.camera.center_on(self.visitor.pos)
        elif isinstance(intent, Back):
            if self.results_list is not None:
                self.close_search()
            elif self.routes.panel is not None:
                self.routes.toggle_panel()
            elif self.visitor.walking:
                self.visitor.stop()
                self.pending_open = None

    def event(self, event: pygame.event.Event) -> None:
        t = event.type
        self.routes.event(event)
        if self.organizer is not None:
            self.organizer.event(event)
        if t == NET_EVENT and event.tag == STATUS and isinstance(event.result, ConnectionStatus):
            if event.result.online != self.online and self.online is not None:
                self.say(tr("hall.back_online" if event.result.online else "hall.went_offline"))
            if event.result.online and self.online is not True:
                self.routes.online_again()  # edits made meanwhile meet the server's route
            self.online = event.result.online
            self._show_online()
        elif t == pygame_gui.UI_TEXT_ENTRY_CHANGED and event.ui_element is self.search:
            self._run_search(event.text)
        elif t == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.search:
            if self.results:
                self.go_to(self.results[0])
        elif t == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.results_list:
            ex = self._result_items.get(event.text)
            if ex is not None:
                self.go_to(ex)
        elif t == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.floor_menu:
            floor_id = getattr(event, "selected_option_id", None)
            if floor_id and floor_id != self.floor.floor_id:
                self.change_floor(floor_id)
        elif t == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.search.is_focused:
            self.close_search()
        elif (t == pygame.KEYDOWN and event.key == KEY_PROGRAMME and self.app.stack.top is self
              and not self.app.typing()):
            self.open_programme()

    def _hover(self, pos: tuple[int, int]) -> None:
        if self.over_gui(pos) or self.minimap.rect.collidepoint(pos):
            self.hovered = None
            return
        wx, wy = self.camera.to_world(*pos)
        self.hovered = self.visitor.nav.stand_at(wx, wy)

    def _click(self, pos: tuple[int, int]) -> None:
        if self.over_gui(pos):
            return
        if self.search.is_focused:
            self.app.ui.set_focus_set(None)
        self.routes.interrupt()
        target = self.minimap.to_world(pos)
        if target is not None:
            self._walk_to(target)
            return
        wx, wy = self.camera.to_world(*pos)
        stand = self.visitor.nav.stand_at(wx, wy)
        if stand is not None:
            self.click_stand(stand)
        elif self.visitor.nav.in_alleys(wx, wy):
            self._walk_to((wx, wy))

    def _walk_to(self, target: tuple[float, float]) -> None:
        self.pending_open = None
        if not self.visitor.walk_to(*target):
            self.say(tr("hall.cannot_walk_there"))

    def click_stand(self, stand: StandPlace) -> bool:
        """Walk to the stand's front and open it there; say why when that cannot be done."""
        if stand.exhibitor_id not in self.expo.exhibitors:
            self.say(tr("hall.stand_empty", number=stand.number))
            return False
        if not self.visitor.walk_to_stand(stand):
            self.pending_open = None
            self.say(tr("hall.stand_unreachable", number=stand.number))
            return False
        self.pending_open = stand
        return True

    def open_stand(self, stand: StandPlace) -> None:
        from expo_hall.stands.stand_screen import StandScreen

        exhibitor = self.expo.exhibitors.get(stand.exhibitor_id)
        if exhibitor is not None:
            self.app.visit_stand(StandScreen(self.app, exhibitor, stand))
            self.routes.visited(exhibitor.exhibitor_id, "opened")
            if self.app.backend is not None:  # the stand's statistics count the visit
                net = self.app.backend.network
                net.call(("visit", exhibitor.exhibitor_id), net.client.record_visit, exhibitor.exhibitor_id)

    # -- frame ---------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        active = self.app.stack.top is self
        direction = self.app.input.direction() if active and not self.app.typing() else (0.0, 0.0)
        if direction != (0.0, 0.0):
            self.pending_open = None
        for ev in self.visitor.step(dt, direction):
            if isinstance(ev, ChangedFloor):
                self.pending_open = None
                self._show_floor()
            elif isinstance(ev, ArrivedAtStand):
                if self.pending_open is not None and ev.stand == self.pending_open:
                    self.pending_open = None
                    self.open_stand(ev.stand)
            elif isinstance(ev, Blocked):
                self.pending_open = None
                self.say(tr("hall.blocked"))
        self.routes.update(dt, direction != (0.0, 0.0))
        self.forum.update(self.floor, self.visitor.pos, active)
        if self.results_list is not None or self.result_buttons.ids:
            self.result_buttons.follow(self.results_list, self._result_items)
        look = self.organizer.camera_target() if self.organizer is not None else None
        self.camera.follow(look or self.visitor.pos, dt)
        mouse = self.app.input.mouse
        if mouse is not None and active:
            self._hover(mouse)
        elif not active:
            self.hovered = None
        if self._toast_left > 0:
            self._toast_left -= dt
            if self._toast_left <= 0:
                self.toast = None

    def wants_frame(self) -> bool:
        return (self.visitor.walking or self.camera.moving or self.app.input.direction() != (0.0, 0.0)
                or self.route_busy)

    def next_wakeup(self) -> float | None:
        due = [t for t in (self._toast_left if self.toast else None,  # the toast goes
                           self.routes.dwell.left(),  # standing at a stand makes it visited
                           self.routes.place_changes_in(),  # the route panel's time at that stand grows
                           self.forum.next_wakeup(self.floor)) if t is not None]  # an event starts or ends in a hall
        return min(due, default=None)

    def draw(self, surface: pygame.Surface) -> None:
        cam = self.camera
        self.renderer.draw(surface, cam)
        self._draw_route(surface)
        self.forum.draw(surface, cam, self.floor)
        if self.pending_open is not None:
            self.renderer.highlight(surface, cam, self.pending_open, (60, 150, 240))
        if self.hovered is not None:
            self.renderer.highlight(surface, cam, self.hovered)
        if self.visitor.path:
            gx, gy = cam.to_screen(*self.visitor.path[-1])
            pygame.draw.circle(surface, (60, 150, 240), (gx, gy), max(4, int(8 * cam.zoom)), 2)
        self._draw_avatar(surface)
        if self.organizer is not None:
            self.organizer.draw(surface)
        self.minimap.draw(surface, cam, self.visitor.pos, self._route_on_minimap())
        self.popup_rect = None
        if self.hovered is not None and self.app.input.mouse is not None:
            self.popup_rect = self.popup.draw(surface, self.hovered, self.app.input.mouse)
            if self.hovered.exhibitor_id in self.expo.exhibitors:
                self._draw_route_tag(surface, self.popup_rect, self.routes.stand_tag(self.hovered))
        self._draw_hint(surface)
        if self.toast:
            self._draw_toast(surface, self.toast)

    def _route_marks(self) -> tuple[int | None, set[int]]:
        route = self.routes.route
        nxt = route.next_stop()
        return (route.stops.index(nxt) if nxt else None), {i for i, s in enumerate(route.stops) if s in route.visited}

    def _draw_route(self, surface: pygame.Surface) -> None:
        overlay = self.routes.overlay
        here = overlay.floors.get(self.floor.floor_id) if overlay is not None else None
        if here is not None:
            nxt, visited = self._route_marks()
            titles = {f.floor_id: f.title_for(self.lang) for f in self.expo.floors}
            draw_on_floor(surface, self.camera, here, nxt, visited, titles, self.app.text)
        draw_visited(surface, self.camera, self._visited_here())

    def _visited_here(self) -> list[Rect]:
        """The rectangles of the stands of this floor that the visitor visited (worked out again when that changes)."""
        k = (self.floor.floor_id, len(self.routes.route.visited))
        if self._visited_stands is None or self._visited_stands[0] != k:
            places = (self.expo.place_of(ex) for ex in self.routes.route.visited)
            here = self.floor.floor_id
            self._visited_stands = (k, [p.inner_rect for p in places if p is not None and p.floor_id == here])
        return self._visited_stands[1]

    def _route_on_minimap(self) -> pygame.Surface | None:
        """The route and the visited stands over the minimap, drawn again only when the route, its progress or the
        floor changed."""
        overlay = self.routes.overlay
        here = overlay.floors.get(self.floor.floor_id) if overlay is not None else None
        stands = self._visited_here()
        if here is None and not stands:
            return None
        nxt, visited = self._route_marks()
        k = (id(overlay), self.floor.floor_id, nxt, frozenset(visited), len(stands))
        if self._route_minimap is None or self._route_minimap[0] != k:
            m = self.minimap
            self._route_minimap = (k, minimap_image(m.rect.size, m.scale, here or FloorOverlay(), nxt, visited, stands))
        return self._route_minimap[1]

    def _draw_route_tag(self, surface: pygame.Surface, card: pygame.Rect, text: str) -> None:
        label = self.app.text.render(text, 13, (255, 255, 255), bold=True)
        box = pygame.Rect(card.x, card.bottom + 4, max(card.width, label.get_width() + 16), label.get_height() + 8)
        box.right = min(box.right, surface.get_width())
        if box.bottom > surface.get_height():
            box.bottom = card.y - 4
        pygame.draw.rect(surface, (46, 112, 220), box, border_radius=6)
        surface.blit(label, label.get_rect(center=box.center))

    def draw_over(self, surface: pygame.Surface) -> None:
        if self.routes.panel is not None:
            self.routes.panel.draw_drag(surface)

    def _draw_avatar(self, surface: pygame.Surface) -> None:
        cam = self.camera
        x, y = cam.to_screen(*self.visitor.pos)
        r = max(5, round(self.visitor.nav.radius * cam.zoom))
        pygame.draw.circle(surface, (0, 0, 0), (x + 2, y + 3), r)
        pygame.draw.circle(surface, AVATAR, (x, y), r)
        pygame.draw.circle(surface, (255, 255, 255), (x, y), r, max(2, r // 4))
        if self.visitor.path:
            tx, ty = self.visitor.path[0]
            angle = math.atan2(ty - self.visitor.y, tx - self.visitor.x)
            tip = (x + math.cos(angle) * (r + 5), y + math.sin(angle) * (r + 5))
            pygame.draw.circle(surface, AVATAR, tip, max(2, r // 3))

    def _draw_hint(self, surface: pygame.Surface) -> None:
        hint = self.app.text.render(tr("hall.hint"), 13, (236, 238, 244))
        box = hint.get_rect(bottomleft=(12, surface.get_height() - STRIP_H - 10)).inflate(16, 8)
        pygame.draw.rect(surface, (35, 40, 58), box, border_radius=6)
        surface.blit(hint, hint.get_rect(center=box.center))

    def _draw_toast(self, surface: pygame.Surface, text: str) -> None:
        panel = self.routes.panel.panel if self.routes.panel is not None else None
        left = panel.rect.right if panel is not None else 0  # beside the route panel, not under it
        room = surface.get_width() - left
        lines = self.app.text.wrap(text, 16, min(720, room - 80), max_lines=3)
        rows = [self.app.text.render(line, 16, (255, 255, 255)) for line in lines]
        w = max(r.get_width() for r in rows) + 32
        h = sum(r.get_height() for r in rows) + 20
        box = pygame.Rect(0, 0, w, h)
        box.midbottom = (left + room // 2, surface.get_height() - STRIP_H - 40)
        pygame.draw.rect(surface, (35, 40, 52), box, border_radius=10)
        y = box.y + 10
        for r in rows:
            surface.blit(r, r.get_rect(midtop=(box.centerx, y)))
            y += r.get_height()
