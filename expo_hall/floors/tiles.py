"""Decoration tiles of a floor, read without the display so a worker thread can do it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygame
import pytmx
from pytmx.util_pygame import handle_transformation


@dataclass
class TileLayers:
    tile_width: int
    tile_height: int
    width: int  # in tiles
    height: int
    layers: list[list[list[int]]]  # per visible tile layer: rows of gids
    images: dict[int, pygame.Surface]  # gid -> tile image (not converted: the renderer converts it)


def _loader(filename: str, colorkey: object, **kwargs: object):  # noqa: ANN202 - pytmx's image_loader protocol
    image = pygame.image.load(filename)
    key = pygame.Color(f"#{colorkey}") if colorkey else None

    def load_image(rect=None, flags=None) -> pygame.Surface:  # noqa: ANN001
        tile = image.subsurface(rect).copy() if rect else image.copy()
        if flags:
            tile = handle_transformation(tile, flags)
        if key is not None:
            tile.set_colorkey(key)
        return tile

    return load_image


def load_tile_layers(path: Path) -> TileLayers:
    """Read a map's tile layers and tile images. Raises on unreadable maps or images."""
    tmx = pytmx.TiledMap(str(path), image_loader=_loader)
    layers = [layer.data for layer in tmx.visible_layers if isinstance(layer, pytmx.TiledTileLayer)]
    images = {gid: img for gid, img in enumerate(tmx.images) if img is not None}
    return TileLayers(tmx.tilewidth, tmx.tileheight, tmx.width, tmx.height, layers, images)
