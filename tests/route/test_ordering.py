"""Ordering stops into the shortest open walk: exact when small, asymmetric costs, unreachable stops."""

from __future__ import annotations

import itertools
import math
import random

from expo_hall.route.costs import CostMatrix, Spot
from expo_hall.route.ordering import first_order, held_karp, order_stops, path_cost, shortest_open_path

INF = math.inf


def _random_matrix(n: int, seed: int, asymmetry: float = 0.5) -> list[list[float]]:
    """Points in a square, each direction priced differently: like walking with stairs up and down."""
    rng = random.Random(seed)
    pts = [(rng.uniform(0, 100), rng.uniform(0, 100)) for _ in range(n)]
    return [[0.0 if i == j else math.dist(a, b) * (1 + asymmetry * rng.random()) for j, b in enumerate(pts)]
            for i, a in enumerate(pts)]


def _brute_force(cost: list[list[float]]) -> float:
    return min(path_cost(cost, list(p)) for p in itertools.permutations(range(1, len(cost))))


def _matrix(cost: list[list[float]]) -> CostMatrix:
    """A cost matrix whose seconds are its costs and whose metres are its costs doubled."""
    spots = tuple(Spot("f", i, 0) for i in range(len(cost)))
    return CostMatrix(spots, cost, cost, [[2 * c for c in row] for row in cost])


def test_small_orders_are_exact_against_brute_force():
    for n in range(1, 9):
        for seed in range(6):
            cost = _random_matrix(n, seed)
            best = _brute_force(cost)
            assert path_cost(cost, held_karp(cost)) == best
            assert path_cost(cost, shortest_open_path(cost)) == best  # n <= 12: Held-Karp
            assert abs(path_cost(cost, shortest_open_path(cost, exact_up_to=0)) - best) < 1e-9  # the search alone


def test_local_search_finds_the_optimum_of_a_dozen_stops():
    for seed in range(5):
        cost = _random_matrix(13, 100 + seed, asymmetry=0.3)
        exact = path_cost(cost, held_karp(cost))
        assert abs(path_cost(cost, shortest_open_path(cost, exact_up_to=0)) - exact) < 1e-9


def test_the_walk_is_open_it_does_not_come_back():
    # the visitor at 0, one stop just behind (at -1), one far ahead (at 10): a round trip would not care
    # which comes first; an open walk takes the near one first and ends far away
    xs = [0, 10, -1]
    cost = [[abs(a - b) for b in xs] for a in xs]
    for search in (held_karp, lambda c: shortest_open_path(c, exact_up_to=0)):
        assert search(cost) == [2, 1]
    found = order_stops(_matrix(cost))
    assert found.order == [2, 1] and found.seconds == 12 and found.metres == 24 and found.unreachable == []


def test_costs_that_differ_by_direction_are_followed():
    # stops on a line; walking towards higher numbers costs the distance, walking back costs three times it
    # plus a second a leg. From the middle, the cheapest walk goes back to the far end in one leg, then
    # forward through every stop; with the directions swapped, the mirror image
    for n in (8, 20):  # Held-Karp and the local search
        xs = [n / 2 + 0.5] + list(range(1, n + 1))
        cost = [[(b - a) if b >= a else 3 * (a - b) + 1 for b in xs] for a in xs]
        assert shortest_open_path(cost) == list(range(1, n + 1))
        swapped = [list(row) for row in zip(*cost, strict=True)]
        assert shortest_open_path(swapped) == list(range(n, 0, -1))


def test_the_start_need_not_be_the_first_spot_and_stops_may_be_a_subset():
    cost = _random_matrix(9, 7)
    stops = [1, 2, 4, 8]
    order = shortest_open_path(cost, start=5, stops=stops)
    assert sorted(order) == stops
    best = min(path_cost(cost, list(p), start=5) for p in itertools.permutations(stops))
    assert path_cost(cost, order, start=5) == best


def test_larger_orders_are_complete_and_better_than_the_first():
    cost = _random_matrix(41, 3, asymmetry=0.2)
    first = first_order(cost)
    final = shortest_open_path(cost)
    assert sorted(first) == sorted(final) == list(range(1, 41))
    assert path_cost(cost, final) <= path_cost(cost, first)


def test_the_same_stops_give_the_same_order():
    for n in (10, 30):
        cost = _random_matrix(n + 1, 11)
        assert shortest_open_path(cost) == shortest_open_path([list(r) for r in cost])
        assert first_order(cost) == first_order(cost)


def test_unreachable_stops_are_reported_not_ordered():
    xs = [0, 5, 10, 20]
    cost = [[abs(a - b) for b in xs] for a in xs]
    cost[0][2] = cost[1][2] = cost[3][2] = INF  # nothing leads to stop 2 (it may lead elsewhere)
    found = order_stops(_matrix(cost))
    assert found.order == [1, 3] and found.unreachable == [2]
    assert found.seconds == 20 and found.metres == 40


def test_a_one_way_trap_ends_the_walk_there():
    # stop 2 lies down one-way stairs: nothing leads back from it, so the walk visits it last,
    # although 0 -> 1 -> 2 -> 3 would be shorter
    xs = [0, 10, 12, 20]
    cost = [[abs(a - b) for b in xs] for a in xs]
    for j in (0, 1, 3):
        cost[2][j] = INF
    found = order_stops(_matrix(cost))
    assert found.order == [1, 3, 2] and found.seconds == 28 and found.unreachable == []
    # stop 3 a trap too: no walk visits both; the cheaper walk is kept and the other trap reported
    for j in (0, 1, 2):
        cost[3][j] = INF
    found = order_stops(_matrix(cost))
    assert found.order == [1, 2] and found.unreachable == [3] and found.seconds == 12


def test_no_stops():
    found = order_stops(_matrix([[0.0]]))
    assert found.order == [] and found.seconds == 0 and found.unreachable == []
