"""Importing floors and stand packages into the database: an idempotent upsert.

Content that disappeared from the folders is marked absent, never deleted, so the chat, route
and visit rows that point at it stay.
"""

from __future__ import annotations

import datetime as dt
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, update
from sqlalchemy.dialects import postgresql, sqlite

from expo_hall.expo import Expo, load_expo
from expo_hall.floors.model import Floor
from expo_hall.problems import Problem
from expo_hall.server import db
from expo_hall.stands.package import Exhibitor, is_url

log = logging.getLogger("expo_hall.server")


@dataclass(frozen=True)
class ImportSummary:
    floors: int
    exhibitors: int
    problems: list[Problem]  # as found by the loaders (str() gives the English message)


def import_folders(engine: Engine, maps_dir: Path, stands_dir: Path, now: dt.datetime) -> ImportSummary:
    """Load the expo from its folders and upsert it; creates the tables when missing."""
    expo = load_expo(maps_dir, stands_dir)
    with db.writing(engine) as conn:
        db.create_schema(conn)
        import_expo(conn, expo, now)
    return ImportSummary(len(expo.floors), len(expo.exhibitors), list(expo.problems))


def import_expo(conn: Connection, expo: Expo, now: dt.datetime) -> None:
    floor_rows = [{"floor_id": f.floor_id, "present": True, "position": i, "doc": floor_doc(f), "updated_at": now}
                  for i, f in enumerate(expo.floors)]
    exhibitor_rows = [{"exhibitor_id": ex.exhibitor_id, "name": ex.name, "present": True,
                       "doc": exhibitor_doc(ex, expo), "updated_at": now} for ex in expo.exhibitors.values()]
    _upsert(conn, db.floors, floor_rows, "floor_id")
    _upsert(conn, db.exhibitors, exhibitor_rows, "exhibitor_id")
    conn.execute(update(db.floors).where(db.floors.c.floor_id.not_in([r["floor_id"] for r in floor_rows]))
                 .values(present=False))
    conn.execute(update(db.exhibitors)
                 .where(db.exhibitors.c.exhibitor_id.not_in([r["exhibitor_id"] for r in exhibitor_rows]))
                 .values(present=False))
    public_rooms = [{"key": public_room_key(ex_id), "stand_id": ex_id, "created_at": now, "message_count": 0}
                    for ex_id in sorted(expo.exhibitors)]
    _upsert(conn, db.rooms, public_rooms, "key", update_existing=False)


def public_room_key(stand_id: str) -> str:
    return f"public:{stand_id}"


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], key: str, update_existing: bool = True) -> None:
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[conn.dialect.name]
    for start in range(0, len(rows), 500):
        stmt = insert(table).values(rows[start:start + 500])
        if update_existing:
            stmt = stmt.on_conflict_do_update(
                index_elements=[key], set_={c: stmt.excluded[c] for c in rows[0] if c != key})
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=[key])
        conn.execute(stmt)


def floor_doc(floor: Floor) -> dict[str, Any]:
    return {
        "title": floor.title, "title_en": floor.title_en, "order": floor.order,
        "width": floor.width, "height": floor.height,
        "tile_width": floor.tile_width, "tile_height": floor.tile_height,
        "folder": str(floor.source.parent.resolve()), "files": map_files(floor.source),
        "stands": [{"number": s.number, "exhibitor_id": s.exhibitor_id, "x": s.rect.x0, "y": s.rect.y0,
                    "width": s.rect.width, "height": s.rect.height} for s in floor.stands],
        "points": [{"name": p.name, "x": p.x, "y": p.y, "to_floor": p.to_floor, "to_point": p.to_point}
                   for p in floor.points],
    }


def map_files(tmx: Path) -> list[str]:
    """The .tmx and the files it references (tilesets, their images, templates, image layers), as
    POSIX paths relative to the .tmx's folder. Files outside that folder or missing are left out."""
    folder = tmx.parent.resolve()
    found: list[str] = [tmx.name]

    def add(relative_to: Path, source: str) -> Path | None:
        path = (relative_to / source).resolve()
        if not path.is_file():
            log.warning("%s: referenced file %r not found", tmx, source)
            return None
        try:
            rel = path.relative_to(folder).as_posix()
        except ValueError:
            log.warning("%s: referenced file %r is outside the map's folder; not served", tmx, source)
            return None
        if rel not in found:
            found.append(rel)
        return path

    def scan(xml_file: Path) -> None:
        try:
            root = ET.parse(xml_file).getroot()
        except (ET.ParseError, OSError):
            return
        base = xml_file.parent
        for el in root.iter():
            source = el.get("template") if el.tag == "object" else el.get("source")
            if not source or el.tag not in ("tileset", "image", "object"):
                continue
            path = add(base, source)
            if path is not None and el.tag != "image" and path.suffix in (".tsx", ".tx"):
                scan(path)

    scan(tmx)
    return found


def exhibitor_doc(ex: Exhibitor, expo: Expo) -> dict[str, Any]:
    place = expo.place_of(ex.exhibitor_id)
    c = ex.contacts
    return {
        "name": ex.name, "name_en": ex.name_en, "category": ex.category, "category_en": ex.category_en,
        "description": ex.description, "description_en": ex.description_en,
        "logo": str(ex.logo.resolve()) if ex.logo else None,
        "video": ex.video if ex.video is None or is_url(ex.video) else str(Path(ex.video).resolve()),
        "away_message": ex.away_message,
        "contacts": {"email": c.email, "phone": c.phone, "website": c.website, "address": c.address,
                     "messengers": dict(c.messengers)},
        "materials": [{"title": m.title, "title_en": m.title_en, "file": str(m.file.resolve()) if m.file else None,
                       "url": m.url} for m in ex.materials],
        "webinars": [{"title": w.title, "title_en": w.title_en, "starts": w.starts.isoformat(),
                      "duration_minutes": w.duration_minutes, "url": w.url} for w in ex.webinars],
        "floor_id": place.floor_id if place else None,
        "stand_number": place.number if place else None,
    }
