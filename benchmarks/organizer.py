"""Benchmark the organizers' commands on the 1000-stand floor of benchmarks/hall.py.

Prints one `name: value unit` line per figure:
  check_ms     `check_expo` on the floor and its 1000 packages: loading them and every check (the median of runs)
  layout_ms    of that, the layout checks alone (reachability, overlaps, placement, translations, webinars),
               on the expo already loaded, navigation built
  findings     how many findings (the floor and its packages have no English texts: a note for each)
  reload_ms    organizer mode (`--organizer`, the embedded server running): from saving the floor's map (its title
               changed) to the hall drawn from the new reading, in the app's own loop (the median of runs; the
               watcher looks every 0.3 s, so a third of that is waiting for its next look, on average)
  reload_max_ms  the slowest of those runs
  frame_median_ms_organizer, frame_p99_ms_organizer  the walk of benchmarks/hall.py (1800 frames in a 1600x900
               window, hovering stands) in organizer mode, the overlay drawn and the findings listed

Run: python benchmarks/organizer.py [--runs 5]
"""

from __future__ import annotations

import argparse
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


def bench_reload(maps: Path, stands: Path, runs: int) -> tuple[list[float], list[float]]:
    from expo_hall.app import App
    from expo_hall.settings import parse_args

    app = start(App(parse_args(["--maps", str(maps), "--stands", str(stands), "--window", "1600x900", "--lang", "ru",
                                "--data-dir", str(maps.parent / "data"), "--organizer"])))
    hall, server, tmx = app.hall, app.backend.server, maps / "big.tmx"
    for _ in range(30):
        app.step(1 / 60)
    times = []
    for run in range(runs):
        imported, reloads = server.imported, hall.organizer.reloads
        text = tmx.read_text(encoding="utf-8")
        title = f"Большой зал {run}"
        saved = time.perf_counter()
        tmx.write_text(text.replace(f'value="{hall.floor.title}"', f'value="{title}"', 1), encoding="utf-8")
        deadline = time.monotonic() + 60
        while hall.organizer.reloads == reloads:  # the loop as App.run turns it; the frame that takes it draws it
            app.run_once(max_wait=0.05)
            assert time.monotonic() < deadline, "the saved map was never read again"
        times.append((time.perf_counter() - saved) * 1000)
        assert hall.floor.title == title
        while server.imported is imported:  # the server's import of it, before the next save
            app.run_once(max_wait=0.05)
            assert time.monotonic() < deadline, "the embedded server never imported the folders again"
    frames = walk(app, 1800, random.Random(1))
    app.close()
    return times, frames


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
        reloads, frames = bench_reload(maps, stands, runs)
    print(f"check_ms: {statistics.median(whole):.0f} ms")
    print(f"layout_ms: {statistics.median(layout):.1f} ms")
    print(f"findings: {len(found)}")
    print(f"reload_ms: {statistics.median(reloads):.0f} ms")
    print(f"reload_max_ms: {max(reloads):.0f} ms")
    print(f"frame_median_ms_organizer: {statistics.median(frames):.3f} ms")
    print(f"frame_p99_ms_organizer: {percentile(frames, 0.99):.3f} ms")


if __name__ == "__main__":
    main()
