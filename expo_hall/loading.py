"""Loading the expo off the main thread, with a screen that shows how far it got.

The worker reads the maps and stand packages, decodes the logos and reads the decoration
tiles; it hands the result back as a pygame event, so no frame waits on the disk.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame

from expo_hall.expo import Expo, load_expo
from expo_hall.floors.tiles import TileLayers, load_tile_layers
from expo_hall.i18n import tr
from expo_hall.screens import Screen
from expo_hall.settings import Settings
from expo_hall.stands.logos import DecodedLogo, decode_logo

if TYPE_CHECKING:
    from expo_hall.app import App

log = logging.getLogger("expo_hall")
EXPO_READY = pygame.event.custom_type()


@dataclass
class LoadedExpo:
    expo: Expo
    logos: dict[str, DecodedLogo | None] = field(default_factory=dict)
    tiles: dict[str, TileLayers] = field(default_factory=dict)


class Progress:
    """Shared between the worker (writes) and the screen (reads); a float assignment is atomic."""

    def __init__(self) -> None:
        self.fraction = 0.0


def load_all(settings: Settings, progress: Progress, expo: Expo | None = None) -> LoadedExpo:
    expo = expo if expo is not None else load_expo(settings.maps, settings.stands)
    progress.fraction = 0.2
    result = LoadedExpo(expo)
    items = list(expo.exhibitors.values())
    for i, exhibitor in enumerate(items, 1):
        result.logos[exhibitor.exhibitor_id] = decode_logo(exhibitor)
        progress.fraction = 0.2 + 0.7 * i / max(1, len(items))
    for floor in expo.floors:
        if floor.has_tiles:
            try:
                result.tiles[floor.floor_id] = load_tile_layers(floor.source)
            except Exception as exc:  # a missing tileset image must not keep the floor from opening
                log.warning("%s: decoration tiles cannot be read (%s); the floor is drawn without them",
                            floor.source, exc)
    progress.fraction = 1.0
    return result


class LoadingScreen(Screen):
    def __init__(self, app: App, job: Callable[[Progress], LoadedExpo]) -> None:
        super().__init__(app)
        self.progress = Progress()
        self.thread = threading.Thread(target=self._run, args=(job,), name="expo-loader", daemon=True)
        self.thread.start()

    def _run(self, job: Callable[[Progress], LoadedExpo]) -> None:
        try:
            result: LoadedExpo | BaseException = job(self.progress)
        except Exception as exc:  # reported on screen by the app, and logged with its traceback
            log.exception("loading the expo failed")
            result = exc
        pygame.event.post(pygame.event.Event(EXPO_READY, result=result))

    def event(self, event: pygame.event.Event) -> None:
        if event.type == EXPO_READY:
            self.app.expo_loaded(event.result)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill((35, 40, 58))
        w, h = surface.get_size()
        label = self.app.text.render(tr("loading.expo"), 24, (236, 238, 244), bold=True)
        surface.blit(label, label.get_rect(midbottom=(w // 2, h // 2 - 16)))
        bar = pygame.Rect(0, 0, min(480, w - 80), 10)
        bar.center = (w // 2, h // 2 + 8)
        pygame.draw.rect(surface, (70, 78, 100), bar, border_radius=5)
        done = bar.copy()
        done.width = max(10, int(bar.width * self.progress.fraction))
        pygame.draw.rect(surface, (46, 112, 190), done, border_radius=5)
