"""Exhibitors' logos as pygame surfaces: decoded once with Pillow, scaled once per size.

Pillow reads what pygame alone does not (CMYK JPEG, WebP), through expo_hall.content.images, which
refuses a picture too big to decode. A missing, unreadable or refused logo becomes a placeholder: the
company's initials on a colour of its own.
"""

from __future__ import annotations

import hashlib
import logging

import pygame

from expo_hall.content import images
from expo_hall.stands.package import Exhibitor
from expo_hall.surface_budget import SurfaceBudget
from expo_hall.text import TextCache

log = logging.getLogger("expo_hall")
LOGO_MAX = 128  # a logo's base is decoded at most this big: the stand window's 112 px, the largest place, fits

DecodedLogo = tuple[bytes, tuple[int, int]]  # RGBA pixels and size


def decode_logo(exhibitor: Exhibitor, box: int = LOGO_MAX) -> DecodedLogo | None:
    """Read and shrink a logo with Pillow: plain Python, safe in a worker thread."""
    if exhibitor.logo is None:
        return None
    try:
        rgba = images.fit(exhibitor.logo, (box, box), images.LOGO_FORMATS)
    except (images.ImageRefused, OSError) as exc:
        log.warning("%s: logo %s is not shown (%s); a placeholder is", exhibitor.exhibitor_id, exhibitor.logo, exc)
        return None
    return rgba.tobytes(), rgba.size


def brand_colour(key: str) -> tuple[int, int, int]:
    """A stable, pleasant colour for a key (an exhibitor id)."""
    h = hashlib.sha1(key.encode()).digest()
    c = pygame.Color(0)
    c.hsva = (h[0] * 360 / 256, 45 + h[1] % 30, 60 + h[2] % 25, 100)
    return (c.r, c.g, c.b)


class LogoCache:
    """Each logo's base (at most LOGO_MAX) and the sizes drawn of it, kept in the hall's one surface budget: what
    the budget drops is decoded or scaled again when next drawn. A size above the base is decoded at that size."""

    def __init__(self, text: TextCache, budget: SurfaceBudget | None = None) -> None:
        self.text = text
        self.budget = budget if budget is not None else SurfaceBudget()
        self._decoded: dict[str, DecodedLogo | None] = {}  # read by the loader, not yet a surface
        self._missing: set[str] = set()  # no logo, or one that cannot be shown: a placeholder

    def add_decoded(self, decoded: dict[str, DecodedLogo | None]) -> None:
        """Logos decoded beforehand by a worker; each becomes a surface when first drawn."""
        self._decoded.update(decoded)

    def forget(self, exhibitor_ids: set[str]) -> None:
        """These exhibitors' logos changed (organizer mode read their packages again, or a version was published):
        drawn anew when next asked."""
        self.budget.drop(lambda key: key[0] == "logo" and key[1] in exhibitor_ids)
        for k in exhibitor_ids:
            self._decoded.pop(k, None)
        self._missing -= exhibitor_ids

    def get(self, exhibitor: Exhibitor, size: int) -> pygame.Surface:
        """The logo fitted into a size x size square, aspect kept."""
        size = max(1, int(size))
        return self.budget.get(("logo", exhibitor.exhibitor_id, size), lambda: self._make(exhibitor, size))

    def _make(self, exhibitor: Exhibitor, size: int) -> pygame.Surface:
        base = self._base(exhibitor) if size <= LOGO_MAX else self._surface(decode_logo(exhibitor, size))
        if base is None:
            return self.placeholder(exhibitor, size)
        w, h = base.get_size()
        scale = size / max(w, h)
        target = (max(1, round(w * scale)), max(1, round(h * scale)))
        surf = pygame.transform.smoothscale(base, target) if target != (w, h) else base.copy()
        return surf.convert_alpha() if pygame.display.get_surface() else surf

    def _base(self, exhibitor: Exhibitor) -> pygame.Surface | None:
        key = ("logo", exhibitor.exhibitor_id, 0)
        if exhibitor.exhibitor_id in self._missing:
            return None
        base = self.budget.find(key)
        if base is None:
            if exhibitor.exhibitor_id in self._decoded:
                decoded = self._decoded.pop(exhibitor.exhibitor_id)
            else:  # not read beforehand (an exhibitor added later), or dropped from the budget since: read it now
                decoded = decode_logo(exhibitor)
            base = self._surface(decoded)
            if base is None:
                self._missing.add(exhibitor.exhibitor_id)
                return None
            self.budget.put(key, base)
        return base

    @staticmethod
    def _surface(decoded: DecodedLogo | None) -> pygame.Surface | None:
        return None if decoded is None else pygame.image.frombytes(decoded[0], decoded[1], "RGBA")

    def placeholder(self, exhibitor: Exhibitor, size: int) -> pygame.Surface:
        surf = pygame.Surface((size, size), pygame.SRCALPHA)
        pygame.draw.rect(surf, brand_colour(exhibitor.exhibitor_id), surf.get_rect(), border_radius=size // 6)
        label = self.text.render(exhibitor.initials, max(1, size // 3), (255, 255, 255), bold=True)
        surf.blit(label, label.get_rect(center=(size // 2, size // 2)))
        return surf
