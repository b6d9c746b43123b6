"""The route in the hall: editing it (hotkeys, the panel, the stand window), keeping it in step with the server,
noticing visits, ordering it off the main thread, and guiding the visitor to the next stop.

The hall screen owns one and passes it its events and frames; the route itself (app.route) outlives screens.
"""

from __future__ import annotations

import logging
import math
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from expo_hall.backend import NET_EVENT, post_result
from expo_hall.briefcase.model import downloads_folder
from expo_hall.i18n import tr
from expo_hall.paths import data_dir
from expo_hall.route.costs import Spot, Walking, stand_spot, walk
from expo_hall.route.dwell import DwellWatch
from expo_hall.route.ordering import Plan, plan_route
from expo_hall.route.overlay import RouteOverlay, build_overlay
from expo_hall.route.panel import RoutePanel
from expo_hall.route.recommended import default_folder, load_recommended
from expo_hall.route.store import Route
from expo_hall.route.sync import RouteSync
from expo_hall.route.visit_export import export_visit_apart, visit_line
from expo_hall.server.schemas import RecommendedRouteOut
from expo_hall.stands.stand_screen import StandScreen

if TYPE_CHECKING:
    from expo_hall.floors.hall_screen import HallScreen
    from expo_hall.floors.model import StandPlace

log = logging.getLogger("expo_hall.route")
PLAN_TAG = "route.plan"
OVERLAY_TAG = "route.overlay"
RECOMMENDED_TAG = "route.recommended"
VISIT_TAG = "route.visit"
KEY_TOGGLE_STOP, KEY_PANEL, KEY_GUIDE = pygame.K_r, pygame.K_p, pygame.K_g
SAMPLE_SECONDS = 1.0  # the walked path: one point a second at most
SAVE_SECONDS = 15.0  # time spent and the walked path are written this often (and when the hall closes)


def run_off_main(tag: str, fn: Any, *args: Any) -> threading.Thread:
    """Compute on a thread of its own; the result (or exception) comes back as a NET_EVENT with `tag`."""

    def run() -> None:
        try:
            result = fn(*args)
        except Exception as exc:  # delivered, not lost: the screen says what went wrong
            log.exception("%s failed", tag)
            result = exc
        post_result(tag, result)

    thread = threading.Thread(target=run, name=f"expo-{tag}", daemon=True)
    thread.start()
    return thread


