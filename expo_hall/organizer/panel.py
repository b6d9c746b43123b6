"""Organizer mode's findings panel: what `check` finds, in the user's language; a finding with a place on the
floors is a link (the camera goes there), one without (a folder, an unplaced package) is plain text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
from pygame_gui.elements import UITextBox

from expo_hall.i18n import tr
from expo_hall.layout import BAR_H
from expo_hall.problems import Problem, Severity
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App
    from expo_hall.organizer.places import Spot

WIDTH = 430
SHOWN_NOTES = 20  # notes beyond these are counted, not listed: `expo-hall check` lists them all
FEW = 4  # up to this many findings the panel is as tall as they need; more take the height there is, scrolled
COLOURS = {Severity.ERROR: "#E04848", Severity.WARNING: "#E8A020", Severity.INFO: "#7A8496"}


def findings_html(findings: list[Problem], spots: list[Spot | None]) -> tuple[str, dict[str, Spot]]:
    """The panel's text, and the place behind each link (`spots`: each finding's)."""
    counts = {s: sum(p.severity is s for p in findings) for s in Severity}
    lines = [f"<b>{literal(tr('organizer.panel'))}</b> · "
             + literal(tr("organizer.summary", errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING],
                          notes=counts[Severity.INFO])),
             f"<i>{literal(tr('organizer.legend'))}</i>"]
    if not findings:
        lines.append(literal(tr("organizer.none")))
    links: dict[str, Spot] = {}
    notes = 0
    for n, (found, spot) in enumerate(zip(findings, spots, strict=True)):
        if found.severity is Severity.INFO:
            notes += 1
            if notes > SHOWN_NOTES:
                continue
        label = f"<font color={COLOURS[found.severity]}><b>{literal(tr('preview.severity.' + found.severity.value))}"
        file, obj = found.place(tr)
        where = literal(f"{file}: {obj}" if obj else file)
        if spot is not None:  # the link is the place only: short, so it keeps to one line
            links[str(n)] = spot  # (pygame-gui takes a click on the last line of a wrapped link only)
            where = f"<a href='{n}'>{where}</a>"
        fix = found.fix(tr)
        lines.append(f"{label}</b></font> {where}: {literal(found.message(tr))}"
                     + (f" <i>— {literal(fix)}</i>" if fix else ""))
    if notes > SHOWN_NOTES:
        lines.append(f"<i>{literal(tr('organizer.more', count=notes - SHOWN_NOTES))}</i>")
    return "<br><br>".join(lines), links


class FindingsPanel:
    """A text box along the right edge, between the top bar and the minimap."""

    def __init__(self, app: App, bottom: int) -> None:
        self.app = app
        self.box: UITextBox | None = None
        self.links: dict[str, Spot] = {}
        self.bottom = bottom
        self._shown: tuple[list[Problem], list[Spot | None]] | None = None

    @property
    def rect(self) -> pygame.Rect:
        w, _ = self.app.size
        top = BAR_H + 8
        return pygame.Rect(w - min(WIDTH, w // 2) - 12, top, min(WIDTH, w // 2), max(160, self.bottom - 8 - top))

    def show(self, findings: list[Problem], spots: list[Spot | None], again: bool = False) -> None:
        """List the findings: as tall as they need, at most down to the minimap (then it scrolls). Laying the
        text out is the slow part (pygame-gui: about 0.1 s for 40 findings), so the same list is not laid out
        again unless `again` (the window's size changed)."""
        if self.box is not None and not again and self._shown == (findings, spots):
            return
        self.kill()
        self._shown = (findings, spots)
        html, self.links = findings_html(findings, spots)
        most = self.rect
        if len(findings) <= FEW:
            self.box = UITextBox(html, pygame.Rect(most.topleft, (most.width, -1)), self.app.ui,
                                 object_id="#findings")
            if self.box.rect.height <= most.height:
                return
            self.box.kill()
        self.box = UITextBox(html, most, self.app.ui, object_id="#findings")

    def kill(self) -> None:
        if self.box is not None:
            self.box.kill()
            self.box = None

    def contains(self, pos: tuple[int, int]) -> bool:
        return self.box is not None and self.box.rect.collidepoint(pos)
