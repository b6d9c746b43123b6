"""The programme against the clock: what is on now and next in each room, and which chosen events overlap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from expo_hall.programme.model import Event


class Status(StrEnum):
    ended = "ended"
    now = "now"  # under way
    next = "next"  # the next to start in its room
    later = "later"


def statuses(events: Iterable[Event], now: dt.datetime) -> dict[str, Status]:
    """Each event's status at `now`, by guid: in each room, the first event not yet started is next."""
    found: dict[str, Status] = {}
    waiting: set[str] = set()  # rooms whose next event is known
    for event in sorted(events, key=lambda e: (e.starts, e.ends, e.guid)):
        if event.ends <= now:
            found[event.guid] = Status.ended
        elif event.starts <= now:
            found[event.guid] = Status.now
        elif event.room in waiting:
            found[event.guid] = Status.later
        else:
            found[event.guid] = Status.next
            waiting.add(event.room)
    return found


def conflicts(events: Iterable[Event]) -> list[tuple[Event, Event]]:
    """Pairs of events that overlap in time (the earlier first), by the earlier's start."""
    ordered = sorted(events, key=lambda e: (e.starts, e.ends, e.guid))
    pairs = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            if second.starts >= first.ends:
                break
            pairs.append((first, second))
    return pairs


def overlap(first: Event, second: Event) -> dt.timedelta:
    return min(first.ends, second.ends) - max(first.starts, second.starts)
