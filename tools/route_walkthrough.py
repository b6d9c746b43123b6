"""Follow a personal route of six stands over two floors with "Guide me", under a real X display, as a person would.

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 python tools/route_walkthrough.py --shot route.png

Starts the hall (its own server, a fresh data folder) with the route below, then for each stop presses G (Guide me),
waits until the stand counts as visited (its window opens on arrival; route.json in the data folder says so), takes
a screenshot of the first arrival and of the end, and closes the window with Escape. Needs xdotool and ImageMagick's
`import`. Prints one line per stop and `visited: 6 of 6` at the end; exit 0 when every stop was visited.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# three stands of the preschool floor, then three of the school floor (up the stairs or the lift)
ROUTE = ["akvarelka", "dva-yazyka", "detsad-211", "nachalka-pro", "interaktivnye-klassy", "lab-v-klasse"]
LEG_SECONDS = 90.0  # the longest a leg may take before the walkthrough gives up


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="the hall's data folder (default: a new one)")
    parser.add_argument("--shot", type=Path, default=Path("route.png"), help="the screenshot at the end")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("DISPLAY is not set: start Xvfb and set DISPLAY (see the docstring)", file=sys.stderr)
        return 2
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="expo-walk-"))
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--lang", "ru", "--window", "1280x800",
                            "--data-dir", str(data), "--route", ",".join(ROUTE)], cwd=ROOT)
    try:
        return walk(data / "route.json", args.shot)
    finally:
        app.terminate()
        app.wait(timeout=30)


def visited(route_file: Path) -> set[str]:
    try:
        return set(json.loads(route_file.read_text(encoding="utf-8")).get("visited", {}))
    except (OSError, ValueError):
        return set()


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True)


def walk(route_file: Path, shot: Path) -> int:
    time.sleep(3)
    for n, exhibitor_id in enumerate(ROUTE, 1):
        deadline = time.monotonic() + LEG_SECONDS
        while exhibitor_id not in visited(route_file):  # G again until the hall is up and guidance starts
            if time.monotonic() > deadline:
                print(f"stop {n} ({exhibitor_id}) was not reached in {LEG_SECONDS:.0f} s", file=sys.stderr)
                return 1
            xdotool("mousemove", "800", "500")
            xdotool("key", "g")
            leg_ends = min(deadline, time.monotonic() + 30)
            while exhibitor_id not in visited(route_file) and time.monotonic() < leg_ends:
                time.sleep(0.5)
        print(f"stop {n}: {exhibitor_id} visited")
        time.sleep(1.5)  # the stand's window is open: let it be seen
        if n == 1:
            subprocess.run(["import", "-window", "root", str(shot.with_name(shot.stem + "-first" + shot.suffix))],
                           check=True)
        xdotool("key", "Escape")
        time.sleep(0.5)
    xdotool("key", "p")  # the route panel: every stop with its visit time
    time.sleep(1.5)
    subprocess.run(["import", "-window", "root", str(shot)], check=True)
    done = sum(1 for s in ROUTE if s in visited(route_file))
    print(f"visited: {done} of {len(ROUTE)}")
    return 0 if done == len(ROUTE) else 1


if __name__ == "__main__":
    sys.exit(main())
