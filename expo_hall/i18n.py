"""Translations: our strings live in assets/i18n/expo_hall.<lang>.json, read by pygame-gui's i18n.

Keys are namespaced `expo_hall.<key>`. `tr` is for text we draw ourselves; pygame-gui elements
are given the keys and translate them on their own (and again when the language changes).

Placeholders (`%{name}`) are filled here, not by python-i18n: its `t(key, **values)` takes some value
names for itself (`key`, `locale`, `default`, `count`), and a value is any text, put in once and never
read again as a template.
"""

from __future__ import annotations

import re

from expo_hall import ASSETS_DIR

TRANSLATIONS_DIR = ASSETS_DIR / "i18n"
PLACEHOLDER = re.compile(r"%\{(\w+)\}")


def key(name: str) -> str:
    return f"expo_hall.{name}"


def fill(template: str, values: dict[str, object]) -> str:
    """The template with each `%{name}` it has a value for replaced by that value (others are kept)."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


def tr(name: str, /, **values: object) -> str:
    """The catalogue entry `name` in the interface's language, its placeholders filled from `values`."""
    from pygame_gui.core.utility import translate

    return fill(translate(key(name)), values)
