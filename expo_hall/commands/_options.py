"""Options the organizers' commands share: which expo (--maps, --stands) and which language (--lang)."""

from __future__ import annotations

import argparse
from pathlib import Path

from expo_hall import DEMO_MAPS_DIR, DEMO_STANDS_DIR
from expo_hall.settings import LANGUAGES, system_language


def expo_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--maps", type=Path, default=DEMO_MAPS_DIR, help="the floors' .tmx maps (default: the demo's)")
    parser.add_argument("--stands", type=Path, default=DEMO_STANDS_DIR,
                        help="the stand packages, a folder each (default: the demo's)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of the output (default: the system's)")


def language(args: argparse.Namespace) -> str:
    return args.lang or system_language()
