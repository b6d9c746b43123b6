"""Importing floors, stand packages, the programme and the recommended routes into the database: an idempotent upsert.

Content that disappeared from the folders is marked absent, never deleted, so the chat, route, visit,
question and bookmark rows that point at it stay (programme events are keyed by their frab guid). Every file
the server will serve (a floor's map files, a logo normalised to a small PNG, a video, material files) is
copied into the content store, and the docs record the stored names: the server serves those copies, never
the package's files.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, select, update

from expo_hall.content.confine import PathRefused, confined_file, inside_name, open_confined
from expo_hall.expo import Expo
from expo_hall.files import write_atomically
from expo_hall.floors.model import Floor
from expo_hall.floors.tmx_xml import XmlRefused, parse_xml
from expo_hall.problems import Problem, Severity, english, problem
from expo_hall.programme.frab import to_frab
from expo_hall.programme.load import default_folder, load_programme
from expo_hall.programme.mapping import mapping_doc
from expo_hall.programme.model import Programme
from expo_hall.route import recommended
from expo_hall.server import db
from expo_hall.server.content_store import ROUTES, ContentStore, stored_suffix
from expo_hall.server.import_begin import ImportBegun, begin_import
from expo_hall.server.logos import Logos
from expo_hall.server.settings import default_content_dir
from expo_hall.stands.package import Exhibitor, Material, is_url

log = logging.getLogger("expo_hall.server")


@dataclass(frozen=True)
class ImportSummary:
    floors: int
    exhibitors: int
    problems: list[Problem]  # as found by the loaders (str() gives the English message)
    events: int = 0  # of the business programme
    logos_made: int = 0  # logos normalised (or checked to be served as they are) by this import
    logos_reused: int = 0  # logos whose source was unchanged since an import before: nothing decoded


def import_folders(engine: Engine, maps_dir: Path, stands_dir: Path, now: dt.datetime,
                   content_dir: Path | None = None, programme_dir: Path | None = None,
                   routes_dir: Path | None = None, begun: ImportBegun | None = None) -> ImportSummary:
    """Load the expo from its folders, copy the files it serves into `content_dir` (default: beside an SQLite
    database, see settings.default_content_dir) and upsert it; creates the tables when missing.

    The programme is read from `programme_dir`, by default the folder `programme` beside `maps_dir`; without
    that folder the expo has no programme (a `programme_dir` given must exist). The recommended routes are read
    from `routes_dir`, by default the folder `routes` beside `maps_dir` (none without it). `begun`: the expo read
    and its logos begun beforehand (begin_import, for the same folders and `content_dir`)."""
    programme_dir = Path(programme_dir) if programme_dir is not None else None
    if programme_dir is None and default_folder(maps_dir).is_dir():
        programme_dir = default_folder(maps_dir)
    programme, programme_problems = load_programme(programme_dir) if programme_dir is not None else (None, [])
    content_dir = content_dir or default_content_dir(engine.url.render_as_string(hide_password=False))
    begun = begun or begin_import(maps_dir, stands_dir, content_dir)
    assert begun.logos.store.folder == Path(content_dir), "begun for another content store"
    expo, logos, store = begun.expo, begun.logos, begun.logos.store
    problems: list[Problem] = []
    docs = [(f, floor_doc(f, store, problems)) for f in expo.floors]
    floor_rows = [{"floor_id": f.floor_id, "present": True, "position": i, "doc": doc, "updated_at": now}
                  for i, (f, doc) in enumerate(docs) if doc is not None]
    routes, route_problems = recommended.load_recommended(routes_dir or recommended.default_folder(maps_dir),
                                                          expo.exhibitors)
    programme_problems += route_problems
    logos.finish()
    exhibitor_rows = [{"exhibitor_id": ex.exhibitor_id, "name": ex.name, "present": True,
                       "doc": exhibitor_doc(ex, expo, store, problems, logos), "updated_at": now}
                      for ex in expo.exhibitors.values()]
    logos.save()
    with db.writing(engine) as conn:
        db.create_schema(conn)
        import_rows(conn, floor_rows, exhibitor_rows, now)
        keep_published(conn)
        import_programme(conn, programme, now)
    write_atomically(store.folder / ROUTES, json.dumps([asdict(r) for r in routes], ensure_ascii=False))
    for found in problems + programme_problems:
        found.log()
    return ImportSummary(len(floor_rows), len(exhibitor_rows), list(expo.problems) + problems + programme_problems,
                         len(programme.schedule.events) if programme else 0, logos.made, logos.reused)


def import_rows(conn: Connection, floor_rows: list[dict[str, Any]], exhibitor_rows: list[dict[str, Any]],
                now: dt.datetime) -> None:
    _upsert(conn, db.floors, floor_rows, "floor_id")
    _upsert(conn, db.exhibitors, exhibitor_rows, "exhibitor_id")
    conn.execute(update(db.floors).where(db.floors.c.floor_id.not_in([r["floor_id"] for r in floor_rows]))
                 .values(present=False))
    conn.execute(update(db.exhibitors)
                 .where(db.exhibitors.c.exhibitor_id.not_in([r["exhibitor_id"] for r in exhibitor_rows]))
                 .values(present=False))
    public_rooms = [{"key": public_room_key(r["exhibitor_id"]), "stand_id": r["exhibitor_id"], "created_at": now,
                     "message_count": 0} for r in sorted(exhibitor_rows, key=lambda r: r["exhibitor_id"])]
    _upsert(conn, db.rooms, public_rooms, "key", update_existing=False)


PUBLISHED_KEYS = ("description", "description_en", "away_message", "logo", "video", "video_file", "contacts",
                  "materials", "webinars")  # what a representative's published version sets of an exhibitor's doc


def keep_published(conn: Connection) -> None:
    """Stands with a live published version keep its content over what the package folder says (the name,
    category and place stay the organizers')."""
    V, E = db.stand_versions.c, db.exhibitors.c
    live = conn.execute(select(V.stand_id, V.content).where(V.state == "live")).all()
    for stand_id, content in live:
        doc = conn.execute(select(E.doc).where(E.exhibitor_id == stand_id)).scalar_one_or_none()
        if doc is not None:
            conn.execute(update(db.exhibitors).where(E.exhibitor_id == stand_id)
                         .values(doc={**doc, **{k: content[k] for k in PUBLISHED_KEYS}}))


def import_programme(conn: Connection, programme: Programme | None, now: dt.datetime) -> None:
    """The programme as frab JSON with its mapping (one row), and a row per event: new events are added, events
    gone from the schedule marked absent (their questions and bookmarks stay), the Q&A counters kept."""
    if programme is None:
        conn.execute(delete(db.programmes))
        conn.execute(update(db.programme_events).values(present=False))
        return
    doc = {"frab": to_frab(programme.schedule), "mapping": mapping_doc(programme.mapping)}
    _upsert(conn, db.programmes, [{"id": 1, "doc": doc, "updated_at": now}], "id")
    events = [{"guid": e.guid, "present": True, "title": e.title, "starts": e.starts, "ends": e.ends, "updated_at": now}
              for e in programme.schedule.events]
    _upsert(conn, db.programme_events, events, "guid")
    conn.execute(update(db.programme_events).where(db.programme_events.c.guid.not_in([e["guid"] for e in events]))
                 .values(present=False))


def public_room_key(stand_id: str) -> str:
    return f"public:{stand_id}"


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], key: str, update_existing: bool = True) -> None:
    """Insert the rows, or update the columns they give of those already there (other columns keep their values).
    One statement executed for many rows: compiled once (a VALUES list of 500 rows took 0.4 s to compile)."""
    if not rows:
        return
    # The engine loaded its dialect's module: PostgreSQL's (2.4 MB) is not imported for SQLite, the embedded server's.
    insert = importlib.import_module(f"sqlalchemy.dialects.{conn.dialect.name}").insert
    stmt = insert(table)
    if update_existing:
        stmt = stmt.on_conflict_do_update(index_elements=[key], set_={c: stmt.excluded[c] for c in rows[0] if c != key})
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=[key])
    conn.execute(stmt, rows)


