"""`expo-hall visit --out DIR`: the visitor's "my visit" from what this computer keeps (the route, its visits and
walked path, the briefcase): `<floor_id>.png` for each floor the route or the visits touch, and my-visit.pdf.

Drawn without a window. Exit 0 when written, 1 when there is nothing to write (no route, no visit) or it could
not be written, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from expo_hall.commands._options import expo_options, language
from expo_hall.problems import translator


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="expo-hall visit",
                                     description="Save my visit: each floor with the route drawn (PNG) and a PDF "
                                                 "of the stops, visits, contacts and materials taken.")
    expo_options(parser)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="the visitor's data folder, as given to the hall (default: the user's)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write into")
    args = parser.parse_args(argv)
    tr = translator(language(args))
    logging.getLogger("expo_hall").addHandler(logging.NullHandler())
    logging.getLogger("fpdf").addHandler(logging.NullHandler())  # glyphs the font lacks (emoji) are left out quietly
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

    from expo_hall.briefcase import Briefcase
    from expo_hall.expo import load_expo
    from expo_hall.paths import data_dir
    from expo_hall.route.store import FILE_NAME, Route
    from expo_hall.route.visit_export import export_visit

    data = data_dir(args.data_dir)
    route = Route.load(data / FILE_NAME)
    route.path = None  # read only
    if not route.stops and not route.visited:
        print(tr("visit.nothing", file=data / FILE_NAME), file=sys.stderr)
        return 1
    briefcase = Briefcase(data / "briefcase" if args.data_dir else None)
    try:
        written = export_visit(load_expo(args.maps, args.stands), route, briefcase, args.out, language(args), tr)
    except OSError as exc:
        print(tr("visit.out_failed", folder=args.out, error=exc.strerror or exc), file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0
