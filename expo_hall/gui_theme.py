"""pygame-gui's manager with a theme whose cache of theming ids stays small.

pygame-gui 0.6.14 keys that cache (`UIAppearanceTheme.unique_theming_ids`) by a string made with nested
`str.join`, which grows with the product of the id lists' lengths: megabytes for one element deep inside a stand
window, and every key is kept. On the demo's tour (benchmarks/hall.py, rss) the keys held about 32 MB. Here the
cache is keyed by the ids themselves, and pygame-gui's own one is emptied after each new entry.
"""

from __future__ import annotations

import io
import os

import pygame_gui
from pygame_gui.core import UIAppearanceTheme

Ids = list[str | None] | list[str] | None


class CompactTheme(UIAppearanceTheme):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._combined: dict[tuple[tuple[str | None, ...] | None, ...], list[str]] = {}

    def build_all_combined_ids(self, element_base_ids: Ids, element_ids: Ids, class_ids: Ids,
                               object_ids: Ids) -> list[str]:
        key = tuple(None if ids is None else tuple(ids) for ids in (element_base_ids, element_ids, class_ids,
                                                                     object_ids))
        found = self._combined.get(key)
        if found is None:
            found = super().build_all_combined_ids(element_base_ids, element_ids, class_ids, object_ids)
            self._combined[key] = found
            self.unique_theming_ids.clear()  # its key is the huge string
        return found


class UIManager(pygame_gui.UIManager):
    def create_new_theme(self, theme_path: str | os.PathLike | io.StringIO | dict | None = None) -> CompactTheme:
        theme = CompactTheme(self.resource_loader, self._locale)
        if theme_path is not None:
            theme.load_theme(theme_path)
        return theme
