"""The stand's Webinars tab, driven through the real app loop: status by the clock, Join, Remind me, notices."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from expo_hall import system
from expo_hall.agenda.reminders import Reminders
from expo_hall.agenda.store import Agenda, Entry
from expo_hall.agenda.when import when_text
from expo_hall.clock import Clock
from expo_hall.i18n import key
from expo_hall.stands.stand_screen import StandScreen
from tests.driver import shown_text

MSK = dt.timezone(dt.timedelta(hours=3), "MSK")
FIRST = dt.datetime(2020, 4, 27, 11, 0, tzinfo=MSK)
ROOM = "https://webinar.example/room-1?a=1&b=2"
TITLE = "Программирование <b>для</b> детей 🚀 %{name}"
WEBINARS = f"""
[[webinars]]
title = "{TITLE}"
title_en = "Programming for kids"
starts = 2020-04-27T11:00:00+03:00
duration_minutes = 60
url = "{ROOM}"

[[webinars]]
title = "Без ссылки"
starts = 2020-04-28T15:00:00+03:00
duration_minutes = 45

[[webinars]]
title = "Ночной"
starts = 2020-04-29T16:30:00+03:00
duration_minutes = 90
url = "https://webinar.example/night"
"""


@pytest.fixture
def fair(expo_dirs, tmp_path):
    """alpha's stand with three webinars; a frozen test clock; the agenda in a temporary folder."""
    _, stands = expo_dirs
    with (stands / "alpha" / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write(WEBINARS)
    return Clock.frozen_at(FIRST - dt.timedelta(hours=1)), tmp_path / "data" / "agenda.json"


@pytest.fixture
def opened(fair):
    """Build the app on the stand's window; the panels pick up this clock and agenda."""
    clock, agenda_path = fair

    def build(make_app, *argv: str):  # noqa: ANN202
        d = make_app("--stand", "alpha", *argv)
        d.app.time = clock
        d.app.agenda = Agenda(agenda_path)
        stand = d.app.stack.top
        assert isinstance(stand, StandScreen)
        d.click(stand.tab_buttons["webinars"].rect.center)
        assert stand.tab == "webinars"
        return d, stand.panel

    return build


@pytest.fixture
def browser_calls(monkeypatch) -> list[str]:
    """The OS edge, faked: what would have been opened in the system browser."""
    calls: list[str] = []

    def fake_open(url: str) -> bool:
        calls.append(url)
        return True

    monkeypatch.setattr(system, "open_url", fake_open)
    return calls


def flat(text_box) -> str:  # noqa: ANN001
    """The text shown, its lines joined again (a long title wraps)."""
    return " ".join(shown_text(text_box).split())


def test_the_status_follows_the_clock_while_the_window_is_open(make_app, opened, fair):
    clock, _ = fair
    d, panel = opened(make_app)
    row = panel.rows[0]
    text, label = row.text, row.status_label
    assert row.status == "upcoming" and label.text == key("webinar.upcoming")
    clock.set(FIRST + dt.timedelta(seconds=30))
    assert d.until(lambda: row.status == "live", max_frames=62) <= 61  # looked at once a second
    assert label.text == key("webinar.live")
    assert [r.status for r in panel.rows] == ["live", "upcoming", "upcoming"]
    clock.set(FIRST + dt.timedelta(minutes=60))
    d.until(lambda: row.status == "ended", max_frames=62)
    assert label.text == key("webinar.ended")
    assert row.text is text and row.status_label is label  # the row was not rebuilt
    assert not row.action_button.is_enabled  # no reminders for what is over
    assert row.join_button.is_enabled  # the room's URL stays reachable


def test_titles_stay_literal_and_times_are_in_the_local_time_zone(make_app, opened, monkeypatch):
    with monkeypatch.context() as mp:
        mp.setenv("TZ", "VLA-10")  # POSIX: a zone called VLA, ten hours east of UTC
        time.tzset()
        try:
            d, panel = opened(make_app)
            first, _, night = (flat(r.text) for r in panel.rows)
        finally:
            mp.undo()
            time.tzset()
    assert TITLE in first  # tags, emoji and %{} are shown as written
    assert "27.04.2020, 18:00–19:00 (VLA, UTC+10:00)" in first
    assert "29.04.2020 23:30 – 30.04.2020 01:00 (VLA, UTC+10:00)" in night  # past midnight there


def test_when_text_names_the_zone_by_its_offset_when_it_has_no_name():
    from zoneinfo import ZoneInfo

    ends = FIRST + dt.timedelta(minutes=60)
    assert when_text(FIRST, ends, ZoneInfo("Asia/Vladivostok")) == "27.04.2020, 18:00–19:00 (UTC+10:00)"
    assert when_text(FIRST, ends, ZoneInfo("Europe/Moscow")) == "27.04.2020, 11:00–12:00 (MSK, UTC+03:00)"
    assert when_text(FIRST, ends, dt.UTC) == "27.04.2020, 08:00–09:00 (UTC)"
    assert when_text(FIRST, ends, ZoneInfo("America/St_Johns")).endswith("(NDT, UTC-02:30)")


def test_remind_me_puts_the_webinar_in_the_agenda_and_it_stays_there(make_app, opened, fair):
    _, agenda_path = fair
    d, panel = opened(make_app)
    button = panel.rows[0].action_button
    assert button.text == key("webinar.remind")
    d.click(button.rect.center)
    assert button.text == key("webinar.unremind")
    again = Agenda(agenda_path)  # a new run reads the file
    [entry] = again.entries()
    assert (entry.exhibitor_id, entry.title, entry.starts, entry.duration_minutes, entry.url) == (
        "alpha", TITLE, FIRST, 60, ROOM)
    assert entry.exhibitor_name == "ООО «Альфа-Обучение»"
    d.click(button.rect.center)
    assert button.text == key("webinar.remind")
    assert Agenda(agenda_path).entries() == []


def test_join_opens_the_room_in_the_browser_also_before_it_starts(make_app, opened, browser_calls):
    d, panel = opened(make_app)
    first, no_url, _ = panel.rows
    assert first.status == "upcoming" and first.join_button.is_enabled
    d.click(first.join_button.rect.center)
    assert browser_calls == [ROOM]
    assert not no_url.join_button.is_enabled
    d.click(no_url.join_button.rect.center)
    assert browser_calls == [ROOM]


def test_a_reminder_fires_once_over_the_open_stand_and_offers_join(make_app, opened, fair, browser_calls):
    clock, agenda_path = fair
    d, panel = opened(make_app)
    notifier = d.app.agenda_notifier
    d.click(panel.rows[0].action_button.rect.center)
    d.frames(90)
    assert notifier.shown == []  # not yet
    clock.set(FIRST + dt.timedelta(seconds=5))
    d.frames(90)
    [note] = notifier.shown
    assert note.entry.title == TITLE and TITLE in flat(note.text)
    assert isinstance(d.app.stack.top, StandScreen)  # shown over the stand's window, which stays open
    stack = d.app.ui.get_window_stack().get_full_stack()
    assert stack.index(note.window) > stack.index(d.app.stack.top.window)
    d.frames(180)
    assert len(notifier.shown) == 1  # once
    assert Agenda(agenda_path).has_fired(Entry.of(panel.exhibitor, panel.exhibitor.webinars[0]).key)
    assert Reminders(Agenda(agenda_path), clock).due() == []  # nor again after a restart
    d.click(note.join_button.rect.center)
    assert browser_calls == [ROOM]
    d.frames(2)
    assert notifier.shown == [] and not note.open


def test_a_notice_goes_when_its_webinar_ends(make_app, opened, fair):
    clock, _ = fair
    d, panel = opened(make_app)
    notifier = d.app.agenda_notifier
    d.click(panel.rows[0].action_button.rect.center)
    clock.set(FIRST + dt.timedelta(minutes=1))
    d.frames(70)
    [note] = notifier.shown
    clock.set(FIRST + dt.timedelta(minutes=61))
    d.frames(70)
    assert notifier.shown == [] and not note.open


def test_a_stand_without_webinars_says_so(make_app, fair):
    d = make_app("--stand", "beta")
    stand = d.app.stack.top
    d.app.agenda = Agenda(Path(fair[1]))
    d.click(stand.tab_buttons["webinars"].rect.center)
    assert stand.panel.rows == []
    assert "Вебинары не запланированы" in shown_text(stand.panel.body)
    assert not os.path.exists(fair[1])  # looking writes nothing
