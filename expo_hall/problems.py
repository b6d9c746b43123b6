"""Problems found in content authored by people (maps, stand packages).

A problem is a value, not an exception: loaders collect them, keep loading what they can,
and the UI shows them. Exceptions that are bugs stay exceptions.

Each problem carries translation keys and their values: the interface shows it in the user's
language; logs, tests and the server read the English text, formatted from the same catalogue
(assets/i18n/expo_hall.en.json, sections "object" and "problem").
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
    INFO = "info"  # worth knowing, nothing fails (a title in one language only)
    WARNING = "warning"  # shown, but the thing still works (placeholder logo, ...)
    ERROR = "error"  # the thing (a floor, a stand package) could not be used


@cache
def _catalogue(lang: str) -> dict:
    with (ASSETS_DIR / "i18n" / f"expo_hall.{lang}.json").open(encoding="utf-8") as fh:
        return json.load(fh)[lang]


def entry(lang: str, key: str) -> str | None:
    """The catalogue's text for a key ("problem.no_spawn") in a language ("ru", "en"), or None if it has none."""
    node: object = _catalogue(lang)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else None


def english(key: str, /, **values: object) -> str:
    """Format a catalogue entry ("problem.no_spawn") in English, as `tr` does in the interface's language."""
    text = entry("en", key)
    if text is None:
        raise KeyError(key)
    return fill(text, values)


def translator(lang: str) -> Translate:
    """`tr` for a language without pygame-gui (commands, the server): English where the language has no entry."""

    def translate(key: str, /, **values: object) -> str:
        text = entry(lang, key) or entry("en", key)
        if text is None:
            raise KeyError(key)
        return fill(text, values)

    return translate


@dataclass(frozen=True)
class Problem:
    file: Path
    key: str  # under "problem."
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
        return english(f"problem.{self.key}", **dict(self.values))

    def text(self, translate: Translate | None = None) -> str:
        """'folder/file: object: fault', in the language of `translate` (English without one)."""
        name, obj = self.place(translate)
        fault = self.message(translate)
        return f"{name}: {obj}: {fault}" if obj else f"{name}: {fault}"

    def place(self, translate: Translate | None = None) -> tuple[str, str]:
        """(file as 'folder/file', object) in the language of `translate`: where the fault is."""
        tr = translate or english
        name = f"{self.file.parent.name}/{self.file.name}" if self.file.parent.name else self.file.name
        return name, tr(f"object.{self.obj_kind}", name=self.obj_name) if self.obj_kind else ""

    def message(self, translate: Translate | None = None) -> str:
        return (translate or english)(f"problem.{self.key}", **dict(self.values))

    def fix(self, lang: str = "en") -> str:
        """How to mend it (catalogue section "fix"), where its message does not already say; else ""."""
        text = entry(lang, f"fix.{self.key}") or entry("en", f"fix.{self.key}")
        return fill(text, dict(self.values)) if text else ""

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
    return Problem(Path(file), key, tuple((k, str(v)) for k, v in values.items()), severity, kind, str(name))


class ContentError(Exception):
    """Raised inside a loader to abandon one file; carries the problem to report (the first), and any more
    found in the same file, so its author sees every fault at once."""

    def __init__(self, problem: Problem, *more: Problem) -> None:
        super().__init__("; ".join(str(p) for p in (problem, *more)))
        self.problem = problem
        self.problems = (problem, *more)
