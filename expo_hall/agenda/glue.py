"""Where the agenda meets the loaded expo: exhibitors' names and webinars' current room links."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from expo_hall.app import App


def exhibitor_names(app: App) -> dict[str, str]:
    """The exhibitors' names in the visitor's language, as the loaded expo has them."""
    expo = app.expo
    if expo is None:
        return {}
    return {ex_id: ex.name_for(app.lang) for ex_id, ex in expo.exhibitors.items()}


def current_url(app: App, entry) -> str | None:  # noqa: ANN001 - an Entry
    """The room's URL as the stand has it now (it may have changed since the reminder), else as kept."""
    expo = app.expo
    exhibitor = expo.exhibitors.get(entry.exhibitor_id) if expo is not None else None
    if exhibitor is not None:
        for webinar in exhibitor.webinars:
            if webinar.title == entry.title and webinar.starts == entry.starts and webinar.url:
                return webinar.url
    return entry.url
