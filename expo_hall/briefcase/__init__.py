"""The visitor's briefcase: materials, saved contacts and shared contacts, in one folder with an index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from expo_hall.briefcase.model import KINDS, Briefcase, Item

if TYPE_CHECKING:
    from expo_hall.app import App

__all__ = ["KINDS", "Briefcase", "Item", "briefcase_of"]


def briefcase_of(app: App) -> Briefcase:
    """The app's briefcase (`app.briefcase`); one in the user's data folder if the app has none yet."""
    briefcase = getattr(app, "briefcase", None)
    if briefcase is None:
        briefcase = app.briefcase = Briefcase()
    return briefcase
