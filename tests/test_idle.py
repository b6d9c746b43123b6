"""Idle is idle: the real app loop (App.run_once) draws a frame only when something moves or happens."""

from __future__ import annotations

import threading
import time

import pygame

from expo_hall.backend import post_result
from expo_hall.net import STATUS, ConnectionStatus

LIMIT = 30.0  # seconds: a generous wall-clock limit, never a timing assertion


def settle(app, seconds: float = LIMIT) -> None:  # noqa: ANN001
    """Run the loop until nothing moves and no timer is pending (the first frames, the GUI's own rebuilds)."""
    deadline = time.monotonic() + seconds
    while app.wants_frame() or app.next_wakeup() is not None:
        app.run_once(max_wait=0.5)
        assert time.monotonic() < deadline, "the app never came to rest"


def idle_frames(app, ms: int) -> int:  # noqa: ANN001
    """Frames drawn while the app's own clock runs `ms` milliseconds with no input."""
    before, start = app.frames, pygame.time.get_ticks()
    while pygame.time.get_ticks() - start < ms:
        app.run_once(max_wait=0.1)
    return app.frames - before


def later(action) -> threading.Thread:  # noqa: ANN001
    """Do `action` from another thread, as the network's workers do, once the loop has started waiting."""
    thread = threading.Thread(target=lambda: (time.sleep(0.2), action()), daemon=True)
    thread.start()
    return thread


def test_nothing_is_drawn_while_nothing_moves(make_app):
    d = make_app("--no-server")
    settle(d.app)
    assert idle_frames(d.app, 1500) == 0
    assert not d.app.run_once(max_wait=0.05)


def test_a_network_event_from_another_thread_wakes_the_loop_and_draws(make_app):
    d = make_app("--no-server")
    settle(d.app)
    before = d.app.frames
    later(lambda: post_result(STATUS, ConnectionStatus(online=False, reason="test")))
    started = time.monotonic()
    while d.app.net_status is None:  # no timer is pending: only the event can end this wait
        d.app.run_once(max_wait=LIMIT)
        assert time.monotonic() - started < LIMIT
    assert d.app.net_status.online is False
    assert d.app.frames == before + 1


def test_a_key_wakes_the_loop_and_walking_draws_every_frame(make_app):
    d = make_app("--no-server")
    settle(d.app)
    hall = d.app.hall
    hall.routes.dwell.seconds = 0.3  # the walk may end at A-1's front: its visit's 5 s timer is not tested here
    start = hall.visitor.pos
    later(lambda: pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_d, mod=0, unicode="",
                                                       scancode=0)))
    assert d.app.run_once(max_wait=LIMIT)  # woken by the key (no timer pending), one frame
    assert d.app.input.direction() == (1, 0)
    seen = []
    for _ in range(30):  # held: every turn of the loop is a frame, and the avatar moves in each
        assert d.app.run_once(max_wait=0.0)
        seen.append(hall.visitor.x)
    assert all(b > a for a, b in zip([start[0], *seen], seen, strict=False))
    d.key_up(pygame.K_d)
    settle(d.app)
    assert idle_frames(d.app, 300) == 0


def test_a_walk_to_a_clicked_spot_draws_every_frame_until_it_arrives(make_app):
    d = make_app("--no-server")
    settle(d.app)
    hall = d.app.hall
    d.post(pygame.MOUSEBUTTONDOWN, pos=d.on_screen(300, 320), button=1, touch=False)
    d.post(pygame.MOUSEBUTTONUP, pos=d.on_screen(300, 320), button=1, touch=False)
    assert d.app.run_once(max_wait=LIMIT)
    assert hall.visitor.walking
    frames = d.app.frames
    turns = 0
    while hall.visitor.walking:
        assert d.app.run_once(max_wait=0.0)
        turns += 1
        assert turns < 2000
    assert d.app.frames == frames + turns
    assert hall.visitor.pos == (300, 320)


def test_a_timer_wakes_the_loop_when_it_is_due_and_draws_once(make_app, monkeypatch):
    from expo_hall.floors import hall_screen

    monkeypatch.setattr(hall_screen, "TOAST_SECONDS", 1.3)  # the rule is 4 s; the mechanism is what is tested
    d = make_app("--no-server")
    settle(d.app)
    hall = d.app.hall
    d.click(d.on_screen(848, 64))  # A-9 is out of reach: a toast says so, and goes after a while
    assert hall.toast
    wakeup = d.app.next_wakeup()
    assert wakeup is not None and wakeup > 1.0
    before, started = d.app.frames, time.monotonic()
    while hall.toast:
        d.app.run_once(max_wait=LIMIT)
        assert time.monotonic() - started < LIMIT
    assert time.monotonic() - started >= wakeup - 0.05  # not before it was due
    assert d.app.frames - before <= 2  # the frame that takes the toast away (and at most one more)
    assert d.app.frames > before
    settle(d.app)
    assert idle_frames(d.app, 300) == 0


