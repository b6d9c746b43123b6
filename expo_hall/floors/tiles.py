"""Decoration tiles of a floor, read without the display so a worker thread can do it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pygame
from PIL import Image
from pytmx.util_pygame import handle_transformation

from expo_hall.floors.tmx_read import pytmx, read_tmx
from expo_hall.problems import Problem, Severity, problem

MAX_IMAGE_PIXELS = 8192 * 4096  # a tileset image larger than this is not decoded


@dataclass
class TileLayers:
    tile_width: int
    tile_height: int
    width: int  # in tiles
    height: int
    layers: list[list[list[int]]]  # per visible tile layer: rows of gids
    images: dict[int, pygame.Surface]  # gid -> tile image (not converted: the renderer converts it)
    problems: list[Problem] = field(default_factory=list)  # the images that could not be read, named


def load_tile_layers(path: Path) -> TileLayers:
    """Read a map's tile layers and tile images; an image that cannot be read is left out and named.

    The map itself was checked when its floor was loaded; ContentError if it has changed since.
    """
    path = Path(path)
    problems: list[Problem] = []

    def unreadable(filename: str, error: object) -> None:
        name = os.path.relpath(filename, path.parent)
        problems.append(problem(path, "decor_unreadable", None, Severity.WARNING, name=name, error=error).log())

    def loader(filename: str, colorkey: object, **kwargs: object):  # noqa: ANN202 - pytmx's image_loader protocol
        try:
            with Image.open(filename) as probe:  # reads the header only: the size before decoding
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise ValueError(f"{probe.width} × {probe.height} px")
            image = pygame.image.load(filename)
        except (OSError, ValueError, pygame.error, Image.DecompressionBombError) as exc:
            unreadable(filename, exc)
            return lambda rect=None, flags=None: None
        try:
            key = pygame.Color(f"#{colorkey}") if colorkey else None
        except ValueError:
            key = None
        outside: list[object] = []

        def load_image(rect=None, flags=None) -> pygame.Surface | None:  # noqa: ANN001
            if rect and not image.get_rect().contains(rect):  # the image is smaller than its tileset says
                if not outside:
                    outside.append(rect)
                    unreadable(filename, f"{image.get_width()} × {image.get_height()} px, tile {tuple(rect)} outside")
                return None
            tile = image.subsurface(rect).copy() if rect else image.copy()
            if flags:
                tile = handle_transformation(tile, flags)
            if key is not None:
                tile.set_colorkey(key)
            return tile

        return load_image

    tmx, _ = read_tmx(path, image_loader=loader)  # the map's own problems were reported with its floor
    layers = [layer.data for layer in tmx.visible_layers if isinstance(layer, pytmx.TiledTileLayer)]
    images = {gid: img for gid, img in enumerate(tmx.images) if img is not None}
    return TileLayers(tmx.tilewidth, tmx.tileheight, tmx.width, tmx.height, layers, images, problems)
