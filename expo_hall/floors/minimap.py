"""The minimap: the whole floor in a corner, where you are and what you see; click to walk there."""

from __future__ import annotations

import pygame

from expo_hall.floors.camera import Camera
from expo_hall.floors.geometry import Vec
from expo_hall.floors.model import Floor
from expo_hall.layout import STRIP_H
from expo_hall.stands.logos import brand_colour

MAX_W, MAX_H = 240, 170
MARGIN = 12
FRAME = (90, 96, 110)


class Minimap:
    def __init__(self, floor: Floor) -> None:
        self.floor = floor
        self.scale = min(MAX_W / floor.width, MAX_H / floor.height)
        size = (max(1, round(floor.width * self.scale)), max(1, round(floor.height * self.scale)))
        self.image = self._render(size)
        self.rect = pygame.Rect((0, 0), size)

    def _render(self, size: tuple[int, int]) -> pygame.Surface:
        s = self.scale
        surf = pygame.Surface(size)
        surf.fill((205, 201, 190))
        for alley in self.floor.alleys:
            if alley.polygon is not None:
                pygame.draw.polygon(surf, (250, 248, 242), [(x * s, y * s) for x, y in alley.polygon])
            else:
                for r in alley.rects:
                    box = (r.x0 * s, r.y0 * s, max(1, r.width * s), max(1, r.height * s))
                    pygame.draw.rect(surf, (250, 248, 242), box)
        for stand in self.floor.stands:
            r = stand.rect
            box = (r.x0 * s, r.y0 * s, max(1, r.width * s), max(1, r.height * s))
            (pygame.draw.ellipse if stand.ellipse else pygame.draw.rect)(surf, brand_colour(stand.exhibitor_id), box)
        for p in self.floor.transfers:
            pygame.draw.circle(surf, (46, 112, 190), (p.x * s, p.y * s), 3)
        return surf

    def place(self, window: tuple[int, int]) -> None:
        """Bottom right, above the notice strip (where reminders appear)."""
        self.rect.bottomright = (window[0] - MARGIN, window[1] - STRIP_H - MARGIN)

    def draw(self, surface: pygame.Surface, camera: Camera, you: Vec, over: pygame.Surface | None = None) -> None:
        """`over`: drawn over the floor's image (the route), the size of the minimap."""
        s = self.scale
        surface.blit(self.image, self.rect)
        if over is not None:
            surface.blit(over, self.rect)
        view = camera.view_rect()
        frame = pygame.Rect(self.rect.x + view.x0 * s, self.rect.y + view.y0 * s, view.width * s, view.height * s)
        pygame.draw.rect(surface, (255, 255, 255), frame.clip(self.rect), 1)
        pygame.draw.rect(surface, FRAME, self.rect.inflate(4, 4), 2, border_radius=3)
        at = (self.rect.x + you[0] * s, self.rect.y + you[1] * s)
        pygame.draw.circle(surface, (255, 255, 255), at, 5)
        pygame.draw.circle(surface, (220, 60, 50), at, 4)

    def to_world(self, pos: tuple[int, int]) -> Vec | None:
        if not self.rect.collidepoint(pos):
            return None
        return ((pos[0] - self.rect.x) / self.scale, (pos[1] - self.rect.y) / self.scale)
