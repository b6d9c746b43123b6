"""Drawing a floor: pre-rendered in chunks per zoom level, so a frame only blits.

Chunks are rendered on first sight and kept in the hall's one surface budget (the logos' too: least recently
used dropped first, a floor left long ago before the floor in view); each frame also renders at most one chunk
just outside the view, so walking never waits for one.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

import pygame

from expo_hall.floors.camera import ZOOMS, Camera
from expo_hall.floors.geometry import Rect, bounding_rect
from expo_hall.floors.model import Floor, StandPlace
from expo_hall.floors.spatial import GridIndex
from expo_hall.floors.tiles import TileLayers, placed
from expo_hall.stands.logos import LogoCache, brand_colour
from expo_hall.stands.looks import band, logo_square, number_font, stand_inner
from expo_hall.stands.package import Exhibitor
from expo_hall.text import TextCache

if TYPE_CHECKING:
    from expo_hall.organizer.overlay import FloorOverlay

CHUNK = 256
LOGOS_ROOM = 16  # MB of the budget for the logos drawn on the chunks
HALL = (226, 223, 214)
ALLEY = (246, 244, 238)
ALLEY_EDGE = (208, 203, 190)
STAND = (255, 255, 255)
STAND_EDGE = (120, 124, 135)
NUMBER = (40, 44, 52)
LIFT = (46, 112, 190)
EMPTY_STAND = (236, 236, 236)
# organizer mode's overlay
WALKABLE = (70, 170, 90, 40)
PIECE_EDGE = (40, 140, 70)
PORTAL = (46, 112, 220)
FRONT = (235, 140, 20)
UNREACHABLE = (220, 40, 40)


def budget_for(window: tuple[int, int]) -> dict[str, int]:
    """The surface budget's rooms for a window, in bytes: the chunks in view at one zoom (one more across where
    the view straddles chunk edges) and one more row and column prefetched; the logos. Less, and walking
    would draw the same chunks again and again; a ring all round (one more) cost 12 MB on the demo's tour for a
    frame p99 of 2.6-2.8 ms instead of 3.3-3.7 ms walking a 1000-stand floor with a route (2026-12-07)."""
    cols, rows = (math.ceil(side / CHUNK) + 2 for side in window)
    return {"chunk": cols * rows * CHUNK * CHUNK * 4, "logo": LOGOS_ROOM * 2**20}


def chunk_area(zoom: float, i: int, j: int) -> Rect:
    """The part of the floor (world units) that chunk (i, j) shows at this zoom."""
    return Rect(i * CHUNK / zoom, j * CHUNK / zoom, (i + 1) * CHUNK / zoom, (j + 1) * CHUNK / zoom)


class FloorRenderer:
    def __init__(self, floor: Floor, exhibitors: Mapping[str, Exhibitor], logos: LogoCache, text: TextCache,
                 lang: str, tiles: TileLayers | None = None) -> None:
        self.floor = floor
        self.exhibitors = exhibitors
        self.logos = logos
        self.text = text
        self.lang = lang
        self.stand_index: GridIndex[StandPlace] = GridIndex(((s.rect, s) for s in floor.stands), cell=256.0)
        self.budget = logos.budget  # one for the chunks of every floor and the logos drawn on them
        self.tiles = tiles  # decoration, read beforehand by the loader
        self._tile_images: dict[tuple[int, float], tuple[pygame.Surface, tuple[int, int]] | None] = {}
        self.chunks_rendered = 0
        self.overlay: FloorOverlay | None = None  # organizer mode's, drawn into the chunks
        self._overlay_index: GridIndex[tuple[str, object]] | None = None  # its shapes, so a chunk looks at its own

    def set_overlay(self, overlay: FloorOverlay | None) -> None:
        """Draw the floor with (or without) organizer mode's overlay: its chunks are drawn again, once."""
        if overlay != self.overlay:
            self.overlay = overlay
            self.budget.drop(lambda key: key[0] == "chunk" and key[1] is self)
            self._overlay_index = None if overlay is None else GridIndex(
                [(r, ("walkable", r)) for r in overlay.walkable] + [(r, ("piece", r)) for r in overlay.pieces]
                + [(bounding_rect(Rect(x, y, x, y) for x, y in shape), ("shape", shape))
                   for shape in overlay.walkable_shapes]
                + [(Rect(x, y, x, y), ("portal", (x, y))) for x, y in overlay.portals]
                + [(Rect(x, y, x, y), ("front", (x, y))) for x, y in overlay.fronts], cell=256.0)

    # -- per frame ---------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, camera: Camera, prefetch: bool = True) -> None:
        surface.fill(HALL)
        z = camera.zoom_index
        zoom = ZOOMS[z]
        ox, oy = camera.origin
        sx0, sy0 = round(ox * zoom), round(oy * zoom)
        w, h = surface.get_size()
        i0, j0 = math.floor(sx0 / CHUNK), math.floor(sy0 / CHUNK)
        i1, j1 = math.floor((sx0 + w - 1) / CHUNK), math.floor((sy0 + h - 1) / CHUNK)
        max_i, max_j = self._chunk_limits(zoom)
        blits = []
        for i in range(max(0, i0), min(max_i, i1) + 1):
            for j in range(max(0, j0), min(max_j, j1) + 1):
                blits.append((self.chunk(z, i, j), (i * CHUNK - sx0, j * CHUNK - sy0)))
        surface.blits(blits, doreturn=False)
        if prefetch:
            self._prefetch(z, i0 - 1, j0 - 1, i1 + 1, j1 + 1, max_i, max_j)

    def _chunk_limits(self, zoom: float) -> tuple[int, int]:
        return (math.ceil(self.floor.width * zoom / CHUNK) - 1, math.ceil(self.floor.height * zoom / CHUNK) - 1)

    def _prefetch(self, z: int, i0: int, j0: int, i1: int, j1: int, max_i: int, max_j: int) -> None:
        for i in range(max(0, i0), min(max_i, i1) + 1):
            for j in range(max(0, j0), min(max_j, j1) + 1):
                if ("chunk", self, z, i, j) not in self.budget:
                    self.chunk(z, i, j)
                    return

    def highlight(self, surface: pygame.Surface, camera: Camera, stand: StandPlace, colour=(255, 170, 0)) -> None:
        r = stand.rect
        x0, y0 = camera.to_screen(r.x0, r.y0)
        x1, y1 = camera.to_screen(r.x1, r.y1)
        box = pygame.Rect(x0 - 2, y0 - 2, x1 - x0 + 4, y1 - y0 + 4)
        if stand.ellipse:
            pygame.draw.ellipse(surface, colour, box, 3)
        else:
            pygame.draw.rect(surface, colour, box, 3, border_radius=6)

    def render_whole(self, zoom: float) -> pygame.Surface:
        """The whole floor on one surface at any zoom, drawn chunk by chunk as the hall draws it (kept nowhere):
        what printed plans are made of. Needs no window."""
        w, h = math.ceil(self.floor.width * zoom), math.ceil(self.floor.height * zoom)
        surf = pygame.Surface((w, h))
        for i in range(math.ceil(w / CHUNK)):
            for j in range(math.ceil(h / CHUNK)):
                surf.blit(self._render_chunk(zoom, i, j), (i * CHUNK, j * CHUNK))
        return surf

    # -- chunks --------------------------------------------------------------------------------
    def forget(self, *exhibitor_ids: str) -> None:
        """These exhibitors' stands look different now (a new logo): the drawn pieces showing them are drawn
        again."""
        rects = [s.rect for s in self.floor.stands if s.exhibitor_id in exhibitor_ids]
        if not rects:
            return

        def shows_them(key: Hashable) -> bool:  # a chunk of this floor over one of their stands
            if not (isinstance(key, tuple) and key[0] == "chunk" and key[1] is self):
                return False
            _, _, z, i, j = key
            area = chunk_area(ZOOMS[z], i, j).inflate(1)
            return any(r.overlaps(area) for r in rects)

        self.budget.drop(shows_them)

    def chunk(self, z: int, i: int, j: int) -> pygame.Surface:
        k = ("chunk", self, z, i, j)
        surf = self.budget.find(k)
        if surf is None:
            surf = self._render_chunk(ZOOMS[z], i, j)
            self.budget.put(k, surf)
            self.chunks_rendered += 1
        return surf

    def kept_chunks(self) -> dict[tuple[int, int, int], pygame.Surface]:
        """The chunks of this floor the budget still keeps, by (zoom index, column, row)."""
        kept = self.budget.kept(lambda k: k[0] == "chunk" and k[1] is self)
        return {k[2:]: surf for k, surf in kept.items()}  # type: ignore[index]

    def _render_chunk(self, zoom: float, i: int, j: int) -> pygame.Surface:
        surf = pygame.Surface((CHUNK, CHUNK))
        surf.fill(HALL)
        area = chunk_area(zoom, i, j)

        def to_px(x: float, y: float) -> tuple[int, int]:
            return (round(x * zoom) - i * CHUNK, round(y * zoom) - j * CHUNK)

        if self.tiles is not None:
            self._draw_tiles(surf, zoom, area, to_px)
        alley_layer = pygame.Surface((CHUNK, CHUNK), pygame.SRCALPHA)
        for alley in self.floor.alleys:
            if alley.polygon is not None:
                pygame.draw.polygon(alley_layer, (*ALLEY, 200), [to_px(x, y) for x, y in alley.polygon])
            else:
                for r in alley.rects:
                    if r.overlaps(area):
                        (x0, y0), (x1, y1) = to_px(r.x0, r.y0), to_px(r.x1, r.y1)
                        pygame.draw.rect(alley_layer, (*ALLEY, 200), (x0, y0, x1 - x0, y1 - y0))
        surf.blit(alley_layer, (0, 0))
        for rect, stand in self.stand_index.near(area):
            if rect.overlaps(area) or not rect.intersection(area).is_empty():
                self._draw_stand(surf, stand, zoom, to_px)
        for point in self.floor.transfers:
            if area.inflate(120).contains(point.x, point.y):
                self._draw_lift(surf, point.name, to_px(point.x, point.y), zoom)
        if self.overlay is not None and self._overlay_index is not None:
            self._draw_overlay(surf, self.overlay, self._overlay_index, zoom, area, to_px)
        return surf

    def _draw_overlay(self, surf: pygame.Surface, overlay: FloorOverlay, index: GridIndex[tuple[str, object]],
                      zoom: float, area: Rect, to_px) -> None:
        """The walkable area tinted, navigation pieces outlined, portals and stand entrances as dots, unreachable
        stands in red: drawn into the chunk, so a frame costs what it did without it."""

        def box(r: Rect) -> pygame.Rect:
            (x0, y0), (x1, y1) = to_px(r.x0, r.y0), to_px(r.x1, r.y1)
            return pygame.Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))

        near = index.near(area.inflate(10))
        tint = pygame.Surface((CHUNK, CHUNK), pygame.SRCALPHA)
        for _, (kind, r) in near:
            if kind == "walkable" and r.overlaps(area):
                tint.fill(WALKABLE, box(r))
            elif kind == "shape":
                pygame.draw.polygon(tint, WALKABLE, [to_px(x, y) for x, y in r])
        red = [(rect, stand) for rect, stand in self.stand_index.near(area)
               if stand.number in overlay.unreachable and rect.overlaps(area)]
        for rect, stand in red:
            if stand.ellipse:
                pygame.draw.ellipse(tint, (*UNREACHABLE, 90), box(rect))
            else:
                tint.fill((*UNREACHABLE, 90), box(rect))
        surf.blit(tint, (0, 0))
        dot = max(2, round(4 * zoom))
        for _, (kind, shape) in near:
            if kind == "piece":
                pygame.draw.rect(surf, PIECE_EDGE, box(shape), 1)
            elif kind in ("portal", "front"):
                pygame.draw.circle(surf, PORTAL if kind == "portal" else FRONT, to_px(*shape), dot)
        for rect, stand in red:
            (pygame.draw.ellipse if stand.ellipse else pygame.draw.rect)(surf, UNREACHABLE, box(rect),
                                                                          max(2, round(3 * zoom)))

    def _draw_stand(self, surf: pygame.Surface, stand: StandPlace, zoom: float, to_px) -> None:
        r = stand.rect
        (x0, y0), (x1, y1) = to_px(r.x0, r.y0), to_px(r.x1, r.y1)
        box = pygame.Rect(x0, y0, x1 - x0, y1 - y0).inflate(-max(2, int(4 * zoom)), -max(2, int(4 * zoom)))
        ex = self.exhibitors.get(stand.exhibitor_id)
        accent = brand_colour(stand.exhibitor_id) if ex else STAND_EDGE
        number = self.text.render(stand.number, number_font(zoom), NUMBER, bold=True)
        if stand.ellipse:  # the accent as a ring; logo and number in the rectangle inscribed in the ellipse
            pygame.draw.ellipse(surf, STAND if ex else EMPTY_STAND, box)
            pygame.draw.ellipse(surf, accent, box, max(1, band(zoom) // 2))
            pygame.draw.ellipse(surf, STAND_EDGE, box, 1)
            inner = box.inflate(-round(box.w * 0.3), -round(box.h * 0.3))
            box = inner
        else:
            radius = max(2, int(6 * zoom))
            pygame.draw.rect(surf, STAND if ex else EMPTY_STAND, box, border_radius=radius)
            pygame.draw.rect(surf, accent, (box.x, box.y, box.w, band(zoom)), border_top_left_radius=radius,
                             border_top_right_radius=radius)
            pygame.draw.rect(surf, STAND_EDGE, box, 1, border_radius=radius)
            ix, iy, iw, ih = stand_inner(box.w, box.h, zoom)
            inner = pygame.Rect(box.x + ix, box.y + iy, iw, ih)
        size, wide = logo_square(inner.w, inner.h, number.get_size())
        if wide:  # a wide, low stand: the logo on the left, the number beside it
            if ex is not None and size >= 10:
                logo = self.logos.get(ex, size)
                surf.blit(logo, logo.get_rect(midleft=(inner.x + 2, inner.centery)))
                rest = pygame.Rect(inner.x + size + 4, inner.y, inner.w - size - 4, inner.h)
                surf.blit(number, number.get_rect(center=rest.center))
            else:
                surf.blit(number, number.get_rect(center=inner.center))
            return
        if ex is not None and size >= 10:
            logo = self.logos.get(ex, size)
            surf.blit(logo, logo.get_rect(midtop=(inner.centerx, inner.y + 1)))
        surf.blit(number, number.get_rect(midbottom=(inner.centerx, box.bottom - 1)))

    def _draw_lift(self, surf: pygame.Surface, name: str, at: tuple[int, int], zoom: float) -> None:
        radius = max(6, int(14 * zoom))
        pygame.draw.circle(surf, LIFT, at, radius)
        pygame.draw.circle(surf, (255, 255, 255), at, radius, max(1, int(2 * zoom)))
        x, y, a = at[0], at[1], radius * 0.55  # an up and a down arrowhead
        for sign in (-1, 1):
            tip, base = y + sign * a * 1.1, y + sign * a * 0.1
            pygame.draw.polygon(surf, (255, 255, 255), [(x, tip), (x - a * 0.8, base), (x + a * 0.8, base)])
        label = self.text.render(name, max(8, round(12 * zoom)), LIFT, bold=True)
        surf.blit(label, label.get_rect(midtop=(at[0], at[1] + radius + 2)))

    def _draw_tiles(self, surf: pygame.Surface, zoom: float, area: Rect, to_px) -> None:
        """The visible tile layers, bottom first, each moved by its offset, each tile at its own size from its cell's
        bottom-left corner (moved by its tileset's offset), as Tiled draws them; a layer's opacity applied to the
        layer as a whole."""
        tiles = self.tiles
        tw, th = tiles.tile_width, tiles.tile_height
        left, up, right, down = self._reach
        for layer in tiles.layers:
            lx, ly = layer.offset
            tx0, ty0 = max(0, math.floor((area.x0 - lx - right) / tw)), max(0, math.floor((area.y0 - ly - down) / th))
            tx1 = min(tiles.width - 1, math.floor((area.x1 - lx + left) / tw))
            ty1 = min(tiles.height - 1, math.floor((area.y1 - ly + up) / th))
            if tx1 < tx0 or ty1 < ty0:
                continue
            target = surf if layer.opacity >= 1 else pygame.Surface(surf.get_size(), pygame.SRCALPHA)
            blits = []
            for ty in range(ty0, ty1 + 1):
                for tx, gid in enumerate(layer.gids.row(ty, tx0, tx1 + 1), tx0):
                    if gid:
                        drawn = self._tile_image(gid, zoom)
                        if drawn is not None:
                            image, (ox, oy) = drawn
                            x, y = to_px(tx * tw + lx, (ty + 1) * th + ly)
                            blits.append((image, (x + ox, y + oy - image.get_height())))
            target.blits(blits, doreturn=False)
            if target is not surf:
                target.set_alpha(round(255 * layer.opacity))
                surf.blit(target, (0, 0))

    @cached_property
    def _reach(self) -> tuple[int, int, int, int]:
        return self.tiles.reach() if self.tiles is not None else (0, 0, 0, 0)

    def _tile_image(self, gid: int, zoom: float) -> tuple[pygame.Surface, tuple[int, int]] | None:
        """The tile drawn for a raw gid at this zoom, and its offset in screen pixels (kept once made)."""
        key = (gid, zoom)
        if key not in self._tile_images:
            tile = placed(self.tiles, gid)
            if tile is None:
                self._tile_images[key] = None
            else:
                w, h = tile.size or tile.image.get_size()
                image = tile.image
                if zoom != 1 or (w, h) != image.get_size():
                    image = pygame.transform.scale(image, (max(1, math.ceil(w * zoom)), max(1, math.ceil(h * zoom))))
                if pygame.display.get_surface() is not None:
                    image = image.convert_alpha()
                self._tile_images[key] = (image, (round(tile.offset[0] * zoom), round(tile.offset[1] * zoom)))
        return self._tile_images[key]
