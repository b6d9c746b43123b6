"""The app's clock: what time it is at the fair.

Real time by default. Tests freeze it and move it by hand; the "fair time" demo mode runs it from
a chosen moment (say 27 April 2020, 10:55 Moscow time) at the normal pace, so webinars start and end
as they would have during the fair.

    clock = Clock()                                  # real time
    clock = Clock.frozen_at(when)                    # stands still until set or advanced
    clock = Clock.starting_at(when)                  # runs from `when` on
    clock.set(when); clock.advance(minutes=5)        # works on a running and on a frozen clock
    clock.now()                                      # an aware datetime, in UTC
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

UTC = dt.UTC


def real_now() -> dt.datetime:
    return dt.datetime.now(UTC)


def _aware(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"the clock needs a time with a zone, not {when.isoformat()}")
    return when.astimezone(UTC)


class Clock:
    def __init__(self, source: Callable[[], dt.datetime] = real_now) -> None:
        self._source = source
        self._offset = dt.timedelta(0)
        self._frozen: dt.datetime | None = None

    @classmethod
    def frozen_at(cls, when: dt.datetime) -> Clock:
        clock = cls()
        clock.freeze(when)
        return clock

    @classmethod
    def starting_at(cls, when: dt.datetime) -> Clock:
        clock = cls()
        clock.set(when)
        return clock

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    @property
    def offset(self) -> dt.timedelta:
        """How far a running clock is ahead of real time (negative: behind)."""
        return self._offset

    def now(self) -> dt.datetime:
        if self._frozen is not None:
            return self._frozen
        return _aware(self._source()) + self._offset

    def set(self, when: dt.datetime) -> None:
        """It is `when` now: a frozen clock stays there, a running one runs on from there."""
        when = _aware(when)
        if self._frozen is not None:
            self._frozen = when
        else:
            self._offset = when - _aware(self._source())

    def advance(self, delta: dt.timedelta | None = None, **parts: float) -> dt.datetime:
        """Move the clock on (by a timedelta or its parts: minutes=5); returns the new time."""
        step = (delta or dt.timedelta(0)) + dt.timedelta(**parts)
        if self._frozen is not None:
            self._frozen += step
        else:
            self._offset += step
        return self.now()

    def freeze(self, when: dt.datetime | None = None) -> None:
        """Stop the clock, at `when` or where it is."""
        self._frozen = _aware(when) if when is not None else self.now()

    def run(self) -> None:
        """Let a frozen clock run again, from the time it shows."""
        if self._frozen is not None:
            frozen, self._frozen = self._frozen, None
            self.set(frozen)

    def reset(self) -> None:
        """Real time again."""
        self._frozen = None
        self._offset = dt.timedelta(0)


def parse_fair_time(text: str) -> dt.datetime:
    """A command-line moment for the demo mode: ISO 8601 with an offset, e.g. 2020-04-27T10:55+03:00.

    Raises ValueError when the text is not such a moment (argparse turns that into a usage error).
    """
    when = dt.datetime.fromisoformat(text.strip())
    if when.tzinfo is None:
        raise ValueError(f"give the time with its offset, e.g. 2020-04-27T10:55+03:00, not {text!r}")
    return when
