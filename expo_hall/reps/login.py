"""Signing in as a stand's representative by pasting the token the organizers gave (checked with GET /me)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UITextBox, UITextEntryLine, UIWindow

from expo_hall.backend import NET_EVENT
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.net import NetError, Offline
from expo_hall.reps.identity import TokenRefused, check_token, use_staff_token
from expo_hall.screens import WindowScreen
from expo_hall.server.schemas import MeOut
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

GAP = 10
BUTTON_H = 36


class LoginScreen(WindowScreen):
    """A token field and "Sign in"; says clearly when the token is refused (e.g. a wrong --token at start)."""

    def __init__(self, app: App, error: BaseException | None = None) -> None:
        super().__init__(app)
        self.refusal = error
        self.tag = ("reps.login", id(self))
        self.checking: str | None = None
        rect = window_rect(app.size, 620, 330)
        self.window = UIWindow(rect, app.ui, window_display_title=key("reps.login_title"),
                               object_id="#reps_login", resizable=False)
        iw, ih = self.window.get_container().get_size()
        self.intro = UITextBox(literal(tr("reps.login_intro")), pygame.Rect(GAP, GAP, iw - 2 * GAP, 80), app.ui,
                               container=self.window, object_id="#reps_login_intro")
        self.entry = UITextEntryLine(pygame.Rect(GAP, 80 + 2 * GAP, iw - 2 * GAP, BUTTON_H), app.ui,
                                     container=self.window, placeholder_text=key("reps.token_hint"))
        self.entry.set_text_hidden(True)
        self.entry.set_text_length_limit(500)
        self.status = UITextBox("", pygame.Rect(GAP, 80 + BUTTON_H + 3 * GAP, iw - 2 * GAP,
                                                ih - 80 - 2 * BUTTON_H - 5 * GAP), app.ui,
                                container=self.window, object_id="#reps_login_status")
        self.sign_in = UIButton(pygame.Rect(GAP, ih - GAP - BUTTON_H, 180, BUTTON_H), key("reps.sign_in"), app.ui,
                                container=self.window, object_id="#reps_sign_in")
        self.cancel = UIButton(pygame.Rect(iw - GAP - 150, ih - GAP - BUTTON_H, 150, BUTTON_H), key("reps.cancel"),
                               app.ui, container=self.window)
        if error is not None:
            self.say(str(error))

    def say(self, text: str) -> None:
        self.status.set_text(literal(text))

    def submit(self, token: str | None = None) -> bool:
        token = (self.entry.get_text() if token is None else token).strip()
        backend = self.app.backend
        if backend is None or self.checking is not None:
            return False
        if not token:
            self.say(str(TokenRefused("empty")))
            return False
        self.checking = token
        self.sign_in.disable()
        self.say(tr("reps.checking"))
        backend.network.call(self.tag, check_token, backend.network.client, token)
        return True

    def _checked(self, result: object) -> None:
        token, self.checking = self.checking, None
        self.sign_in.enable()
        if isinstance(result, MeOut) and token is not None:
            from expo_hall.reps.screen import RepresentativeScreen

            use_staff_token(self.app.backend, token, result)
            self.close()
            self.app.stack.push(RepresentativeScreen(self.app))
            return
        self.refusal = result if isinstance(result, BaseException) else None
        if isinstance(result, TokenRefused):
            self.say(str(result))
        elif isinstance(result, Offline):
            self.say(tr("reps.offline"))
        elif isinstance(result, NetError):
            self.say(tr("reps.check_failed", error=result))
        else:
            self.say(tr("reps.check_failed", error=result))

    def event(self, event: pygame.event.Event) -> None:
        super().event(event)
        if event.type == NET_EVENT and getattr(event, "tag", None) == self.tag:
            self._checked(event.result)
        elif event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.sign_in:
                self.submit()
            elif event.ui_element is self.cancel:
                self.close()
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry:
            self.submit()
