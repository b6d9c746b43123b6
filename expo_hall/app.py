"""The app: the window, the clock, the GUI manager and the stack of screens."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import TYPE_CHECKING

import pygame

from expo_hall import ASSETS_DIR, memory
from expo_hall.agenda.notifier import AgendaNotifier
from expo_hall.agenda.store import FILE_NAME as AGENDA_FILE
from expo_hall.agenda.store import Agenda
from expo_hall.agenda.sync import AgendaSync
from expo_hall.backend import NET_EVENT, Backend
from expo_hall.briefcase import Briefcase
from expo_hall.clock import Clock
from expo_hall.events import LOGOS_DECODED, LOGOS_READY
from expo_hall.expo import Expo, closest
from expo_hall.floors.renderer import budget_for
from expo_hall.floors.tiles import TileLayers
from expo_hall.forum import listing as forum_listing
from expo_hall.frames import gui_next_wakeup, gui_wants_frame, post, soonest, wait_for_events
from expo_hall.gui_theme import UIManager
from expo_hall.i18n import TRANSLATIONS_DIR, tr
from expo_hall.input import InputMap
from expo_hall.loading import LoadedExpo, LoadingScreen, Progress, fetch_later_logos, load_all
from expo_hall.net import STATUS, ConnectionStatus
from expo_hall.net.expo_source import SavedAnswer
from expo_hall.net.stand_changes import STANDS
from expo_hall.paths import data_dir
from expo_hall.route.store import FILE_NAME as ROUTE_FILE
from expo_hall.route.store import Route
from expo_hall.screens import Screen, ScreenStack
from expo_hall.server.schemas import ProgrammeOut
from expo_hall.settings import Settings
from expo_hall.stands.logos import NOT_DECODED, DecodedLogo, LogoCache, LogoDecoder
from expo_hall.stands.package import Exhibitor
from expo_hall.surface_budget import SurfaceBudget
from expo_hall.text import TextCache

if TYPE_CHECKING:
    from expo_hall.organizer.mode import Start

log = logging.getLogger("expo_hall")
THEME = ASSETS_DIR / "theme" / "theme.json"
FPS = 60
MAX_DT = 0.1  # a frame never moves things on by more than this, however long it took


class App:
    def __init__(self, settings: Settings, expo: Expo | None = None) -> None:
        memory.few_arenas()  # before the threads start
        self.settings = settings
        self.lang = settings.lang
        os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
        if sys.platform.startswith("linux"):
            # X11: the window's pixels go to the server by shared memory. Otherwise SDL loads OpenGL just to ask
            # who made the driver (Mesa: ~100 MB resident, and each flip 40 times slower under Xvfb).
            os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        pygame.init()
        flags = pygame.FULLSCREEN if settings.fullscreen else pygame.RESIZABLE
        self.window = pygame.display.set_mode((0, 0) if settings.fullscreen else settings.window, flags)
        self.ui = UIManager(self.size, str(THEME), starting_language=self.lang,
                                       translation_directory_paths=[str(TRANSLATIONS_DIR)])
        self._preload_fonts()
        pygame.display.set_caption(tr("app.title"))
        pygame.key.set_repeat(0)
        self.clock = pygame.time.Clock()  # frames
        self.time = Clock.starting_at(settings.fair_time) if settings.fair_time else Clock()  # the fair's time
        self.agenda = Agenda(settings.data_dir / AGENDA_FILE if settings.data_dir else None)
        self.agenda_notifier = AgendaNotifier(self)  # reminders, over whatever screen is up
        self.agenda_sync = AgendaSync(self.agenda, None)  # the agenda's copy on the backend, once there is one
        self.programme: ProgrammeOut | None = None  # the business programme, once asked for (expo_hall.forum)
        self.programme_error: str | None = None  # why it could not be read, when it could not
        # what the visitor takes home; nothing is written until something is saved
        self.briefcase = Briefcase(settings.data_dir / "briefcase" if settings.data_dir else None)
        self.route = Route.load(data_dir(settings.data_dir) / ROUTE_FILE)  # the visitor's personal route
        self.text = TextCache()
        self.surfaces = SurfaceBudget(budget_for(self.size))  # floor chunks and logos: what drawing faster may take
        self.logos = LogoCache(self.text, self.surfaces, LogoDecoder(_post_decoded))
        self.input = InputMap()
        self.stack = ScreenStack()
        self.running = True
        self.frames = 0  # frames drawn
        self._redraw = True  # the first frame
        self._release = False  # give memory back after this frame (a window closed)
        self._updated_at = time.monotonic()  # when the screens' timers last counted time
        self.expo: Expo | None = None
        self.tiles: dict[str, TileLayers] = {}
        self.backend: Backend | None = None
        self.net_status: ConnectionStatus | None = None  # the latest word on whether the backend answers
        self.offline_copy: SavedAnswer | None = None  # the server did not answer at start: the cache's copy is shown
        self.organizer_start: Start | None = None  # organizer mode's first reading of the folders
        self.logo_fetch: threading.Thread | None = None  # the logos the hall opened without, being fetched
        self.logos_pending = False  # until they came (LOGOS_READY)
        self._given_expo = expo
        self.stack.push(LoadingScreen(self, self.load))

    def load(self, progress: Progress) -> LoadedExpo:
        """What the loading screen runs on its thread: the expo to start on (a subclass may load another)."""
        return load_all(self.settings, progress, self._given_expo)

    def _preload_fonts(self) -> None:
        """The bold and italic faces our text boxes use, loaded once up front (those the theme has not)."""
        fonts = self.ui.get_theme().get_font_dictionary()
        wanted = [(size, style) for size in (13, 14, 15, 16, 22) for style in ("bold", "italic")]
        missing = [(size, style) for size, style in wanted if not fonts.check_font_preloaded(
            fonts.create_font_id(size, "noto_sans", style == "bold", style == "italic"))]
        self.ui.preload_fonts([{"name": "noto_sans", "point_size": size, "style": style} for size, style in missing])

    @property
    def ready(self) -> bool:
        """True once the expo is loaded and the first screen on it is up."""
        return self.expo is not None

    def expo_loaded(self, result: LoadedExpo | BaseException) -> None:
        """The loader's answer: start the hall on it, or say what went wrong."""
        loading = self.stack.top
        assert isinstance(loading, LoadingScreen)
        if isinstance(result, BaseException):
            memory.loaded_not()
            loading.failed(result)  # says why, offers to try again
            return
        self.backend = result.backend
        self.agenda_sync = AgendaSync(self.agenda, self.backend.network if self.backend else None)
        self.offline_copy = result.offline_copy
        self.organizer_start = result.organizer
        self.expo, self.tiles = result.expo, result.tiles
        self.logos.add_decoded(result.logos)
        self.stack.pop(loading)
        if self.backend is not None:  # published stands show as they go live (from an offline start: since the
            self.backend.network.follow_stands(result.expo.changes_seq)  # copy, once the server answers again)
        self._start()
        memory.freeze_loaded()
        if result.later_logos is not None:  # the hall is up: its logos now (LOGOS_READY)
            self.logos_pending = True
            self.logo_fetch = fetch_later_logos(result.later_logos, result.expo)

    @property
    def size(self) -> tuple[int, int]:
        return self.window.get_size()

    @property
    def hall(self):  # noqa: ANN201 - the HallScreen, if a floor opened
        from expo_hall.floors.hall_screen import HallScreen

        return self.stack.find(HallScreen)

    def _start(self) -> None:
        from expo_hall.floors.hall_screen import HallScreen
        from expo_hall.notices import NoticeScreen, no_floors_notice, offline_notice, problems_notice

        expo, s = self.expo, self.settings
        assert expo is not None
        if not expo.floors:
            self.stack.push(no_floors_notice(self, expo.problems))
            return
        notes: list[str] = []
        floor_id = expo.floors[0].floor_id
        if s.floor is not None:
            if expo.floor(s.floor) is not None:
                floor_id = s.floor
            else:
                notes.append(_unknown("unknown_floor", s.floor, [f.floor_id for f in expo.floors]))
        open_stand = None
        if s.stand is not None:
            exhibitor = expo.exhibitors.get(s.stand)
            place = expo.place_of(s.stand) if exhibitor else None
            if exhibitor is None:
                notes.append(_unknown("unknown_stand", s.stand, list(expo.exhibitors)))
            elif place is None:
                notes.append(tr("hall.not_placed", name=exhibitor.name_for(self.lang)))
            else:
                floor_id = place.floor_id
                open_stand = place
        if s.route is not None:  # --route: the route to start with (a link an organizer can publish)
            ids = list(expo.exhibitors)
            notes += [_unknown("unknown_stand", ex, ids) for ex in s.route if ex not in expo.exhibitors]
            self.route.replace([ex for ex in s.route if ex in expo.exhibitors])
        hall = HallScreen(self, floor_id)
        self.stack.push(hall)
        if s.token:  # the stand's desk (or, for a refused token, the window saying why)
            from expo_hall.reps import open_on_start

            open_on_start(self)
        if open_stand is not None:
            front = hall.visitor.nav.fronts.get(open_stand.number)
            if front is not None:
                hall.visitor.x, hall.visitor.y = front.x, front.y
                hall.camera.center_on(hall.visitor.pos)
            hall.open_stand(open_stand)
        if self.offline_copy is not None:
            self.stack.push(offline_notice(self, self.offline_copy))
        if self.organizer_start is None and (expo.errors() or expo.warnings()):  # every fault at once (organizer
            # mode lists them in its findings panel instead)
            self.stack.push(problems_notice(self, expo.problems))
        for note in notes:
            log.error("%s", note)
            self.stack.push(NoticeScreen(self, tr("problems.title"), _literal(note)))

    def visit_stand(self, screen: Screen) -> None:
        self.stack.push(screen)

    def typing(self) -> bool:
        """True while a text field has the keyboard."""
        from pygame_gui.elements import UITextEntryBox, UITextEntryLine

        return any(isinstance(e, UITextEntryLine | UITextEntryBox) for e in self.ui.get_focus_set() or ())

    # -- the loop ------------------------------------------------------------------------------
    def step(self, dt: float, events: list[pygame.event.Event] | None = None) -> None:
        """One frame: events, update, draw. Tests call this with synthetic events."""
        for event in pygame.event.get() if events is None else events:
            self.dispatch(event)
        if self.typing():
            self.input.release_all()
        self._update(dt)
        for screen in self.stack.visible():
            screen.draw(self.window)
        self.ui.draw_ui(self.window)
        for screen in self.stack.visible():
            screen.draw_over(self.window)
        pygame.display.flip()
        self.frames += 1
        self._redraw = False

    def _update(self, dt: float) -> None:
        self._updated_at = time.monotonic()
        self.ui.update(dt)
        for screen in list(self.stack.screens):
            screen.update(dt)
        self.agenda_notifier.update(dt)
        if self.agenda_sync.agenda is not self.agenda:  # replaced (a test's own agenda)
            self.agenda_sync = AgendaSync(self.agenda, self.agenda_sync.network)
        self.agenda_sync.update()

    def release_memory(self) -> None:
        """A window closed: give back the memory it held (expo_hall.memory) once its last events are handled."""
        self._release = True

    def wants_frame(self) -> bool:
        """True while something moves: the loop then draws every frame."""
        return self._redraw or self.stack.wants_frame() or gui_wants_frame(self.ui)

    def next_wakeup(self) -> float | None:
        """Seconds until the next timer of a screen, the reminders or the GUI is due (None: no timer)."""
        return soonest(self.stack.next_wakeup(), self.agenda_notifier.next_wakeup(), gui_next_wakeup(self.ui))

    def run_once(self, max_wait: float | None = None) -> bool:
        """One turn of the loop: a frame if something moves, else wait (at most `max_wait` seconds) for an
        event or the next timer and draw a frame for it. True if a frame was drawn."""
        drawn = self._turn(max_wait)
        if self._release and not pygame.event.peek():
            # Only now is a closed window garbage: the events pygame-gui posted as it closed (UI_WINDOW_CLOSE
            # names the window) were queued, then held by the frame's list of events, until handled and gone.
            self._release = False
            memory.release()
        return drawn

    def _turn(self, max_wait: float | None) -> bool:
        if self.wants_frame():
            self.step(min(self.clock.tick(FPS) / 1000.0, MAX_DT))
            return True
        timer = self.next_wakeup()  # counted from the last update
        due = None if timer is None else self._updated_at + timer
        events = wait_for_events(soonest(None if due is None else due - time.monotonic(), max_wait))
        if not events and (due is None or time.monotonic() < due):
            return False
        elapsed = self.clock.tick(FPS) / 1000.0  # also keeps a burst of events to FPS frames a second
        if elapsed > MAX_DT:  # the timers catch up with the wait; nothing moved meanwhile
            self._update(elapsed - 1 / FPS)
            elapsed = 1 / FPS
        self.step(elapsed, events + pygame.event.get())
        return True

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE:
            self._resize(event.size)
        if event.type == NET_EVENT and event.tag == STATUS and isinstance(event.result, ConnectionStatus):
            if event.result.online and not (self.net_status and self.net_status.online):
                self.agenda_sync.retry()
            self.net_status = event.result
        if event.type == NET_EVENT and (self.agenda_sync.answer(event.tag, event.result)
                                        or forum_listing.answer(self, event.tag, event.result)):
            return
        if event.type == NET_EVENT and event.tag == STANDS and isinstance(event.result, Exhibitor):
            self.stand_changed(event.result)
        if event.type == LOGOS_READY:
            self.logos_arrived(event.logos)
        if event.type == LOGOS_DECODED:
            self.logos_decoded(event.logos)
        consumed = self.ui.process_events(event)
        typing = self.typing()
        for screen in reversed(self.stack.screens):
            screen.event(event)
        top = self.stack.top
        if top is None:
            return
        for intent in self.input.translate(event, typing, consumed):
            top.handle(intent)

    def logos_arrived(self, logos: dict[str, tuple[Exhibitor, Exhibitor, DecodedLogo | object | None]]) -> None:
        """The logos the hall opened without (fetch_later_logos): drawn from now on in place of placeholders. An
        exhibitor changed meanwhile (a version published) keeps its new content."""
        self.logos_pending = False
        if self.expo is None:
            return
        came = {k: (now, decoded) for k, (was, now, decoded) in logos.items() if self.expo.exhibitors.get(k) is was}
        for now, _ in came.values():
            self.expo.replace_exhibitor(now)
        self.logos.forget(set(came))
        self.logos.add_decoded({k: decoded for k, (_, decoded) in came.items() if decoded is not NOT_DECODED})
        self._logos_came({k: now for k, (now, _) in came.items()})

    def logos_decoded(self, logos: dict[str, tuple[Exhibitor, DecodedLogo | None]]) -> None:
        """Logos the decoder's thread read (they were not decoded before the hall opened): drawn in place of the
        placeholders drawn meanwhile. One whose exhibitor changed since is asked again when next drawn."""
        current = self.expo.exhibitors if self.expo is not None else {}
        came = {k: decoded for k, (ex, decoded) in logos.items() if current.get(k) is ex}
        self.logos.not_decoded(logos.keys() - came.keys())
        self.logos.add_decoded(came)
        self._logos_came({k: current[k] for k in came})

    def _logos_came(self, exhibitors: dict[str, Exhibitor]) -> None:
        """These exhibitors' logos came: the hall and their open stand windows draw them."""
        if self.hall is not None:
            self.hall.logos_changed(set(exhibitors))
        from expo_hall.stands.stand_screen import StandScreen

        for screen in self.stack.screens:
            if isinstance(screen, StandScreen) and screen.exhibitor.exhibitor_id in exhibitors:
                screen.logo_came(exhibitors[screen.exhibitor.exhibitor_id])
        self._redraw = True

    def stand_changed(self, exhibitor: Exhibitor) -> None:
        """A stand's published content went live: the hall and its open window show it from now on."""
        from expo_hall.stands.stand_screen import refresh_stand

        if self.expo is None:
            return
        self.expo.replace_exhibitor(exhibitor)
        self.logos.forget({exhibitor.exhibitor_id})
        if self.hall is not None:
            self.hall.stand_changed(exhibitor.exhibitor_id)
        refresh_stand(self, exhibitor)
        self._redraw = True

    def _resize(self, size: tuple[int, int]) -> None:
        self.ui.set_window_resolution(size)
        self.surfaces.rooms = budget_for(size)
        for screen in self.stack.screens:
            screen.resize(size)

    def run(self) -> None:
        try:
            while self.running:
                self.run_once()
        finally:
            self.close()
            pygame.quit()

    def close(self) -> None:
        """Stop what runs beside the loop: screens' threads, the network, the embedded server."""
        while self.stack.top is not None:
            self.stack.pop()
        if self.backend is not None:
            self.backend.stop()
            self.backend = None
        if self.logo_fetch is not None:  # it ends soon when the server it asks was ours; a remote one's pack may be
            self.logo_fetch.join(1.0)  # half way: not waited for (its files are written whole, the answer kept
            self.logo_fetch = None  # only after them: the next start fetches what is missing)
        if self.logos.decoder is not None:
            self.logos.decoder.close()
        memory.thaw()


def _post_decoded(logos: dict[str, tuple[Exhibitor, DecodedLogo | None]]) -> None:
    """The logo decoder's answer, to the loop (from its thread; not once the app has closed)."""
    if pygame.display.get_init():
        post(pygame.event.Event(LOGOS_DECODED, logos=logos))


def _unknown(kind: str, value: str, choices: list[str]) -> str:
    hint = closest(value, choices)
    text = tr(f"hall.{kind}", value=value)
    if hint:
        text += " " + tr("hall.did_you_mean", options=", ".join(hint))
    return text


def _literal(text: str) -> str:
    from expo_hall.text import literal

    return literal(text)
