"""Walking costs across floors, on real maps written in the test, and the route planned on them."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from expo_hall.expo import Expo, load_expo
from expo_hall.floors.model import MapPoint
from expo_hall.floors.tmx_writer import FloorSketch, write_package
from expo_hall.route.costs import Spot, Walking, is_lift, stand_spot, walk, walking_costs
from expo_hall.route.ordering import path_cost, plan_route

PPM = Walking().pixels_per_metre


def _hall(root: Path, lift: bool = True) -> Expo:
    """Two floors, each a boulevard (y 288..352) 1280 px long, joined by stairs at x 100 and a lift at x 180.

    Ground: stands G-1 (x 256..384) and G-2 (x 896..1024) above the boulevard, G-9 in a corner no alley
    reaches. Upper: U-1 and U-2 below it, at the same x. An annex floor with a stand has no way to it.
    """
    maps, stands = root / "maps", root / "stands"
    maps.mkdir(parents=True)
    floors = {"ground": (1, 192, [("G-1", "g1", 256), ("G-2", "g2", 896)]),
              "upper": (2, 352, [("U-1", "u1", 256), ("U-2", "u2", 896)])}
    for floor_id, (order, y, placed) in floors.items():
        other = "upper" if floor_id == "ground" else "ground"
        sketch = FloorSketch(floor_id, floor_id.title(), 40, 20, order=order).alley(0, 288, 1280, 64)
        for number, ex, x in placed:
            sketch.stand(number, ex, x, y, 128, 96)
        sketch.point("spawn", 40, 320).point("Лестница", 100, 320, to_floor=other, to_point="Лестница")
        if lift:
            sketch.point("Лифт", 180, 320, to_floor=other, to_point="Лифт")
        if floor_id == "ground":
            sketch.stand("G-9", "g9", 1152, 32, 96, 64)
        sketch.write(maps / f"{floor_id}.tmx")
    (FloorSketch("annex", "Annex", 20, 20, order=3).alley(0, 288, 640, 64).stand("A-1", "a1", 256, 192, 128, 96)
     .point("spawn", 40, 320).write(maps / "annex.tmx"))
    for ex in ("g1", "g2", "g9", "u1", "u2", "a1"):
        write_package(stands / ex, f"Экспонент {ex}")
    expo = load_expo(maps, stands)
    assert not expo.errors()
    return expo


@pytest.fixture
def hall(tmp_path: Path) -> Expo:
    return _hall(tmp_path)


def _walk(expo: Expo, floor_id: str, *points) -> float:  # noqa: ANN002
    """Metres along the navigation's own paths through the points, in turn."""
    nav = expo.nav(floor_id)
    total = 0.0
    for a, b in itertools.pairwise(points):
        path = nav.path(a, b)
        total += sum(math.dist(p, q) for p, q in itertools.pairwise(path))
    return total / PPM


def _xy(spot: Spot) -> tuple[float, float]:
    return (spot.x, spot.y)


def _point(expo: Expo, floor_id: str, name: str) -> tuple[float, float]:
    return expo.nav(floor_id).point_nodes[name]


def test_costs_on_one_floor_are_the_lengths_of_its_paths(hall):
    spots = [Spot("ground", 40, 320), stand_spot(hall, "g1"), stand_spot(hall, "g2")]
    matrix = walking_costs(hall, spots)
    for (i, a), (j, b) in itertools.product(enumerate(spots), repeat=2):
        metres = _walk(hall, "ground", _xy(a), _xy(b)) if i != j else 0.0
        assert matrix.metres[i][j] == pytest.approx(metres, abs=1e-9)
        assert matrix.seconds[i][j] == matrix.cost[i][j] == pytest.approx(metres / Walking().speed, abs=1e-9)


def test_a_route_over_two_floors_takes_the_stairs(hall):
    start = Spot("ground", 1000, 320)  # by G-2, the far end from the stairs
    plan = plan_route(hall, start, ["u2", "g1", "u1", "g2"])
    # the ground floor first, back along it to the stairs, up, then along the upper floor: one floor change
    assert plan.order == ["g2", "g1", "u1", "u2"] and plan.unreachable == []
    g1, g2, u1, u2 = (_xy(stand_spot(hall, ex)) for ex in ("g1", "g2", "u1", "u2"))
    stairs_down, stairs_up = _point(hall, "ground", "Лестница"), _point(hall, "upper", "Лестница")
    metres = _walk(hall, "ground", _xy(start), g2, g1, stairs_down) + _walk(hall, "upper", stairs_up, u1, u2)
    assert plan.metres == pytest.approx(metres)
    assert plan.seconds == pytest.approx(metres / Walking().speed + Walking().stairs_s)
    # and no other order is shorter
    spots = [start] + [stand_spot(hall, ex) for ex in ("g1", "g2", "u1", "u2")]
    cost = walking_costs(hall, spots).cost
    best = min(path_cost(cost, list(p)) for p in itertools.permutations(range(1, 5)))
    assert plan.seconds == pytest.approx(best)


