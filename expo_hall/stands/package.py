"""Stand packages: an exhibitor's folder with stand.toml, read into plain data.

    <stands dir>/<exhibitor id>/stand.toml   name, name_en, category, description, logo, video,
                                             away_message, clusters, [contacts], [[materials]], [[webinars]]

`clusters = ["digital-school", ...]`: the business programme's clusters (programme.toml's [clusters.<id>]) the
stand's webinars belong to; the programme lists them beside those clusters' events.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from expo_hall.content import images
from expo_hall.content.confine import FileMissing, PathRefused, confined_file
from expo_hall.content.reading import read_toml
from expo_hall.content.text import clean_text
from expo_hall.problems import ContentError, Problem, Severity, problem

EXHIBITOR_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_TOML_BYTES = 1_000_000  # a stand.toml is a page of text; a bigger one is not read
WEBINAR_YEARS = (2000, 2100)  # a start outside these years is a typo (and out of the calendar's range at 9999)
WEBINAR_MAX_MINUTES = 7 * 24 * 60
KNOWN_KEYS = {
    "name", "name_en", "category", "category_en", "description", "description_en", "logo", "video",
    "away_message", "contacts", "materials", "webinars", "clusters",
}
MOST_CLUSTERS = 20
CONTACT_KEYS = ("email", "phone", "website", "address")
FILE_KEYS = {"logo", "video", "file"}  # names of files in the folder: confined as written, never rewritten
MULTILINE_KEYS = {"description", "description_en", "away_message", "address"}


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Contacts:
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None
    messengers: dict[str, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.email or self.phone or self.website or self.address or self.messengers)


@dataclass(frozen=True)
class Material:
    title: str
    title_en: str | None = None
    file: Path | None = None  # the package's own file (read from the folders)
    url: str | None = None  # the server's file, or an external link when `file_name` is None
    file_name: str | None = None  # a file on the server: its name, type and size as the server gives them
    content_type: str | None = None
    size: int | None = None
    number: int = field(default=0, compare=False)  # its place in stand.toml's [[materials]], from 1

    def title_for(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title


@dataclass(frozen=True)
class Webinar:
    title: str
    starts: dt.datetime  # timezone-aware
    duration_minutes: int
    url: str | None = None
    title_en: str | None = None
    number: int = field(default=0, compare=False)  # its place in stand.toml's [[webinars]], from 1

    @property
    def ends(self) -> dt.datetime:
        return self.starts + dt.timedelta(minutes=self.duration_minutes)

    def title_for(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title


@dataclass(frozen=True)
class Exhibitor:
    exhibitor_id: str
    name: str
    folder: Path
    name_en: str | None = None
    category: str | None = None
    category_en: str | None = None
    description: str = ""
    description_en: str | None = None
    logo: Path | None = None  # None: draw a placeholder
    video: str | None = None  # a local path (as text) or an http(s) URL
    away_message: str | None = None
    contacts: Contacts = field(default_factory=Contacts)
    materials: tuple[Material, ...] = ()
    webinars: tuple[Webinar, ...] = ()
    clusters: tuple[str, ...] = ()  # ids of the business programme's clusters its webinars belong to
    room_id: int | None = None  # the stand's public chat room on the server (None: read from the folders)

    def name_for(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name

    def category_for(self, lang: str) -> str:
        return (self.category_en if lang == "en" and self.category_en else self.category) or ""

    def description_for(self, lang: str) -> str:
        return self.description_en if lang == "en" and self.description_en else self.description

    @property
    def initials(self) -> str:
        words = re.findall(r"\w+", self.name)
        skip = {"ооо", "ао", "пао", "ано", "зао", "ип", "гбоу", "фгбоу", "чоу", "ано до"}
        picked = [w for w in words if w.lower() not in skip] or words
        return "".join(w[0] for w in picked[:2]).upper() or "?"


def load_package(folder: Path) -> tuple[Exhibitor, list[Problem]]:
    """Load one stand package. Raises ContentError when it cannot be used at all."""
    folder = Path(folder)
    toml_path = folder / "stand.toml"
    exhibitor_id = folder.name
    if not EXHIBITOR_ID.match(exhibitor_id):
        raise ContentError(problem(folder, "bad_folder_name"))
    data = read_toml(folder, toml_path.name, MAX_TOML_BYTES, missing="toml_missing")

    problems: list[Problem] = []

    def warn(obj: str | tuple[str, object], fault: str, /, severity: Severity = Severity.WARNING,
             **values: object) -> None:
        """A warning about a key of stand.toml (given by name) or an entry ("material", 2)."""
        where = ("key", obj) if isinstance(obj, str) else obj
        problems.append(problem(toml_path, fault, where, severity, **values))

    def text(table: dict, key: str, where: str | tuple[str, object] = "") -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            warn(where or key, "not_text", field=key, kind=type(value).__name__)
            return None
        if key in FILE_KEYS:
            return value.strip() or None
        return clean_text(value, multiline=key in MULTILINE_KEYS) or None  # no control or bidi characters

    name = text(data, "name")
    if not name:
        raise ContentError(problem(toml_path, "no_name"))
    for key in sorted(set(data) - KNOWN_KEYS):
        warn(key, "unknown_key")

    return (
        Exhibitor(
            exhibitor_id=exhibitor_id,
            name=name,
            folder=folder,
            name_en=text(data, "name_en"),
            category=text(data, "category"),
            category_en=text(data, "category_en"),
            description=text(data, "description") or "",
            description_en=text(data, "description_en"),
            logo=_logo(folder, text(data, "logo"), warn),
            video=_video(folder, text(data, "video"), warn),
            away_message=text(data, "away_message"),
            contacts=_contacts(data.get("contacts"), warn, text),
            materials=_materials(folder, data.get("materials"), warn, text),
            webinars=_webinars(data.get("webinars"), warn, text),
            clusters=_clusters(data.get("clusters"), warn),
        ),
        problems,
    )


def package_file(folder: Path, name: str, where: str | tuple[str, object], missing: str, warn) -> Path | None:
    """The file `name` inside the package's folder (see expo_hall.content.confine), or None after a warning:
    `missing` is the problem's key when there is no such file."""
    try:
        return confined_file(folder, name)
    except FileMissing:
        warn(where, missing, name=name)
    except PathRefused as exc:
        warn(where, exc.key, **exc.values)
    return None


