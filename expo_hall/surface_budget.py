"""One memory budget for the surfaces the hall can make again: floor chunks and logos of every floor (the app
sizes it for its window: floors.renderer.budget_for).

Each is kept under a key until the bytes of all of them pass the budget; then the least recently used go first
(a floor left long ago before the floor in view). What is dropped is drawn again, the same, when next needed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

import pygame


def surface_bytes(surface: pygame.Surface) -> int:
    return surface.get_width() * surface.get_height() * surface.get_bytesize()


class SurfaceBudget:
    def __init__(self, limit_bytes: int = 64 * 2**20) -> None:
        self.limit = limit_bytes
        self.used = 0
        self.evicted = 0  # surfaces dropped to stay under the budget, ever
        self._kept: OrderedDict[Hashable, pygame.Surface] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._kept

    def find(self, key: Hashable) -> pygame.Surface | None:
        """The surface kept under `key`, now the most recently used; None when there is none (or no longer)."""
        surface = self._kept.get(key)
        if surface is not None:
            self._kept.move_to_end(key)
        return surface

    def get(self, key: Hashable, make: Callable[[], pygame.Surface]) -> pygame.Surface:
        """The surface kept under `key`, or the one `make` makes, kept."""
        surface = self.find(key)
        if surface is None:
            surface = make()
            self.put(key, surface)
        return surface

    def put(self, key: Hashable, surface: pygame.Surface) -> None:
        """Keep `surface` under `key`, dropping the least recently used others while over the budget."""
        old = self._kept.pop(key, None)
        if old is not None:
            self.used -= surface_bytes(old)
        self._kept[key] = surface
        self.used += surface_bytes(surface)
        while self.used > self.limit and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            self.used -= surface_bytes(dropped)
            self.evicted += 1

    def drop(self, where: Callable[[Hashable], bool]) -> None:
        """Forget the surfaces whose key `where` accepts (what they show changed): made again when next asked."""
        for key in [k for k in self._kept if where(k)]:
            self.used -= surface_bytes(self._kept.pop(key))

    def kept(self, where: Callable[[Hashable], bool]) -> dict[Hashable, pygame.Surface]:
        """The surfaces kept whose key `where` accepts, by key (what a benchmark reports)."""
        return {k: s for k, s in self._kept.items() if where(k)}
