"""Webinars: title, time in the visitor's time zone, and whether it is upcoming, live or over."""

from __future__ import annotations

import datetime as dt

import pygame
from pygame_gui.elements import UITextBox

from expo_hall.i18n import tr
from expo_hall.stands.package import Webinar
from expo_hall.stands.panels.base import Panel
from expo_hall.text import literal


def status(webinar: Webinar, now: dt.datetime) -> str:
    if now >= webinar.ends:
        return "ended"
    return "live" if now >= webinar.starts else "upcoming"


class WebinarsPanel(Panel):
    tab = "webinars"

    def build(self) -> None:
        self.body = UITextBox(self.html(dt.datetime.now(dt.UTC)), pygame.Rect((0, 0), self.size), self.app.ui,
                              container=self.panel, object_id="#stand_body")

    def html(self, now: dt.datetime) -> str:
        lines = []
        for w in self.exhibitor.webinars:
            local = w.starts.astimezone()
            when = f"{local:%d.%m.%Y %H:%M} ({local:%Z})"
            lines.append(f"• <b>{literal(w.title_for(self.lang))}</b><br>   {literal(when)}, "
                         f"{w.duration_minutes} {literal(tr('stand.minutes'))} — "
                         f"{literal(tr('webinar.' + status(w, now)))}")
        return "<br>".join(lines) if lines else f"<i>{literal(tr('stand.no_webinars'))}</i>"
