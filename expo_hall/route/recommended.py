"""Routes the organizers recommend: `routes/*.toml` beside the maps folder, one route a file.

    title = "Для учителей школ"
    title_en = "For school teachers"
    description = "…"
    description_en = "…"
    stops = ["exhibitor-id", "…"]     # in the order to walk them

A file that cannot be used (not TOML, no title, no stops) is a problem and left out; a stop naming no exhibitor
of the expo is a problem and left out of its route. Read by the server's import (and by the hall without a
server); free of pygame.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from expo_hall.content.reading import read_toml
from expo_hall.content.text import clean_text
from expo_hall.expo import closest
from expo_hall.problems import ContentError, Problem, Severity, problem

FOLDER = "routes"
MAX_BYTES = 64 * 1024
MAX_ROUTES = 100
MAX_STOPS = 200
KEYS = {"title", "title_en", "description", "description_en", "stops"}


@dataclass(frozen=True)
class RecommendedRoute:
    route_id: str  # the file's name without .toml
    title: str
    title_en: str | None
    description: str | None
    description_en: str | None
    stops: tuple[str, ...]

    def title_for(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title

    def description_for(self, lang: str) -> str:
        return (self.description_en if lang == "en" and self.description_en else self.description) or ""


def default_folder(maps_dir: Path) -> Path:
    """Where an expo keeps its recommended routes: the folder `routes` beside its maps folder."""
    return Path(maps_dir).parent / FOLDER


def load_recommended(folder: Path, exhibitors: Collection[str]) -> tuple[list[RecommendedRoute], list[Problem]]:
    """The routes in `folder` (none when there is no such folder), by file name; `exhibitors` are the expo's ids."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], []
    routes: list[RecommendedRoute] = []
    problems: list[Problem] = []
    known = sorted(exhibitors)
    for path in sorted(folder.glob("*.toml"))[:MAX_ROUTES]:
        try:
            routes.append(_read(folder, path.name, known, problems))
        except ContentError as exc:
            problems.extend(exc.problems)
    return routes, problems


def _read(folder: Path, name: str, known: list[str], problems: list[Problem]) -> RecommendedRoute:
    path = folder / name
    data = read_toml(folder, name, MAX_BYTES)
    for key in sorted(set(data) - KEYS):
        problems.append(problem(path, "unknown_key", ("key", key), Severity.WARNING))
    texts = {key: _text(data, key, path, problems) for key in ("title", "title_en", "description", "description_en")}
    if not texts["title"]:
        raise ContentError(problem(path, "route_no_title"))
    for key in ("title", "description"):
        if texts[key] and not texts[f"{key}_en"]:
            problems.append(problem(path, "text_no_english", ("key", f"{key}_en"), Severity.INFO, field=key))
    raw = data.get("stops")
    if not isinstance(raw, list) or not raw or not all(isinstance(s, str) for s in raw):
        raise ContentError(problem(path, "route_no_stops"))
    stops: list[str] = []
    for i, exhibitor_id in enumerate(raw[:MAX_STOPS], 1):
        where = ("key", f"stops[{i}]")
        if exhibitor_id not in known:
            options = ", ".join(closest(exhibitor_id, known) or known[:3])
            problems.append(problem(path, "route_unknown_exhibitor", where, Severity.WARNING, id=exhibitor_id,
                                    options=options))
        elif exhibitor_id in stops:
            problems.append(problem(path, "route_stop_twice", where, Severity.WARNING, id=exhibitor_id))
        else:
            stops.append(exhibitor_id)
    if not stops:
        raise ContentError(problem(path, "route_no_stops"))
    return RecommendedRoute(path.stem, texts["title"], texts["title_en"], texts["description"],
                            texts["description_en"], tuple(stops))


def _text(data: dict[str, Any], key: str, path: Path, problems: list[Problem]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(problem(path, "not_text", ("key", key), Severity.WARNING, field=key, kind=type(value).__name__))
        return None
    return clean_text(value, multiline=key.startswith("description")) or None
