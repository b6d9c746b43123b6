"""Representatives' mode: a stand's representative (or an organizer) signs in with their token and gets the
stand's desk over the hall: the inbox of visitors' conversations, their available/away switch, the leads
visitors shared, and the stand's statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from expo_hall.reps.identity import STAFF_ROLES, TokenRefused, check_token, sign_in_with_token, staff_of

if TYPE_CHECKING:
    from expo_hall.app import App

__all__ = ["STAFF_ROLES", "TokenRefused", "check_token", "open_desk", "open_on_start", "sign_in_with_token",
           "staff_of"]


def open_desk(app: App):  # noqa: ANN201 - the RepresentativeScreen or the LoginScreen shown
    """The hall's top-bar button: the stand's desk when signed in as staff, else the window to paste a token."""
    from expo_hall.reps.login import LoginScreen
    from expo_hall.reps.screen import RepresentativeScreen

    if app.backend is None:
        return None
    for kind in (RepresentativeScreen, LoginScreen):
        screen = app.stack.find(kind)
        if screen is not None:
            return screen
    if staff_of(app.backend) is not None:
        return app.stack.push(RepresentativeScreen(app))
    return app.stack.push(LoginScreen(app, getattr(app.backend, "token_error", None)))


def open_on_start(app: App):  # noqa: ANN201
    """When the app was started with --token: the desk (a good token; a moderator's: the programme) or the login
    window saying why not."""
    backend = app.backend
    if backend is None or not getattr(app.settings, "token", None):
        return None
    me = getattr(backend, "me", None)
    if me is not None and me.role == "moderator":  # no stand: the programme, whose events' Q&A they moderate
        from expo_hall.forum.screen import open_programme

        return open_programme(app)
    return open_desk(app)
