"""Where the agenda meets the loaded expo: exhibitors' names, webinars' current room links, and joining an entry
(a webinar's room in the browser; a programme event's watch window, its stream beside its Q&A)."""

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


def join(app: App, entry) -> bool:  # noqa: ANN001 - an Entry
    """Join what the entry is: a programme event the app's programme lists opens its watch window; anything else
    (a webinar, an event the programme does not list now) opens its room's URL in the browser."""
    from expo_hall.agenda import browser

    event = next((e for e in app.programme.events if e.guid == entry.guid), None) if entry.guid and app.programme \
        else None
    if event is not None:
        from expo_hall.forum.watch import open_watch

        open_watch(app, event)
        return True
    return browser.join(current_url(app, entry))
