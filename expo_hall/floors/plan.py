"""Printable floor plans: the floor as the hall draws it (FloorRenderer, the logo cache), with the floor's title,
a legend and an index of stands (number and exhibitor), as a PNG and as pages of one PDF.

A page is laid out once (`Page`: pictures and texts at positions in pixels) and then drawn twice: into a PNG with
pygame, and into the PDF with fpdf2, where the texts are real text (selectable, searchable, Cyrillic in the
embedded Noto Sans) and only the pictures are images.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from expo_hall.floors import renderer as look
from expo_hall.floors.model import Floor, natural_key
from expo_hall.floors.renderer import FloorRenderer
from expo_hall.floors.tiles import TileLayers, load_tile_layers
from expo_hall.problems import ContentError, Translate
from expo_hall.stands.logos import LogoCache
from expo_hall.stands.package import Exhibitor
from expo_hall.text import TextCache, font_path

if TYPE_CHECKING:
    from fpdf import FPDF

MAX_PLAN_SIDE = 4096  # the floor's picture at most this many pixels a side (zoom 1 below that)
MARGIN = 40
INDEX_SIZE, INDEX_LINE, INDEX_WIDTH = 13, 19, 300
TITLE_SIZE, NOTE_SIZE, LEGEND_SIZE = 34, 17, 15
INK = (30, 32, 38)
GREY = (110, 114, 122)
ENTRANCE = (38, 150, 80)
PX_TO_PT = 0.75  # a page's pixel is 1/96 inch in the PDF


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the top of the line
    text: str
    size: int
    bold: bool = False
    colour: tuple[int, int, int] = INK


@dataclass(frozen=True)
class Picture:
    x: float
    y: float
    surface: pygame.Surface


@dataclass
class Page:
    width: int
    height: int
    title: str
    pictures: list[Picture] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


def plan_page(floor: Floor, exhibitors: Mapping[str, Exhibitor], floors: Mapping[str, Floor], logos: LogoCache,
              text: TextCache, lang: str, tr: Translate, tiles: TileLayers | None = None,
              over: Callable[[pygame.Surface, float], None] | None = None) -> Page:
    """Lay out one floor's plan: title, the floor drawn by the hall's renderer, a legend, the stands' index.
    `over(drawing, zoom)` draws more on the floor (a visitor's route) before it is laid out."""
    drawing, zoom = floor_picture(floor, exhibitors, logos, text, lang, tiles)
    _mark_points(drawing, floor, floors, zoom, text, lang, tr)
    if over is not None:
        over(drawing, zoom)
    title = floor.title_for(lang)
    top = MARGIN + TITLE_SIZE + NOTE_SIZE + 36
    pw, ph = drawing.get_size()
    texts = [Text(MARGIN, MARGIN, title, TITLE_SIZE, bold=True),
             Text(MARGIN, MARGIN + TITLE_SIZE + 14, tr("plan.stands", count=len(floor.stands)), NOTE_SIZE,
                  colour=GREY)]
    pictures = [Picture(MARGIN, top, drawing)]

    rows = max(10, ph // INDEX_LINE)
    stands = sorted(floor.stands, key=lambda s: natural_key(s.number))
    columns = math.ceil(len(stands) / rows) if stands else 0
    index_x = MARGIN + pw + 30
    for n, stand in enumerate(stands):
        x, y = index_x + (n // rows) * INDEX_WIDTH, top + (n % rows) * INDEX_LINE
        ex = exhibitors.get(stand.exhibitor_id)
        name = ex.name_for(lang) if ex else "—"
        number_w = 64
        texts.append(Text(x, y, stand.number, INDEX_SIZE, bold=True))
        short = text.wrap(name, INDEX_SIZE, INDEX_WIDTH - number_w - 12, max_lines=1)[0]
        texts.append(Text(x + number_w, y, short, INDEX_SIZE))

    legend_y = top + max(ph, min(rows, len(stands)) * INDEX_LINE) + 24
    texts.append(Text(MARGIN, legend_y, tr("plan.legend"), LEGEND_SIZE, bold=True))
    x = MARGIN
    y = legend_y + LEGEND_SIZE + 14
    for symbol, label in _legend(text, tr):
        pictures.append(Picture(x, y, symbol))
        texts.append(Text(x + symbol.get_width() + 8, y + (symbol.get_height() - LEGEND_SIZE * 1.4) / 2, label,
                          LEGEND_SIZE))
        x += symbol.get_width() + 8 + text.font(LEGEND_SIZE).size(label)[0] + 32
    width = max(index_x + columns * INDEX_WIDTH, x, MARGIN + text.font(TITLE_SIZE, True).size(title)[0]) + MARGIN
    height = y + 40 + MARGIN
    return Page(int(width), int(height), title, pictures, texts)


def floor_picture(floor: Floor, exhibitors: Mapping[str, Exhibitor], logos: LogoCache, text: TextCache, lang: str,
                  tiles: TileLayers | None = None) -> tuple[pygame.Surface, float]:
    """The whole floor as the hall draws it, at most MAX_PLAN_SIDE pixels a side, and the zoom it is drawn at."""
    zoom = min(1.0, MAX_PLAN_SIDE / max(floor.width, floor.height))
    return FloorRenderer(floor, exhibitors, logos, text, lang, tiles).render_whole(zoom), zoom


def floor_tiles(floor: Floor) -> TileLayers | None:
    """The floor's decoration, or None (none, or its map changed since it was read: drawn without)."""
    if not floor.has_tiles:
        return None
    try:
        return load_tile_layers(floor.source, floor.root)
    except ContentError:
        return None


def _mark_points(drawing: pygame.Surface, floor: Floor, floors: Mapping[str, Floor], zoom: float, text: TextCache,
                 lang: str, tr: Translate) -> None:
    """What the hall shows by walking and the plan must say: where visitors enter, where each lift leads."""
    spawn = floor.spawn
    at = (round(spawn.x * zoom), round(spawn.y * zoom))
    radius = max(6, round(12 * zoom))
    pygame.draw.circle(drawing, ENTRANCE, at, radius)
    pygame.draw.circle(drawing, (255, 255, 255), at, radius, 2)
    label = text.render(tr("plan.spawn"), max(9, round(13 * zoom)), ENTRANCE, bold=True)
    drawing.blit(label, label.get_rect(midtop=(at[0], at[1] + radius + 2)).clamp(drawing.get_rect()))
    for point in floor.transfers:
        target = floors.get(point.to_floor or "")
        if target is None:
            continue
        label = text.render(tr("plan.to", floor=target.title_for(lang)), max(9, round(12 * zoom)), look.LIFT)
        x, y = round(point.x * zoom), round(point.y * zoom) + max(6, int(14 * zoom)) + max(8, round(12 * zoom)) + 6
        drawing.blit(label, label.get_rect(midtop=(x, y)).clamp(drawing.get_rect()))  # near an edge: kept in


def _legend(text: TextCache, tr: Translate) -> list[tuple[pygame.Surface, str]]:
    """The plan's symbols, drawn as the renderer draws them, with what they mean."""
    size = (44, 30)
    stand = pygame.Surface(size)
    stand.fill(look.HALL)
    box = stand.get_rect().inflate(-4, -4)
    pygame.draw.rect(stand, look.STAND, box, border_radius=5)
    pygame.draw.rect(stand, (80, 140, 200), (box.x, box.y, box.w, 5), border_top_left_radius=5,
                     border_top_right_radius=5)
    pygame.draw.rect(stand, look.STAND_EDGE, box, 1, border_radius=5)
    empty = pygame.Surface(size)
    empty.fill(look.HALL)
    pygame.draw.rect(empty, look.EMPTY_STAND, box, border_radius=5)
    pygame.draw.rect(empty, look.STAND_EDGE, (box.x, box.y, box.w, 5), border_top_left_radius=5,
                     border_top_right_radius=5)
    pygame.draw.rect(empty, look.STAND_EDGE, box, 1, border_radius=5)
    alley = pygame.Surface(size)
    alley.fill(look.HALL)
    pygame.draw.rect(alley, look.ALLEY, (0, 7, size[0], 16))
    lift = pygame.Surface((30, 30))
    lift.fill((255, 255, 255))
    pygame.draw.circle(lift, look.LIFT, (15, 15), 13)
    for sign in (-1, 1):
        tip, base = 15 + sign * 8, 15 + sign * 1
        pygame.draw.polygon(lift, (255, 255, 255), [(15, tip), (9, base), (21, base)])
    spawn = pygame.Surface((30, 30))
    spawn.fill((255, 255, 255))
    pygame.draw.circle(spawn, ENTRANCE, (15, 15), 12)
    return [(stand, tr("plan.stand")), (empty, tr("plan.empty")), (alley, tr("plan.alley")),
            (lift, tr("plan.lift")), (spawn, tr("plan.spawn"))]


def page_surface(page: Page, text: TextCache) -> pygame.Surface:
    """The page as one picture (the PNG)."""
    surf = pygame.Surface((page.width, page.height))
    surf.fill((255, 255, 255))
    for pic in page.pictures:
        surf.blit(pic.surface, (round(pic.x), round(pic.y)))
    for t in page.texts:
        surf.blit(text.render(t.text, t.size, t.colour, bold=t.bold), (round(t.x), round(t.y)))
    return surf


def new_pdf(creator: str) -> FPDF:
    """An fpdf2 document in points, with the embedded Noto Sans ("Noto", regular and "B") for Cyrillic text."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.set_creator(creator)
    pdf.add_font("Noto", "", font_path(False))
    pdf.add_font("Noto", "B", font_path(True))
    return pdf


def write_pdf(pages: list[Page], path: Path, text: TextCache) -> Path:
    """One PDF page per plan, each the size of its layout: pictures as images, texts as real text."""
    from PIL import Image

    pdf = new_pdf("expo-hall render")
    pdf.set_auto_page_break(False)
    for page in pages:
        pdf.add_page(format=(page.width * PX_TO_PT, page.height * PX_TO_PT))
        for pic in page.pictures:
            w, h = pic.surface.get_size()
            image = Image.frombytes("RGB", (w, h), pygame.image.tobytes(pic.surface, "RGB"))
            pdf.image(image, x=pic.x * PX_TO_PT, y=pic.y * PX_TO_PT, w=w * PX_TO_PT, h=h * PX_TO_PT)
        for t in page.texts:
            pdf.set_font("Noto", "B" if t.bold else "", t.size * PX_TO_PT)
            pdf.set_text_color(*t.colour)
            baseline = t.y + text.font(t.size, t.bold).get_ascent()
            pdf.text(t.x * PX_TO_PT, baseline * PX_TO_PT, t.text)
    pdf.output(str(path))
    return path
