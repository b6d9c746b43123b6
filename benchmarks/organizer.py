"""Benchmark the organizers' commands on the 1000-stand floor of benchmarks/hall.py.

Prints one `name: value unit` line per figure:
  check_ms     `check_expo` on the floor and its 1000 packages: loading them and every check (the median of runs)
  layout_ms    of that, the layout checks alone (reachability, overlaps, placement, translations, webinars),
               on the expo already loaded, navigation built
  findings     how many findings (the floor and its packages have no English texts: a note for each)
  layout_s     `expo-hall layout` of a list of 1000 exhibitors in 6 categories: reading it, the floors and a
               package for each written (once)
  simulate_s   `expo-hall simulate --visitors 1000` on those floors: loading them, the walks, the heat maps and
               stands.csv written (once)
  layout_floors, layout_errors   the floors laid out, and the errors `check` finds in them (0 expected)
  layout_cpu_s, simulate_cpu_s   the same two in CPU time of this process (the figure to compare on a busy machine)
  reload_ms    organizer mode (`--organizer`, the embedded server running): from saving the floor's map (its title
               changed) to the hall drawn from the new reading, in the app's own loop (the median of runs; the
               watcher looks every 0.3 s, so a third of that is waiting for its next look, on average)
  reload_max_ms  the slowest of those runs
  reload_cpu_ms  the CPU time of this process (every thread) over those runs, the median
  frame_median_ms_organizer, frame_p99_ms_organizer  the walk of benchmarks/hall.py (1800 frames in a 1600x900
               window, hovering stands) in organizer mode, the overlay drawn and the findings listed

Run: python benchmarks/organizer.py [--runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hall import build_expo, percentile, start, walk  # noqa: E402

from expo_hall.checks import check_expo, layout_findings  # noqa: E402
from expo_hall.commands import layout, simulate  # noqa: E402
from expo_hall.floors.registrations import COLUMNS  # noqa: E402
from expo_hall.problems import Severity  # noqa: E402

CATEGORIES = ("Дошкольное образование", "Школьное образование", "Высшее образование", "EdTech",
              "Дополнительное образование", "Региональные системы")
SIZES = ("small", "medium", "medium", "large")


def bench_reload(maps: Path, stands: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    from expo_hall.app import App
    from expo_hall.settings import parse_args

    app = start(App(parse_args(["--maps", str(maps), "--stands", str(stands), "--window", "1600x900", "--lang", "ru",
                                "--data-dir", str(maps.parent / "data"), "--organizer"])))
    hall, server, tmx = app.hall, app.backend.server, maps / "big.tmx"
    for _ in range(30):
        app.step(1 / 60)
    times, cpu = [], []
    for run in range(runs):
        imported, reloads = server.imported, hall.organizer.reloads
        text = tmx.read_text(encoding="utf-8")
        title = f"Большой зал {run}"
        saved, cpu_saved = time.perf_counter(), time.process_time()
        tmx.write_text(text.replace(f'value="{hall.floor.title}"', f'value="{title}"', 1), encoding="utf-8")
        deadline = time.monotonic() + 60
        while hall.organizer.reloads == reloads:  # the loop as App.run turns it; the frame that takes it draws it
            app.run_once(max_wait=0.05)
            assert time.monotonic() < deadline, "the saved map was never read again"
        times.append((time.perf_counter() - saved) * 1000)
        cpu.append((time.process_time() - cpu_saved) * 1000)
        assert hall.floor.title == title
        while server.imported is imported:  # the server's import of it, before the next save
            app.run_once(max_wait=0.05)
            assert time.monotonic() < deadline, "the embedded server never imported the folders again"
    frames = walk(app, 1800, random.Random(1))
    app.close()
    return times, cpu, frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    logging.getLogger("expo_hall").addHandler(logging.NullHandler())
    with tempfile.TemporaryDirectory() as tmp:
        maps, stands = build_expo(Path(tmp))
        whole, layout = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            expo, found = check_expo(maps, stands)
            whole.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            layout_findings(expo)
            layout.append((time.perf_counter() - t0) * 1000)
        assert len(expo.floors[0].stands) == 1000
        reloads, reload_cpu, frames = bench_reload(maps, stands, runs)
    print(f"check_ms: {statistics.median(whole):.0f} ms")
    print(f"layout_ms: {statistics.median(layout):.1f} ms")
    print(f"findings: {len(found)}")
    print(f"reload_ms: {statistics.median(reloads):.0f} ms")
    print(f"reload_max_ms: {max(reloads):.0f} ms")
    print(f"reload_cpu_ms: {statistics.median(reload_cpu):.0f} ms")
    print(f"frame_median_ms_organizer: {statistics.median(frames):.3f} ms")
    print(f"frame_p99_ms_organizer: {percentile(frames, 0.99):.3f} ms")
    organize(1000, 1000)


def organize(exhibitors: int, visitors: int) -> None:
    """Lay out a registration list, check the floors, then walk visitors over them."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rng = random.Random(9)
        with (root / "list.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            for n in range(exhibitors):
                category = rng.choice(CATEGORIES)
                writer.writerow([f"ex{n:04d}", f"Компания №{n}", f"Company {n}", category,
                                 f"Category {CATEGORIES.index(category) + 1}", rng.choice(SIZES)])
        quiet = contextlib.redirect_stdout(io.StringIO())  # the commands' own output: not figures
        t0, c0 = time.perf_counter(), time.process_time()
        with quiet:
            assert layout.main([str(root / "list.csv"), "--out", str(root / "expo"), "--lang", "en"]) == 0
        layout_s, layout_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        expo, found = check_expo(root / "expo" / "maps", root / "expo" / "stands")
        t0, c0 = time.perf_counter(), time.process_time()
        with quiet:
            assert simulate.main(["--maps", str(root / "expo" / "maps"), "--stands", str(root / "expo" / "stands"),
                                  "--visitors", str(visitors), "--out", str(root / "heat"), "--lang", "en"]) == 0
        simulate_s, simulate_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    print(f"layout_s: {layout_s:.2f} s")
    print(f"layout_floors: {len(expo.floors)}")
    print(f"layout_errors: {sum(p.severity is Severity.ERROR for p in found)}")
    print(f"layout_cpu_s: {layout_cpu_s:.2f} s")
    print(f"simulate_s: {simulate_s:.2f} s")
    print(f"simulate_cpu_s: {simulate_cpu_s:.2f} s")


if __name__ == "__main__":
    main()