def test_a_focused_text_field_wakes_the_loop_to_blink_its_cursor_and_no_more(make_app):
    d = make_app("--no-server")
    settle(d.app)
    search = d.app.hall.search
    d.click(search.rect.center)
    assert search.is_focused
    states, before, start = set(), d.app.frames, pygame.time.get_ticks()
    while pygame.time.get_ticks() - start < 2500:
        d.app.run_once(max_wait=0.1)
        states.add(search.cursor_on)
    assert states == {True, False}  # it blinked
    assert 2 <= d.app.frames - before <= 30  # a few frames for the blinks, not 150


def rests(app, ms: int = 1000) -> int:  # noqa: ANN001
    """Run the loop until nothing moves, then the frames drawn over `ms` of the app's clock with no input."""
    deadline = time.monotonic() + LIMIT
    while app.wants_frame():
        app.run_once(max_wait=0.5)
        assert time.monotonic() < deadline, f"{app.stack.top} never came to rest"
    return idle_frames(app, ms)


def test_every_window_and_tab_of_the_demo_comes_to_rest(make_app):
    """No window keeps the loop drawing: each tab of a stand (video played to its end), the agenda, the briefcase.
    A few frames may come from timers and the network (the chat asks for the representatives' status)."""
    from expo_hall import ASSETS_DIR
    from expo_hall.agenda.screen import open_agenda
    from expo_hall.briefcase.screen import open_briefcase

    d = make_app(maps=ASSETS_DIR.parent / "maps", stands=ASSETS_DIR / "stands")
    app = d.app
    assert rests(app) <= 2
    app.hall.open_stand(app.expo.place_of("kamerton"))
    stand = app.stack.top
    for tab in [p.tab for p in stand.panel_classes]:
        stand.show_tab(tab)
        assert rests(app) <= 3, tab
    app.stack.pop(stand)
    for open_window in (open_agenda, open_briefcase):
        window = open_window(app)
        assert rests(app) <= 2, window
        app.stack.pop(window)


def test_standing_at_a_stand_wakes_the_idle_loop_when_the_visit_counts(make_app):
    """Nothing moves while a visitor stands at a stand's front, yet the stand must count as visited after the
    dwell time: the route's dwell is a timer the loop wakes for."""
    d = make_app("--no-server", "--route", "alpha")
    settle(d.app)
    d.hall.routes.dwell.seconds = 0.3  # the rule is 5 s; the mechanism is what is tested
    front = d.hall.visitor.nav.fronts["A-1"]
    d.hall.visitor.x, d.hall.visitor.y = front.x, front.y
    d.frames(1)  # the last step of a walk that ends at the front
    started = time.monotonic()
    while "alpha" not in d.app.route.visited:
        d.app.run_once(max_wait=LIMIT)  # no input comes: only the dwell's timer ends a wait
        assert time.monotonic() - started < LIMIT
    assert d.app.route.visited["alpha"].how == "dwell"


def test_the_loading_screen_draws_when_its_bar_moves_and_not_between(make_app):
    """While the expo loads, the loop draws when the loader's progress moves (an event) and sleeps between: a frame
    drawn for nothing takes the GIL from the loader's thread."""
    from expo_hall.loading import LoadingScreen

    d = make_app("--no-server")
    settle(d.app)
    halfway, end = threading.Event(), threading.Event()

    def job(progress):  # noqa: ANN001, ANN202 - a loader that moves when the test says
        halfway.wait(LIMIT)
        progress.fraction = 0.5
        end.wait(LIMIT)
        raise RuntimeError("the test's loader ends here")

    screen = LoadingScreen(d.app, job)
    d.app.stack.push(screen)
    deadline = time.monotonic() + LIMIT
    while d.app.wants_frame():  # its first frame
        d.app.run_once(max_wait=0.1)
        assert time.monotonic() < deadline
    assert idle_frames(d.app, 600) == 0  # the bar stands still: nothing drawn
    before = d.app.frames
    halfway.set()
    while d.app.frames == before:
        d.app.run_once(max_wait=0.1)
        assert time.monotonic() < deadline, "the bar's move was never drawn"
    assert idle_frames(d.app, 300) == 0
    end.set()
    while screen.error is None:  # the loader's failure comes as an event: the screen says it
        d.app.run_once(max_wait=0.1)
        assert time.monotonic() < deadline
    screen.leave()
    d.app.stack.pop(screen)
