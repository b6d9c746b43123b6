"""Walking: keys, clicks along paths, and lifts that change the floor."""

from __future__ import annotations

import pytest

from expo_hall.expo import load_expo
from expo_hall.floors.visitor import ArrivedAtStand, ChangedFloor, Visitor

DT = 1 / 60


def _walk(visitor, seconds, direction=(0, 0), until=None):
    events = []
    for _ in range(round(seconds / DT)):
        events += visitor.step(DT, direction)
        if until is not None and any(isinstance(e, until) for e in events):
            break
    return events


def test_keys_walk_until_the_floor_edge(expo_dirs):
    v = Visitor(load_expo(*expo_dirs), "main")
    _walk(v, 2, (-1, 0))
    assert v.x == pytest.approx(10, abs=0.3) and v.y == 320  # the avatar's half-size from the floor's left edge


def test_keys_slide_along_a_wall_when_moving_diagonally(expo_dirs):
    v = Visitor(load_expo(*expo_dirs), "main")
    _walk(v, 0.5, (1, -1))  # up is the boulevard's edge (stand A-1 beyond it): slides right
    assert v.y == pytest.approx(298, abs=0.3) and v.x > 180


def test_an_island_stand_stops_the_avatar(expo_dirs):
    v = Visitor(load_expo(*expo_dirs), "upper")
    _walk(v, 2, (1, 0))
    assert v.x == pytest.approx(246, abs=0.3) and v.y == 320


def test_walking_to_a_stand_arrives_once(expo_dirs):
    expo = load_expo(*expo_dirs)
    v = Visitor(expo, "main")
    assert v.walk_to_stand(expo.floor("main").stand("A-2"))
    events = _walk(v, 5)
    assert events == [ArrivedAtStand(expo.floor("main").stand("A-2"))]
    front = v.nav.fronts["A-2"]
    assert (v.x, v.y) == (front.x, front.y)


def test_walking_into_a_lift_lands_on_its_to_point_and_does_not_bounce_back(expo_dirs):
    expo = load_expo(*expo_dirs)
    v = Visitor(expo, "main")
    events = _walk(v, 5, (1, 0), until=ChangedFloor)
    changes = [e for e in events if isinstance(e, ChangedFloor)]
    assert len(changes) == 1 and changes[0].floor.floor_id == "upper" and changes[0].via.name == "Лифт"
    assert v.floor.floor_id == "upper"
    assert (v.x, v.y) == v.nav.point_nodes["Лифт"]
    # standing on the arrival lift does nothing; stepping off and back on takes us down again
    assert _walk(v, 0.5) == []
    _walk(v, 0.3, (-1, 0))
    events = _walk(v, 0.6, (1, 0), until=ChangedFloor)
    assert [e.floor.floor_id for e in events if isinstance(e, ChangedFloor)] == ["main"]


def test_a_path_passing_a_lift_does_not_take_it(expo_dirs):
    expo = load_expo(*expo_dirs)
    v = Visitor(expo, "upper")
    assert v.walk_to(590, 470)  # the way there passes close to the lift at (520, 420)? only if it must
    events = _walk(v, 4)
    assert not [e for e in events if isinstance(e, ChangedFloor)] and v.floor.floor_id == "upper"
