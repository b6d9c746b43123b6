"""The exhibitors' registration list that `expo-hall layout` lays out: a CSV file, one exhibitor a row.

Columns `id,name,name_en,category,category_en,size` (size small, medium or large); `floor` may name the floor
id of a category (else it is made from `category_en`). Commas separate the columns, or semicolons or tabs when
the header row has more of those (spreadsheets set to Russian save CSV with semicolons). Every fault is a
`Problem` naming the line and the column; a list with any fault lays out nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from expo_hall.problems import Problem, Severity, problem
from expo_hall.stands.package import EXHIBITOR_ID

COLUMNS = ("id", "name", "name_en", "category", "category_en", "size")
REQUIRED = ("id", "name", "category", "size")  # the English ones may be empty: `check` notes them
SIZES = ("small", "medium", "large")
FLOOR_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # a floor id names its map file too


@dataclass(frozen=True)
class Registration:
    exhibitor_id: str
    name: str
    name_en: str
    category: str
    category_en: str
    size: str  # one of SIZES
    floor: str = ""  # the category's floor id, when the list gives one
    line: int = 0


def read_registrations(path: Path) -> tuple[list[Registration], list[Problem]]:
    """The rows of the list, and its faults (the rows are of no use when there is any)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = fh.readline()
            fh.seek(0)
            delimiter = max(",;\t", key=header.count)  # a comma when none is there
            return _read(path, csv.DictReader(fh, delimiter=delimiter))
    except FileNotFoundError:
        return [], [problem(path, "file_not_found")]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], [problem(path, "unreadable", None, Severity.ERROR, error=getattr(exc, "strerror", None) or exc)]


def _read(path: Path, reader: csv.DictReader) -> tuple[list[Registration], list[Problem]]:
    header = [(c or "").strip() for c in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [problem(path, "csv_columns", None, Severity.ERROR, columns=", ".join(missing),
                            expected=",".join(COLUMNS))]
    reader.fieldnames = header
    rows: list[Registration] = []
    found: list[Problem] = []
    first_line: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() for k, v in record.items() if isinstance(k, str)}
        if not any(cells.values()):
            continue  # a blank line
        where = ("line", line)
        faults = [problem(path, "csv_empty", where, Severity.ERROR, column=c) for c in REQUIRED if not cells[c]]
        ex_id, size = cells["id"], cells["size"].lower()
        if ex_id and not EXHIBITOR_ID.match(ex_id):
            faults.append(problem(path, "csv_bad_id", where, Severity.ERROR, column="id", value=ex_id))
        if size and size not in SIZES:
            faults.append(problem(path, "csv_bad_size", where, Severity.ERROR, column="size", value=cells["size"],
                                  sizes=", ".join(SIZES)))
        if cells.get("floor") and not FLOOR_ID.match(cells["floor"]):
            faults.append(problem(path, "csv_bad_floor", where, Severity.ERROR, column="floor", value=cells["floor"]))
        if ex_id in first_line:
            faults.append(problem(path, "csv_id_twice", where, Severity.ERROR, column="id", value=ex_id,
                                  other=first_line[ex_id]))
        first_line.setdefault(ex_id, line)
        if faults:
            found.extend(faults)
            continue
        rows.append(Registration(ex_id, cells["name"], cells["name_en"], cells["category"], cells["category_en"],
                                 size, cells.get("floor", ""), line))
    if not rows and not found:
        found.append(problem(path, "csv_no_rows", None, Severity.ERROR))
    return rows, found
