"""Benchmark the organizers' commands on the 1000-stand floor of benchmarks/hall.py.

Prints one `name: value unit` line per figure:
  check_ms     `check_expo` on the floor and its 1000 packages: loading them and every check (the median of runs)
  layout_ms    of that, the layout checks alone (reachability, overlaps, placement, translations, webinars),
               on the expo already loaded, navigation built
  findings     how many findings (the floor and its packages have no English texts: a note for each)

Run: python benchmarks/organizer.py [--runs 5]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hall import build_expo  # noqa: E402

from expo_hall.checks import check_expo, layout_findings  # noqa: E402


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
    print(f"check_ms: {statistics.median(whole):.0f} ms")
    print(f"layout_ms: {statistics.median(layout):.1f} ms")
    print(f"findings: {len(found)}")


if __name__ == "__main__":
    main()
