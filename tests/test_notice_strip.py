"""Reminders ("a webinar is starting") stay on top of everything, so they have a strip of their own along the
bottom that no window reaches: whatever is open when they come, its buttons stay clickable."""

from __future__ import annotations

import datetime as dt

import pygame
import pytest
from pygame_gui.elements import UIWindow

from expo_hall.agenda.screen import open_agenda
from expo_hall.agenda.store import Agenda, Entry
from expo_hall.briefcase.screen import open_briefcase
from expo_hall.clock import Clock
from expo_hall.notices import NoticeScreen
from expo_hall.reps import open_desk
from expo_hall.stands.lead_dialog import open_lead_dialog

MSK = dt.timezone(dt.timedelta(hours=3))
T0 = dt.datetime(2020, 4, 27, 11, 0, tzinfo=MSK)


def with_reminders(d, tmp_path, count: int = 3):  # noqa: ANN001, ANN201
    """`count` reminded webinars that have just started: their notices come up as they would at the fair."""
    d.app.time = Clock.frozen_at(T0 + dt.timedelta(minutes=1))
    d.app.agenda = Agenda(tmp_path / "reminded.json")
    for i in range(count):
        d.app.agenda.add(Entry("alpha", f"Вебинар {i} с очень длинным названием, которое не помещается в строку",
                               T0, 60, "https://webinar.example/1", exhibitor_name="ООО «Альфа-Обучение»"))
    notifier = d.app.agenda_notifier
    d.until(lambda: bool(notifier.shown) and len(notifier.shown) + len(notifier.waiting) == count)
    return notifier


def controls(element) -> list[pygame.Rect]:  # noqa: ANN001
    """Where an element and everything in it are drawn (its container's elements, all the way down): a window's
    frame without its shadow, its title bar and close button, every element inside."""
    if not element.visible:
        return []
    found = [element.rect.inflate(-2 * element.shadow_width, -2 * element.shadow_width)
             if isinstance(element, UIWindow) else element.rect]
    for part in ("title_bar", "close_window_button"):
        if getattr(element, part, None) is not None:
            found += controls(getattr(element, part))
    container = element.get_container() if hasattr(element, "get_container") else None
    for child in getattr(container, "elements", []) if container is not None else []:
        found += controls(child)
    return found


OPENERS = {
    "agenda": lambda d: open_agenda(d.app),
    "briefcase": lambda d: open_briefcase(d.app),
    "stand": lambda d: d.hall.open_stand(d.hall.floor.stand("A-1")) or d.app.stack.top,
    "lead": lambda d: open_lead_dialog(d.app, d.app.expo.exhibitors["alpha"]),
    "desk_sign_in": lambda d: open_desk(d.app),
    "problems": lambda d: d.app.stack.push(NoticeScreen(d.app, "Проблемы", "строка<br>" * 40)),
}


@pytest.mark.parametrize("size", ["800x560", "1280x800", "1600x1000"])
def test_a_notice_never_covers_the_controls_of_the_window_beneath(make_app, tmp_path, size):
    d = make_app("--window", size)
    notifier = with_reminders(d, tmp_path)
    notices = [note.window.rect for note in notifier.shown]
    for name, opener in OPENERS.items():
        screen = opener(d)
        d.frames(2)
        assert d.app.stack.top is screen, name
        beneath = controls(screen.window)
        assert len(beneath) > 2, name
        for note in notices:
            assert [c for c in beneath if note.colliderect(c)] == [], (name, note)
        screen.close()
        d.frames(2)
        assert d.app.stack.top is d.hall
    assert len(notifier.shown) == {"800x560": 1, "1280x800": 2, "1600x1000": 3}[size]
    window = d.app.window.get_rect()
    assert all(window.contains(r) for r in notices), (window, notices)  # each whole, side by side
    assert not any(a.colliderect(b) for i, a in enumerate(notices) for b in notices[i + 1:])
    hall = [*controls(d.hall.bar), d.hall.minimap.rect]  # the hall's own: its bar and the minimap
    assert not any(n.colliderect(c) for n in notices for c in hall)


def test_a_click_on_a_windows_button_reaches_it_while_notices_are_up(make_app, tmp_path):
    d = make_app("--window", "800x560")  # the smallest window: the least room
    with_reminders(d, tmp_path)
    screen = open_agenda(d.app)
    d.frames(2)
    buttons = [screen.export_button, *(row.action_button for row in screen.rows)]
    lowest = max((b for b in buttons if screen.window.get_container().get_rect().contains(b.rect)),
                 key=lambda b: b.rect.bottom)  # the button nearest to the notices
    d.click(lowest.rect.center)
    d.frames(2)
    assert screen.exported is not None if lowest is screen.export_button else len(d.app.agenda.entries()) == 2


def test_notices_wait_for_room_when_the_window_narrows_and_come_back(make_app, tmp_path):
    d = make_app("--window", "1600x1000")
    notifier = with_reminders(d, tmp_path)
    assert len(notifier.shown) == 3
    d.app.window = pygame.display.set_mode((800, 560), pygame.RESIZABLE)  # as the window manager would
    d.post(pygame.VIDEORESIZE, size=(800, 560), w=800, h=560)
    d.frames(2)
    assert notifier.room == 1 and len(notifier.shown) == 1 and len(notifier.waiting) == 2
    assert d.app.window.get_rect().contains(notifier.shown[0].window.rect)
    notifier.shown[0].close()
    d.frames(2)
    assert len(notifier.shown) == 1 and len(notifier.waiting) == 1  # the next one takes its place
