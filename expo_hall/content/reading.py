"""Reading a content file people wrote (stand.toml, programme.toml, schedule.xml): inside its folder (see
confine.py), at most so many bytes, TOML parsed; every fault raised as a ContentError naming it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from expo_hall.content.confine import FileMissing, PathRefused, open_confined
from expo_hall.content.images import grouped
from expo_hall.problems import ContentError, problem


def read_limited(folder: Path, name: str, max_bytes: int, missing: str = "file_not_found") -> bytes:
    """The file `name` in `folder`; ContentError when it is missing (the problem `missing`), refused, unreadable or
    longer than `max_bytes` (then it is not read further)."""
    path = Path(folder) / name
    try:
        with open_confined(folder, name) as fh:
            raw = fh.read(max_bytes + 1)
    except FileMissing as exc:
        raise ContentError(problem(path, missing)) from exc
    except PathRefused as exc:
        raise ContentError(problem(path, exc.key, **exc.values)) from exc
    except OSError as exc:
        raise ContentError(problem(path, "unreadable", error=exc)) from exc
    if len(raw) > max_bytes:
        raise ContentError(problem(path, "toml_too_big", name=name, max=grouped(max_bytes)))
    return raw


def read_toml(folder: Path, name: str, max_bytes: int, missing: str = "file_not_found") -> dict[str, Any]:
    """The TOML file `name` in `folder`, parsed (see `read_limited`); a byte-order mark from a Windows editor is
    fine."""
    path = Path(folder) / name
    raw = read_limited(folder, name, max_bytes, missing)
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(problem(path, "bad_toml", error=exc)) from exc
    except UnicodeDecodeError as exc:
        raise ContentError(problem(path, "unreadable", error=exc)) from exc
    except RecursionError as exc:  # tomllib reads nested arrays and tables recursively
        raise ContentError(problem(path, "toml_too_deep")) from exc
