"""A closed window's memory is given back by the loop itself (App.run_once, expo_hall.memory.release), not
whenever Python's full collection next runs: the window is garbage only once the events pygame-gui posted as it
closed (UI_WINDOW_CLOSE names it) have been handled."""

from __future__ import annotations

import gc
import time
import weakref

import pygame

from expo_hall.stands.stand_screen import StandScreen
from tests.test_idle import LIMIT, settle


def test_a_stand_window_closed_with_escape_is_freed_by_the_loop(make_app):
    d = make_app("--no-server")
    settle(d.app)
    hall = d.hall
    hall.open_stand(hall.floor.stands[0])
    settle(d.app)
    screen = d.app.stack.top
    assert isinstance(screen, StandScreen)
    window, screen_ref = weakref.ref(screen.window), weakref.ref(screen)
    del screen
    gc.disable()  # only the loop's own release may free the window's reference cycles
    try:
        d.key_down(pygame.K_ESCAPE)
        deadline = time.monotonic() + LIMIT
        while d.app.stack.top is not hall or d.app.wants_frame() or pygame.event.peek():
            d.app.run_once(max_wait=0.1)
            assert time.monotonic() < deadline, "the window did not close"
        d.app.run_once(max_wait=0.1)
        assert window() is None and screen_ref() is None
    finally:
        gc.enable()
