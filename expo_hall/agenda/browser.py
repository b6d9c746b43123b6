"""Joining a webinar: its room's URL goes to the system browser through expo_hall.system, the OS edge.

`system.open_url` is looked up at each call, so a test that replaces it records the calls.
"""

from __future__ import annotations

from expo_hall import system


def join(url: str | None) -> bool:
    """Open a webinar's room in the browser; False when there is no URL or the system could not."""
    if not url:
        return False
    return system.open_url(url)
