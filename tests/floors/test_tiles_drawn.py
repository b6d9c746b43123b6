"""Decoration drawn as Tiled draws it: tiles of their own size and offset, hidden layers, opacity, big layers."""

from __future__ import annotations

import base64
import os
import zlib

import numpy as np
import pygame
import pytest
from PIL import Image

from expo_hall.floors.renderer import HALL, FloorRenderer
from expo_hall.floors.tiled import load_floor
from expo_hall.floors.tiles import load_tile_layers
from expo_hall.problems import ContentError
from expo_hall.stands.logos import LogoCache
from expo_hall.text import TextCache

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
RED, BLUE, GREEN = (200, 0, 0), (0, 0, 200), (0, 150, 0)


def _csv(cells: dict[tuple[int, int], int], w: int = 8, h: int = 3) -> str:
    return ",".join(str(cells.get((x, y), 0)) for y in range(h) for x in range(w))


def _layer(name: str, cells: dict[tuple[int, int], int], extra: str = "") -> str:
    return f'<layer name="{name}" width="8" height="3"{extra}><data encoding="csv">{_csv(cells)}</data></layer>'


MAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<map version="1.10" orientation="orthogonal" renderorder="right-down" width="8" height="3" tilewidth="16"
     tileheight="16" infinite="0">
 <properties><property name="floor_id" value="deco"/><property name="title" value="Декор"/></properties>
 <tileset firstgid="1" name="big" tilewidth="32" tileheight="48" tilecount="2" columns="2">
  <tileoffset x="2" y="-3"/><image source="gfx/big.png" width="64" height="48"/>
 </tileset>
 <tileset firstgid="3" name="grass" tilewidth="16" tileheight="16" tilecount="1" columns="1">
  <image source="gfx/grass.png" width="16" height="16"/>
 </tileset>
 <group name="moved" offsetx="2">{_layer("ground", {(0, 2): 3}, ' offsety="1"')}</group>
 {_layer("big", {(1, 2): 1, (3, 1): 2})}
 {_layer("off", {(2, 0): 1}, ' visible="0"')}
 <group name="faded" opacity="0.5">{_layer("half", {(0, 0): 3}, ' opacity="0.5"')}</group>
 <group name="closed" visible="0"><group name="inner">{_layer("inside", {(0, 1): 2})}</group></group>
 <objectgroup name="alleys"><object id="1" x="96" y="0" width="32" height="48"/></objectgroup>
 <objectgroup name="stands"/>
 <objectgroup name="points"><object id="2" name="spawn" x="112" y="24"><point/></object></objectgroup>
</map>
"""


@pytest.fixture(scope="module")
def deco(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deco")
    (folder / "gfx").mkdir()
    sheet = Image.new("RGB", (64, 48), RED)
    sheet.paste(BLUE, (32, 0, 64, 48))
    sheet.save(folder / "gfx" / "big.png")
    Image.new("RGB", (16, 16), GREEN).save(folder / "gfx" / "grass.png")
    (folder / "deco.tmx").write_text(MAP, encoding="utf-8")
    floor, problems = load_floor(folder / "deco.tmx")
    assert problems == [] and floor.has_tiles
    pygame.init()
    return floor, load_tile_layers(floor.source)


def _draw(floor, tiles):
    text = TextCache()
    return FloorRenderer(floor, {}, LogoCache(text), text, "en", tiles).render_whole(1.0)


def test_hidden_layers_and_layers_of_hidden_groups_are_not_read(deco):
    _, tiles = deco
    assert [layer.opacity for layer in tiles.layers] == [1.0, 1.0, 0.25]  # ground, big, half (0.5 × 0.5)
    assert set(tiles.tiles) == {1, 2, 3}


def test_tiles_are_drawn_at_their_size_from_their_cells_bottom_left_with_offsets_and_opacity(deco):
    floor, tiles = deco
    drawn = pygame.surfarray.array3d(_draw(floor, tiles)).astype(int)
    reference = _draw(floor, None)  # the hall and its alley, no decoration
    reference.fill(GREEN, (0 + 2, 32 + 1, 16, 16))  # ground: cell (0, 2), a grid-sized tile, moved by 2, 1
    reference.fill(RED, (16 + 2, 3 * 16 - 48 - 3, 32, 48))  # cell (1, 2): 32 × 48 up from its bottom-left, moved
    reference.fill(BLUE, (3 * 16 + 2, 2 * 16 - 48 - 3, 32, 48))  # cell (3, 1): over the map's top edge
    quarter = [round(h + (g - h) * 0.25) for h, g in zip(HALL, GREEN, strict=True)]
    reference.fill(quarter, (0, 0, 16, 16))  # the faded half layer: a quarter of green over the hall
    expected = pygame.surfarray.array3d(reference).astype(int)
    assert np.abs(drawn - expected).max() <= 1


def test_a_layer_is_one_compact_array_and_a_map_beyond_the_tile_limit_is_refused(tmp_path):
    side = 1000
    data = base64.b64encode(zlib.compress(np.full(side * side, 3, dtype="<u4").tobytes())).decode()
    text = MAP.replace('width="8" height="3" tilewidth="16"', f'width="{side}" height="{side}" tilewidth="16"')
    start = text.index('<group name="moved"')
    text = text[:start] + (f'<layer name="all" width="{side}" height="{side}"><data encoding="base64" '
                           f'compression="zlib">{data}</data></layer>') + text[text.index("<objectgroup"):]
    (tmp_path / "gfx").mkdir()
    Image.new("RGB", (16, 16), GREEN).save(tmp_path / "gfx" / "grass.png")
    Image.new("RGB", (64, 48), RED).save(tmp_path / "gfx" / "big.png")
    path = tmp_path / "wide.tmx"
    path.write_text(text, encoding="utf-8")
    floor, _ = load_floor(path)
    tiles = load_tile_layers(path)
    [layer] = tiles.layers
    assert (layer.gids.columns, layer.gids.rows) == (side, side) and layer.gids.nbytes == 4 * side * side
    assert set(tiles.tiles) == {3}
    path.write_text(text.replace(f'width="{side}" height="{side}" tilewidth="16"',
                                 'width="3000" height="3000" tilewidth="5"').replace(
        'tileheight="16" infinite', 'tileheight="5" infinite'), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_floor(path)
    assert "3000 × 3000 tiles" in refused.value.problem.fault and "4194304" in refused.value.problem.fault
