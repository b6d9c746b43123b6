"""An expo's programme folder: schedule.xml or schedule.json (frab's, as pretalx and frab export them) and
programme.toml, read into a Programme with every fault named as a Problem (never raised)."""

from __future__ import annotations

import json
from pathlib import Path

from expo_hall.content.confine import FileMissing, PathRefused, confined_file
from expo_hall.content.reading import read_limited, read_toml
from expo_hall.problems import ContentError, Problem, Severity, problem
from expo_hall.programme.frab import read_frab
from expo_hall.programme.frab_xml import xml_to_frab
from expo_hall.programme.mapping import read_mapping
from expo_hall.programme.model import Mapping, Programme

SCHEDULE_NAMES = ("schedule.xml", "schedule.json")  # the first present is read
MAPPING_NAME = "programme.toml"
MAX_SCHEDULE_BYTES = 20_000_000  # a fair of 2000 events is about 5 MB of XML
MAX_MAPPING_BYTES = 1_000_000


def default_folder(maps_dir: Path) -> Path:
    """Where an expo keeps its programme: the folder `programme` beside its maps folder."""
    return Path(maps_dir).parent / "programme"


def load_programme(folder: Path) -> tuple[Programme | None, list[Problem]]:
    """The programme in `folder`; None when it has none that can be read (the problems say why)."""
    folder = Path(folder)
    if not folder.is_dir():
        return None, [problem(folder, "programme_dir_missing")]
    problems: list[Problem] = []
    present = [name for name in SCHEDULE_NAMES if _exists(folder, name)]
    if not present:
        return None, [problem(folder, "programme_no_schedule")]
    if len(present) > 1:
        problems.append(problem(folder / present[1], "programme_two_schedules", None, Severity.WARNING,
                                used=present[0]))
    path = folder / present[0]
    try:
        raw = read_limited(folder, present[0], MAX_SCHEDULE_BYTES)
        schedule, found = read_frab(xml_to_frab(raw, path) if path.suffix == ".xml" else _json(raw, path), path)
    except ContentError as exc:
        return None, [*problems, exc.problem]
    problems.extend(found)
    mapping = Mapping()
    if not _exists(folder, MAPPING_NAME):
        problems.append(problem(folder / MAPPING_NAME, "programme_toml_missing", None, Severity.WARNING))
    else:
        try:
            mapping, found = read_mapping(read_toml(folder, MAPPING_NAME, MAX_MAPPING_BYTES), folder / MAPPING_NAME,
                                          schedule)
            problems.extend(found)
        except ContentError as exc:
            problems.append(exc.problem)
    return Programme(schedule, mapping), problems


def _exists(folder: Path, name: str) -> bool:
    """Whether something is there by that name (a file that cannot be used is named as a problem when read)."""
    try:
        confined_file(folder, name)
    except FileMissing:
        return False
    except PathRefused:
        return True
    return True


def _json(raw: bytes, path: Path) -> object:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ContentError(problem(path, "unreadable", error=exc)) from exc
    except json.JSONDecodeError as exc:
        raise ContentError(problem(path, "schedule_bad_json", error=exc)) from exc
    except RecursionError as exc:
        raise ContentError(problem(path, "json_too_deep")) from exc
