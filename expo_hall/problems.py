"""Problems found in content authored by people (maps, stand packages).

A problem is a value, not an exception: loaders collect them, keep loading what they can,
and the UI shows them. Exceptions that are bugs stay exceptions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

log = logging.getLogger("expo_hall")


class Severity(Enum):
    WARNING = "warning"  # shown, but the thing still works (placeholder logo, ...)
    ERROR = "error"  # the thing (a floor, a stand package) could not be used


@dataclass(frozen=True)
class Problem:
    file: Path
    obj: str  # the object at fault: "stand B-12", "layer alleys", "" for the whole file
    fault: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        name = f"{self.file.parent.name}/{self.file.name}" if self.file.parent.name else self.file.name
        where = f"{name}: {self.obj}" if self.obj else name
        return f"{where}: {self.fault}"

    def log(self) -> Problem:
        level = logging.ERROR if self.severity is Severity.ERROR else logging.WARNING
        log.log(level, "%s (%s)", self, self.file)
        return self


class ContentError(Exception):
    """Raised inside a loader to abandon one file; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
