"""pygame-gui's fonts are read from their files: no copy of a font file's bytes is kept for each size and style."""

from __future__ import annotations

import pygame

from expo_hall.app import THEME
from expo_hall.gui_theme import UIManager


def test_fonts_are_loaded_from_their_files(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    pygame.init()
    try:
        pygame.display.set_mode((640, 480))
        ui = UIManager((640, 480), str(THEME), starting_language="ru")
        ui.preload_fonts([{"name": "noto_sans", "point_size": 22, "style": "bold"}])
        fonts = ui.get_theme().get_font_dictionary()
        assert all(isinstance(location, str) for styles in fonts.known_font_paths.values() for location, _ in styles)
        loaded = [r for r in fonts.loaded_fonts.values() if r.loaded_font is not None]
        assert len(loaded) >= 3 and all(isinstance(r.location, str) for r in loaded)
        text = fonts.find_font(22, "noto_sans", bold=True).render_premul("Привет", (0, 0, 0))
        assert text.get_width() > 40  # Cyrillic, from the file
    finally:
        pygame.quit()
