"""One memory budget for the surfaces the hall can make again: floor chunks and logos of every floor (the app
sizes it for its window: floors.renderer.budget_for).

Each kind of surface (a key's first item: "chunk", "logo") has a room of its own, so the chunks never grow into
room the logos leave unused (the demo's logos take 7 MB of their 16). In each room a surface is kept under its
key until the room is full; then the least recently used of that kind go first (a floor left long ago before the
floor in view). What is dropped is drawn again, the same, when next needed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping

import pygame

DEFAULT_ROOM = 64 * 2**20  # a kind no room was given for


def surface_bytes(surface: pygame.Surface) -> int:
    return surface.get_width() * surface.get_height() * surface.get_bytesize()


def kind_of(key: Hashable) -> Hashable:
    return key[0] if isinstance(key, tuple) and key else key


class SurfaceBudget:
    def __init__(self, rooms: Mapping[Hashable, int] | None = None) -> None:
        self.rooms: dict[Hashable, int] = dict(rooms or {})  # kind -> bytes; may be changed (a resized window)
        self.evicted = 0  # surfaces dropped to stay under the budget, ever
        self._kept: dict[Hashable, OrderedDict[Hashable, pygame.Surface]] = {}  # kind -> key -> surface, LRU first
        self._used: dict[Hashable, int] = {}

    def __len__(self) -> int:
        return sum(len(kept) for kept in self._kept.values())

    def __contains__(self, key: Hashable) -> bool:
        return key in self._kept.get(kind_of(key), ())

    def room(self, kind: Hashable) -> int:
        return self.rooms.get(kind, DEFAULT_ROOM)

    def used(self, kind: Hashable | None = None) -> int:
        """Bytes kept of one kind (of every kind by default)."""
        return sum(self._used.values()) if kind is None else self._used.get(kind, 0)

    def find(self, key: Hashable) -> pygame.Surface | None:
        """The surface kept under `key`, now the most recently used; None when there is none (or no longer)."""
        kept = self._kept.get(kind_of(key))
        surface = None if kept is None else kept.get(key)
        if surface is not None:
            kept.move_to_end(key)
        return surface

    def get(self, key: Hashable, make: Callable[[], pygame.Surface]) -> pygame.Surface:
        """The surface kept under `key`, or the one `make` makes, kept."""
        surface = self.find(key)
        if surface is None:
            surface = make()
            self.put(key, surface)
        return surface

    def put(self, key: Hashable, surface: pygame.Surface) -> None:
        """Keep `surface` under `key`, dropping the least recently used others of its kind while its room is full."""
        kind = kind_of(key)
        kept = self._kept.setdefault(kind, OrderedDict())
        old = kept.pop(key, None)
        used = self._used.get(kind, 0) - (surface_bytes(old) if old is not None else 0)
        kept[key] = surface
        used += surface_bytes(surface)
        room = self.room(kind)
        while used > room and len(kept) > 1:
            _, dropped = kept.popitem(last=False)
            used -= surface_bytes(dropped)
            self.evicted += 1
        self._used[kind] = used

    def drop(self, where: Callable[[Hashable], bool]) -> None:
        """Forget the surfaces whose key `where` accepts (what they show changed): made again when next asked."""
        for kind, kept in self._kept.items():
            for key in [k for k in kept if where(k)]:
                self._used[kind] -= surface_bytes(kept.pop(key))

    def kept(self, where: Callable[[Hashable], bool]) -> dict[Hashable, pygame.Surface]:
        """The surfaces kept whose key `where` accepts, by key (what a benchmark reports)."""
        return {k: s for kept in self._kept.values() for k, s in kept.items() if where(k)}
