"""Where the avatar may stand, and the shortest way across a floor."""

from __future__ import annotations

import math

from expo_hall.expo import load_expo
from expo_hall.floors.geometry import Rect, polygon_to_rects
from expo_hall.floors.navigation import NavMesh
from expo_hall.floors.spatial import GridIndex
from expo_hall.floors.tiled import load_floor
from expo_hall.floors.tmx_writer import FloorSketch


def _length(path):
    return sum(math.dist(a, b) for a, b in zip(path, path[1:], strict=False))


def _walkable_all_along(nav, path, step=2.0):
    for a, b in zip(path, path[1:], strict=False):
        n = max(1, int(math.dist(a, b) / step))
        for i in range(n + 1):
            t = i / n
            if not nav.is_free(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t):
                return False
    return True


def test_free_space_excludes_stands_and_floor_edges(expo_dirs):
    expo = load_expo(*expo_dirs)
    nav = expo.nav("main")
    assert nav.is_free(100, 320)
    assert not nav.is_free(100, 295)  # the square would poke into stand A-1 / out of the alley
    assert not nav.is_free(5, 320)  # past the floor's left edge
    assert nav.is_free(10, 320)
    upper = expo.nav("upper")
    assert upper.is_free(240, 300) and not upper.is_free(250, 300)  # island stand B-1 starts at x 256


def test_path_turns_the_corner_along_alleys(expo_dirs):
    nav = load_expo(*expo_dirs).nav("main")
    path = nav.path((100, 320), (480, 60))
    assert path[0] == (100, 320) and path[-1] == (480, 60)
    assert _walkable_all_along(nav, path)
    # the shortest way: along the boulevard to the cross alley, then up it (within the turn's slack)
    assert _length(path) <= (480 - 100) + (320 - 60) + 1


def test_path_to_stand_ends_in_front_of_it(expo_dirs):
    expo = load_expo(*expo_dirs)
    nav = expo.nav("main")
    stand = expo.floor("main").stand("A-3")  # below the boulevard, x 192..320
    path = nav.path_to_stand((900, 320), stand)
    fx, fy = path[-1]
    assert 192 < fx < 320 and 352 - 20 <= fy < 352
    assert _walkable_all_along(nav, path)


def test_unreachable_stand_has_no_front_and_no_path(expo_dirs):
    expo = load_expo(*expo_dirs)
    nav = expo.nav("main")
    stand = expo.floor("main").stand("A-9")
    assert "A-9" not in nav.fronts
    assert nav.path_to_stand((100, 320), stand) is None


def test_disconnected_alleys_have_no_path(tmp_path):
    sketch = FloorSketch("x", "X", 20, 10).alley(0, 0, 200, 64).alley(300, 0, 200, 64).point("spawn", 50, 32)
    floor, _ = load_floor(sketch.write(tmp_path / "x.tmx"))
    nav = NavMesh(floor)
    assert nav.path((50, 32), (400, 32)) is None
    assert nav.path((50, 32), (150, 32)) == [(50, 32), (150, 32)]


def test_touching_alleys_are_bridged(tmp_path):
    # A T-junction where the cross alley only touches the boulevard's edge, and two touching halves.
    sketch = (FloorSketch("x", "X", 20, 20).alley(0, 200, 300, 64).alley(300, 200, 300, 64)
              .alley(100, 0, 64, 200).point("spawn", 20, 232))
    floor, _ = load_floor(sketch.write(tmp_path / "x.tmx"))
    nav = NavMesh(floor)
    for goal in ((580, 232), (132, 20)):
        path = nav.path((20, 232), goal)
        assert path is not None and path[-1] == goal and _walkable_all_along(nav, path)


def test_a_staircase_polygon_cover_stays_inside_it():
    rects = polygon_to_rects([(0, 0), (100, 0), (100, 100)], step=4)
    assert rects and all(r.x1 <= 100 and r.y1 <= 100 for r in rects)
    area = sum(r.area for r in rects)
    assert abs(area - 5000) < 5000 * 0.05


def test_grid_index_finds_the_stand_under_a_point():
    index = GridIndex([(Rect(0, 0, 100, 50), "a"), (Rect(100, 0, 200, 50), "b"), (Rect(500, 500, 900, 700), "c")],
                      cell=128)
    assert index.first_at(50, 25) == "a" and index.first_at(150, 25) == "b" and index.first_at(700, 600) == "c"
    assert index.first_at(100, 25) is None  # on the shared edge: no one's
    assert index.first_at(300, 300) is None
    assert {p for _, p in index.overlapping(Rect(90, 10, 110, 20))} == {"a", "b"}
