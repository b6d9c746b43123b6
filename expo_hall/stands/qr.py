"""QR codes (made by segno) as crisp pygame surfaces: a 1-pixel-per-module PNG scaled by a whole number."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    import segno

ERROR = "l"  # the lowest error correction (a screen is clean): the fewest modules; segno raises it
# further when that fits in the same version
BORDER = 4  # the quiet zone around the code, in modules (the standard asks for 4)
DARK, LIGHT = (0, 0, 0), (255, 255, 255)


def make_qr(text: str) -> segno.QRCode:
    """The QR code of a text (never a Micro QR: phones read those badly)."""
    import segno  # here, not at the top: 9 MB resident in every client that never shows a QR code otherwise

    return segno.make(text, error=ERROR, micro=False)


@dataclass(frozen=True)
class QrImage:
    code: segno.QRCode
    surface: pygame.Surface
    scale: int  # pixels per module
    border: int = BORDER

    @property
    def modules(self) -> int:
        """Modules across, without the quiet zone."""
        return self.code.symbol_size(scale=1, border=0)[0]

    def module_rect(self, row: int, col: int) -> pygame.Rect:
        """Where a module of the code is on the surface."""
        return pygame.Rect((col + self.border) * self.scale, (row + self.border) * self.scale, self.scale, self.scale)


def qr_image(text: str, max_side: int) -> QrImage:
    """The text's QR code as big as fits in max_side pixels with whole pixels per module (at least 1)."""
    code = make_qr(text)
    buf = io.BytesIO()
    code.save(buf, kind="png", scale=1, border=BORDER, dark=DARK, light=LIGHT)
    buf.seek(0)
    small = pygame.image.load(buf, "qr.png")
    plain = pygame.Surface(small.get_size())  # palette PNG -> an ordinary RGB surface
    plain.blit(small, (0, 0))
    scale = max(1, max_side // plain.get_width())
    surface = pygame.transform.scale(plain, (plain.get_width() * scale, plain.get_height() * scale))  # nearest
    return QrImage(code, surface, scale)
