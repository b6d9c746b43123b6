"""pygame-gui's manager with a theme whose cache of theming ids stays small, and whose fonts are read from their
files.

pygame-gui 0.6.14 keys that cache (`UIAppearanceTheme.unique_theming_ids`) by a string made with nested
`str.join`, which grows with the product of the id lists' lengths: megabytes for one element deep inside a stand
window, and every key is kept. On the demo's tour (benchmarks/hall.py, rss) the keys held about 32 MB. Here the
cache is keyed by the ids themselves, and pygame-gui's own one is emptied after each new entry.

Its own fonts (Noto Sans, shipped inside pygame_gui.data) it loads from a copy of the file's bytes for each size and
style: about 600 KB a font, some 9 MB for the sizes we use. Named by their path instead, each is read from the file
as SDL_ttf needs it, and no copy is kept.
"""

from __future__ import annotations

import io
import os
from importlib import resources
from typing import Any

import pygame_gui
from pygame_gui.core import UIAppearanceTheme
from pygame_gui.core.package_resource import PackageResource

Ids = list[str | None] | list[str] | None


def on_disk(location: Any) -> Any:  # noqa: ANN401 - pygame-gui's own union of location kinds
    """A font packaged with pygame-gui as the path of its file, when it is a file (an installed package); else as
    it was."""
    if not isinstance(location, PackageResource):
        return location
    try:
        path = resources.files(location.package) / location.resource
        return str(path) if isinstance(path, os.PathLike) and os.path.isfile(path) else location
    except (ModuleNotFoundError, OSError):
        return location


class CompactTheme(UIAppearanceTheme):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._combined: dict[tuple[tuple[str | None, ...] | None, ...], list[str]] = {}

    def _load_default_theme_file(self) -> None:
        """(Called once the font dictionary is made, before any theme names a font.) Its fonts by their files."""
        fonts = self.font_dict
        load_default = fonts._load_default_font

        def load_default_from_disk(font: Any) -> None:  # noqa: ANN401 - a locale's default font (set_locale)
            load_default(font)
            _fonts_from_disk(fonts)

        fonts._load_default_font = load_default_from_disk
        _fonts_from_disk(fonts)
        super()._load_default_theme_file()

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


def _fonts_from_disk(fonts: Any) -> None:  # noqa: ANN401 - pygame-gui's UIFontDictionary
    """The dictionary's known fonts named by their files; those already loaded from bytes loaded again so."""
    for name, styles in fonts.known_font_paths.items():
        fonts.known_font_paths[name] = [(on_disk(location), forced) for location, forced in styles]
    for resource in fonts.loaded_fonts.values():
        path = on_disk(resource.location)
        if path is not resource.location and resource.loaded_font is not None:
            resource.location = path
            resource.load()
