"""Text fitted into the room the window gives it."""

from __future__ import annotations


def test_a_long_title_is_shortened_at_a_word_with_an_ellipsis():
    from expo_hall.text import shortened

    def width(t: str) -> int:  # ten pixels a character
        return 10 * len(t)

    assert shortened("Школьное образование", 200, width) == "Школьное образование"
    assert shortened("Школьное образование", 150, width) == "Школьное…"
    assert shortened("Образование", 60, width) == "Образ…"
    assert width(shortened("Региональные системы образования", 250, width)) <= 250