class RouteController:
    def __init__(self, hall: HallScreen) -> None:
        self.hall = hall
        self.app = hall.app
        self.expo = hall.expo
        self.route = hall.app.route
        backend = hall.app.backend
        self.sync = RouteSync(self.route, backend.network if backend is not None else None)
        self.panel: RoutePanel | None = None
        self.dwell = DwellWatch()
        self.note = ""  # the panel's summary line: a plan's length and time, a refusal, "planning…"
        self.planning = 0  # the plan in flight (its number), 0 when none
        self._plans = 0
        self.guiding = False
        self._leg_floor: str | None = None
        self.overlay: RouteOverlay | None = None
        self.overlay_key: tuple | None = None  # what the overlay in flight or shown is made for
        self.overlay_pending = False
        self.recommended: list[RecommendedRouteOut] | None = None  # the organizers' routes; None until known
        self.recommended_asked = False  # asked for (when the panel first shows them: a start asks nothing more)
        self.recommended_error: str | None = None  # why they could not be read
        self._since_sample = SAMPLE_SECONDS  # the first point is taken at once
        self.spending_at: str | None = None  # the stop whose time at the stand the open panel shows growing
        self._place_left = 0.0  # seconds until its line there reads otherwise
        self._last_point: tuple[str, int, int] | None = None
        self._since_save = 0.0
        self.saving = False  # "my visit" is being written
        self.saved: list[Path] = []  # the files "my visit" last wrote
        self.sync.pull()
        self.refresh_overlay()

    # -- what the panel and the hall show ----------------------------------------------------------
    def stop_place(self, exhibitor_id: str, floor: bool = True) -> str:
        """"Stand A-1 · Main hall" (or that it has no stand any more: the route keeps it)."""
        place = self.expo.place_of(exhibitor_id)
        if place is None:
            return tr("route.not_placed")
        if not floor:
            return tr("popup.stand", number=place.number)
        floor = self.expo.floor(place.floor_id)
        title = floor.title_for(self.hall.lang) if floor else place.floor_id
        return f"{tr('popup.stand', number=place.number)} · {title}"

    def refusal(self) -> str:
        """Why the server did not take the route, while that stands ("" when it took it): the stops it does not
        know by name (the expo no longer has them), else the server's own words."""
        if not self.sync.refused:
            return ""
        gone = [s for s in self.route.stops if s not in self.expo.exhibitors]
        if gone:
            return tr("route.refused_unknown", stops=", ".join(f"«{s}»" for s in gone))
        return tr("route.refused", reason=self.sync.refused)

    def visit_text(self, exhibitor_id: str) -> str:
        """"visited 10:42 · 3 min at the stand" ("" when not visited)."""
        return visit_line(self.route, exhibitor_id, tr, unvisited=False)

    def button_text(self) -> str:
        done, total = self.route.progress()
        return tr("route.button", done=done, total=total)

    @property
    def busy(self) -> bool:
        """Something is being computed or walked for the route (what an idle-aware loop must keep drawing for)."""
        return bool(self.planning) or self.guiding or self.overlay_pending or self.saving

    # -- editing -----------------------------------------------------------------------------------
    def toggle(self, exhibitor_id: str) -> bool:
        """Add the stop or take it off; True when it is on the route now."""
        on = self.route.toggle(exhibitor_id)
        ex = self.expo.exhibitors.get(exhibitor_id)
        name = ex.name_for(self.hall.lang) if ex is not None else exhibitor_id
        self.hall.say(tr("route.added" if on else "route.removed", name=name))
        self.changed()
        return on

    def add(self, exhibitor_id: str) -> bool:
        if self.route.add(exhibitor_id):
            self.changed()
            return True
        return False

    def remove(self, exhibitor_id: str) -> None:
        if self.route.remove(exhibitor_id):
            if self.panel is not None and self.panel.selected == exhibitor_id:
                self.panel.selected = None
            self.changed()

    def move(self, exhibitor_id: str, to: int) -> None:
        if self.route.move(exhibitor_id, to):
            self.changed()

    def move_selected(self, delta: int) -> None:
        selected = self.panel.selected if self.panel is not None else None
        if selected is not None and self.route.move(selected, self.route.stops.index(selected) + delta):
            self.changed()

    def clear(self) -> None:
        if self.route.clear():
            self.guiding = False
            self.changed()

    def toggle_avoid_stairs(self) -> None:
        self.route.set_avoid_stairs(not self.route.avoid_stairs)
        self.changed(push=False)

    def resolve(self, choice: str) -> None:
        self.sync.resolve(choice)
        self.changed(push=False)

    def changed(self, push: bool = True) -> None:
        """The route changed: send it, show it, draw it again."""
        if push:
            self.sync.push()
        self.hall.show_route_button()
        if self.panel is not None:
            self.panel.build()
        self.refresh_overlay()

    # -- "my visit" ---------------------------------------------------------------------------------
    def visit_folder(self) -> Path:
        """Where "my visit" goes: the data folder given (--data-dir), else Downloads (or the data folder)."""
        given = self.app.settings.data_dir
        if given:
            return data_dir(given) / "my-visit"
        return (downloads_folder() or data_dir()) / f"expo_hall-my-visit-{self.app.time.now().date().isoformat()}"

    def save_visit(self) -> None:
        """Write the floors' PNGs and the PDF apart from the window (a process of their own, waited for on a thread),
        from a copy of the route as it is now."""
        if self.saving:
            return
        self.saving = True
        self.hall.say(tr("visit.saving"))
        if self.panel is not None:
            self.panel.build()
        copy = Route.from_json(self.route.to_json())
        run_off_main(VISIT_TAG, export_visit_apart, self.expo, copy, self.app.briefcase.folder, self.visit_folder(),
                     self.hall.lang)

    def _visit_saved(self, result: Any) -> None:
        self.saving = False
        if isinstance(result, BaseException):
            self.hall.say(tr("visit.failed", error=getattr(result, "strerror", None) or result))
        else:
            self.saved = list(result)
            self.hall.say(tr("visit.saved", folder=result[-1].parent))
        if self.panel is not None:
            self.panel.build()

    # -- the organizers' recommended routes ---------------------------------------------------------
    def fetch_recommended(self) -> None:
        """Ask the server for them (read from the expo's routes/ folder when the hall has no server)."""
        self.recommended_asked, self.recommended_error = True, None
        if self.sync.network is not None:
            self.sync.network.call(RECOMMENDED_TAG, self.sync.network.client.recommended_routes)
            return
        routes, _ = load_recommended(default_folder(self.app.settings.maps), self.expo.exhibitors)
        self.recommended = [RecommendedRouteOut(**vars(r)) for r in routes]

    def _recommended_ready(self, result: Any) -> None:
        if isinstance(result, BaseException):
            log.warning("the recommended routes could not be read: %s", result)
            self.recommended_error = getattr(result, "message", None) or str(result)
        else:
            self.recommended = list(result)
        if self.panel is not None:
            self.panel.build()

    def take(self, recommended: RecommendedRouteOut, how: str) -> None:
        """Copy a recommended route into the visitor's own: "replace" it or "append" its stops after ours."""
        stops = [s for s in recommended.stops if s in self.expo.exhibitors]
        title = recommended.title_en if self.hall.lang == "en" and recommended.title_en else recommended.title
        changed = self.route.replace(stops) if how == "replace" else self.route.extend(stops)
        self.hall.say(tr("route.taken" if how == "replace" else "route.appended", title=title))
        if self.panel is not None:
            self.panel.showing_recommended, self.panel.offer = False, None
        if changed:
            self.guiding = False
        self.changed(push=changed)

    def toggle_panel(self) -> None:
        if self.panel is None:
            self.panel = RoutePanel(self)
        else:
            self.panel.kill()
            self.panel = None

    def close(self) -> None:
        if self.route.unsaved:
            self.route.save()
        if self.panel is not None:
            self.panel.kill()
            self.panel = None

    # -- visits ------------------------------------------------------------------------------------
    def visited(self, exhibitor_id: str, how: str) -> None:
        if self.route.mark_visited(exhibitor_id, self.app.time.now(), how):
            if how == "dwell" and self.app.backend is not None:  # the server's record of visits has it too
                net = self.app.backend.network
                net.call(("visit", exhibitor_id), net.client.record_visit, exhibitor_id)
            if self.guiding and exhibitor_id != self.route.next_stop():
                self.guiding = False
            self.changed(push=False)

    # -- best order --------------------------------------------------------------------------------
    def walking(self) -> Walking:
        return Walking(avoid_stairs=self.route.avoid_stairs)

    def here(self) -> Spot:
        v = self.hall.visitor
        return Spot(v.floor.floor_id, v.x, v.y)

    def plan_best_order(self) -> None:
        """Order the stops not visited yet into the shortest walk from here, on a thread of its own."""
        todo = [s for s in self.route.stops if s not in self.route.visited]
        if not todo:
            return
        self._plans += 1
        self.planning = self._plans
        self.note = tr("route.planning")
        if self.panel is not None:
            self.panel.build()
        run_off_main(PLAN_TAG, _plan, self.planning, self.expo, self.here(), todo, self.walking())

    def _planned(self, result: Any) -> None:
        number, plan = result if isinstance(result, tuple) else (self.planning, result)
        if number != self.planning:
            return  # a newer plan was asked for
        self.planning = 0
        if isinstance(plan, BaseException):
            self.note = tr("route.plan_failed")
        else:
            done = [s for s in self.route.stops if s in self.route.visited]
            rest = [s for s in self.route.stops if s not in self.route.visited and s not in plan.order]
            self.route.reorder(done + [s for s in plan.order if s in self.route.stops] + rest)
            self.note = tr("route.length", metres=round(plan.metres), minutes=max(1, round(plan.seconds / 60)))
        self.changed()

    # -- guidance ----------------------------------------------------------------------------------
    def guide(self) -> None:
        """Walk to the next stop along the route: across floors by the stairs or lift the plan takes."""
        target = self.route.next_stop()
        if target is None:
            self.hall.say(tr("route.all_visited" if self.route.stops else "route.empty"))
            return
        self.guiding = True
        self._leg()

    def _leg(self) -> None:
        hall, target = self.hall, self.route.next_stop()
        place = self.expo.place_of(target) if target else None
        if place is None:
            self.guiding = False
            hall.say(tr("route.not_placed"))
            return
        self._leg_floor = hall.floor.floor_id
        if place.floor_id == hall.floor.floor_id and hall.visitor.nav.path_to_stand(hall.visitor.pos, place):
            self.guiding = hall.click_stand(place)  # walks to its front; it opens on arrival
            return
        goal = stand_spot(self.expo, place.exhibitor_id)
        stretches = walk(self.expo, self.here(), goal, self.walking()) if goal else None
        if not stretches:
            self.guiding = False
            hall.say(tr("hall.stand_unreachable", number=place.number))
            return
        v = hall.visitor
        v.stop()
        v.path = list(stretches[0].path[1:])  # the way to the stairs or lift; walking into it changes floor
        hall.pending_open = None

    def interrupt(self) -> None:
        """The visitor took over (a key, a click): guidance waits until asked again."""
        if self.guiding:
            self.guiding = False
            self.hall.say(tr("route.guide_paused"))

    def _guiding_frame(self) -> None:
        hall = self.hall
        if hall.visitor.walking or hall.visitor.target_stand is not None:
            return
        if hall.floor.floor_id != self._leg_floor:  # the stairs or lift took us on: the next leg
            self._leg()
        elif hall.pending_open is None:
            self.guiding = False  # arrived (the stand opens) or the way was blocked (the hall said so)

    # -- the loop ----------------------------------------------------------------------------------
    def update(self, dt: float, manual: bool) -> None:
        if manual:
            self.interrupt()
        elif self.guiding:
            self._guiding_frame()
        v = self.hall.visitor
        exhibitor_id = self.dwell.step(dt, v.nav, v.pos)
        if exhibitor_id is not None and exhibitor_id in self.expo.exhibitors:
            self.visited(exhibitor_id, "dwell")
        self._track(dt)

    def place_changes_in(self) -> float | None:
        """Seconds until the open panel's line of the stop the visitor stands at reads otherwise (its time there:
        seconds for the first minute, then minutes), so an idle loop wakes for it; None: nothing grows."""
        if self.spending_at is None:
            return None
        spent = self.route.spent.get(self.spending_at, 0.0)
        unit = 1.0 if spent < 60 else 60.0  # visit_export.duration rounds to these
        upto = (math.floor(spent / unit - 0.5) + 1.5) * unit  # where the rounded figure goes up
        return min(upto, 60.0) - spent + 0.01 if spent < 60 else upto - spent + 0.01

    def _track(self, dt: float) -> None:
        """Time at the stand whose window is open (or at whose front the visitor stands), and the walked path."""
        top, v = self.app.stack.top, self.hall.visitor
        at = top.exhibitor.exhibitor_id if isinstance(top, StandScreen) else None
        if at is None and top is self.hall and self.dwell.front is not None:
            at = self.dwell.front.stand.exhibitor_id
        if at is not None and at in self.expo.exhibitors:
            self.route.spend(at, dt)
        shown = at if top is self.hall and self.panel is not None and at in self.route.stops else None
        if shown is not None:  # the panel's line of that stop: written again when the figure it shows changes
            self._place_left -= dt
            if shown != self.spending_at or self._place_left <= 0:
                self.panel.refresh_place(shown)
                self._place_left = 0.0
        self.spending_at = shown
        if shown is not None and self._place_left <= 0:
            self._place_left = self.place_changes_in() or 0.0
        self._since_sample += dt
        point = (self.hall.floor.floor_id, round(v.x), round(v.y))
        if self._since_sample >= SAMPLE_SECONDS and point != self._last_point:
            self._since_sample, self._last_point = 0.0, point
            self.route.walk_point(*point, self.app.time.now())
        self._since_save += dt
        if self._since_save >= SAVE_SECONDS and self.route.unsaved:
            self._since_save = 0.0
            self.route.save()

    def event(self, event: pygame.event.Event) -> None:
        if event.type == NET_EVENT:
            if event.tag == PLAN_TAG:
                self._planned(event.result)
            elif event.tag == OVERLAY_TAG:
                self._overlay_ready(event.result)
            elif event.tag == RECOMMENDED_TAG:
                self._recommended_ready(event.result)
            elif event.tag == VISIT_TAG:
                self._visit_saved(event.result)
            else:
                had_conflict, had_refusal = self.route.conflict is not None, self.sync.refused
                if self.sync.answer(event.tag, event.result):
                    if self.sync.refused and self.sync.refused != had_refusal:
                        self.hall.say(self.refusal())
                    self.changed(push=False)
                    if self.route.conflict is not None and not had_conflict:  # the visitor's choice: shown at once
                        self.hall.say(tr("route.conflict_toast"))
                        if self.panel is None:
                            self.toggle_panel()
            return
        if self.panel is not None and self.app.stack.top is self.hall:
            self.panel.pointer(event)
        if event.type != pygame.KEYDOWN or self.app.stack.top is not self.hall or self.app.typing():
            return
        k = event.key
        if k == KEY_TOGGLE_STOP:
            stand = self.hall.hovered or (self.dwell.front.stand if self.dwell.front else None)
            if stand is not None and stand.exhibitor_id in self.expo.exhibitors:
                self.toggle(stand.exhibitor_id)
        elif k == KEY_PANEL:
            self.toggle_panel()
        elif k == KEY_GUIDE:
            self.guide()
        elif k in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            self.move_selected(-1 if k == pygame.K_PAGEUP else 1)
        elif k == pygame.K_DELETE and self.panel is not None and self.panel.selected:
            self.remove(self.panel.selected)

    def online_again(self) -> None:
        self.sync.pull()
        if self.recommended is None and self.recommended_asked:
            self.fetch_recommended()

    # -- the drawn route ---------------------------------------------------------------------------
    def refresh_overlay(self) -> None:
        """Work out the route's lines again (off the main thread) when its stops changed."""
        key = (tuple(self.route.stops), self.route.avoid_stairs)
        if key == self.overlay_key:
            return
        self.overlay_key, self.overlay_pending = key, True
        run_off_main(OVERLAY_TAG, _overlay, key, self.expo, self.walking())

    def _overlay_ready(self, result: Any) -> None:
        if isinstance(result, BaseException):
            self.overlay_pending = False
            return
        key, overlay = result
        if key == self.overlay_key:
            self.overlay, self.overlay_pending = overlay, False
            self.hall.route_overlay_changed()

    def stand_tag(self, stand: StandPlace) -> str:
        """The hover card's line about the route."""
        if stand.exhibitor_id in self.route.stops:
            return tr("route.on_route_key", number=self.route.stops.index(stand.exhibitor_id) + 1)
        return tr("route.add_key")


def _plan(number: int, *args: Any) -> tuple[int, Plan | BaseException]:
    try:
        return number, plan_route(*args)
    except Exception as exc:
        log.exception("planning the route failed")
        return number, exc


def _overlay(key: tuple, expo: Any, walking: Walking) -> tuple[tuple, RouteOverlay]:
    return key, build_overlay(expo, list(key[0]), walking)
