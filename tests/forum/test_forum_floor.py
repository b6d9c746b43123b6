"""The forum floor: written with the TMX writer from programme.toml's halls, read back as any floor with no problem
(the demo's, joined to the others by stairs, is in `expo-hall check`'s test of the demo), and walking into a hall
opens that hall's window: now, next, its day and its clusters' stand webinars."""

from __future__ import annotations

import datetime as dt

from expo_hall.clock import Clock
from expo_hall.floors.tiled import load_floor
from expo_hall.forum.floor import FLOOR_ID, hall_spots, write_forum_floor
from expo_hall.forum.screen import ProgrammeScreen
from expo_hall.programme import load_programme
from tests.programme.sample import CAMPUS, OPENING, TEACHER, at, write_programme


def test_walking_into_a_hall_of_the_forum_floor_opens_it(make_app, expo_dirs):
    maps, stands = expo_dirs
    programme, _ = load_programme(write_programme(maps.parent / "programme"))
    path = write_forum_floor(programme, maps, 3, None, "main")
    floor, problems = load_floor(path)
    assert problems == []
    spots = hall_spots(floor, {"hall-1", "hall-2"})
    assert [s.hall for s in spots] == ["hall-1", "hall-2"]

    d = make_app("--floor", FLOOR_ID)
    d.wait_ready()
    d.app.time = Clock.frozen_at(at(10, 40))
    d.until(lambda: d.app.programme is not None)
    hall_1 = spots[0]
    d.settle()
    d.click(d.on_screen(hall_1.x, hall_1.y))
    d.until(lambda: isinstance(d.app.stack.top, ProgrammeScreen))
    screen = d.app.stack.top
    d.until(lambda: screen.listing is not None)
    assert screen.opened_on == "hall-1" and "Зал 1" in screen.window.window_display_title
    assert [e.guid for e in screen.row_events if e is not None][-2:] == [OPENING, TEACHER]
    assert CAMPUS not in [e.guid for e in screen.row_events if e is not None]  # another hall's
    assert "Открытие форума" in screen.message_html and "Учитель в цифровой среде" in screen.message_html


def test_each_hall_says_what_is_on_at_the_fair_clock_and_the_idle_loop_wakes_when_that_changes(make_app, expo_dirs):
    maps, _ = expo_dirs
    programme, _ = load_programme(write_programme(maps.parent / "programme"))
    write_forum_floor(programme, maps, 3, None, "main")
    d = make_app("--floor", FLOOR_ID)
    d.wait_ready()
    d.until(lambda: d.app.programme is not None)
    halls, spots = d.hall.forum, d.hall.forum.spots(d.hall.floor)

    def lines(hour: int, minute: int = 0) -> dict[str, str]:
        d.app.time = Clock.frozen_at(at(hour, minute))
        d.frames(1)  # drawn: the labels follow the clock
        return {h: ("● " if line.live else "") + line.text for h, line in halls.lines.items()}

    d.app.time = Clock.frozen_at(at(9, 30) - dt.timedelta(days=1))  # the day before: its date too
    d.frames(1)
    assert halls.lines["hall-1"].text == f"Далее {at(8):%d.%m} 08:00 · Утренний эфир"
    assert lines(9, 30) == {"hall-1": "Далее 10:00 · Открытие форума",
                            "hall-2": "Далее 10:30 · Университет без кампуса"}
    assert d.hall.next_wakeup() == 30 * 60  # 10:00: the opening starts
    assert lines(10, 40) == {"hall-1": "● В эфире: Открытие форума", "hall-2": "● В эфире: Университет без кампуса"}
    assert d.hall.next_wakeup() == 20 * 60  # 11:00: it ends, the next starts
    assert lines(11, 45) == {"hall-1": "● В эфире: Учитель в цифровой среде",
                             "hall-2": "В этом зале больше нет событий"}
    assert d.hall.next_wakeup() == 15 * 60
    assert lines(12, 30)["hall-1"] == "В этом зале больше нет событий" and d.hall.next_wakeup() is None  # all over

    d.app.ui.set_locale("en")  # the same in English, titles included
    d.app.lang = "en"
    try:
        assert lines(9, 30) == {"hall-1": "Next 10:00 · Forum opening",
                                "hall-2": "Next 10:30 · A university without a campus"}
        assert lines(11, 45) == {"hall-1": "● Live: The teacher online", "hall-2": "No more events in this hall"}
    finally:
        d.app.ui.set_locale("ru")
        d.app.lang = "ru"
    label = halls.label(spots[0], d.hall.camera)  # drawn once per change, fitted to its hall
    assert halls.label(spots[0], d.hall.camera) is label and label.get_width() <= spots[0].width * d.hall.camera.zoom
