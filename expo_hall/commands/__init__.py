"""The `expo-hall` subcommands (`expo-hall check ...`): one module each, with `main(argv) -> exit code`.

They call the world (floors, stands, routes), never the screens, except `preview`, which opens the stand
window. A module added here is a subcommand: `expo_hall/__main__.py` finds it by name.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

Command = Callable[[list[str]], int]


def names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def find(name: str) -> Command | None:
    """The subcommand's `main`, or None when there is no such subcommand."""
    if name not in names():
        return None
    return importlib.import_module(f"{__name__}.{name}").main
