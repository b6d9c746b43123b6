"""FloorSketch writes what the demo needs: named and slanted alleys, and a decoration tile layer over a tileset."""

from __future__ import annotations

import pytest
from PIL import Image

from expo_hall.floors.tiled import load_floor
from expo_hall.floors.tiles import load_tile_layers
from expo_hall.floors.tmx_writer import FloorSketch, Tileset


def test_named_and_polygon_alleys_and_a_tile_layer_read_back(tmp_path):
    (tmp_path / "tiles").mkdir()
    Image.new("RGB", (64, 32), (200, 200, 200)).save(tmp_path / "tiles" / "two.png")
    tileset = Tileset("tiles/two.png", count=2, columns=2, name="two")
    rows = [[1 if (x + y) % 2 else 2 for x in range(6)] for y in range(4)]
    sketch = (FloorSketch("f", "Этаж", 6, 4, title_en="Floor", order=1)
              .alley(0, 0, 192, 64, name="Бульвар")
              .polygon_alley([(0, 64), (64, 64), (128, 128), (64, 128)], name="Косой проход")
              .point("spawn", 32, 32)
              .tiles(tileset, "floor", rows))
    floor, problems = load_floor(sketch.write(tmp_path / "f.tmx"))
    assert problems == []
    assert floor.has_tiles and len(floor.alleys) == 2 and floor.alleys[1].polygon is not None
    text = (tmp_path / "f.tmx").read_text(encoding="utf-8")
    assert 'name="Бульвар"' in text and 'name="Косой проход"' in text
    tiles = load_tile_layers(tmp_path / "f.tmx")
    assert len(tiles.layers) == 1 and tiles.problems == []
    read = list(tiles.layers[0].gids.values)
    written = [g for row in rows for g in row]
    assert len(read) == len(written) and len(set(zip(read, written, strict=True))) == 2  # the reader may renumber gids
    assert set(tiles.images) == set(read)  # each drawn from the tileset
    with pytest.raises(ValueError, match="not 6x4"):
        sketch.tiles(tileset, "short", rows[:3])
