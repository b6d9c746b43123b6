"""The card shown while the pointer rests on a stand: logo, name, number and category."""

from __future__ import annotations

from collections.abc import Mapping

import pygame

from expo_hall.floors.model import StandPlace
from expo_hall.i18n import tr
from expo_hall.stands.logos import LogoCache
from expo_hall.stands.looks import HOVER_LOGO
from expo_hall.stands.package import Exhibitor
from expo_hall.text import TextCache

WIDTH = 320
LOGO = HOVER_LOGO
PAD = 12
BG = (255, 255, 255)
EDGE = (150, 155, 165)
INK = (30, 34, 40)
MUTED = (95, 100, 110)


class HoverPopup:
    def __init__(self, exhibitors: Mapping[str, Exhibitor], logos: LogoCache, text: TextCache, lang: str) -> None:
        self.exhibitors = exhibitors
        self.logos = logos
        self.text = text
        self.lang = lang
        self._cards: dict[tuple[str, str], pygame.Surface] = {}
        self.stand: StandPlace | None = None

    def forget(self) -> None:
        """Stands' looks changed (their logos came): the cards are drawn again when next shown."""
        self._cards.clear()

    def card(self, stand: StandPlace) -> pygame.Surface:
        k = (stand.floor_id, stand.number)
        surf = self._cards.get(k)
        if surf is None:
            surf = self._cards[k] = self._render(stand)
        return surf

    def _render(self, stand: StandPlace) -> pygame.Surface:
        ex = self.exhibitors.get(stand.exhibitor_id)
        text_w = WIDTH - LOGO - 3 * PAD
        if ex is not None:
            name = ex.name_for(self.lang)
            logo = self.logos.get(ex, LOGO)
            details = [tr("popup.stand", number=stand.number)]
            if ex.category_for(self.lang):
                details.append(ex.category_for(self.lang))
        else:
            name = tr("popup.no_exhibitor")
            logo = None
            details = [tr("popup.stand", number=stand.number)]
        name_lines = self.text.wrap(name, 17, text_w, bold=True, max_lines=3)
        detail_lines = [line for d in details for line in self.text.wrap(d, 13, text_w, max_lines=2)]
        rows = [self.text.render(line, 17, INK, bold=True) for line in name_lines]
        rows += [self.text.render(line, 13, MUTED) for line in detail_lines]
        text_h = sum(r.get_height() for r in rows) + 4
        height = max(LOGO, text_h) + 2 * PAD
        surf = pygame.Surface((WIDTH, height), pygame.SRCALPHA)
        pygame.draw.rect(surf, BG, surf.get_rect(), border_radius=10)
        pygame.draw.rect(surf, EDGE, surf.get_rect(), 1, border_radius=10)
        if logo is not None:
            surf.blit(logo, logo.get_rect(center=(PAD + LOGO // 2, PAD + LOGO // 2)))
        y = PAD
        for i, row in enumerate(rows):
            if i == len(name_lines):
                y += 4
            surf.blit(row, (2 * PAD + LOGO, y))
            y += row.get_height()
        return surf

    def draw(self, surface: pygame.Surface, stand: StandPlace, mouse: tuple[int, int]) -> pygame.Rect:
        """Draw the card near the pointer, kept wholly inside the window; returns where."""
        card = self.card(stand)
        w, h = surface.get_size()
        x, y = mouse[0] + 18, mouse[1] + 18
        if x + card.get_width() > w:
            x = mouse[0] - 18 - card.get_width()
        if y + card.get_height() > h:
            y = mouse[1] - 18 - card.get_height()
        rect = card.get_rect(topleft=(x, y))
        rect.clamp_ip(surface.get_rect())
        surface.blit(card, rect)
        return rect
