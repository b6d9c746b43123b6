"""`expo-hall render --out DIR`: each floor as a printable plan, `<floor_id>.png`, and all of them in `plans.pdf`.

The floors are drawn by the hall's own renderer, off-screen (SDL's dummy video driver: no window opens).
Exit 0 when every floor was drawn, 1 when the expo has no floor to draw, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from expo_hall.commands._options import expo_options, expo_with_floors, language
from expo_hall.problems import translator


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="expo-hall render",
                                     description="Draw each floor as a printable plan: PNG files and one PDF.")
    expo_options(parser)
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the plans into")
    args = parser.parse_args(argv)
    lang = language(args)
    tr = translator(lang)
    logging.getLogger("expo_hall").addHandler(logging.NullHandler())  # errors are summed up below
    logging.getLogger("fpdf").addHandler(logging.NullHandler())  # glyphs the font lacks (emoji) are left out quietly
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # no window: the renderer draws onto plain surfaces
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(tr("render.out_failed", folder=args.out, error=exc.strerror or exc), file=sys.stderr)
        return 2

    import pygame

    from expo_hall.floors.plan import floor_tiles, page_surface, plan_page, write_pdf
    from expo_hall.stands.logos import LogoCache
    from expo_hall.text import TextCache

    pygame.font.init()
    expo = expo_with_floors(args, tr)
    if expo is None:
        return 1
    text = TextCache()
    logos = LogoCache(text)
    floors = {f.floor_id: f for f in expo.floors}
    pages = []
    for floor in expo.floors:
        page = plan_page(floor, expo.exhibitors, floors, logos, text, lang, tr, floor_tiles(floor))
        png = args.out / f"{floor.floor_id}.png"
        pygame.image.save(page_surface(page, text), str(png))
        print(png)
        pages.append(page)
    pdf = write_pdf(pages, args.out / "plans.pdf", text)
    print(pdf)
    return 0
