"""`expo-hall layout exhibitors.csv --out DIR [--stands DIR]`: floors generated from a registration list.

Writes `DIR/maps/<floor_id>.tmx` (one floor per category, split when too big) and a minimal stand package into
the stands folder (default `DIR/stands`) for every exhibitor that has none there. Exit 0 when written, 1 when the
list has faults (each named by line and column; nothing is written), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from expo_hall.commands._options import language
from expo_hall.commands.check import print_findings
from expo_hall.settings import LANGUAGES


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="expo-hall layout",
                                     description="Generate floors (Tiled maps) from a CSV list of exhibitors: "
                                                 "columns id,name,name_en,category,category_en,size.")
    parser.add_argument("csv", type=Path, help="the exhibitors' list (UTF-8 CSV with a header row)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write maps/ (and stands/) into")
    parser.add_argument("--stands", type=Path, default=None,
                        help="the stand packages: exhibitors without one get a minimal one here (default: OUT/stands)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of the output (default: the system's)")
    args = parser.parse_args(argv)
    lang = language(args)
    logging.getLogger("expo_hall").addHandler(logging.NullHandler())

    from expo_hall.floors.generate import layout_floors, write_expo
    from expo_hall.floors.registrations import read_registrations
    from expo_hall.problems import translator

    tr = translator(lang)
    rows, faults = read_registrations(args.csv)
    if faults:
        print_findings(faults, lang)
        return 1
    floors = layout_floors(rows)
    maps_dir, stands_dir = args.out / "maps", args.stands or args.out / "stands"
    try:
        maps, packages = write_expo(floors, maps_dir, stands_dir)
    except OSError as exc:
        print(tr("render.out_failed", folder=exc.filename or args.out, error=exc.strerror or exc), file=sys.stderr)
        return 2
    for path in maps:
        print(path)
    print(tr("layout.written", floors=len(maps), exhibitors=len(rows), packages=len(packages), folder=stands_dir))
    print(tr("layout.next", maps=maps_dir, stands=stands_dir))
    return 0
