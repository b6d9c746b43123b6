"""Media clocks: which instant of the clip is playing now.

The picture follows a clock. With sound, that is the `AudioClock`, which follows the chunks the mixer
is actually playing (audio is the master: a late picture skips frames, the sound never waits). Without
a sound device, or for a clip without sound, the `WallClock` runs on the monotonic clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

Now = Callable[[], float]


class WallClock:
    def __init__(self, now: Now = time.monotonic) -> None:
        self._now = now
        self._pos = 0.0
        self._since: float | None = None  # None: paused

    @property
    def running(self) -> bool:
        return self._since is not None

    def time(self) -> float:
        since = self._since
        return self._pos if since is None else self._pos + self._now() - since

    def start(self) -> None:
        if self._since is None:
            self._since = self._now()

    def pause(self) -> None:
        if self._since is not None:
            self._pos = self.time()
            self._since = None

    def seek(self, t: float) -> None:
        self._pos = t
        if self._since is not None:
            self._since = self._now()


class AudioClock:
    """Media time from the sound the mixer plays.

    The mixer tells which Sound a channel plays, not how far into it it is. So we note when each
    chunk started and count the time since then, up to the chunk's end (if the next chunk is late the
    clock waits for it, as the sound does). A chunk's start is predicted as the previous one's start
    plus its length (no drift: the chunks play back to back), then pulled into the window in which the
    change was seen (between two polls), so the estimate follows the device and is off by at most one
    polling interval. The state is one tuple, replaced whole: the feeding thread writes it, the main
    thread reads it, with no lock.
    """

    def __init__(self, now: Now = time.monotonic) -> None:
        self._now = now
        # (media time at the anchor, monotonic time of the anchor or None when held, media time it may reach,
        #  whether that end is a chunk's: the next chunk then starts where it ends)
        self._state: tuple[float, float | None, float, bool] = (0.0, None, 0.0, False)

    @property
    def running(self) -> bool:
        return self._state[1] is not None

    def time(self) -> float:
        pts, at, end, _ = self._state
        if at is None:
            return pts
        return min(pts + max(0.0, self._now() - at), end)

    def chunk_started(self, pts: float, duration: float, seen_at: float, previous_poll: float) -> None:
        """The mixer began a chunk of `duration` at media time `pts`, noticed at `seen_at`."""
        old_pts, old_at, old_end, chained = self._state
        start = seen_at
        if old_at is not None and chained and abs(old_end - pts) < 0.002:
            predicted = old_at + (old_end - old_pts)
            start = min(max(predicted, previous_poll), seen_at)
        self._state = (pts, start, pts + duration, True)

    def hold(self, t: float | None = None) -> None:
        """Pause where it is; or, given `t` (a seek), stand at `t` until the first chunk from there starts."""
        if t is None:
            _, _, end, chained = self._state
            self._state = (self.time(), None, end, chained)
        else:
            self._state = (t, None, t, False)

    def resume(self) -> None:
        """Go on from where it was held (the paused chunk plays on)."""
        pts, at, end, chained = self._state
        if at is None:
            self._state = (pts, self._now(), end, chained)

    def run_free(self) -> None:
        """The sound has ended but the picture has not: go on at wall-clock speed."""
        self._state = (self.time(), self._now(), math.inf, False)
