"""Materials: brochures and links, with their type and size."""

from __future__ import annotations

import pygame
from pygame_gui.elements import UITextBox

from expo_hall.i18n import tr
from expo_hall.stands.panels.base import Panel
from expo_hall.text import literal


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


class MaterialsPanel(Panel):
    tab = "materials"

    def build(self) -> None:
        lines = []
        for m in self.exhibitor.materials:
            title = literal(m.title_for(self.lang))
            if m.file is not None:
                kind = m.file.suffix.lstrip(".").upper() or "—"
                size = human_size(m.file.stat().st_size) if m.file.exists() else "?"
                lines.append(f"• <b>{title}</b> — {literal(kind)}, {literal(size)}")
            else:
                lines.append(f"• <b>{title}</b> — {literal(m.url or '')}")
        html = "<br>".join(lines) if lines else f"<i>{literal(tr('stand.no_materials'))}</i>"
        self.body = UITextBox(html, pygame.Rect((0, 0), self.size), self.app.ui, container=self.panel,
                              object_id="#stand_body")