def floor_doc(floor: Floor, store: ContentStore, problems: list[Problem]) -> dict[str, Any] | None:
    """The floor's row, its map files copied into the store; None (and a problem) when its .tmx cannot be."""
    folder = floor.root_folder
    stored: dict[str, str] = {}
    files = map_files(floor.source, folder)
    for rel in files:
        try:
            with open_confined(folder, rel) as fh:
                stored[rel] = store.put_file(fh, stored_suffix(rel))
        except (PathRefused, OSError) as exc:
            if rel == files[0]:  # no map, no floor
                problems.append(_refusal(floor.source, rel, exc, None, Severity.ERROR))
                return None
            log.warning("%s: %s; not served", floor.source, _refusal(floor.source, rel, exc).fault)
    return {
        "title": floor.title, "title_en": floor.title_en, "order": floor.order,
        "width": floor.width, "height": floor.height,
        "tile_width": floor.tile_width, "tile_height": floor.tile_height,
        "files": list(stored), "stored": stored,
        "stands": [{"number": s.number, "exhibitor_id": s.exhibitor_id, "x": s.rect.x0, "y": s.rect.y0,
                    "width": s.rect.width, "height": s.rect.height} for s in floor.stands],
        "points": [{"name": p.name, "x": p.x, "y": p.y, "to_floor": p.to_floor, "to_point": p.to_point}
                   for p in floor.points],
    }


