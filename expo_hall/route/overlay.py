"""The route drawn over the floor and the minimap: the walk from stop to stop, the stops numbered, the next one
highlighted, visited ones greyed, and where the walk changes floor a mark naming the floor it leads to; and a
tick on every stand visited, on the route or not.

`build_overlay` works the lines out once per change of the route (off the main thread: a walk across floors per
leg); a frame only moves the visible ones into the view and draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pygame

from expo_hall.expo import Expo
from expo_hall.floors.geometry import Rect, Vec
from expo_hall.route.costs import Walking, stand_spot, walk
from expo_hall.text import TextCache

LINE = (46, 112, 220)
NEXT = (238, 122, 20)
DONE = (150, 154, 162)
WHITE = (255, 255, 255)
VISITED = (40, 150, 80)
WALKED = (150, 60, 170)


class View(Protocol):
    """What the drawing asks of the hall's camera (or of a printed plan's fixed view)."""

    @property
    def zoom(self) -> float: ...

    def to_screen(self, x: float, y: float) -> tuple[int, int]: ...

    def view_rect(self) -> Rect: ...


@dataclass(frozen=True)
class Line:
    to_stop: int  # the leg that leads to this stop (its index in the route)
    points: tuple[Vec, ...]
    box: Rect  # the line's bounds: a frame skips lines out of view


@dataclass(frozen=True)
class StopMark:
    index: int
    exhibitor_id: str
    at: Vec


@dataclass(frozen=True)
class FloorChange:
    to_stop: int
    at: Vec
    to_floor: str


@dataclass
class FloorOverlay:
    lines: list[Line] = field(default_factory=list)
    stops: list[StopMark] = field(default_factory=list)
    changes: list[FloorChange] = field(default_factory=list)


@dataclass
class RouteOverlay:
    floors: dict[str, FloorOverlay] = field(default_factory=dict)

    def on(self, floor_id: str) -> FloorOverlay:
        return self.floors.setdefault(floor_id, FloorOverlay())


def build_overlay(expo: Expo, stops: list[str], walking: Walking) -> RouteOverlay:
    """Each stop's place, and the walk from each stop to the next, per floor."""
    overlay = RouteOverlay()
    spots = [stand_spot(expo, s) for s in stops]
    for i, (exhibitor_id, spot) in enumerate(zip(stops, spots, strict=True)):
        if spot is not None:
            overlay.on(spot.floor_id).stops.append(StopMark(i, exhibitor_id, (spot.x, spot.y)))
    placed = [(i, spot) for i, spot in enumerate(spots) if spot is not None]
    for (_, a), (j, b) in zip(placed, placed[1:], strict=False):
        for stretch in walk(expo, a, b, walking) or ():
            points = tuple(stretch.path)
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            overlay.on(stretch.floor_id).lines.append(Line(j, points, Rect(min(xs), min(ys), max(xs), max(ys))))
            if stretch.via is not None and stretch.via.to_floor:
                overlay.on(stretch.floor_id).changes.append(FloorChange(j, points[-1], stretch.via.to_floor))
    return overlay


def leg_colour(to_stop: int, next_index: int | None) -> tuple[int, int, int]:
    if next_index is None or to_stop < next_index:
        return DONE
    return NEXT if to_stop == next_index else LINE


def draw_on_floor(surface: pygame.Surface, camera: View, floor: FloorOverlay, next_index: int | None,
                  visited: set[int], floor_titles: dict[str, str], text: TextCache) -> None:
    view = camera.view_rect()
    zoom = camera.zoom
    width = max(3, round(6 * zoom))
    for line in floor.lines:
        b = line.box
        if b.x1 < view.x0 or b.x0 > view.x1 or b.y1 < view.y0 or b.y0 > view.y1:
            continue
        pygame.draw.lines(surface, leg_colour(line.to_stop, next_index), False,
                          [camera.to_screen(*p) for p in line.points], width)
    for change in floor.changes:
        x, y = camera.to_screen(*change.at)
        label = text.render("» " + floor_titles.get(change.to_floor, change.to_floor), 14, WHITE, bold=True)
        box = label.get_rect(midbottom=(x, y - 10)).inflate(12, 6)
        pygame.draw.rect(surface, leg_colour(change.to_stop, next_index), box, border_radius=6)
        surface.blit(label, label.get_rect(center=box.center))
    radius = max(10, round(14 * zoom))
    for mark in floor.stops:
        at = camera.to_screen(*mark.at)
        colour = DONE if mark.index in visited else NEXT if mark.index == next_index else LINE
        r = radius + 4 if mark.index == next_index else radius
        pygame.draw.circle(surface, WHITE, at, r + 2)
        pygame.draw.circle(surface, colour, at, r)
        number = text.render(str(mark.index + 1), 14 if r < 16 else 17, WHITE, bold=True)
        surface.blit(number, number.get_rect(center=at))


def draw_visited(surface: pygame.Surface, camera: View, stands: list[Rect]) -> None:
    """A tick at the top right corner of each visited stand (this floor's, as `StandPlace.inner_rect`)."""
    view = camera.view_rect()
    r = max(7, round(10 * camera.zoom))
    for rect in stands:
        if rect.x1 < view.x0 or rect.x0 > view.x1 or rect.y1 < view.y0 or rect.y0 > view.y1:
            continue
        x, y = camera.to_screen(rect.x1, rect.y0)
        x, y = x - r - 3, y + r + 3
        pygame.draw.circle(surface, WHITE, (x, y), r + 2)
        pygame.draw.circle(surface, VISITED, (x, y), r)
        tick = [(x - r * 0.5, y), (x - r * 0.1, y + r * 0.4), (x + r * 0.5, y - r * 0.4)]
        pygame.draw.lines(surface, WHITE, False, tick, max(2, r // 4))


def draw_walked(surface: pygame.Surface, camera: View, points: list[Vec]) -> None:
    """The path the visitor walked on this floor (its sampled points, in order), as a thin line."""
    if len(points) > 1:
        width = max(2, round(3 * camera.zoom))
        pygame.draw.lines(surface, WALKED, False, [camera.to_screen(*p) for p in points], width)


def minimap_image(size: tuple[int, int], scale: float, floor: FloorOverlay, next_index: int | None,
                  visited: set[int], visited_stands: list[Rect] = ()) -> pygame.Surface:
    """The route and the visited stands over the minimap, drawn once per change: blitted over it each frame."""
    surf = pygame.Surface(size, pygame.SRCALPHA)
    for rect in visited_stands:
        pygame.draw.circle(surf, VISITED, (rect.x1 * scale - 3, rect.y0 * scale + 3), 3)
    for line in floor.lines:
        if len(line.points) > 1:
            pygame.draw.lines(surf, leg_colour(line.to_stop, next_index), False,
                              [(x * scale, y * scale) for x, y in line.points], 2)
    for mark in floor.stops:
        colour = DONE if mark.index in visited else NEXT if mark.index == next_index else LINE
        at = (mark.at[0] * scale, mark.at[1] * scale)
        pygame.draw.circle(surf, WHITE, at, 5 if mark.index == next_index else 4)
        pygame.draw.circle(surf, colour, at, 4 if mark.index == next_index else 3)
    return surf
