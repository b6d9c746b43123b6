"""The programme window on the real app and its embedded server: the day's events with now and next at the app's
clock, filters and search, bookmarks in the one agenda (an overlap is warned of, the server gets them), a reminder
N minutes before a bookmarked event, and a cluster's stand webinars beside its events."""

from __future__ import annotations

import pygame
import pytest

from expo_hall.agenda.store import Agenda
from expo_hall.clock import Clock
from expo_hall.forum.screen import ALL, ProgrammeScreen
from expo_hall.i18n import key
from expo_hall.programme.timetable import Status
from tests.driver import shown_text
from tests.programme.sample import CAMPUS, DAY, EARLY, OPENING, TEACHER, at, write_programme


@pytest.fixture
def programme_app(make_app, expo_dirs):
    maps, stands = expo_dirs
    write_programme(maps.parent / "programme")
    with (stands / "epsilon" / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write('clusters = ["higher"]\n\n[[webinars]]\ntitle = "День открытых дверей"\n'
                 'starts = 2020-10-01T12:00:00+03:00\nduration_minutes = 30\nurl = "https://meet.example/eps"\n')
    d = make_app()
    d.wait_ready()
    d.app.time = Clock.frozen_at(at(10, 40))
    d.app.agenda = Agenda(maps.parent / "data" / "agenda.json")
    return d


def shown(screen: ProgrammeScreen) -> list[str]:
    return [e.guid for e in screen.row_events if e is not None]


def test_the_programme_window_lists_bookmarks_warns_reminds_and_tells_the_server(programme_app):
    d = programme_app
    d.hall.event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_f, mod=0, unicode="f"))  # the hotkey
    screen = d.app.stack.top
    assert isinstance(screen, ProgrammeScreen)
    d.until(lambda: screen.listing is not None)
    assert screen.day == DAY and shown(screen) == [EARLY, OPENING, CAMPUS, TEACHER]
    status = {e.guid: row.status for row, e in zip(screen.rows, screen.row_events, strict=True) if e}
    assert status == {EARLY: Status.ended, OPENING: Status.now, CAMPUS: Status.now, TEACHER: Status.next}

    screen.toggle_now_next()
    assert shown(screen) == [OPENING, CAMPUS, TEACHER]
    screen.toggle_now_next()
    screen.hall = "hall-2"
    screen.rebuild()
    assert shown(screen) == [CAMPUS]
    screen.hall, screen.query = ALL, "мария КИМ"  # a speaker
    screen.rebuild()
    assert shown(screen) == [OPENING, TEACHER]
    screen.query = ""

    # the higher-education cluster: its event and, beside it, the stand webinars tagged with it
    screen.cluster = "higher"
    screen.rebuild()
    assert shown(screen) == [CAMPUS]
    [webinar_row] = [r for r, e in zip(screen.rows, screen.row_events, strict=True)
                     if e is None and hasattr(r, "entry")]
    assert "День открытых дверей" in shown_text(webinar_row.text) and "Эпсилон" in shown_text(webinar_row.text)
    screen.cluster = ALL
    screen.rebuild()

    # bookmarks: the second overlaps the first, and says so
    events = {e.guid: e for e in screen.listing.events}
    assert screen.toggle(events[OPENING])
    assert screen.toggle(events[CAMPUS])
    assert "Открытие форума" in screen.message_html and "30" in screen.message_html
    assert screen.toggle(events[TEACHER])
    assert d.app.agenda.bookmarked() == [OPENING, CAMPUS, TEACHER]
    d.frames(2)
    row = screen.rows[screen.row_events.index(events[OPENING])]
    assert row.action_button.text == key("programme.unbookmark")

    # the server holds the same bookmarks (its calendar feed lists them)
    d.until(lambda: d.app.agenda_sync.sent == d.app.agenda.version)
    assert d.app.backend.network.client.bookmarks().events == [OPENING, CAMPUS, TEACHER]

    # a reminder five minutes before a bookmarked event, through the one notifier
    d.app.agenda.set_remind_before(5)
    d.app.time.set(at(10, 54))
    d.frames(3)
    notifier = d.app.agenda_notifier

    def told() -> list[str | None]:  # shown, or waiting for a place in the notice strip
        return [n.entry.guid for n in notifier.shown] + [e.guid for e in notifier.waiting]

    assert TEACHER not in told()
    d.app.time.set(at(10, 55))
    d.until(lambda: TEACHER in told())
    assert d.app.agenda.has_fired(d.app.agenda.event_entry(TEACHER).key)

    # joining a bookmarked event from the agenda opens its watch window (a webinar's room opens in the browser)
    from expo_hall.agenda.screen import open_agenda
    from expo_hall.forum.watch import WatchScreen

    assert open_agenda(d.app).join(d.app.agenda.event_entry(TEACHER))
    assert isinstance(d.app.stack.top, WatchScreen) and d.app.stack.top.talk.guid == TEACHER
