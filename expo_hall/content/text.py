"""Text from outside (API requests, stand packages, the command line), made safe to store and to show.

One set of rules, in two strengths: `check_text` refuses a control character (for input a person can
correct: the API answers 422 naming the field), `clean_text` drops it (for content loaded in bulk, such
as an exhibitor's name or description in a stand package). Both then:

- keep line breaks, as "\\n", only in multi-line text (messages, notes, descriptions); CR LF, CR, U+2028
  and U+2029 are line breaks; in one-line text (names) a line break is refused or becomes a space;
- turn a tab into a space (tabs come with pasted text and mean nothing more than a space);
- remove the bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which let
  text reorder itself and what follows it ("\\u202eevil\\u202c gpj.exe" shows as "exe.jpg live").
  The marks U+200E, U+200F and U+061C are kept: they reorder no letters, only neutral characters next to
  them, and right-to-left writers need them to mix scripts and numbers correctly;
- keep everything else as written, emoji sequences included (ZWJ U+200D, variation selectors, skin tones,
  tags);
- strip the ends; one-line text has each run of whitespace made one space.

E-mail addresses (`check_email`) are stricter: no control, format (invisible) or whitespace character.
"""

from __future__ import annotations

import re
import unicodedata

LINE_BREAKS = "\r\n\u2028\u2029"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_LINE_BREAK = re.compile("\r\n|[\r\u2028\u2029]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# C0 and C1 controls and DEL, but tab and line breaks (handled first); lone surrogates (not text at all)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_EMAIL = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}  # controls, format (invisible) characters, spaces
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"  # what the API takes as an e-mail address (with `check_email`)
PHONE_CHARS = r"^[0-9+()\-. ]*$"  # the characters a phone number is written with


class TextError(ValueError):
    """Text refused; the message says what is wrong and where (pydantic shows it for the field)."""


def check_text(text: str, *, multiline: bool = False) -> str:
    """Input a person can correct: a control character (or a line break in one-line text) is refused."""
    refuse_controls(text, multiline=multiline)
    return _normalise(text, multiline)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Content loaded in bulk (a stand package's names and texts): a control character is dropped."""
    return _normalise(_CONTROL.sub("", text), multiline)


def refuse_controls(text: str, *, multiline: bool = False) -> str:
    """`text` unchanged, if it has no control character (tabs allowed; line breaks only in multi-line text)."""
    bad = _CONTROL.search(text)
    if bad is not None:
        raise TextError(f"control character {_codepoint(bad.group())} at position {bad.start() + 1} is not allowed")
    if not multiline:
        line_break = next((i for i, ch in enumerate(text) if ch in LINE_BREAKS), None)
        if line_break is not None:
            raise TextError(f"must be one line: a line break at position {line_break + 1}")
    return text


def check_email(text: str) -> str:
    """An e-mail address as given, if it has no control, invisible or whitespace character."""
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _NOT_IN_EMAIL:
            raise TextError(f"an e-mail address cannot contain {_codepoint(ch)} (at position {i + 1})")
    return text


def _normalise(text: str, multiline: bool) -> str:
    text = _BIDI.sub("", _LINE_BREAK.sub("\n", text).replace("\t", " "))
    return text.strip() if multiline else " ".join(text.split())


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"
