"""Loading the expo off the main thread, with a screen that shows how far it got.

The worker reads the maps and stand packages, decodes the logos and reads the decoration
tiles; it hands the result back as a pygame event, so no frame waits on the disk.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton

from expo_hall import memory
from expo_hall.backend import Backend, connect
from expo_hall.events import EXPO_READY, LOAD_PROGRESS, LOGOS_READY
from expo_hall.expo import Expo, load_expo
from expo_hall.floors.tiles import TileLayers, load_tile_layers
from expo_hall.frames import post
from expo_hall.i18n import key, tr
from expo_hall.net import LaterLogos, NetError, Offline, open_expo
from expo_hall.net.errors import unreachable
from expo_hall.net.expo_source import SavedAnswer, cached_expo
from expo_hall.paths import cache_dir
from expo_hall.problems import ContentError
from expo_hall.screens import Screen
from expo_hall.settings import Settings
from expo_hall.stands.logos import NOT_DECODED, DecodedLogo, predecoded
from expo_hall.stands.package import Exhibitor

if TYPE_CHECKING:
    from expo_hall.app import App
    from expo_hall.organizer.mode import Start

log = logging.getLogger("expo_hall")


@dataclass
class LoadedExpo:
    expo: Expo
    logos: dict[str, DecodedLogo | None] = field(default_factory=dict)
    tiles: dict[str, TileLayers] = field(default_factory=dict)
    backend: Backend | None = None  # None: read from the folders (--no-server)
    offline_copy: SavedAnswer | None = None  # the server did not answer: the expo as the cache kept it (read-only)
    organizer: Start | None = None  # organizer mode's start: the folders as it read them
    later_logos: LaterLogos | None = None  # logos to fetch once the hall is up (placeholders meanwhile)


PROGRESS_STEP = 1 / 100  # the loader's progress is announced when it moved this much (a frame drawn each time)


class Progress:
    """Written by the loader, read by the screen; a float assignment is atomic. A move of PROGRESS_STEP or more
    posts LOAD_PROGRESS: the loading screen draws on it and otherwise sleeps, its frames leaving the GIL to the
    loader."""

    def __init__(self) -> None:
        self._fraction = self._told = 0.0

    @property
    def fraction(self) -> float:
        return self._fraction

    @fraction.setter
    def fraction(self, value: float) -> None:
        self._fraction = value
        if abs(value - self._told) >= PROGRESS_STEP and pygame.display.get_init():
            self._told = value
            post(pygame.event.Event(LOAD_PROGRESS))


def load_all(settings: Settings, progress: Progress, expo: Expo | None = None) -> LoadedExpo:
    """Connect to the backend (starting the embedded one unless --server names one) and build the expo from
    what it serves, or, when it does not answer, from what the cache kept of the last start; or, with
    --no-server, read the folders directly. Then decode logos and tiles."""
    backend = None
    offline_copy = None
    later = None
    if expo is None and settings.no_server:
        if settings.organizer:
            return _decode_organizer(settings, progress, None, Expo())
        expo = load_expo(settings.maps, settings.stands)
    elif expo is None:
        backend = connect(settings, meanwhile=lambda: _screens_imported(progress))
        progress.fraction = 0.15
        cache = cache_dir(settings.data_dir)
        try:
            try:
                if backend.unanswered is not None:
                    raise backend.unanswered
                expo, later = open_expo(backend.client, cache, media=backend.network.media,
                                        progress=lambda f: setattr(progress, "fraction", 0.15 + 0.45 * f),
                                        pack_later=not settings.organizer)
            except NetError as exc:
                kept = cached_expo(backend.client, cache) if unreachable(exc) else None
                if kept is None:
                    raise
                expo, offline_copy = kept
                log.warning("the expo's server does not answer (%s): the copy kept on %s opens, read-only", exc,
                            offline_copy.saved_at)
        except BaseException:
            backend.stop()
            raise
        imported = getattr(backend.server, "imported", None)
        if settings.organizer:  # the folders read here: their findings name the organizer's own files
            result = _decode_organizer(settings, progress, backend, expo)
            result.offline_copy = offline_copy
            return result
        if imported is not None:  # our own server read the folders: what it found wrong is for this user to see,
            known = {p.identity for p in imported.problems}  # once (the client read the same maps from its cache)
            expo.problems[:] = [*imported.problems, *(p for p in expo.problems if p.identity not in known)]
    result = _decode(expo, progress, backend)
    result.offline_copy = offline_copy
    result.later_logos = later
    return result


def _screens_imported(progress: Progress) -> None:
    """The hall's screens (a stand's, PyAV's with it) imported here, off the main thread, while a first start's
    logos are made: 0.3 s the hall's start then does not take from the loading screen's frames."""
    progress.fraction = 0.05  # the folders read (the embedded server's), or a remote server about to be asked
    import expo_hall.floors.hall_screen  # noqa: F401
    import expo_hall.notices  # noqa: F401

    progress.fraction = 0.1


def fetch_later_logos(later: LaterLogos, expo: Expo) -> threading.Thread:
    """Fetch and decode the logos the hall opened without, on a thread of its own; they come back as one
    LOGOS_READY event: each exhibitor as given, the same with its logo's file, and the logo decoded (in the floors'
    order within PREDECODED_ROOM; NOT_DECODED beyond it: the hall's decoder reads those when they are drawn). When
    the pack cannot be had, the event comes with none: the placeholders stay (logged) and the next start asks
    again."""
    asked = set(later.exhibitor_ids)
    wanted = {ex.exhibitor_id: ex for ex in floor_order(expo) if ex.exhibitor_id in asked}

    def run() -> None:
        try:
            got = later.fetch()
        except Exception as exc:  # noqa: BLE001 - the hall goes on with placeholders
            log.warning("the logos could not be fetched (%s); placeholders are shown", exc)
            got = {}
        came = {k: dataclasses.replace(was, logo=got[k]) for k, was in wanted.items() if k in got}
        decoded = {ex.exhibitor_id: logo for ex, logo in predecoded(came.values())}
        logos = {k: (wanted[k], ex, decoded.get(k, NOT_DECODED)) for k, ex in came.items()}
        if pygame.display.get_init():  # the app may have closed meanwhile
            post(pygame.event.Event(LOGOS_READY, logos=logos))

    thread = threading.Thread(target=run, name="expo-logos", daemon=True)
    thread.start()
    return thread


def _decode_organizer(settings: Settings, progress: Progress, backend: Backend | None, served: Expo) -> LoadedExpo:
    """Organizer mode: the hall shows the folders as read here (each stand keeps its chat room on the server)."""
    from expo_hall.organizer.mode import Start
    from expo_hall.organizer.workspace import Workspace

    workspace = Workspace(settings.maps, settings.stands)
    workspace.room_ids = {k: ex.room_id for k, ex in served.exhibitors.items() if ex.room_id is not None}
    snapshot = workspace.read()
    known = len(snapshot.expo.problems)
    result = _decode(snapshot.expo, progress, backend)
    snapshot.add_findings(snapshot.expo.problems[known:])  # the decoration's faults
    result.organizer = Start(workspace, snapshot)
    return result


def floor_order(expo: Expo) -> Iterator[Exhibitor]:
    """The exhibitors in the floors' order, the first floor's stands first (it is shown first), then those on no
    floor."""
    seen: set[str] = set()
    for floor in expo.floors:
        for stand in floor.stands:
            exhibitor = expo.exhibitors.get(stand.exhibitor_id)
            if exhibitor is not None and exhibitor.exhibitor_id not in seen:
                seen.add(exhibitor.exhibitor_id)
                yield exhibitor
    yield from (ex for k, ex in expo.exhibitors.items() if k not in seen)


def _decode(expo: Expo, progress: Progress, backend: Backend | None) -> LoadedExpo:
    start = progress.fraction = max(progress.fraction, 0.2)
    result = LoadedExpo(expo, backend=backend)
    items = list(floor_order(expo))
    for i, (exhibitor, decoded) in enumerate(predecoded(items), 1):
        result.logos[exhibitor.exhibitor_id] = decoded
        progress.fraction = start + (0.95 - start) * i / max(1, len(items))
    for floor in expo.floors:
        if floor.has_tiles:
            try:
                tiles = result.tiles[floor.floor_id] = load_tile_layers(floor.source, floor.root)
            except ContentError as exc:  # the map changed since its floor was read: drawn without its tiles
                expo.problems.extend(p.log() for p in exc.problems)
            else:
                expo.problems.extend(tiles.problems)
    progress.fraction = 1.0
    return result


class LoadingScreen(Screen):
    """Shows progress while the worker loads; if loading fails, says why and offers to try again."""

    def __init__(self, app: App, job: Callable[[Progress], LoadedExpo]) -> None:
        super().__init__(app)
        self.job = job
        self.error: BaseException | None = None
        self.buttons: list[UIButton] = []
        self._start()

    def _start(self) -> None:
        self.progress = Progress()
        self.error = None
        memory.loading()  # until the app has the expo (App.expo_loaded)
        self.thread = threading.Thread(target=self._run, args=(self.job,), name="expo-loader", daemon=True)
        self.thread.start()

    def _run(self, job: Callable[[Progress], LoadedExpo]) -> None:
        try:
            result: LoadedExpo | BaseException = job(self.progress)
        except Exception as exc:  # reported on screen by the app, and logged with its traceback
            log.exception("loading the expo failed")
            result = exc
        if pygame.display.get_init():  # the app may have closed while we worked
            post(pygame.event.Event(EXPO_READY, result=result))
        elif isinstance(result, LoadedExpo) and result.backend is not None:
            result.backend.stop()

    def failed(self, error: BaseException) -> None:
        self.error = error
        w, h = self.app.size
        self.retry = UIButton(pygame.Rect(w // 2 - 170, h // 2 + 70, 160, 40), key("loading.retry"), self.app.ui)
        self.quit = UIButton(pygame.Rect(w // 2 + 10, h // 2 + 70, 160, 40), key("loading.quit"), self.app.ui)
        self.buttons = [self.retry, self.quit]

    def message(self) -> str:
        if self.error is None:
            return tr("loading.expo")
        if isinstance(self.error, Offline):
            where = self.app.settings.server or tr("loading.embedded")
            return tr("loading.offline", where=where)
        return tr("loading.failed", error=self.error)

    def leave(self) -> None:
        for button in self.buttons:
            button.kill()

    def event(self, event: pygame.event.Event) -> None:
        if event.type == EXPO_READY:
            self.app.expo_loaded(event.result)
        elif event.type == pygame_gui.UI_BUTTON_PRESSED and self.error is not None:
            if event.ui_element is self.retry:
                self.leave()
                self.buttons = []
                self._start()
            elif event.ui_element is self.quit:
                self.app.running = False

    def wants_frame(self) -> bool:
        return False  # a frame when the loader's progress moves (LOAD_PROGRESS), not every one meanwhile

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill((35, 40, 58))
        w, h = surface.get_size()
        lines = self.app.text.wrap(self.message(), 22, min(900, w - 80), bold=True, max_lines=4)
        y = h // 2 - 16 - 30 * len(lines)
        for line in lines:
            label = self.app.text.render(line, 22, (236, 238, 244), bold=True)
            surface.blit(label, label.get_rect(midtop=(w // 2, y)))
            y += 30
        if self.error is None:
            bar = pygame.Rect(0, 0, min(480, w - 80), 10)
            bar.center = (w // 2, h // 2 + 8)
            pygame.draw.rect(surface, (70, 78, 100), bar, border_radius=5)
            done = bar.copy()
            done.width = max(10, int(bar.width * self.progress.fraction))
            pygame.draw.rect(surface, (46, 112, 190), done, border_radius=5)
