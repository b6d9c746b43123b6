"""Drive the real app loop with synthetic pygame events, as a person at the keyboard would."""

from __future__ import annotations

import time
from collections.abc import Callable

import pygame

from expo_hall import frames as frames_module
from expo_hall.app import App

DT = 1 / 60
WAIT_IDLE = 0.01  # seconds asleep between two frames while nothing moves (an event wakes it sooner)
WAIT_WITH_TIMER = 0.001  # the same while a timer of the app is pending (it advances by frames)
WAIT_LOADING = 0.05  # the same while the expo loads (the loader's result wakes it)


class Driver:
    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def hall(self):  # noqa: ANN201
        return self.app.hall

    def post(self, kind: int, **attrs: object) -> None:
        pygame.event.post(pygame.event.Event(kind, attrs))

    def frames(self, n: int = 1, dt: float = DT) -> None:
        for _ in range(n):
            self.app.step(dt)

    def until(self, condition: Callable[[], bool], max_frames: int = 900, min_seconds: float = 15.0) -> int:
        """Run frames until the condition holds. Network answers come from other threads in wall time, so it
        gives up only after both `max_frames` frames and `min_seconds` seconds (frames are quick here).
        Between two frames it waits for those threads when nothing on screen moves (`between_frames`)."""
        start = time.monotonic()
        n = 0
        while not condition():
            elapsed = time.monotonic() - start
            if n >= max_frames and elapsed >= min_seconds:
                raise AssertionError(f"condition not met after {n} frames and {elapsed:.1f} s")
            self.app.step(DT)
            n += 1
            self.between_frames()
        return n

    def between_frames(self) -> None:
        """While something moves, the next frame at once (the condition may wait for the movement). Otherwise
        what the condition waits for comes from another thread (the network's workers, the embedded server, a
        loader): sleep, as the app's idle loop does, until such a thread posts its result (frames.post wakes
        this) or a little while has passed, rather than drawing frames that hold the interpreter's lock those
        threads need. A pending timer of the app (counted in frames' time) gets only a short sleep."""
        if self.app.wants_frame():
            return
        woken = frames_module._woken  # noqa: SLF001 - the idle loop's own wake-up, set by frames.post
        if woken.wait(WAIT_WITH_TIMER if self.app.next_wakeup() is not None else WAIT_IDLE):
            woken.clear()

    def wait_ready(self, seconds: float = 60.0) -> None:
        """Run frames until the expo has loaded (the loader works in a thread: this waits in wall time, asleep
        between frames until the loader posts its result; the loading screen's bar is drawn a few times)."""
        deadline = time.monotonic() + seconds
        woken = frames_module._woken  # noqa: SLF001
        while not self.app.ready:
            self.app.step(DT)
            loading = self.app.stack.top
            error = getattr(loading, "error", None)
            if error is not None:
                raise AssertionError(f"the expo did not load: {loading.message()}") from error
            if time.monotonic() > deadline:
                raise AssertionError(f"the expo did not load in {seconds} s")
            if woken.wait(WAIT_LOADING):
                woken.clear()

    def key_down(self, key: int, unicode: str = "") -> None:
        self.post(pygame.KEYDOWN, key=key, mod=0, unicode=unicode, scancode=0)

    def key_up(self, key: int) -> None:
        self.post(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)

    def press(self, key: int, unicode: str = "") -> None:
        self.key_down(key, unicode)
        self.frames(1)
        self.key_up(key)
        self.frames(1)

    def hold(self, key: int, seconds: float) -> None:
        self.key_down(key)
        self.frames(max(1, round(seconds / DT)))
        self.key_up(key)
        self.frames(1)

    def move_mouse(self, pos: tuple[int, int]) -> None:
        self.post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)
        self.frames(1)

    def click(self, pos: tuple[int, int]) -> None:
        pos = (int(pos[0]), int(pos[1]))
        self.post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)
        self.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
        self.frames(1)
        self.post(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False)
        self.frames(3)  # a GUI click's events arrive a frame or two later, chained

    def wheel(self, y: int) -> None:
        self.post(pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y), touch=False)
        self.frames(1)

    def type_text(self, text: str) -> None:
        for ch in text:
            self.post(pygame.TEXTINPUT, text=ch)
            self.frames(1)

    def on_screen(self, x: float, y: float) -> tuple[int, int]:
        """Where a floor point is in the window now."""
        return self.hall.camera.to_screen(x, y)

    def settle(self) -> None:
        """Let the camera finish following (it eases towards the avatar)."""
        self.frames(90)


def shown_text(text_box) -> str:  # noqa: ANN001
    """The text a pygame-gui text box lays out on screen, after it read its markup."""
    text_box.update(0.0)
    rows = text_box.text_box_layout.layout_rows
    return "\n".join("".join(getattr(chunk, "text", "") for chunk in row.items) for row in rows)


class Started:
    """The apps a test starts, each with its driver; `close()` ends them all (a fixture's teardown)."""

    def __init__(self) -> None:
        self.apps: list[App] = []

    def drive(self, app: App, ready: bool = True) -> Driver:
        """A driver on `app`; with `ready`, once its expo has loaded and its first frames are drawn."""
        self.apps.append(app)
        driver = Driver(app)
        if ready:
            driver.wait_ready()
            driver.frames(2)
        return driver

    def close(self) -> None:
        for app in self.apps:
            app.close()
        pygame.quit()