def _logo(folder: Path, name: str | None, warn) -> Path | None:
    if name is None:
        warn("logo", "no_logo", Severity.INFO)  # a choice, not a fault: initials are shown
        return None
    path = package_file(folder, name, "logo", "logo_not_found", warn)
    if path is None:
        return None
    try:
        images.check(path, images.LOGO_FORMATS)
    except images.ImageRefused as exc:
        warn("logo", f"logo_{exc.fault}", name=name, **exc.values)
        return None
    return path


def _video(folder: Path, value: str | None, warn) -> str | None:
    if value is None:
        return None
    if is_url(value):
        return value
    path = package_file(folder, value, "video", "video_not_found", warn)
    return None if path is None else str(path)


def _contacts(table: object, warn, text) -> Contacts:
    if table is None:
        return Contacts()
    if not isinstance(table, dict):
        warn("contacts", "not_a_table")
        return Contacts()
    messengers: dict[str, str] = {}
    raw = table.get("messengers", {})
    if isinstance(raw, dict):
        for key, value in raw.items():
            if isinstance(value, str) and value.strip():
                messengers[clean_text(str(key))] = clean_text(value)
            else:
                warn(f"contacts.messengers.{key}", "not_text", field=key, kind=type(value).__name__)
    else:
        warn("contacts.messengers", "messengers_not_table")
    for key in sorted(set(table) - set(CONTACT_KEYS) - {"messengers"}):
        warn(f"contacts.{key}", "unknown_key")
    fields = {key: text(table, key, f"contacts.{key}") for key in CONTACT_KEYS}
    return Contacts(messengers=messengers, **fields)


def _materials(folder: Path, items: object, warn, text) -> tuple[Material, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        warn("materials", "not_an_array", name="materials")
        return ()
    result = []
    for i, item in enumerate(items, 1):
        where = ("material", i)
        if not isinstance(item, dict):
            warn(where, "not_a_table")
            continue
        title = text(item, "title", where)
        if not title:
            warn(where, "no_title")
            continue
        file_name, url = text(item, "file", where), text(item, "url", where)
        if file_name:
            path = package_file(folder, file_name, where, "material_file_missing", warn)
            if path is None:
                continue
            result.append(Material(title, text(item, "title_en", where), file=path, number=i))
        elif url and is_url(url):
            result.append(Material(title, text(item, "title_en", where), url=url, number=i))
        else:
            warn(where, "material_no_source")
    return tuple(result)


def _clusters(items: object, warn) -> tuple[str, ...]:
    """The cluster ids, each once, in the file's order; one that is not an id is left out with a warning."""
    if items is None:
        return ()
    if not isinstance(items, list):
        warn("clusters", "stand_clusters_not_list")
        return ()
    found: list[str] = []
    for item in items:
        if not isinstance(item, str) or not EXHIBITOR_ID.match(item):
            warn("clusters", "stand_bad_cluster", value=str(item)[:60])
        elif item not in found:
            found.append(item)
    if len(found) > MOST_CLUSTERS:
        warn("clusters", "stand_too_many_clusters", count=len(found), max=MOST_CLUSTERS)
        found = found[:MOST_CLUSTERS]
    return tuple(found)


def _webinars(items: object, warn, text) -> tuple[Webinar, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        warn("webinars", "not_an_array", name="webinars")
        return ()
    result = []
    for i, item in enumerate(items, 1):
        where = ("webinar", i)
        if not isinstance(item, dict):
            warn(where, "not_a_table")
            continue
        title, starts, minutes = text(item, "title", where), item.get("starts"), item.get("duration_minutes", 60)
        if not title:
            warn(where, "no_title")
            continue
        if not isinstance(starts, dt.datetime) or starts.tzinfo is None:
            warn(where, "webinar_bad_start")
            continue
        if not WEBINAR_YEARS[0] <= starts.year <= WEBINAR_YEARS[1]:
            warn(where, "webinar_bad_year", year=starts.year, first=WEBINAR_YEARS[0], last=WEBINAR_YEARS[1])
            continue
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            warn(where, "webinar_bad_duration")
            continue
        if minutes > WEBINAR_MAX_MINUTES:
            warn(where, "webinar_too_long", minutes=minutes, max=WEBINAR_MAX_MINUTES)
            continue
        url = text(item, "url", where)
        if url and not is_url(url):
            warn(where, "webinar_bad_url", url=url)
            url = None
        result.append(Webinar(title, starts, minutes, url, text(item, "title_en", where), number=i))
    result.sort(key=lambda w: w.starts)
    return tuple(result)
