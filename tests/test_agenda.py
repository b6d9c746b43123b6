"""The visitor's agenda: the file it lives in, reminders that fire once, the .ics export, the agenda window."""

from __future__ import annotations

import datetime as dt
import json

import pygame
import pytest
from icalendar import Calendar

from expo_hall import system
from expo_hall.agenda.ics import PRODID, export_ics, uid
from expo_hall.agenda.reminders import Reminders
from expo_hall.agenda.screen import AgendaScreen, open_agenda
from expo_hall.agenda.store import Agenda, Entry, Key
from expo_hall.clock import Clock, parse_fair_time
from expo_hall.i18n import key
from tests.driver import shown_text

MSK = dt.timezone(dt.timedelta(hours=3))
T0 = dt.datetime(2020, 4, 27, 11, 0, tzinfo=MSK)


def entry(title: str = "Первый <b>вебинар</b> 🎓", starts: dt.datetime = T0, minutes: int = 60,
          url: str | None = "https://webinar.example/1", exhibitor_id: str = "alpha") -> Entry:
    return Entry(exhibitor_id, title, starts, minutes, url, exhibitor_name="ООО «Альфа-Обучение»")


# -- the clock ---------------------------------------------------------------------------------
def test_the_clock_is_real_by_default_and_can_be_frozen_set_and_moved():
    before = dt.datetime.now(dt.UTC)
    now = Clock().now()
    assert now.tzinfo is not None and before <= now <= dt.datetime.now(dt.UTC)
    clock = Clock.frozen_at(T0)
    assert clock.now() == T0 and clock.now() == clock.now()
    assert clock.advance(minutes=5) == T0 + dt.timedelta(minutes=5)
    clock.set(T0)
    assert clock.now() == T0
    with pytest.raises(ValueError):
        clock.set(dt.datetime(2020, 4, 27, 11, 0))  # no zone


def test_fair_time_runs_on_from_the_moment_it_is_set_to():
    ticks = iter([dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 1, 1, 0, 0, 7, tzinfo=dt.UTC)])
    clock = Clock(source=lambda: next(ticks))
    clock.set(T0)  # reads the real time once
    assert clock.now() == T0 + dt.timedelta(seconds=7)
    assert parse_fair_time("2020-04-27T10:55+03:00") == T0 - dt.timedelta(minutes=5)
    with pytest.raises(ValueError):
        parse_fair_time("2020-04-27T10:55")


# -- the agenda's file -------------------------------------------------------------------------
def test_the_agenda_persists_and_a_webinar_is_known_by_exhibitor_start_and_title(tmp_path):
    path = tmp_path / "deep" / "agenda.json"
    agenda = Agenda(path)
    assert agenda.entries() == [] and not path.exists()
    later = entry("Второй", T0 + dt.timedelta(days=1))
    assert agenda.add(later) and agenda.add(entry())
    assert not agenda.add(entry())  # the same webinar once
    same_moment = entry(starts=T0.astimezone(dt.UTC))
    assert same_moment.key == entry().key and not agenda.add(same_moment)
    assert agenda.add(entry(exhibitor_id="beta"))  # another exhibitor's, at the same time, same title
    again = Agenda(path)
    assert [e.title for e in again.entries()] == ["Первый <b>вебинар</b> 🎓", "Первый <b>вебинар</b> 🎓", "Второй"]
    assert again.entries()[0] == entry()
    assert again.remove(entry().key) and not again.remove(entry().key)
    assert len(Agenda(path)) == 2
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1


def test_an_unreadable_agenda_is_kept_aside_not_lost(tmp_path):
    path = tmp_path / "agenda.json"
    path.write_text("{not json", encoding="utf-8")
    agenda = Agenda(path)
    assert agenda.entries() == []
    agenda.add(entry())
    assert (tmp_path / "agenda.json.unreadable").read_text(encoding="utf-8") == "{not json"
    assert len(Agenda(path)) == 1


def test_a_failed_save_keeps_the_agenda_in_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    agenda = Agenda(blocker / "agenda.json")  # its folder cannot be made
    assert agenda.add(entry())
    assert agenda.save_error is not None and entry() in agenda


# -- reminders ---------------------------------------------------------------------------------
def test_a_reminder_fires_once_when_the_clock_passes_the_start_and_not_after_a_restart(tmp_path):
    path = tmp_path / "agenda.json"
    clock = Clock.frozen_at(T0 - dt.timedelta(minutes=5))
    agenda = Agenda(path)
    agenda.add(entry())
    agenda.add(entry("Второй", T0 + dt.timedelta(hours=2)))
    reminders = Reminders(agenda, clock)
    assert reminders.due() == []
    clock.advance(minutes=5)  # exactly the start
    assert [e.title for e in reminders.due()] == ["Первый <b>вебинар</b> 🎓"]
    assert reminders.due() == []
    clock.advance(minutes=10)
    assert reminders.due() == []
    restarted = Reminders(Agenda(path), clock)
    assert restarted.due() == []  # it fired, and the file says so
    clock.set(T0 + dt.timedelta(hours=2, seconds=1))
    assert [e.title for e in restarted.due()] == ["Второй"]