def map_files(tmx: Path, root: Path | None = None) -> list[str]:
    """The .tmx and the files it references (tilesets, their images, templates, image layers), as POSIX paths
    relative to the expo's root folder `root` (default: the .tmx's folder), the .tmx first. Files outside that
    folder or missing are left out (expo_hall.content.confine decides)."""
    folder = Path(root) if root is not None else tmx.parent
    try:
        first = tmx.resolve().relative_to(folder.resolve()).as_posix()
    except (OSError, ValueError):
        first = tmx.name  # not inside its root: refused below, by name
    found: list[str] = [first]

    def add(base: str, source: str) -> str | None:
        try:
            rel = inside_name(source, base)
            confined_file(folder, rel)
        except PathRefused as exc:
            log.warning("%s: %s; not served", tmx, english(f"problem.{exc.key}", **exc.values))
            return None
        if rel not in found:
            found.append(rel)
        return rel

    def scan(rel: str) -> None:
        try:
            with open_confined(folder, rel) as fh:
                root = parse_xml(fh.read())  # no DOCTYPE or entities: the loader refused the map if it had them
        except (XmlRefused, PathRefused, OSError):
            return
        base = rel.rpartition("/")[0]
        for el in root.iter():
            source = el.get("template") if el.tag == "object" else el.get("source")
            if not source or el.tag not in ("tileset", "image", "object"):
                continue
            added = add(base, source)
            if added is not None and el.tag != "image" and added.endswith((".tsx", ".tx")):
                scan(added)

    scan(first)
    return found


def exhibitor_doc(ex: Exhibitor, expo: Expo, store: ContentStore, problems: list[Problem],
                  logos: Logos) -> dict[str, Any]:
    """The exhibitor's row: its content, with the names of its files in the store (None where one could not be
    imported: a problem is added to `problems` then). `logos`: begun beforehand (Logos.begin)."""
    place = expo.place_of(ex.exhibitor_id)
    c = ex.contacts
    copy = _Copier(ex, store, problems)
    logo = logos.take(ex, problems) if ex.logo else None
    local_video = ex.video is not None and not is_url(ex.video)
    return {
        "name": ex.name, "name_en": ex.name_en, "category": ex.category, "category_en": ex.category_en,
        "description": ex.description, "description_en": ex.description_en,
        "logo": logo,
        "video": None if local_video else ex.video,  # an external video's URL
        "video_file": copy.file(Path(ex.video), ("key", "video")) if local_video else None,
        "away_message": ex.away_message,
        "contacts": {"email": c.email, "phone": c.phone, "website": c.website, "address": c.address,
                     "messengers": dict(c.messengers)},
        "materials": list(filter(None, (_material(m, copy, i) for i, m in enumerate(ex.materials, 1)))),
        "webinars": [{"title": w.title, "title_en": w.title_en, "starts": w.starts.isoformat(),
                      "duration_minutes": w.duration_minutes, "url": w.url} for w in ex.webinars],
        "clusters": list(ex.clusters),
        "floor_id": place.floor_id if place else None,
        "stand_number": place.number if place else None,
    }


def _material(m: Material, copy: _Copier, number: int) -> dict[str, Any] | None:
    """The material's entry; None when its file could not be imported (a problem says why)."""
    stored = copy.file(m.file, ("material", number)) if m.file else None
    if stored is None and m.url is None:
        return None
    return {"title": m.title, "title_en": m.title_en, "url": m.url,
            "file": m.file.name if stored else None, "stored": stored,
            "size": copy.store.path(stored).stat().st_size if stored else None}


@dataclass
class _Copier:
    """Copies one exhibitor's files into the store, through the same confinement the loader used: a file
    swapped since it was loaded is checked again; what cannot be copied is a warning about stand.toml."""

    ex: Exhibitor
    store: ContentStore
    problems: list[Problem]

    def file(self, path: Path, where: tuple[str, object]) -> str | None:
        name = path.relative_to(self.ex.folder).as_posix()
        try:
            with open_confined(self.ex.folder, name) as fh:
                return self.store.put_file(fh, stored_suffix(name))
        except (PathRefused, OSError) as exc:
            self.problems.append(_refusal(self.ex.folder / "stand.toml", name, exc, where))
        return None


def _refusal(file: Path, name: str, exc: PathRefused | OSError, where: tuple[str, object] | None = None,
             severity: Severity = Severity.WARNING) -> Problem:
    """The problem of a file that could not be imported: refused by its name (confine), or unreadable."""
    if isinstance(exc, PathRefused):
        return problem(file, exc.key, where, severity, **exc.values)
    return problem(file, "path_unreadable", where, severity, name=name, error=exc.strerror or exc)
