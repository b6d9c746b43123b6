"""How big a logo is drawn where visitors see it: plain numbers and geometry, no pygame.

The views draw with these (the stand window, the hover card, the floor renderer), and the content checks
judge a logo by them (expo_hall/stands/validate.py): a logo too small for the largest place is enlarged and
blurred, a very wide one is fitted into a square on its stand and its lettering becomes too low to read.
"""

from __future__ import annotations

STAND_WINDOW_LOGO = 112  # the square the stand window draws the logo in: the largest place
HOVER_LOGO = 72  # the card shown while the pointer rests on a stand
STANDARD_STAND = (128, 96)  # floor pixels: the usual stand of the demo's floors (and the smallest wide one)
FLOOR_ZOOM = 1.0  # the hall's default zoom
NUMBER_SIZE = (30, 18)  # a stand number such as "E-01" in 13 px bold, as drawn at the default zoom


def number_font(zoom: float) -> int:
    """The stand number's font size at this zoom."""
    return max(8, round(13 * zoom))


def band(zoom: float) -> int:
    """The height of the coloured band along a stand's top."""
    return max(3, int(6 * zoom))


def stand_inner(box_w: int, box_h: int, zoom: float) -> tuple[int, int, int, int]:
    """(x, y, w, h) of the space for the logo and the number inside a stand drawn as a box of box_w x box_h px
    (relative to the box), under the coloured band along its top."""
    return 3, band(zoom) + 2, box_w - 6, box_h - band(zoom) - 4


def stand_box(stand_w: float, stand_h: float, zoom: float) -> tuple[int, int]:
    """The size a stand of stand_w x stand_h floor pixels is drawn at: its rectangle, less a margin."""
    margin = max(2, int(4 * zoom))
    return round(stand_w * zoom) - margin, round(stand_h * zoom) - margin


def logo_square(inner_w: int, inner_h: int, number: tuple[int, int]) -> tuple[int, bool]:
    """The side of the square a logo is fitted into inside a stand, and whether the stand is wide and low (the
    logo on the left, the number beside it) rather than the logo above the number."""
    if inner_w >= inner_h * 1.6:
        return min(inner_h, inner_w - number[0] - 6), True
    return min(inner_w - 4, inner_h - number[1] - 2), False


def fitted(size: tuple[int, int], square: int) -> tuple[int, int]:
    """A picture of `size` fitted into a square (aspect kept), as LogoCache.get draws it."""
    w, h = size
    scale = square / max(w, h, 1)
    return max(1, round(w * scale)), max(1, round(h * scale))


def on_standard_stand(size: tuple[int, int]) -> tuple[int, int]:
    """The size a logo of `size` pixels is drawn at on a standard stand at the hall's default zoom."""
    x, y, w, h = stand_inner(*stand_box(*STANDARD_STAND, FLOOR_ZOOM), FLOOR_ZOOM)
    return fitted(size, logo_square(w, h, NUMBER_SIZE)[0])
