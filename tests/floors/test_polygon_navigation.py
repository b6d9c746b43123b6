"""Walking alleys of any simple polygon: slanted edges, concave shapes, joined to rectangular alleys."""

from __future__ import annotations

import math

import pytest

from expo_hall.expo import load_expo
from expo_hall.floors.geometry import Rect, eroded_cover
from expo_hall.floors.tmx_writer import FloorSketch
from expo_hall.floors.visitor import Visitor

DT = 1 / 60


def _walked(visitor: Visitor, goal: tuple[float, float]) -> list[tuple[float, float]]:
    """Walk to the goal as a click would, checking every step stands on the alleys; the positions passed."""
    assert visitor.walk_to(*goal), f"no way to {goal}"
    seen = [visitor.pos]
    for _ in range(60 * 60):
        visitor.step(DT)
        assert visitor.nav.is_free(*visitor.pos), visitor.pos
        seen.append(visitor.pos)
        if not visitor.walking:
            break
    assert math.dist(visitor.pos, goal) < 1.0, (visitor.pos, goal)
    return seen


@pytest.fixture(scope="module")
def expo(tmp_path_factory):
    root = tmp_path_factory.mktemp("polygons")
    (root / "stands").mkdir()
    maps = root / "maps"
    maps.mkdir()
    sketch = FloorSketch("poly", "Полигоны", 50, 30).alley(0, 0, 200, 100).point("spawn", 50, 50)
    sketch.alley_polygons.append([(150, 100), (230, 100), (630, 500), (550, 500)])  # a diagonal from the hall
    sketch.alley_polygons.append([(700, 0), (1200, 0), (1200, 400), (1100, 400), (1100, 100), (800, 100),
                                  (800, 400), (700, 400)])  # a U, upside down: concave
    sketch.alley_polygons.append([(1280, 40), (1240, 200), (1280, 360), (1380, 200)])  # slanted on every side
    sketch.write(maps / "poly.tmx")
    return load_expo(maps, root / "stands")


def test_a_click_inside_a_diagonal_alley_walks_there(expo):
    v = Visitor(expo, "poly")
    seen = _walked(v, (590, 480))
    assert max(y for _, y in seen) > 470  # it went down the diagonal: no straight line joins them


def test_a_concave_alley_is_walked_around_its_notch(expo):
    v = Visitor(expo, "poly")
    v.x, v.y = 750, 380  # the bottom of the U's left arm
    seen = _walked(v, (1150, 380))
    assert min(y for _, y in seen) < 100  # over the top of the U, never across the notch
    assert not any(810 < x < 1090 and y > 110 for x, y in seen)


def test_a_lozenge_has_its_centre_walkable_and_its_tips_not(expo):
    nav = expo.nav("poly")
    assert nav.nearest_walkable(1310, 200, reach=0) is not None
    assert nav.is_free(1310, 200)
    assert not nav.is_free(1278, 45)  # the top tip is too narrow for the avatar


def test_the_eroded_cover_of_rectangles_is_exact():
    # Two alleys touching along a seam, an L; a corridor exactly as wide as the avatar, and one too narrow.
    pieces = eroded_cover([Rect(0, 0, 100, 40), Rect(0, 40, 40, 200), Rect(200, 0, 220, 100), Rect(300, 0, 315, 90)],
                          10)

    def free(x: float, y: float) -> bool:
        return any(p.contains(x, y) for p in pieces)

    assert free(20, 100) and free(90, 30) and free(30, 40) and free(30, 190)
    assert not free(35, 100) and not free(95, 35) and not free(20, 195)
    assert free(210, 50) and not free(211, 50)  # the corridor 2r wide is a line
    assert not any(p.x0 >= 300 for p in pieces)
