"""A floor's heat map: the floor as the plans draw it (`plan.floor_picture`), its cells tinted by how many
visitors crossed them, with a title and a scale. What `expo-hall simulate` writes as `<floor_id>.png`."""

from __future__ import annotations

from collections.abc import Mapping

import pygame

from expo_hall.floors.model import Floor
from expo_hall.floors.plan import GREY, INK, MARGIN, NOTE_SIZE, TITLE_SIZE
from expo_hall.problems import Translate
from expo_hall.text import TextCache

SCALE_W, SCALE_H = 240, 14


def heat_colour(share: float) -> tuple[int, int, int, int]:
    """Pale yellow for a few visitors to deep red for the most, more opaque as more walked there."""
    share = max(0.0, min(1.0, share))
    return 255, round(225 * (1 - share)), round(60 * (1 - share)), round(80 + 150 * share)


def heat_page(floor: Floor, picture: pygame.Surface, zoom: float, heat: Mapping[tuple[int, int], int], cell: int,
              visitors: int, text: TextCache, lang: str, tr: Translate) -> pygame.Surface:
    """The page: title, the floor with its heat over it, and the scale from 1 visitor to the most in one cell."""
    most = max(heat.values(), default=0)
    overlay = pygame.Surface(picture.get_size(), pygame.SRCALPHA)
    side = max(1, round(cell * zoom))
    for (cx, cy), count in heat.items():
        overlay.fill(heat_colour(count / most), (round(cx * cell * zoom), round(cy * cell * zoom), side, side))
    title = text.render(tr("simulate.title", floor=floor.title_for(lang)), TITLE_SIZE, INK, bold=True)
    note = text.render(tr("simulate.note", visitors=visitors), NOTE_SIZE, GREY)
    top = MARGIN + title.get_height() + note.get_height() + 24
    low, high = text.render("1", NOTE_SIZE, INK), text.render(str(max(most, 1)), NOTE_SIZE, INK)
    caption = text.render(tr("simulate.scale"), NOTE_SIZE, GREY)
    width = max(picture.get_width(), title.get_width(), note.get_width(),
                low.get_width() + SCALE_W + high.get_width() + caption.get_width() + 40) + 2 * MARGIN
    height = top + picture.get_height() + 24 + max(SCALE_H, caption.get_height()) + MARGIN
    page = pygame.Surface((width, height))
    page.fill((255, 255, 255))
    page.blit(title, (MARGIN, MARGIN))
    page.blit(note, (MARGIN, MARGIN + title.get_height() + 8))
    page.blit(picture, (MARGIN, top))
    page.blit(overlay, (MARGIN, top))
    y = top + picture.get_height() + 24
    x = MARGIN
    page.blit(low, (x, y + (SCALE_H - low.get_height()) // 2))
    x += low.get_width() + 8
    for i in range(SCALE_W):
        r, g, b, a = heat_colour((i + 1) / SCALE_W)
        k = a / 255  # as it shows over white
        pygame.draw.line(page, (round(255 - (255 - r) * k), round(255 - (255 - g) * k), round(255 - (255 - b) * k)),
                         (x + i, y), (x + i, y + SCALE_H - 1))
    x += SCALE_W + 8
    page.blit(high, (x, y + (SCALE_H - high.get_height()) // 2))
    page.blit(caption, (x + high.get_width() + 24, y + (SCALE_H - caption.get_height()) // 2))
    return page
