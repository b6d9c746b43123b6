"""Options the organizers' commands share: which expo (--maps, --stands) and which language (--lang)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from expo_hall import DEMO_MAPS_DIR, DEMO_STANDS_DIR
from expo_hall.problems import Severity, Translate
from expo_hall.settings import LANGUAGES, system_language

if TYPE_CHECKING:
    from expo_hall.expo import Expo


def expo_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--maps", type=Path, default=DEMO_MAPS_DIR, help="the floors' .tmx maps (default: the demo's)")
    parser.add_argument("--stands", type=Path, default=DEMO_STANDS_DIR,
                        help="the stand packages, a folder each (default: the demo's)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of the output (default: the system's)")


def language(args: argparse.Namespace) -> str:
    return args.lang or system_language()


def expo_with_floors(args: argparse.Namespace, tr: Translate) -> Expo | None:
    """The expo of --maps and --stands for a command that draws its floors: its errors counted on stderr (the
    floors that load are still drawn); None, said on stderr, when no floor loads."""
    from expo_hall.expo import load_expo

    expo = load_expo(args.maps, args.stands)
    errors = [p for p in expo.problems if p.severity is Severity.ERROR]
    if errors:
        print(tr("render.has_errors", count=len(errors)), file=sys.stderr)
    if not expo.floors:
        print(tr("render.no_floors", folder=args.maps), file=sys.stderr)
        return None
    return expo
