"""Translations: our strings live in assets/i18n/expo_hall.<lang>.json, read by pygame-gui's i18n.

Keys are namespaced `expo_hall.<key>`. `tr` is for text we draw ourselves; pygame-gui elements
are given the keys and translate them on their own (and again when the language changes).
"""

from __future__ import annotations

from expo_hall import ASSETS_DIR

TRANSLATIONS_DIR = ASSETS_DIR / "i18n"


def key(name: str) -> str:
    return f"expo_hall.{name}"


def tr(name: str, /, **values: object) -> str:
    from pygame_gui.core.utility import translate

    return translate(key(name), **values)
