"""Fonts and rendered text, cached: the same words are rendered once, not every frame."""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Callable
from importlib import resources

import pygame

Color = tuple[int, int, int]


def font_path(bold: bool = False) -> str:
    """Noto Sans as bundled with pygame-gui: it covers Latin and Cyrillic."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return str(resources.files("pygame_gui.data") / name)


def literal(text: str) -> str:
    """Text for pygame-gui's HTML-reading text boxes, shown exactly as written, never as markup."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def shortened(text: str, width: int, measure: Callable[[str], int]) -> str:
    """`text` as it fits `width` pixels: whole, or cut at a word (else a letter) and ended with "…"."""
    if measure(text) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest start that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    if " " in cut.strip() and lo < len(text) and text[lo] != " ":
        cut = cut[:cut.rstrip().rfind(" ")]
    return cut.rstrip(" ,.;:–—-") + "…"


class TextCache:
    def __init__(self, capacity: int = 2048) -> None:
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._surfaces: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self.capacity = capacity

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        f = self._fonts.get((size, bold))
        if f is None:
            f = self._fonts[(size, bold)] = pygame.font.Font(font_path(bold), size)
        return f

    def render(self, text: str, size: int, color: Color, bold: bool = False) -> pygame.Surface:
        k = (text, size, color, bold)
        surf = self._surfaces.get(k)
        if surf is None:
            surf = self.font(size, bold).render(text, True, color)
            self._surfaces[k] = surf
            if len(self._surfaces) > self.capacity:
                self._surfaces.popitem(last=False)
        else:
            self._surfaces.move_to_end(k)
        return surf

    def wrap(self, text: str, size: int, width: int, bold: bool = False, max_lines: int = 3) -> list[str]:
        """Break text into lines no wider than `width`; the last kept line ends with … if cut."""
        font = self.font(size, bold)
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if font.size(candidate)[0] <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                while font.size(word)[0] > width and len(word) > 1:  # a word wider than the line
                    cut = len(word)
                    while cut > 1 and font.size(word[:cut])[0] > width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                line = word
            lines.append(line)
        if len(lines) > max_lines:
            last = lines[max_lines - 1]
            while last and font.size(last + "…")[0] > width:
                last = last[:-1]
            lines = lines[: max_lines - 1] + [last.rstrip() + "…"]
        return lines
