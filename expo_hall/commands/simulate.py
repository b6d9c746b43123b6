"""`expo-hall simulate --visitors N --out DIR [--seed S]`: N simulated visitors walk the expo; written are a heat
map of the alleys' traffic per floor (`<floor_id>.png`) and `stands.csv`, the stands ranked by passers-by (and
by visits): the last are the ones the layout starves.

Exit 0 when written, 1 when the expo has no floor, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from expo_hall.commands._options import expo_options, expo_with_floors, language
from expo_hall.problems import translator

if TYPE_CHECKING:
    from expo_hall.expo import Expo
    from expo_hall.route.traffic import Traffic

CSV_COLUMNS = ("rank", "floor", "stand", "exhibitor", "name", "category", "passers_by", "visits", "visits_rank")
STARVED_SHOWN = 5


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="expo-hall simulate",
                                     description="Simulate visitors: heat maps of the alleys and the stands ranked.")
    expo_options(parser)
    parser.add_argument("--visitors", type=positive, required=True, help="how many visitors walk the expo")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the heat maps and stands.csv into")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same visitors (default 0)")
    args = parser.parse_args(argv)
    lang = language(args)
    tr = translator(lang)
    logging.getLogger("expo_hall").addHandler(logging.NullHandler())
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # no window: the heat maps are drawn onto plain surfaces
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(tr("render.out_failed", folder=args.out, error=exc.strerror or exc), file=sys.stderr)
        return 2

    from expo_hall.route.traffic import simulate

    expo = expo_with_floors(args, tr)
    if expo is None:
        return 1
    traffic = simulate(expo, args.visitors, args.seed)
    for path in draw_heat(expo, traffic, args.out, lang):
        print(path)
    table = args.out / "stands.csv"
    ranks = traffic.visits_rank()
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for n, s in enumerate(traffic.stands, 1):
            ex = expo.exhibitors.get(s.place.exhibitor_id)
            writer.writerow([n, s.place.floor_id, s.place.number, s.place.exhibitor_id,
                             ex.name_for(lang) if ex else "", ex.category_for(lang) if ex else "", s.passers,
                             s.visits, ranks[f"{s.place.floor_id}/{s.place.number}"]])
    print(table)
    print(tr("simulate.written", visitors=traffic.visitors, visits=sum(s.visits for s in traffic.stands)))
    starved = traffic.stands[-STARVED_SHOWN:][::-1]
    if starved:
        print(tr("simulate.starved", stands=", ".join(f"{s.place.number} ({s.passers})" for s in starved)))
    if traffic.unreached:
        print(tr("simulate.unreached", count=traffic.unreached))
    return 0


def draw_heat(expo: Expo, traffic: Traffic, out: Path, lang: str) -> list[Path]:
    """Each floor's heat map, `<floor_id>.png` in `out`."""
    import pygame

    from expo_hall.floors.heatmap import heat_page
    from expo_hall.floors.plan import floor_picture, floor_tiles
    from expo_hall.stands.logos import LogoCache
    from expo_hall.text import TextCache

    pygame.font.init()
    tr = translator(lang)
    text = TextCache()
    logos = LogoCache(text)
    written = []
    for floor in expo.floors:
        picture, zoom = floor_picture(floor, expo.exhibitors, logos, text, lang, floor_tiles(floor))
        page = heat_page(floor, picture, zoom, traffic.heat[floor.floor_id], traffic.cell, traffic.visitors, text,
                         lang, tr)
        path = out / f"{floor.floor_id}.png"
        pygame.image.save(page, str(path))
        written.append(path)
    return written
