"""Bar and line charts drawn with pygame into a surface that is kept until the data or the size changes.

No plotting library: a handful of bars with axes and labels is a few dozen lines of pygame, while matplotlib
would add tens of megabytes, seconds of import and its own fonts (Cyrillic included or not) for the same
picture. The geometry (`ChartLayout`) is computed apart from the drawing, so tests can check that each bar is
as long as its value says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pygame

from expo_hall.text import TextCache

Kind = Literal["bars", "line", "hbars"]
BACKGROUND = (250, 250, 247)
AXIS = (90, 94, 102)
GRID = (222, 224, 228)
TEXT = (40, 44, 52)
COLOURS = {"bars": (46, 116, 181), "line": (214, 106, 38), "hbars": (58, 150, 110)}
TITLE_SIZE, LABEL_SIZE = 15, 12
PAD = 8
TICKS = 4  # horizontal grid lines above zero, at most


@dataclass(frozen=True)
class Chart:
    """What to draw: one value per label; `kind` is vertical bars, a line with points, or horizontal bars (for
    long labels such as material titles)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[int, ...]
    kind: Kind = "bars"
    empty_text: str = ""


def nice_scale(peak: int) -> tuple[int, int]:
    """The top of the value axis and its step: round numbers with at most TICKS steps, the top >= `peak`."""
    if peak <= 0:
        return 1, 1
    raw = peak / TICKS
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return step * math.ceil(peak / step), step