def test_avoiding_stairs_takes_the_lift_a_little_further_on(hall):
    walking = Walking(avoid_stairs=True)
    plan = plan_route(hall, Spot("ground", 1000, 320), ["u2", "g1", "u1", "g2"], walking)
    assert plan.order == ["g2", "g1", "u1", "u2"]
    g1, g2, u1, u2 = (_xy(stand_spot(hall, ex)) for ex in ("g1", "g2", "u1", "u2"))
    lift_down, lift_up = _point(hall, "ground", "Лифт"), _point(hall, "upper", "Лифт")
    metres = _walk(hall, "ground", (1000, 320), g2, g1, lift_down) + _walk(hall, "upper", lift_up, u1, u2)
    assert plan.metres == pytest.approx(metres)
    assert plan.seconds == pytest.approx(metres / walking.speed + walking.lift_wait_s + walking.lift_s)
    # a penalty smaller than the lift's extra time only penalises the stairs: they are still taken
    mild = plan_route(hall, Spot("ground", 1000, 320), ["g1", "u1"], Walking(avoid_stairs=True, stairs_penalty_s=10))
    stairs_down, stairs_up = _point(hall, "ground", "Лестница"), _point(hall, "upper", "Лестница")
    metres = _walk(hall, "ground", (1000, 320), g1, stairs_down) + _walk(hall, "upper", stairs_up, u1)
    assert mild.seconds == pytest.approx(metres + Walking().stairs_s)


def test_without_a_lift_avoiding_stairs_still_takes_them(tmp_path):
    expo = _hall(tmp_path, lift=False)
    walking = Walking(avoid_stairs=True)
    start = Spot("ground", 1000, 320)
    plan = plan_route(expo, start, ["u1", "g1"], walking)
    assert plan.order == ["g1", "u1"] and plan.unreachable == []
    g1, u1 = _xy(stand_spot(expo, "g1")), _xy(stand_spot(expo, "u1"))
    metres = (_walk(expo, "ground", (1000, 320), g1, _point(expo, "ground", "Лестница"))
              + _walk(expo, "upper", _point(expo, "upper", "Лестница"), u1))
    assert plan.seconds == pytest.approx(metres + walking.stairs_s)  # the time walked: no penalty in it
    matrix = walking_costs(expo, [stand_spot(expo, "g1"), stand_spot(expo, "u1")], walking)
    assert matrix.cost[0][1] == pytest.approx(matrix.seconds[0][1] + walking.stairs_penalty_s)


def test_the_walk_between_two_floors_is_a_path_on_each_with_the_transfer_taken(hall):
    g2, u1 = stand_spot(hall, "g2"), stand_spot(hall, "u1")
    for walking, name in ((Walking(), "Лестница"), (Walking(avoid_stairs=True), "Лифт")):
        ground, upper = walk(hall, g2, u1, walking)
        assert ground.floor_id == "ground" and upper.floor_id == "upper"
        assert ground.via.name == name and ground.via.to_floor == "upper" and upper.via is None
        assert ground.path[0] == _xy(g2) and ground.path[-1] == _point(hall, "ground", name)
        assert upper.path[0] == _point(hall, "upper", name) and upper.path[-1] == _xy(u1)
        assert ground.path == hall.nav("ground").path(_xy(g2), _point(hall, "ground", name))
        metres = sum(math.dist(p, q) for s in (ground, upper) for p, q in itertools.pairwise(s.path)) / PPM
        assert metres == pytest.approx(walking_costs(hall, [g2, u1], walking).metres[0][1])
    [same] = walk(hall, g2, stand_spot(hall, "g1"))
    assert same.floor_id == "ground" and same.via is None and same.path[-1] == _xy(stand_spot(hall, "g1"))
    assert walk(hall, g2, g2) == [type(same)("ground", [_xy(g2)], None)]
    assert walk(hall, g2, stand_spot(hall, "a1")) is None


def test_stops_that_cannot_be_reached_are_reported(hall):
    plan = plan_route(hall, Spot("ground", 40, 320), ["a1", "g1", "ghost", "g9", "u1"])
    assert plan.order == ["g1", "u1"]
    assert plan.unreachable == ["a1", "ghost", "g9"]  # another floor no stairs lead to; no stand; no alley
    assert stand_spot(hall, "ghost") is None and stand_spot(hall, "g9") is None
    matrix = walking_costs(hall, [Spot("ground", 40, 320), stand_spot(hall, "a1"), Spot("nowhere", 1, 1)])
    assert matrix.cost[0][1] == matrix.cost[0][2] == matrix.cost[2][0] == math.inf
    assert matrix.cost[1][1] == 0.0


def test_the_same_route_is_planned_the_same_way(hall):
    stops = ["u2", "g1", "u1", "g2"]
    assert plan_route(hall, Spot("upper", 600, 320), stops) == plan_route(hall, Spot("upper", 600, 320), stops)


def test_lifts_are_told_from_stairs_by_name():
    assert is_lift(MapPoint("Лифт", 0, 0, "f2")) and is_lift(MapPoint("Grand lift B", 0, 0, "f2"))
    assert is_lift(MapPoint("Elevator 3", 0, 0, "f2")) and is_lift(MapPoint("ЛИФТ на 3 этаж", 0, 0, "f2"))
    assert not is_lift(MapPoint("Лестница вверх", 0, 0, "f2")) and not is_lift(MapPoint("Эскалатор", 0, 0, "f2"))
