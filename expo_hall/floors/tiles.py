"""Decoration tiles of a floor, read without the display so a worker thread can do it.

Read as Tiled draws them: each visible tile layer keeps its gids as one array (decoded once, see
`tmx_read.read_decoration`), its opacity (its groups' multiplied in) and its offset (its groups' added); a
tile is its tileset's size, not the grid's, drawn with its bottom-left corner on its cell's bottom-left, moved
by the tileset's tileoffset. Only the tiles the layers use are cut out of their images.
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pygame
from PIL import Image

from expo_hall.floors.gids import Gids
from expo_hall.floors.tmx_read import read_decoration
from expo_hall.problems import Problem, Severity, problem

MAX_IMAGE_PIXELS = 8192 * 4096  # a tileset image larger than this is not decoded
FLIP_X, FLIP_Y, FLIP_DIAGONAL = 0x80000000, 0x40000000, 0x20000000
GID_MASK = 0x0FFFFFFF  # the gid without Tiled's flip (and hexagonal rotation) bits


@dataclass
class TileLayer:
    gids: Gids  # rows × columns of raw gids (flip bits kept), 0 for none
    opacity: float = 1.0
    offset: tuple[float, float] = (0.0, 0.0)  # in pixels, its groups' added


@dataclass(frozen=True)
class Tile:
    image: pygame.Surface  # at the tile's own size (not converted: the renderer converts it)
    offset: tuple[int, int] = (0, 0)  # the tileset's tileoffset, in pixels
    size: tuple[int, int] | None = None  # drawn at this size instead of its own (tilerendersize="grid")


@dataclass
class TileLayers:
    tile_width: int  # the map's grid
    tile_height: int
    width: int  # in tiles
    height: int
    layers: list[TileLayer]  # the visible tile layers, bottom first
    tiles: dict[int, Tile]  # gid (without flip bits) -> what is drawn for it
    problems: list[Problem] = field(default_factory=list)  # the images that could not be read, named

    @property
    def images(self) -> dict[int, pygame.Surface]:
        return {gid: tile.image for gid, tile in self.tiles.items()}

    def reach(self) -> tuple[int, int, int, int]:
        """How far (in pixels: left, up, right, down) a tile may be drawn beyond its cell."""
        left = up = right = down = 0
        for tile in self.tiles.values():
            w, h = tile.size or tile.image.get_size()
            ox, oy = tile.offset
            left, right = max(left, -ox), max(right, w - self.tile_width + ox)
            up, down = max(up, h - self.tile_height - oy), max(down, oy)
        return left, up, right, down


def load_tile_layers(path: Path, root_folder: Path | None = None) -> TileLayers:
    """Read a map's visible tile layers and the tile images they use; an image that cannot be read is left out
    and named. The map itself was checked when its floor was loaded; ContentError if it has changed since."""
    path = Path(path)
    deco = read_decoration(path, root_folder)  # the map's own problems were reported with its floor
    root = deco.root
    grid = int(root.get("tilewidth", "1")), int(root.get("tileheight", "1"))
    layers = [TileLayer(gids, _number(el.get("opacity"), 1.0), (_number(el.get("offsetx"), 0),
                                                                _number(el.get("offsety"), 0)))
              for el, gids in deco.gids.items()]
    used: set[int] = set()
    for layer in layers:
        used.update(g & GID_MASK for g in layer.gids.distinct() if g & GID_MASK)
    problems: list[Problem] = []
    tiles: dict[int, Tile] = {}
    for tileset in root.findall("tileset"):
        _cut(path, tileset, grid, used, tiles, problems)
    return TileLayers(grid[0], grid[1], int(root.get("width", "0")), int(root.get("height", "0")), layers, tiles,
                      problems)


def _cut(path: Path, tileset: ET.Element, grid: tuple[int, int], used: set[int], tiles: dict[int, Tile],
         problems: list[Problem]) -> None:
    """The used tiles of one tileset (checked by tmx_read: its numbers are numbers), into `tiles`."""
    first = int(tileset.get("firstgid", "1"))
    tw, th = int(tileset.get("tilewidth", str(grid[0]))), int(tileset.get("tileheight", str(grid[1])))
    offset_el = tileset.find("tileoffset")
    offset = (0, 0) if offset_el is None else (int(_number(offset_el.get("x"), 0)), int(_number(offset_el.get("y"), 0)))
    size = grid if tileset.get("tilerendersize") == "grid" else None
    images: dict[str, pygame.Surface | None] = {}

    def image(el: ET.Element) -> pygame.Surface | None:
        source = el.get("source", "")
        if source not in images:
            images[source] = _load(path, path.parent / source, el.get("trans"), problems)
        return images[source]

    sheet = tileset.find("image")
    if sheet is not None:
        spacing, margin = int(tileset.get("spacing", "0")), int(tileset.get("margin", "0"))
        width = int(_number(sheet.get("width"), 0))
        columns = int(_number(tileset.get("columns"), 0)) or max(0, (width - 2 * margin + spacing) // (tw + spacing))
        height = int(_number(sheet.get("height"), 0))
        rows = max(0, (height - 2 * margin + spacing) // (th + spacing))
        reported = False
        for gid in sorted(g for g in used if first <= g < first + columns * rows):
            surface = image(sheet)
            if surface is None:
                break
            index = gid - first
            x, y = margin + (index % columns) * (tw + spacing), margin + (index // columns) * (th + spacing)
            rect = pygame.Rect(x, y, tw, th)
            if not surface.get_rect().contains(rect):  # the image is smaller than its tileset says
                if not reported:
                    reported = True
                    _unreadable(path, path.parent / sheet.get("source", ""), problems,
                                f"{surface.get_width()} × {surface.get_height()} px, tile {tuple(rect)} outside")
                continue
            tiles[gid] = Tile(surface.subsurface(rect).copy(), offset, size)
    for tile in tileset.findall("tile"):  # a collection of images: one per tile
        gid = first + int(tile.get("id", "0"))
        el = tile.find("image")
        if gid in used and el is not None and (surface := image(el)) is not None:
            tiles[gid] = Tile(surface, offset, size)


def _load(path: Path, file: Path, trans: str | None, problems: list[Problem]) -> pygame.Surface | None:
    try:
        with Image.open(file) as probe:  # reads the header only: the size before decoding
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValueError(f"{probe.width} × {probe.height} px")
        surface = pygame.image.load(file)
    except (OSError, ValueError, pygame.error, Image.DecompressionBombError) as exc:
        _unreadable(path, file, problems, exc)
        return None
    if trans:
        try:
            surface.set_colorkey(pygame.Color(f"#{trans.lstrip('#')}"))
        except ValueError:
            pass  # an unreadable colour key: the image is drawn as it is
    return surface


def _unreadable(path: Path, file: Path, problems: list[Problem], error: object) -> None:
    name = os.path.relpath(file, path.parent).replace(os.sep, "/")
    problems.append(problem(path, "decor_unreadable", None, Severity.WARNING, name=name, error=error).log())


def _number(text: str | None, default: float) -> float:
    """A number Tiled wrote that the map's check does not cover (pytmx does not read it), or the default."""
    try:
        number = float(text) if text is not None else default
    except ValueError:
        return default
    return number if math.isfinite(number) and abs(number) < 1e9 else default


def placed(tiles: TileLayers, gid: int) -> Tile | None:
    """What is drawn for a raw gid of a layer: its tile, flipped as the flip bits say."""
    tile = tiles.tiles.get(gid & GID_MASK)
    if tile is None or not gid & (FLIP_X | FLIP_Y | FLIP_DIAGONAL):
        return tile
    surface = tile.image
    if gid & FLIP_DIAGONAL:  # Tiled's diagonal flip: x and y swapped (a transpose) before the other flips
        surface = pygame.transform.flip(pygame.transform.rotate(surface, -90), True, False)
    surface = pygame.transform.flip(surface, bool(gid & FLIP_X), bool(gid & FLIP_Y))
    return Tile(surface, tile.offset, tile.size)
