"""When the app draws: every frame while something moves, otherwise only when something happened.

The app asks its screens (`Screen.wants_frame`, `Screen.next_wakeup`) and pygame-gui (`gui_wants_frame`,
`gui_next_wakeup`, read from its elements: it has no public "dirty" flag) whether the next frame is needed;
when none is, it waits in `wait_for_events` until an event arrives or the next timer is due.

pygame-ce's own `pygame.event.wait(timeout)` polls the queue every millisecond (a few % of a core on its own);
this wait sleeps on a threading.Event instead, which `post` sets, so the network's results wake it at once,
and looks at the window's input every INPUT_POLL seconds (less than a frame at 60 Hz).
"""

from __future__ import annotations

import threading
import time

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIHorizontalScrollBar, UITextEntryBox, UITextEntryLine, UIVerticalScrollBar

INPUT_POLL = 0.01  # seconds between two looks at the window's input while idle
_woken = threading.Event()


def post(event: pygame.event.Event) -> None:
    """Put an event on pygame's queue and wake the idle wait (safe from any thread)."""
    pygame.event.post(event)
    _woken.set()


def wait_for_events(timeout: float | None) -> list[pygame.event.Event]:
    """The events that arrived within `timeout` seconds (None: however long it takes); [] when none did."""
    deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
    while True:
        events = pygame.event.get()
        if events:
            return events
        left = INPUT_POLL if deadline is None else deadline - time.monotonic()
        if left <= 0:
            return []
        if _woken.wait(min(INPUT_POLL, left)):
            _woken.clear()


def soonest(*delays: float | None) -> float | None:
    """The smallest of the delays that are known (None when none is)."""
    known = [d for d in delays if d is not None]
    return min(known) if known else None


# -- pygame-gui's own needs -------------------------------------------------------------------------------------------
def gui_wants_frame(ui: pygame_gui.UIManager) -> bool:
    """True while an element animates: a shape redraws its states or blends between them, a list scrolls
    towards where the wheel sent it, a held arrow button keeps scrolling."""
    for element in ui.get_sprite_group().sprites():
        shape = getattr(element, "drawable_shape", None)
        if shape is not None and (shape.states_to_redraw_queue or shape.need_to_clean_up
                                  or shape.active_state.transition is not None):
            return True
        if isinstance(element, UIButton) and element.held:
            return True
        if isinstance(element, UIVerticalScrollBar | UIHorizontalScrollBar) and _scrolling(element):
            return True
    return False


def _scrolling(bar: UIVerticalScrollBar | UIHorizontalScrollBar) -> bool:
    """The bar glides towards its target (which the wheel may have sent past the end: only the reachable part)."""
    if bar.scroll_wheel_moved:
        return True
    if bar.sliding_button is None:
        return False
    if isinstance(bar, UIVerticalScrollBar):
        low, high = bar.top_limit, bar.bottom_limit - bar.sliding_button.relative_rect.height
    else:
        low, high = bar.left_limit, bar.right_limit - bar.sliding_button.relative_rect.width
    target = min(max(bar.target_scroll_position, low), high)
    return abs(target - bar.scroll_position) > 0.01


def gui_next_wakeup(ui: pygame_gui.UIManager) -> float | None:
    """Seconds until pygame-gui changes something on its own: the focused text field's cursor blinks,
    a hovered element's tooltip appears, a resized shape is rebuilt."""
    wakeups: list[float] = []
    for element in ui.get_focus_set() or ():
        if isinstance(element, UITextEntryLine | UITextEntryBox) and element.is_focused:
            if element.cursor_blink_delay_after_moving_acc <= element.cursor_blink_delay_after_moving:
                wakeups.append(element.cursor_blink_delay_after_moving - element.cursor_blink_delay_after_moving_acc)
            else:
                wakeups.append(element.blink_cursor_time - element.blink_cursor_time_acc)
    for element in ui.get_sprite_group().sprites():
        if getattr(element, "hovered", False) and element.tool_tip is None and element.tool_tip_text is not None:
            wakeups.append(element.tool_tip_delay - element.hover_time)
        shape = getattr(element, "drawable_shape", None)
        if shape is not None and shape.should_trigger_full_rebuild:
            wakeups.append(shape.full_rebuild_countdown)
    return max(0.0, min(wakeups)) if wakeups else None
