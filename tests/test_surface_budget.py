"""The surface budget: a room per kind of surface, the least recently used of a kind dropped first."""

from __future__ import annotations

import pygame

from expo_hall.surface_budget import SurfaceBudget, surface_bytes


def square(side: int = 16) -> pygame.Surface:
    return pygame.Surface((side, side), pygame.SRCALPHA)  # 4 bytes a pixel: 1 KB at 16 x 16


def test_each_kind_keeps_to_its_own_room_and_drops_its_least_recently_used_first():
    kb = surface_bytes(square())
    budget = SurfaceBudget({"chunk": 3 * kb, "logo": 4 * kb})
    budget.put(("logo", "alpha"), square())
    for i in range(3):
        budget.put(("chunk", i), square())
    assert budget.find(("chunk", 0)) is not None  # now the most recently used chunk
    budget.put(("chunk", 3), square())  # the room is full: chunk 1 goes, not the logo nor chunk 0
    assert ("chunk", 1) not in budget and ("chunk", 0) in budget and ("logo", "alpha") in budget
    assert budget.used("chunk") == 3 * kb and budget.used("logo") == kb and budget.used() == 4 * kb
    assert budget.evicted == 1 and len(budget) == 4
    for name in "bcdefg":  # logos never push chunks out, however many
        budget.put(("logo", name), square())
    assert budget.used("chunk") == 3 * kb and budget.used("logo") == 4 * kb

    budget.drop(lambda key: key[0] == "chunk" and key[1] >= 2)
    assert set(budget.kept(lambda key: key[0] == "chunk")) == {("chunk", 0)} and budget.used("chunk") == kb
    budget.rooms["chunk"] = kb // 2  # a room smaller than one surface still keeps the newest
    budget.put(("chunk", 9), square())
    assert set(budget.kept(lambda key: key[0] == "chunk")) == {("chunk", 9)}
    assert budget.get(("chunk", 9), lambda: square(8)).get_width() == 16  # kept: not made again
    assert budget.get(("other", 1), lambda: square(8)).get_width() == 8 and budget.used("other") == kb // 4
