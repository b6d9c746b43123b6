"""Benchmark the personal route's ordering on three floors of the 1000-stand benchmark floor.

The floor of benchmarks/hall.py, stacked three times, joined by two stairwells (west and east) and a lift
bank (centre) that reaches every floor. Ten seeds for each of n = 10, 20, 30 and 100 stops on random stands
over the three floors, the visitor on another random stand's front. Prints one `name: value unit` line
per figure (medians over the seeds):
  route_matrix_ms            all pairwise walking costs for 31 points (n = 30 and the visitor), navs built
  route_first_ms             the first usable order (n = 30)
  route_order_ms             the final order (n = 30)
  route_excess_mean_pct      n = 30: mean excess over the best of the two peers (negative: shorter)
  route_excess_worst_pct     n = 30: the worst seed's excess
  route_exact_n10            seeds where Held-Karp is no worse than either peer (the check that small is optimal)
  route_search_n12_optimal   seeds where the local search alone (no Held-Karp) finds the optimum at n = 12
  route_peer_ortools_best_n30  seeds where OR-Tools (in its time) matched LKH: the peers' own spread
  route_n20_excess_pct, route_n20_ms, route_n10_ms
  route_n100_excess_pct      n = 100: mean excess over LKH (and _worst_pct: the worst seed's)
  route_n100_ms              n = 100: the final order
The peers (benchmark-only: pip install ortools elkai): OR-Tools' routing solver with guided local search for
1 s, and LKH through `elkai`; an open path is given to them as a tour through a dummy end reached at no cost
from every stop. Costs are seconds, handed to the peers in centiseconds (integers); every order is priced
back on the same float matrix.

Run: python benchmarks/route.py [--seeds 10] [--peer-seconds 1]
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from expo_hall.expo import Expo, assemble, load_expo  # noqa: E402
from expo_hall.floors.model import Floor, MapPoint  # noqa: E402
from expo_hall.route.costs import Spot, walking_costs  # noqa: E402
from expo_hall.route.ordering import first_order, held_karp, order_stops, path_cost, shortest_open_path  # noqa: E402

FLOORS = 3
SCALE = 100  # the peers take integer costs: centiseconds (LKH overflows its integers on finer ones)


def build_floors(root: Path) -> Expo:
    """Three copies of benchmarks/hall.py's floor, with stairs at both ends and lifts in the middle."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from hall import ALLEY, build_expo

    maps, stands = build_expo(root)
    one = load_expo(maps, stands)
    base = one.floors[0]
    mid_x = base.width / 2  # the centre cross alley
    west, east = ALLEY / 2, base.width - ALLEY / 2
    floors: list[Floor] = []
    for k in range(1, FLOORS + 1):
        fid = f"f{k}"
        points = [MapPoint("spawn", ALLEY / 2, ALLEY / 2)]
        for side, x in (("W", west), ("E", east)):
            if k < FLOORS:
                points.append(MapPoint(f"Лестница вверх {side}", x, 1240, f"f{k + 1}", f"Лестница вниз {side}"))
            if k > 1:
                points.append(MapPoint(f"Лестница вниз {side}", x, 1320, f"f{k - 1}", f"Лестница вверх {side}"))
        for m in range(1, FLOORS + 1):
            if m != k:
                points.append(MapPoint(f"Лифт на {m}", mid_x, 1180 + 60 * m, f"f{m}", f"Лифт на {k}"))
        floors.append(replace(base, floor_id=fid, title=f"Этаж {k}", order=k, points=points,
                              stands=[replace(s, floor_id=fid) for s in base.stands]))
    expo = assemble(floors, one.exhibitors, [])
    assert not expo.problems, expo.problems
    return expo


def instance(expo: Expo, n: int, seed: int) -> list[Spot]:
    """The visitor's spot, then n stops: fronts of distinct random stands over all floors."""
    rng = random.Random(seed * 1000 + n)
    fronts = [Spot(f.floor_id, fr.x, fr.y) for f in expo.floors for fr in expo.nav(f.floor_id).fronts.values()]
    return rng.sample(fronts, n + 1)


def peer_matrix(cost: list[list[float]]) -> list[list[int]]:
    """Centiseconds, with a dummy end (last) reached from every stop for free and left only to the start.

    "Never" costs more than any open path, so it is used only when nothing else is possible.
    """
    n = len(cost)
    never = (n + 1) * max(round(c * SCALE) for row in cost for c in row if c < float("inf")) + 1
    m = [[round(c * SCALE) if c < float("inf") else never for c in row] + [0] for row in cost]
    m.append([0] + [never] * n)
    for i in range(n + 1):
        m[i][i] = 0
    return m


