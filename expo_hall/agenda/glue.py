"""Where the agenda meets the app: the app's clock and agenda, whether or not App made them yet.

App is to own `app.time` (a Clock) and `app.agenda` (an Agenda); until it does, the first one to ask
gets defaults attached here (real time, the agenda in the user's data folder).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expo_hall.agenda.store import Agenda
from expo_hall.clock import Clock

if TYPE_CHECKING:
    from expo_hall.app import App


def clock_of(app: App) -> Clock:
    clock = getattr(app, "time", None)
    if not isinstance(clock, Clock):
        clock = Clock()
        app.time = clock  # type: ignore[attr-defined]
    return clock


def agenda_of(app: App) -> Agenda:
    agenda = getattr(app, "agenda", None)
    if not isinstance(agenda, Agenda):
        agenda = Agenda()
        app.agenda = agenda  # type: ignore[attr-defined]
    return agenda


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
