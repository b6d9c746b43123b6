"""The text rules for content from outside (expo_hall/content/text.py)."""

from __future__ import annotations

import pytest

from expo_hall.content.text import BIDI_CONTROLS, TextError, check_email, check_text, clean_text, refuse_controls

CONTROLS = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))] + ["\ud800"]
EMOJI = ["👨\u200d👩\u200d👧\u200d👦", "👍🏽", "❤\ufe0f", "1\ufe0f\u20e3", "🏴\U000e0067\U000e0062\U000e0065\U000e006e"
         "\U000e0067\U000e007f", "🧑🏿\u200d💻", "🇷🇺"]


@pytest.mark.parametrize("multiline", [False, True])
def test_every_control_character_is_refused_with_its_code_point_and_position(multiline):
    for ch in CONTROLS:
        with pytest.raises(TextError, match=rf"U\+{ord(ch):04X} at position 4"):
            check_text(f"abc{ch}def", multiline=multiline)


def test_line_breaks_belong_to_multi_line_text_only():
    for brk in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
        with pytest.raises(TextError, match="one line: a line break at position 3"):
            check_text(f"ab{brk}cd")
        assert check_text(f"ab{brk}cd", multiline=True) == "ab\ncd"
    assert check_text("  a\n\n b  \r\n", multiline=True) == "a\n\n b"


def test_tabs_become_spaces_and_one_line_text_has_single_spaces():
    assert check_text(" Вера\t\tПетрова\u00a0 ") == "Вера Петрова"
    assert check_text("a\tb", multiline=True) == "a b"


def test_bidi_embeddings_overrides_and_isolates_are_removed_and_marks_kept():
    assert check_text("\u202eevil\u202c gpj.exe") == "evil gpj.exe"
    assert check_text("x" + BIDI_CONTROLS + "y", multiline=True) == "xy"
    assert len(BIDI_CONTROLS) == 9 and all(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069
                                           for c in BIDI_CONTROLS)
    marks = "שלום\u200f 2020 \u200eabc\u061c"
    assert check_text(marks) == marks


def test_emoji_sequences_are_kept_intact():
    for emoji in EMOJI:
        assert check_text(f"Привет {emoji}!") == f"Привет {emoji}!"
        assert clean_text(f"{emoji}\u202e", multiline=True) == emoji


def test_clean_text_drops_what_check_text_refuses():
    assert clean_text("\x00Аль\x1bфа\x7f \u202eОбучение\u202c\x85") == "Альфа Обучение"
    assert clean_text("Курсы\r\nпрограммирования\x07", multiline=True) == "Курсы\nпрограммирования"
    assert clean_text("две\nстроки") == "две строки"


def test_refuse_controls_changes_nothing_it_accepts():
    assert refuse_controls(" alpha\t") == " alpha\t"
    with pytest.raises(TextError):
        refuse_controls("al\x00pha")


def test_an_email_address_has_no_control_invisible_or_space_character():
    assert check_email("вера@пример.рф") == "вера@пример.рф"
    for bad in ("ve\x00ra@example.org", "vera@exa\x1bmple.org", "vera@example.org\u202e", "ve\u200bra@example.org",
                "vera @example.org", "vera@example.org\n", "vera\u00a0@example.org", "ve\ud800ra@example.org"):
        with pytest.raises(TextError, match="an e-mail address cannot contain U\\+"):
            check_email(bad)

