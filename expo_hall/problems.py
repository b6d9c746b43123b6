"""Problems found in content authored by people (maps, stand packages).

A problem is a value, not an exception: loaders collect them, keep loading what they can,
and the UI shows them. Exceptions that are bugs stay exceptions.

Each problem carries translation keys and their values: the interface shows it in the user's
language; logs, tests and the server read the English text, formatted from the same catalogue
(assets/i18n/expo_hall.<lang>.json, sections "object", "problem" and "fix": what to do about it). The key
is the problem's code for scripts (`expo-hall preview --check --json`), and `field` says where it is.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from expo_hall import ASSETS_DIR
from expo_hall.i18n import fill

log = logging.getLogger("expo_hall")
Translate = Callable[..., str]  # (key under expo_hall., **values) -> text


class Severity(Enum):
    INFO = "info"  # worth knowing; nothing is wrong (no logo given, a title in one language only); not in the window
    WARNING = "warning"  # shown, but the thing still works, not as its author meant (a logo refused, ...)
    ERROR = "error"  # the thing (a floor, a stand package) could not be used


@cache
def catalogue(lang: str) -> dict:
    """The strings of one language ("en", "ru"), as pygame-gui reads them."""
    with (ASSETS_DIR / "i18n" / f"expo_hall.{lang}.json").open(encoding="utf-8") as fh:
        return json.load(fh)[lang]


def entry(lang: str, key: str) -> str | None:
    """The catalogue's text for a key ("problem.no_spawn") in a language ("ru", "en"), or None if it has none."""
    node: object = catalogue(lang)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else None


def translator(lang: str) -> Translate:
    """`tr` for a language without pygame-gui (commands, the server): English where the language has no entry."""

    def translate(key: str, /, **values: object) -> str:
        text = entry(lang, key) or entry("en", key)
        if text is None:
            raise KeyError(key)
        return fill(text, values)

    return translate


def english(key: str, /, **values: object) -> str:
    """Format a catalogue entry ("problem.no_spawn") in English, as `tr` does in the interface's language."""
    return translator("en")(key, **values)


@dataclass(frozen=True)
class Problem:
    file: Path
    key: str  # under "problem." (and "fix."): the fault's code
    values: tuple[tuple[str, str], ...] = ()
    severity: Severity = Severity.ERROR
    obj_kind: str = ""  # under "object."; "" for the whole file
    obj_name: str = ""  # the object's own name, as written (never translated)

    @property
    def code(self) -> str:
        """The stable name of the fault (what `check --json` prints, what docs/checks.md explains)."""
        return self.key

    @property
    def obj(self) -> str:
        return english(f"object.{self.obj_kind}", name=self.obj_name) if self.obj_kind else ""

    @property
    def fault(self) -> str:
        return self.message()

    @property
    def field(self) -> str:
        """Where it is, for scripts: "logo", "contacts.email", "materials[2].file", "webinars[1]" (entries are
        counted from 1, as written in stand.toml); "" for the whole file."""
        if self.obj_kind == "key":
            return self.obj_name
        if self.obj_kind in ("material", "webinar"):
            return f"{self.obj_kind}s[{self.obj_name}]"
        return f"{self.obj_kind} {self.obj_name}".strip()

    def message(self, translate: Translate | None = None) -> str:
        """What is wrong, in the language of `translate` (English without one)."""
        return (translate or english)(f"problem.{self.key}", **dict(self.values))

    def fix(self, translate: Translate | None = None) -> str:
        """What to do about it, in the language of `translate` ("" when the catalogue has no advice)."""
        if entry("en", f"fix.{self.key}") is None:
            return ""
        return (translate or english)(f"fix.{self.key}", **dict(self.values))

    def record(self, translate: Translate | None = None) -> dict[str, str]:
        """The problem for scripts: severity, field, code, message and fix (JSON-ready)."""
        return {"severity": self.severity.value, "field": self.field, "code": self.key,
                "message": self.message(translate), "fix": self.fix(translate)}

    def place(self, translate: Translate | None = None) -> tuple[str, str]:
        """(file as 'folder/file', object) in the language of `translate`: where the fault is."""
        tr = translate or english
        name = f"{self.file.parent.name}/{self.file.name}" if self.file.parent.name else self.file.name
        return name, tr(f"object.{self.obj_kind}", name=self.obj_name) if self.obj_kind else ""

    def text(self, translate: Translate | None = None) -> str:
        """'folder/file: object: fault', in the language of `translate` (English without one); `fix` says what
        to do."""
        name, obj = self.place(translate)
        fault = self.message(translate)
        return f"{name}: {obj}: {fault}" if obj else f"{name}: {fault}"

    @property
    def identity(self) -> tuple[str, str, tuple[tuple[str, str], ...], str, str]:
        """The fault itself, wherever its file was read from (the organizer's folder or the client's cache)."""
        return (self.file.name, self.key, self.values, self.obj_kind, self.obj_name)

    def __str__(self) -> str:
        return self.text()

    def log(self) -> Problem:
        level = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING}.get(self.severity, logging.INFO)
        log.log(level, "%s (%s)", self, self.file)
        return self


def problem(file: Path, key: str, obj: tuple[str, object] | None = None,
            severity: Severity = Severity.ERROR, /, **values: object) -> Problem:
    """Make a problem: `obj` is (kind, name), e.g. ("stand", "B-12"); values fill the message."""
    kind, name = obj if obj else ("", "")
    file = file if isinstance(file, Path) else Path(file)  # a Path kept: its hash is worked out once
    return Problem(file, key, tuple((k, str(v)) for k, v in values.items()), severity, kind, str(name))


class ContentError(Exception):
    """Raised inside a loader to abandon one file; carries the problem to report (the first), and any more
    found in the same file, so its author sees every fault at once."""

    def __init__(self, problem: Problem, *more: Problem) -> None:
        super().__init__("; ".join(str(p) for p in (problem, *more)))
        self.problem = problem
        self.problems = (problem, *more)