def test_a_run_started_during_a_webinar_tells_of_it_but_not_of_one_that_is_over(tmp_path):
    path = tmp_path / "agenda.json"
    agenda = Agenda(path)
    agenda.add(entry())
    agenda.add(entry("Вчерашний", T0 - dt.timedelta(days=1)))
    clock = Clock.frozen_at(T0 + dt.timedelta(minutes=20))  # the app was closed when it started
    assert [e.title for e in Reminders(Agenda(path), clock).due()] == ["Первый <b>вебинар</b> 🎓"]


def test_a_webinar_reminded_while_live_does_not_fire_in_that_run(tmp_path):
    agenda = Agenda(tmp_path / "agenda.json")
    clock = Clock.frozen_at(T0 + dt.timedelta(minutes=20))
    reminders = Reminders(agenda, clock)
    assert reminders.due() == []
    agenda.add(entry())
    clock.advance(seconds=1)
    assert reminders.due() == []


def test_removing_a_fired_reminder_forgets_that_it_fired(tmp_path):
    path = tmp_path / "agenda.json"
    agenda = Agenda(path)
    agenda.add(entry())
    clock = Clock.frozen_at(T0 + dt.timedelta(seconds=1))
    assert len(Reminders(agenda, clock).due()) == 1
    agenda.remove(entry())
    agenda.add(entry())
    assert not agenda.has_fired(entry().key)
    assert json.loads(path.read_text(encoding="utf-8"))["fired"] == []


def test_when_the_clock_goes_back_reminders_ahead_still_fire(tmp_path):
    agenda = Agenda(tmp_path / "agenda.json")
    agenda.add(entry())
    clock = Clock.frozen_at(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))  # real time, long after the fair
    reminders = Reminders(agenda, clock)
    assert reminders.due() == []
    clock.set(T0 - dt.timedelta(minutes=1))  # the fair-time demo mode
    assert reminders.due() == []
    clock.advance(minutes=2)
    assert len(reminders.due()) == 1


# -- the .ics export ---------------------------------------------------------------------------
def test_the_calendar_reads_back_with_uid_times_summary_url_and_an_alarm(tmp_path):
    first, second = entry(), entry("Второй", T0 + dt.timedelta(days=1), 45, url=None)
    now = dt.datetime(2020, 4, 26, 9, 30, tzinfo=dt.UTC)
    path = export_ics([first, second], tmp_path / "out" / "agenda.ics", now, names={"alpha": "Альфа <b>™</b>"})
    cal = Calendar.from_ical(path.read_bytes())
    assert str(cal["PRODID"]) == PRODID and str(cal["VERSION"]) == "2.0"
    events = cal.walk("VEVENT")
    assert len(events) == 2
    ev = events[0]
    assert str(ev["UID"]) == uid(first.key) and uid(first.key) != uid(second.key)
    assert ev.decoded("DTSTART") == T0 and ev.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert ev.decoded("DTEND") == T0 + dt.timedelta(minutes=60)
    assert ev.decoded("DTSTAMP") == now
    assert str(ev["SUMMARY"]) == "Первый <b>вебинар</b> 🎓"
    assert str(ev["URL"]) == "https://webinar.example/1" and str(ev["LOCATION"]) == "https://webinar.example/1"
    assert "Альфа <b>™</b>" in str(ev["DESCRIPTION"])
    [alarm] = ev.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == -dt.timedelta(minutes=10)
    assert "URL" not in events[1] and events[1].decoded("DTEND") == T0 + dt.timedelta(days=1, minutes=45)
    assert str(events[1]["DESCRIPTION"]) == "Альфа <b>™</b>"
    again = Calendar.from_ical(export_ics([first], tmp_path / "again.ics", now).read_bytes())
    [ev] = again.walk("VEVENT")
    assert str(ev["UID"]) == uid(first.key)  # stable: importing it again updates the event, not doubles it
    assert str(ev["DESCRIPTION"]) == "ООО «Альфа-Обучение»\nhttps://webinar.example/1"  # the name kept


def test_uids_depend_on_the_webinar_only():
    moved = Key.of("alpha", T0.astimezone(dt.UTC), "Первый")
    assert uid(Key.of("alpha", T0, "Первый")) == uid(moved)
    assert uid(Key.of("alpha", T0, "Второй")) != uid(moved)


