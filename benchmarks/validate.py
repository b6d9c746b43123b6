"""Benchmark checking the demo's largest stand package (by bytes: its video and materials) as
`expo-hall preview --check` does.

Prints `validate_ms: <median> ms`: the median of --runs checks of that package, each reading stand.toml,
the logo (decoded and normalised as the server's import does), the video (probed, its start and end played
by the client's decoder), every material (signature, first page rendered) and the contacts and webinars.
Run: python benchmarks/validate.py [--runs 7].
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def package_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    from expo_hall import DEMO_STANDS_DIR
    from expo_hall.stands.validate import validate

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    largest = max((f for f in DEMO_STANDS_DIR.iterdir() if f.is_dir()), key=package_bytes)
    validate(largest)  # warm: imports, PDFium, ffmpeg's codecs
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        _, findings = validate(largest)
        times.append((time.perf_counter() - start) * 1000)
    print(f"# {largest.name}: {package_bytes(largest)} bytes, {len(findings)} findings, {os.cpu_count()} cores",
          file=sys.stderr)
    print(f"validate_ms: {statistics.median(times):.0f} ms")


if __name__ == "__main__":
    main()
