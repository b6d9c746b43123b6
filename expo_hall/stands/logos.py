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
from expo_hall.text import TextCache

log = logging.getLogger("expo_hall")
LOGO_MAX = 256  # logos are kept at most this big; the largest drawn is smaller

DecodedLogo = tuple[bytes, tuple[int, int]]  # RGBA pixels and size


def decode_logo(exhibitor: Exhibitor) -> DecodedLogo | None:
    """Read and shrink a logo with Pillow: plain Python, safe in a worker thread."""
    if exhibitor.logo is None:
        return None
    try:
        rgba = images.fit(exhibitor.logo, (LOGO_MAX, LOGO_MAX), images.LOGO_FORMATS)
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
    def __init__(self, text: TextCache) -> None:
        self.text = text
        self._base: dict[str, pygame.Surface] = {}
        self._scaled: dict[tuple[str, int], pygame.Surface] = {}
        self._decoded: dict[str, DecodedLogo | None] = {}

    def add_decoded(self, decoded: dict[str, DecodedLogo | None]) -> None:
        """Logos decoded beforehand by a worker; each becomes a surface when first drawn."""
        self._decoded.update(decoded)

    def forget(self, exhibitor_id: str) -> None:
        """Drop the exhibitor's logo (it changed): the next draw reads it again."""
        self._base.pop(exhibitor_id, None)
        self._decoded.pop(exhibitor_id, None)
        for k in [k for k in self._scaled if k[0] == exhibitor_id]:
            del self._scaled[k]

    def base(self, exhibitor: Exhibitor) -> pygame.Surface:
        surf = self._base.get(exhibitor.exhibitor_id)
        if surf is None:
            surf = self._decode(exhibitor) or self.placeholder(exhibitor, 256)
            self._base[exhibitor.exhibitor_id] = surf
        return surf

    def get(self, exhibitor: Exhibitor, size: int) -> pygame.Surface:
        """The logo fitted into a size x size square, aspect kept."""
        size = max(1, int(size))
        k = (exhibitor.exhibitor_id, size)
        surf = self._scaled.get(k)
        if surf is None:
            base = self.base(exhibitor)
            w, h = base.get_size()
            scale = size / max(w, h)
            target = (max(1, round(w * scale)), max(1, round(h * scale)))
            surf = pygame.transform.smoothscale(base, target) if target != (w, h) else base
            self._scaled[k] = surf
        return surf

    def _decode(self, exhibitor: Exhibitor) -> pygame.Surface | None:
        if exhibitor.exhibitor_id in self._decoded:
            decoded = self._decoded.pop(exhibitor.exhibitor_id)
        else:  # not read beforehand (an exhibitor added later): read it now
            decoded = decode_logo(exhibitor)
        if decoded is None:
            return None
        surf = pygame.image.frombytes(decoded[0], decoded[1], "RGBA")
        return surf.convert_alpha() if pygame.display.get_surface() else surf

    def placeholder(self, exhibitor: Exhibitor, size: int) -> pygame.Surface:
        surf = pygame.Surface((size, size), pygame.SRCALPHA)
        pygame.draw.rect(surf, brand_colour(exhibitor.exhibitor_id), surf.get_rect(), border_radius=size // 6)
        label = self.text.render(exhibitor.initials, size // 3, (255, 255, 255), bold=True)
        surf.blit(label, label.get_rect(center=(size // 2, size // 2)))
        return surf