# -- the agenda window -------------------------------------------------------------------------
@pytest.fixture
def agenda_app(make_app, tmp_path, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(system, "open_url", lambda url: calls.append(url) or True)
    d = make_app()
    d.app.time = Clock.frozen_at(T0 + dt.timedelta(minutes=10))
    d.app.agenda = Agenda(tmp_path / "data" / "agenda.json")
    d.app.agenda.add(entry("Второй <i>курс</i> 📚", T0 + dt.timedelta(days=1), url=None))
    d.app.agenda.add(entry())
    return d, calls


def test_the_agenda_window_lists_in_time_order_with_status_join_remove_and_export(agenda_app, tmp_path):
    d, calls = agenda_app
    screen = open_agenda(d.app, export_path=tmp_path / "export" / "agenda.ics")
    # The live webinar's "it has started" notice comes within a second; wait for it, so that every click
    # below is made with it up, always (it once came at a random moment and covered Remove).
    d.until(lambda: len(d.app.agenda_notifier.shown) == 1)
    assert d.app.stack.top is screen
    texts = [" ".join(shown_text(r.text).split()) for r in screen.rows]
    assert "Первый <b>вебинар</b> 🎓" in texts[0] and "Второй <i>курс</i> 📚" in texts[1]
    assert "ООО «Альфа-Обучение»" in texts[0]  # the exhibitor, as the expo names it
    assert [r.status for r in screen.rows] == ["live", "upcoming"]
    assert screen.rows[0].status_label.text == key("webinar.live")
    d.click(screen.rows[0].join_button.rect.center)
    assert calls == ["https://webinar.example/1"]
    assert not screen.rows[1].join_button.is_enabled
    d.click(screen.export_button.rect.center)
    assert screen.exported == tmp_path / "export" / "agenda.ics"
    assert len(Calendar.from_ical(screen.exported.read_bytes()).walk("VEVENT")) == 2
    assert str(screen.exported) in "".join(shown_text(screen.message).split())  # the visitor is told where
    d.click(screen.rows[0].action_button.rect.center)
    d.frames(2)
    assert [e.title for e in Agenda(d.app.agenda.path).entries()] == ["Второй <i>курс</i> 📚"]
    assert len(screen.rows) == 1
    d.click(screen.rows[0].action_button.rect.center)
    d.frames(2)
    assert screen.rows == [] and not screen.export_button.is_enabled
    d.press(pygame.K_ESCAPE)
    assert d.app.stack.top is d.hall


def test_the_agenda_window_follows_the_clock(agenda_app, tmp_path):
    d, _ = agenda_app
    screen = open_agenda(d.app, export_path=tmp_path / "agenda.ics")
    d.frames(2)
    assert screen.rows[0].status == "live"
    d.app.time.advance(minutes=60)
    d.until(lambda: screen.rows[0].status == "ended", max_frames=62)
    assert open_agenda(d.app) is screen and isinstance(d.app.stack.top, AgendaScreen)


# -- programme events in the same agenda -------------------------------------------------------
def test_a_bookmarked_event_is_reminded_n_minutes_before_and_exported_with_its_guid(tmp_path):
    from expo_hall.programme import load_programme
    from tests.programme.sample import OPENING, write_programme

    programme, _ = load_programme(write_programme(tmp_path / "programme"))
    event = next(e for e in programme.schedule.events if e.guid == OPENING)
    path = tmp_path / "agenda.json"
    agenda = Agenda(path)
    agenda.set_remind_before(10)
    assert agenda.toggle_event(Entry.of_event(programme, event))
    webinar = entry(starts=event.starts + dt.timedelta(hours=3))
    agenda.add(webinar)
    clock = Clock.frozen_at(event.starts - dt.timedelta(minutes=11))
    reminders = Reminders(agenda, clock)
    assert reminders.due() == []
    clock.advance(minutes=1)  # ten minutes before
    [due] = reminders.due()
    assert due.guid == OPENING and due.title == event.title
    again = Agenda(path)
    assert again.remind_before == 10 and again.bookmarked() == [OPENING] and again.has_fired(due.key)
    with pytest.raises(ValueError):
        again.set_remind_before(7)
    cal = Calendar.from_ical(export_ics(again.entries(), tmp_path / "a.ics", clock.now()).read_bytes())
    first, second = cal.walk("VEVENT")
    assert str(first["UID"]) == f"{OPENING}@expo-hall" and str(second["UID"]) == uid(webinar.key)
    assert event.room in str(first["LOCATION"])
    assert not again.toggle_event(Entry.of_event(programme, event)) and again.bookmarked() == []
