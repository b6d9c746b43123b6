"""The camera: which part of the floor the window shows, and at what zoom."""

from __future__ import annotations

import math

from expo_hall.floors.geometry import Rect, Vec

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
DEFAULT_ZOOM = 2  # index into ZOOMS
FOLLOW_RATE = 7.0  # how fast the camera catches up (1/s); higher is stiffer
STILL_PX = 0.02  # a follow step shorter than this (in pixels) leaves the camera still


class Camera:
    def __init__(self, view: tuple[int, int], world: tuple[int, int]) -> None:
        self.view_w, self.view_h = view
        self.world_w, self.world_h = world
        self.zoom_index = DEFAULT_ZOOM
        self.cx, self.cy = self.world_w / 2, self.world_h / 2
        self.moving = False  # the last follow step moved the view

    @property
    def zoom(self) -> float:
        return ZOOMS[self.zoom_index]

    def resize(self, view: tuple[int, int]) -> None:
        self.view_w, self.view_h = view
        self._clamp()

    def set_world(self, world: tuple[int, int]) -> None:
        self.world_w, self.world_h = world
        self._clamp()

    def zoom_by(self, steps: int) -> bool:
        index = max(0, min(len(ZOOMS) - 1, self.zoom_index + steps))
        changed = index != self.zoom_index
        self.zoom_index = index
        self._clamp()
        return changed

    def follow(self, target: Vec, dt: float) -> None:
        before = (self.cx, self.cy)
        k = 1.0 - math.exp(-FOLLOW_RATE * dt)
        self.cx += (target[0] - self.cx) * k
        self.cy += (target[1] - self.cy) * k
        self._clamp()
        self.moving = math.dist(before, (self.cx, self.cy)) * self.zoom > STILL_PX

    def center_on(self, target: Vec) -> None:
        self.cx, self.cy = target
        self._clamp()

    def _clamp(self) -> None:
        half_w, half_h = self.view_w / 2 / self.zoom, self.view_h / 2 / self.zoom
        self.cx = self.world_w / 2 if half_w * 2 >= self.world_w else min(max(self.cx, half_w), self.world_w - half_w)
        self.cy = self.world_h / 2 if half_h * 2 >= self.world_h else min(max(self.cy, half_h), self.world_h - half_h)

    @property
    def origin(self) -> Vec:
        """The world point at the window's top-left corner."""
        return (self.cx - self.view_w / 2 / self.zoom, self.cy - self.view_h / 2 / self.zoom)

    def to_screen(self, x: float, y: float) -> tuple[int, int]:
        ox, oy = self.origin
        z = self.zoom
        return (round((x - ox) * z), round((y - oy) * z))

    def to_world(self, sx: float, sy: float) -> Vec:
        ox, oy = self.origin
        z = self.zoom
        return (ox + sx / z, oy + sy / z)

    def view_rect(self) -> Rect:
        ox, oy = self.origin
        return Rect(ox, oy, ox + self.view_w / self.zoom, oy + self.view_h / self.zoom)
