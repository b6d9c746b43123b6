"""The forum floor's halls in the hall screen: each named over the floor, and opened (the programme window on that
hall: the event on now, next, the hall's day and its clusters' stand webinars) when the visitor walks in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from expo_hall.floors.camera import Camera
from expo_hall.floors.model import Floor
from expo_hall.forum import listing
from expo_hall.forum.floor import HallSpot, hall_spots

if TYPE_CHECKING:
    from expo_hall.app import App

LABEL_BG, LABEL_FG = (34, 40, 56), (255, 255, 255)


class ForumHalls:
    def __init__(self, app: App) -> None:
        self.app = app
        self.inside: str | None = None  # the hall the visitor stands in
        self._spots: dict[str, list[HallSpot]] = {}
        self._for: object | None = None  # the listing the spots were found with
        self._asked = False

    def _ask(self, floor: Floor) -> None:
        """Ask for the programme once a floor has points that may be halls (the forum floor): halls are named by it."""
        if self._asked or self.app.programme is not None or self.app.programme_error is not None:
            return
        if any(p.name != "spawn" and not p.is_transfer for p in floor.points):
            self._asked = True
            listing.request(self.app)

    def spots(self, floor: Floor) -> list[HallSpot]:
        self._ask(floor)
        if self._for is not self.app.programme:
            self._for, self._spots = self.app.programme, {}
        if floor.floor_id not in self._spots:
            programme = self.app.programme
            halls = {r.hall for r in programme.rooms if r.hall} if programme else set()
            self._spots[floor.floor_id] = hall_spots(floor, halls)
        return self._spots[floor.floor_id]

    def rooms_of(self, hall: str) -> str:
        programme = self.app.programme
        return ", ".join(r.name for r in programme.rooms if r.hall == hall) if programme else hall

    def update(self, floor: Floor, pos: tuple[float, float], active: bool) -> str | None:
        """Open the hall the visitor has just walked into (when the hall screen is on top); returns it."""
        spot = next((s for s in self.spots(floor) if s.holds(*pos)), None)
        hall = spot.hall if spot else None
        if hall == self.inside:
            return None
        self.inside = hall
        if hall is None or not active:
            return None
        from expo_hall.forum.screen import open_programme

        open_programme(self.app, hall=hall)
        return hall

    def draw(self, surface: pygame.Surface, camera: Camera, floor: Floor) -> None:
        """Each hall's room name over its stage."""
        for spot in self.spots(floor):
            label = self.app.text.render(self.rooms_of(spot.hall), 14, LABEL_FG, bold=True)
            x, y = camera.to_screen(spot.x, spot.y)
            box = label.get_rect(center=(x, y)).inflate(12, 6)
            if not box.colliderect(surface.get_rect()):
                continue
            pygame.draw.rect(surface, LABEL_BG, box, border_radius=4)
            surface.blit(label, label.get_rect(center=box.center))
