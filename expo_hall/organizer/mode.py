"""Organizer mode in the hall (`--organizer`): the overlay, the findings panel and the file watcher.

The watcher's thread reads what changed (organizer/workspace.py) and posts the new reading as a RELOADED event;
the hall takes it on the main thread. With the embedded server, the same thread then imports the folders into
it again (after a good reading only), so the server serves what the organizer sees (a visitor's client joining
with `--server URL` reads the expo at its start).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from expo_hall.events import RELOADED
from expo_hall.frames import post
from expo_hall.i18n import tr
from expo_hall.organizer.panel import FindingsPanel
from expo_hall.organizer.places import Spot
from expo_hall.organizer.watcher import FileWatcher
from expo_hall.organizer.workspace import Snapshot, Workspace

if TYPE_CHECKING:
    from expo_hall.floors.hall_screen import HallScreen
    from expo_hall.problems import Problem

log = logging.getLogger("expo_hall")
KEY_OVERLAY, KEY_FINDINGS = pygame.K_o, pygame.K_f
FOCUS = (235, 140, 20)


@dataclass
class Start:
    """What the loader hands organizer mode: the folders read, and their first reading."""

    workspace: Workspace
    snapshot: Snapshot


class OrganizerMode:
    def __init__(self, hall: HallScreen, start: Start) -> None:
        self.hall, self.app = hall, hall.app
        self.workspace = start.workspace
        self.snapshot = start.snapshot  # the reading shown: findings, their places, each floor's overlay
        self.overlay_on = True
        self.focus: Spot | None = None  # the finding's place the camera shows, until the visitor moves
        self.reloads = 0  # readings taken into the hall
        self.panel = FindingsPanel(self.app, hall.minimap.rect.top)
        self.panel.show(self.snapshot.findings, self.snapshot.spots)
        self.show_overlay()
        self._taken = threading.Event()  # the hall drew the last reading: the server's import may use the cores
        self._drawn_after_take = True
        ws = self.workspace
        self.watcher = FileWatcher([ws.maps_dir, ws.stands_dir], self._changed, extra=lambda: ws.outside).start()

    # -- the watcher's thread --------------------------------------------------------------------
    def _changed(self, paths: set[Path]) -> None:
        snapshot = self.workspace.read(paths)
        self._taken.clear()
        post(pygame.event.Event(RELOADED, snapshot=snapshot, changed=paths))
        server = self.app.backend.server if self.app.backend is not None else None
        if server is not None and not snapshot.kept:  # a broken save is not imported: the server keeps its copy
            self._taken.wait(5.0)  # the hall first (the import would slow its frame down, holding the GIL)
            try:
                server.reimport(self.workspace.maps_dir, self.workspace.stands_dir)
            except Exception:  # the hall has the new reading already; the server keeps serving the last import
                log.exception("the embedded server could not import the folders again")

    # -- the main thread -------------------------------------------------------------------------
    def event(self, event: pygame.event.Event) -> None:
        if event.type == RELOADED:
            self.take(event.snapshot, event.changed)
        elif event.type == pygame_gui.UI_TEXT_BOX_LINK_CLICKED and event.ui_element is self.panel.box:
            self.go_to(self.panel.links.get(event.link_target))
        elif event.type == pygame.KEYDOWN and self.app.stack.top is self.hall and not self.app.typing():
            if event.key == KEY_OVERLAY:
                self.overlay_on = not self.overlay_on
                self.show_overlay()
            elif event.key == KEY_FINDINGS:
                if self.panel.box is None:
                    self.panel.show(self.snapshot.findings, self.snapshot.spots)
                else:
                    self.panel.kill()

    def take(self, snapshot: Snapshot, changed: set[Path]) -> None:
        """A new reading: the hall drawn from it (the visitor kept where they stand), the findings listed again.
        A reading with no floor at all keeps the floors shown (their files' faults are listed)."""
        if snapshot.expo.floors:
            app = self.app
            for floor_id in snapshot.floors_read:
                app.tiles.pop(floor_id, None)
            app.tiles.update(snapshot.tiles)
            app.logos.forget(snapshot.exhibitors_read)
            app.logos.add_decoded(snapshot.logos)
            self.snapshot = snapshot
            self.hall.world_changed(snapshot.expo)  # which shows the overlay of the floor it keeps
            if self.focus is not None and self.hall.expo.floor(self.focus.floor_id) is None:
                self.focus = None
        else:  # the floors shown stay, and their overlays; their files' faults are listed
            self.snapshot = replace(snapshot, expo=self.snapshot.expo, overlays=self.snapshot.overlays)
        self.reloads += 1
        self._drawn_after_take = False
        if self.panel.box is not None:
            self.panel.show(snapshot.findings, snapshot.spots)
        names = ", ".join(sorted({p.name for p in (snapshot.kept or changed)})[:3])
        self.hall.say(tr("organizer.kept" if snapshot.kept else "organizer.reloaded", files=names))

    def show_overlay(self) -> None:
        """The current floor's overlay (made once per reading and floor) into its renderer, or none."""
        hall = self.hall
        hall.renderer.set_overlay(self.snapshot.overlays.get(hall.floor.floor_id) if self.overlay_on else None)

    def floor_shown(self) -> None:
        """The hall changed floor: its renderer gets the overlay."""
        self.show_overlay()

    def go_to(self, spot: Spot | None) -> None:
        """The camera to a finding's place, on its floor; the visitor stays (on the floor's arrival if it changed)."""
        if spot is None or self.hall.expo.floor(spot.floor_id) is None:
            return
        if spot.floor_id != self.hall.floor.floor_id:
            self.hall.change_floor(spot.floor_id)
        self.hall.visitor.stop()  # a walk under way would take the camera back at once
        self.hall.pending_open = None
        self.focus = spot

    def camera_target(self) -> tuple[float, float] | None:
        """Where the camera looks while a finding is shown; None once the visitor moves again."""
        if self.focus is not None and (self.hall.visitor.walking or self.app.input.direction() != (0.0, 0.0)):
            self.focus = None
        if self.focus is None or self.focus.floor_id != self.hall.floor.floor_id:
            return None
        return (self.focus.x, self.focus.y)

    def draw(self, surface: pygame.Surface) -> None:
        """A ring round the finding shown."""
        if not self._drawn_after_take:  # the floor is drawn from the new reading
            self._drawn_after_take = True
            self._taken.set()
        spot = self.focus
        if spot is None or spot.floor_id != self.hall.floor.floor_id:
            return
        cam = self.hall.camera
        if spot.box is not None:
            (x0, y0), (x1, y1) = cam.to_screen(spot.box.x0, spot.box.y0), cam.to_screen(spot.box.x1, spot.box.y1)
            pygame.draw.rect(surface, FOCUS, pygame.Rect(x0, y0, x1 - x0, y1 - y0).inflate(12, 12), 4, border_radius=8)
        else:
            pygame.draw.circle(surface, FOCUS, cam.to_screen(spot.x, spot.y), max(14, round(24 * cam.zoom)), 4)

    def contains(self, pos: tuple[int, int]) -> bool:
        return self.panel.contains(pos)

    def resize(self) -> None:
        self.panel.bottom = self.hall.minimap.rect.top
        if self.panel.box is not None:
            self.panel.show(self.snapshot.findings, self.snapshot.spots, again=True)

    @property
    def findings(self) -> list[Problem]:
        return self.snapshot.findings

    def close(self) -> None:
        self._taken.set()
        self.watcher.stop()
        self.panel.kill()