def lkh(cost: list[list[float]]) -> list[int]:
    import elkai

    tour = elkai.DistanceMatrix(peer_matrix(cost)).solve_tsp(runs=10)[:-1]
    n = len(cost)
    at = tour.index(0)
    tour = tour[at:] + tour[:at]
    if tour[-1] != n:  # the tour runs the other way round
        tour = [0] + tour[1:][::-1]
    return [v for v in tour[1:] if v != n]


def ortools(cost: list[list[float]], seconds: float) -> list[int]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    m = peer_matrix(cost)
    n = len(cost)
    manager = pywrapcp.RoutingIndexManager(n + 1, 1, [0], [n])
    routing = pywrapcp.RoutingModel(manager)
    callback = routing.RegisterTransitCallback(
        lambda i, j: m[manager.IndexToNode(i)][manager.IndexToNode(j)])
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    order, index = [], routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node != 0:
            order.append(node)
        index = solution.Value(routing.NextVar(index))
    return order


def excess(ours: float, best: float) -> float:
    return (ours - best) / best * 100


def pct(value: float) -> str:
    return f"{round(value, 3) + 0.0:.3f}"  # no "-0.000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--peer-seconds", type=float, default=1.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        expo = build_floors(Path(tmp))
    seeds = range(args.seeds)
    walking_costs(expo, instance(expo, 30, 0))  # builds the three floors' navigation
    figures: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    for n in (10, 20, 30, 100):
        for seed in seeds:
            spots = instance(expo, n, seed)
            t0 = time.perf_counter()
            matrix = walking_costs(expo, spots)
            note(f"matrix_ms_{n}", (time.perf_counter() - t0) * 1000)
            cost = matrix.cost
            t0 = time.perf_counter()
            first_order(cost)
            note(f"first_ms_{n}", (time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            ours = order_stops(matrix).order
            note(f"order_ms_{n}", (time.perf_counter() - t0) * 1000)
            ours_cost = path_cost(cost, ours)
            if n == 10:
                exact = path_cost(cost, held_karp(cost))
                peers = min(path_cost(cost, lkh(cost)), path_cost(cost, ortools(cost, args.peer_seconds)))
                note("exact_10", float(exact <= peers + 1e-6 and abs(ours_cost - exact) < 1e-6))
                spots12 = instance(expo, 12, seed)
                c12 = walking_costs(expo, spots12).cost
                searched = path_cost(c12, shortest_open_path(c12, exact_up_to=0))
                note("search_12", float(searched <= path_cost(c12, held_karp(c12)) + 1e-6))
            elif n in (20, 30):
                by_lkh, by_ortools = path_cost(cost, lkh(cost)), path_cost(cost, ortools(cost, args.peer_seconds))
                peers = min(by_lkh, by_ortools)
                note(f"excess_{n}", excess(ours_cost, peers))
                note(f"ortools_best_{n}", float(by_ortools <= by_lkh + 1e-6))
            else:
                note("excess_100", excess(ours_cost, path_cost(cost, lkh(cost))))

    med = {k: statistics.median(v) for k, v in figures.items()}
    print(f"route_matrix_ms: {med['matrix_ms_30']:.1f} ms")
    print(f"route_first_ms: {med['first_ms_30']:.2f} ms")
    print(f"route_order_ms: {med['order_ms_30']:.1f} ms")
    print(f"route_excess_mean_pct: {pct(statistics.mean(figures['excess_30']))} %")
    print(f"route_excess_worst_pct: {pct(max(figures['excess_30']))} %")
    print(f"route_exact_n10: {sum(figures['exact_10']):.0f}/{len(figures['exact_10'])} seeds")
    print(f"route_search_n12_optimal: {sum(figures['search_12']):.0f}/{len(figures['search_12'])} seeds")
    print(f"route_peer_ortools_best_n30: {sum(figures['ortools_best_30']):.0f}/{len(figures['ortools_best_30'])} seeds")
    print(f"route_n10_ms: {med['order_ms_10']:.1f} ms")
    print(f"route_n20_excess_pct: {pct(statistics.mean(figures['excess_20']))} %")
    print(f"route_n20_ms: {med['order_ms_20']:.1f} ms")
    print(f"route_n100_excess_pct: {pct(statistics.mean(figures['excess_100']))} %")
    print(f"route_n100_excess_worst_pct: {pct(max(figures['excess_100']))} %")
    print(f"route_n100_ms: {med['order_ms_100']:.1f} ms")


if __name__ == "__main__":
    main()
