"""The operating system's edges: a URL in the browser (or mail / phone app), a file in its default app, the clipboard.

Everything else in the app reaches the system through these three functions, so tests can fake exactly them.
Each answers whether it worked and never raises: a desktop without a browser or a clipboard is not a crash.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import webbrowser
from pathlib import Path

log = logging.getLogger("expo_hall")


def open_url(url: str) -> bool:
    """Open an http(s):, mailto: or tel: URL with what the system has for it."""
    try:
        return bool(webbrowser.open(url))
    except (webbrowser.Error, OSError) as exc:
        log.warning("cannot open %s: %s", url, exc)
        return False


def open_path(path: Path | str) -> bool:
    """Open a file (or folder) with the system's default application for it, without waiting for it."""
    path = Path(path)
    if not path.exists():
        return False
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606 - Windows only
        else:
            opener = "open" if sys.platform == "darwin" else "xdg-open"
            subprocess.Popen([opener, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        log.warning("cannot open %s: %s", path, exc)
        return False
    return True


def copy_text(text: str) -> bool:
    """Put text on the clipboard (the display must be up)."""
    import pygame
    from pygame_gui.core.utility import clipboard_copy

    try:
        clipboard_copy(text)
    except (pygame.error, OSError, RuntimeError) as exc:
        log.warning("cannot copy to the clipboard: %s", exc)
        return False
    return True
