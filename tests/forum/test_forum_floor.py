"""The forum floor: written with the TMX writer from programme.toml's halls, read back as any floor with no problem
(the demo's, joined to the others by stairs, is in `expo-hall check`'s test of the demo), and walking into a hall
opens that hall's window: now, next, its day and its clusters' stand webinars."""

from __future__ import annotations

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