@dataclass
class ChartLayout:
    """Where everything goes in a `size` picture: the plot area, the value axis' ticks, and a rectangle per bar
    (or a point per value for a line). A value v is drawn v / top of the plot's height (or width)."""

    chart: Chart
    size: tuple[int, int]
    text: TextCache

    def __post_init__(self) -> None:
        w, h = self.size
        chart = self.chart
        self.top, self.step = nice_scale(max(chart.values, default=0))
        self.ticks = list(range(0, self.top + 1, self.step))
        label_font = self.text.font(LABEL_SIZE)
        title_h = self.text.font(TITLE_SIZE, bold=True).get_linesize() + PAD
        tick_w = max(label_font.size(str(t))[0] for t in self.ticks) + PAD
        line = label_font.get_linesize()
        if chart.kind == "hbars":
            names_w = min(w // 3, max((label_font.size(s)[0] for s in chart.labels), default=0) + PAD)
            self.plot = pygame.Rect(PAD + names_w, title_h + PAD, w - 2 * PAD - names_w - tick_w // 2,
                                    h - title_h - 2 * PAD - line - 4)
        else:
            self.plot = pygame.Rect(PAD + tick_w, title_h + PAD, w - 2 * PAD - tick_w, h - title_h - 2 * PAD - line - 4)
        self.plot.width, self.plot.height = max(1, self.plot.width), max(1, self.plot.height)
        self.bars: list[pygame.Rect] = []
        self.points: list[tuple[int, int]] = []
        n = len(chart.values)
        if n == 0:
            return
        p = self.plot
        if chart.kind == "hbars":
            slot = p.height / n
            for i, v in enumerate(chart.values):
                thick = min(28, max(2, round(slot * 0.7)))
                length = round(p.width * v / self.top)
                self.bars.append(pygame.Rect(p.left, round(p.top + i * slot + (slot - thick) / 2), length, thick))
            return
        slot = p.width / n
        for i, v in enumerate(chart.values):
            height = round(p.height * v / self.top)
            if chart.kind == "line":
                self.points.append((round(p.left + (i + 0.5) * slot), p.bottom - height))
            else:
                width = min(60, max(1, round(slot * 0.7)))
                self.bars.append(pygame.Rect(round(p.left + i * slot + (slot - width) / 2), p.bottom - height,
                                             width, height))

    def label_step(self) -> int:
        """Show every k-th label along the bottom so that they do not overlap."""
        if not self.chart.labels:
            return 1
        font = self.text.font(LABEL_SIZE)
        widest = max(font.size(s)[0] for s in self.chart.labels) + 6
        slot = self.plot.width / len(self.chart.labels)
        return max(1, math.ceil(widest / max(slot, 1)))


def draw_chart(chart: Chart, size: tuple[int, int], text: TextCache) -> tuple[pygame.Surface, ChartLayout]:
    layout = ChartLayout(chart, size, text)
    surface = pygame.Surface(size)
    surface.fill(BACKGROUND)
    title = text.render(chart.title, TITLE_SIZE, TEXT, bold=True)
    surface.blit(title, (PAD, PAD // 2))
    p = layout.plot
    colour = COLOURS[chart.kind]
    font_h = text.font(LABEL_SIZE).get_linesize()
    for t in layout.ticks:  # the value axis: grid lines with their numbers
        if chart.kind == "hbars":
            x = p.left + round(p.width * t / layout.top)
            pygame.draw.line(surface, GRID, (x, p.top), (x, p.bottom))
            label = text.render(str(t), LABEL_SIZE, AXIS)
            surface.blit(label, (min(x - label.get_width() // 2, size[0] - label.get_width() - 2), p.bottom + 3))
        else:
            y = p.bottom - round(p.height * t / layout.top)
            pygame.draw.line(surface, GRID, (p.left, y), (p.right, y))
            label = text.render(str(t), LABEL_SIZE, AXIS)
            surface.blit(label, (p.left - label.get_width() - 4, y - font_h // 2))
    if chart.kind == "hbars":
        for bar, name, value in zip(layout.bars, chart.labels, chart.values, strict=True):
            pygame.draw.rect(surface, colour, bar)
            label = text.render(_fit(text, name, p.left - 2 * PAD), LABEL_SIZE, TEXT)
            surface.blit(label, (PAD, bar.centery - font_h // 2))
            count = text.render(str(value), LABEL_SIZE, TEXT)
            if bar.right + 4 + count.get_width() <= size[0]:
                surface.blit(count, (bar.right + 4, bar.centery - font_h // 2))
    else:
        if chart.kind == "line" and len(layout.points) > 1:
            pygame.draw.lines(surface, colour, False, layout.points, 2)
        for point in layout.points:
            pygame.draw.circle(surface, colour, point, 3)
        for bar in layout.bars:
            pygame.draw.rect(surface, colour, bar)
        step = layout.label_step()
        slot = p.width / max(1, len(chart.labels))
        for i in range(0, len(chart.labels), step):
            label = text.render(chart.labels[i], LABEL_SIZE, AXIS)
            x = round(p.left + (i + 0.5) * slot - label.get_width() / 2)
            surface.blit(label, (max(0, min(x, size[0] - label.get_width())), p.bottom + 3))
    pygame.draw.line(surface, AXIS, p.bottomleft, p.bottomright)
    pygame.draw.line(surface, AXIS, p.topleft, p.bottomleft)
    if not chart.values or not any(chart.values):
        note = text.render(chart.empty_text, LABEL_SIZE, AXIS)
        surface.blit(note, note.get_rect(center=p.center))
    return surface, layout


def _fit(text: TextCache, label: str, width: int) -> str:
    font = text.font(LABEL_SIZE)
    if font.size(label)[0] <= width:
        return label
    while label and font.size(label + "…")[0] > width:
        label = label[:-1]
    return label + "…"


class ChartCache:
    """Each chart's picture, drawn again only when its data or size changes."""

    def __init__(self, text: TextCache) -> None:
        self.text = text
        self._drawn: dict[str, tuple[Chart, tuple[int, int], pygame.Surface, ChartLayout]] = {}
        self.draws = 0

    def get(self, name: str, chart: Chart, size: tuple[int, int]) -> tuple[pygame.Surface, ChartLayout]:
        kept = self._drawn.get(name)
        if kept is not None and kept[0] == chart and kept[1] == size:
            return kept[2], kept[3]
        surface, layout = draw_chart(chart, size, self.text)
        self.draws += 1
        self._drawn[name] = (chart, size, surface, layout)
        return surface, layout
