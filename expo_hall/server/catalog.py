"""The expo's content as this worker serves it: read from the database at start.

Content changes by re-importing, which restarts the server, and when a stand's published version goes live
(server/versions.py replaces its entry), so every worker keeps it in memory and the content endpoints do not
read it from the database. Files are served from the content store only (the copies the importer and the
uploads made), by the names the docs record.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, select

from expo_hall.server import db
from expo_hall.server.content_store import ROUTES, STORED_NAME, ContentStore
from expo_hall.server.importer import public_room_key
from expo_hall.server.schemas import (
    ContactsOut,
    ExhibitorOut,
    ExhibitorSummary,
    FloorFile,
    FloorOut,
    MapPointOut,
    MaterialOut,
    RecommendedRouteOut,
    StandOut,
    VideoOut,
    WebinarOut,
    WebinarStatus,
)

API = "/api/v1"
mimetypes.add_type("application/xml", ".tmx")  # Tiled's map, tileset and template files are XML
mimetypes.add_type("application/xml", ".tsx")
mimetypes.add_type("application/xml", ".tx")
mimetypes.add_type("image/webp", ".webp")


def content_type(path: Path | str) -> str:
    return mimetypes.guess_type(str(path))[0] or "application/octet-stream"


@dataclass(frozen=True)
class Webinar:
    title: str
    title_en: str | None
    starts: dt.datetime
    duration_minutes: int
    url: str | None

    @property
    def ends(self) -> dt.datetime:
        return self.starts + dt.timedelta(minutes=self.duration_minutes)

    def status(self, now: dt.datetime) -> WebinarStatus:
        if now < self.starts:
            return WebinarStatus.upcoming
        return WebinarStatus.live if now < self.ends else WebinarStatus.ended


@dataclass(frozen=True)
class StoredFile:
    path: Path  # the copy in the content store
    name: str  # the file's name as the package gave it: its download name and content type

    @property
    def content_type(self) -> str:
        return content_type(self.name)

    @property
    def sha256(self) -> str | None:
        """The content's hash, from the stored copy's name (None for a file outside the content store)."""
        return self.path.name[:64] if STORED_NAME.match(self.path.name) else None


@dataclass
class ExhibitorEntry:
    summary: ExhibitorSummary
    doc: dict[str, Any]
    logo: StoredFile | None
    video: StoredFile | None  # a local file; an external video has only a URL
    materials: list[StoredFile | None]
    webinars: list[Webinar] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.summary.name

    @property
    def away_message(self) -> str | None:
        return self.doc["away_message"]

    def webinars_out(self, now: dt.datetime) -> list[WebinarOut]:
        return [WebinarOut(exhibitor_id=self.summary.exhibitor_id, exhibitor_name=self.name, title=w.title,
                           title_en=w.title_en, starts=w.starts, ends=w.ends, duration_minutes=w.duration_minutes,
                           url=w.url, status=w.status(now)) for w in self.webinars]

    def out(self, now: dt.datetime) -> ExhibitorOut:
        d, ex_id = self.doc, self.summary.exhibitor_id
        video = None
        if self.video is not None:
            video = VideoOut(url=f"{API}/exhibitors/{ex_id}/video", external=False,
                             content_type=self.video.content_type)
        elif d["video"]:
            video = VideoOut(url=d["video"], external=True, content_type=None)
        materials = []
        for i, (m, stored) in enumerate(zip(d["materials"], self.materials, strict=True)):
            local = stored is not None
            materials.append(MaterialOut(
                index=i, title=m["title"], title_en=m["title_en"],
                url=f"{API}/exhibitors/{ex_id}/materials/{i}" if local else m["url"],
                file_name=stored.name if local else None, content_type=stored.content_type if local else None,
                size=m["size"] if local else None))
        return ExhibitorOut(**self.summary.model_dump(), description=d["description"],
                            description_en=d["description_en"], away_message=d["away_message"],
                            contacts=ContactsOut(**d["contacts"]), video=video, materials=materials,
                            webinars=self.webinars_out(now))


@dataclass
class FloorEntry:
    out: FloorOut
    files: dict[str, StoredFile]  # by the path the map gives


@dataclass
class Catalog:
    floors: dict[str, FloorEntry] = field(default_factory=dict)  # in floor order
    exhibitors: dict[str, ExhibitorEntry] = field(default_factory=dict)  # by floor, stand number, then name
    recommended: list[RecommendedRouteOut] = field(default_factory=list)  # routes/*.toml, by file name
    changes_seq: int = 0  # the last stand version gone live that the entries show (server/versions.py)

    @classmethod
    def load(cls, engine: Engine, content_dir: Path) -> Catalog:
        """What the database holds, its files in the content store at `content_dir`."""
        store = ContentStore(content_dir)
        F, E, R = db.floors.c, db.exhibitors.c, db.rooms.c
        with engine.connect() as conn:
            floor_rows = conn.execute(select(F.floor_id, F.doc).where(F.present.is_(True)).order_by(F.position)).all()
            ex_rows = conn.execute(select(E.exhibitor_id, E.doc).where(E.present.is_(True))).all()
            room_ids = dict(conn.execute(select(R.key, R.id).where(R.visitor_id.is_(None))).all())
        catalog = cls()
        for floor_id, doc in floor_rows:
            catalog.floors[floor_id] = _floor(floor_id, doc, store)
        floor_pos = {floor_id: i for i, floor_id in enumerate(catalog.floors)}
        entries = [_exhibitor(ex_id, doc, room_ids[public_room_key(ex_id)], store) for ex_id, doc in ex_rows]
        entries.sort(key=lambda e: (floor_pos.get(e.summary.floor_id or "", len(floor_pos)),
                                    e.summary.stand_number or "", e.name.casefold()))
        catalog.exhibitors = {e.summary.exhibitor_id: e for e in entries}
        routes = store.folder / ROUTES  # written by the import beside the files
        catalog.recommended = [RecommendedRouteOut(**doc) for doc in json.loads(routes.read_text(encoding="utf-8"))
                               ] if routes.is_file() else []
        return catalog

    def replace_exhibitor(self, ex_id: str, doc: dict[str, Any], content_dir: Path) -> None:
        """The exhibitor's entry made again from its row's `doc` (a version of its stand went live)."""
        old = self.exhibitors.get(ex_id)
        if old is not None:
            self.exhibitors[ex_id] = _exhibitor(ex_id, doc, old.summary.room_id, ContentStore(content_dir))

    def programme(self, now: dt.datetime) -> list[WebinarOut]:
        every = [w for e in self.exhibitors.values() for w in e.webinars_out(now)]
        return sorted(every, key=lambda w: (w.starts, w.exhibitor_id, w.title))


def _stored(store: ContentStore, stored_name: str | None, name: str) -> StoredFile | None:
    path = store.path(stored_name) if stored_name else None
    return StoredFile(path, name) if path is not None else None


def _floor(floor_id: str, doc: dict[str, Any], store: ContentStore) -> FloorEntry:
    base = f"{API}/floors/{quote(floor_id, safe='')}/files/"
    stored = {p: f for p in doc["files"] if (f := _stored(store, doc.get("stored", {}).get(p), p)) is not None}
    files = [FloorFile(path=p, url=base + quote(p), sha256=stored[p].sha256 if p in stored else None)
             for p in doc["files"]]
    out = FloorOut(floor_id=floor_id, title=doc["title"], title_en=doc["title_en"], order=doc["order"],
                   width=doc["width"], height=doc["height"], tile_width=doc["tile_width"],
                   tile_height=doc["tile_height"], map_url=files[0].url, files=files,
                   stands=[StandOut(**s) for s in doc["stands"]], points=[MapPointOut(**p) for p in doc["points"]])
    return FloorEntry(out, stored)


def _exhibitor(ex_id: str, doc: dict[str, Any], room_id: int, store: ContentStore) -> ExhibitorEntry:
    logo = _stored(store, doc["logo"], "logo.png")
    summary = ExhibitorSummary(
        exhibitor_id=ex_id, name=doc["name"], name_en=doc["name_en"], category=doc["category"],
        category_en=doc["category_en"], floor_id=doc["floor_id"], stand_number=doc["stand_number"],
        logo_url=f"{API}/exhibitors/{ex_id}/logo" if logo else None, logo_sha256=logo.sha256 if logo else None,
        room_id=room_id, clusters=doc.get("clusters", []))
    webinars = [Webinar(w["title"], w["title_en"], dt.datetime.fromisoformat(w["starts"]), w["duration_minutes"],
                        w["url"]) for w in doc["webinars"]]
    video = doc.get("video_file")
    return ExhibitorEntry(
        summary=summary, doc=doc, logo=logo, video=_stored(store, video, video) if video else None,
        materials=[_stored(store, m.get("stored"), m["file"]) for m in doc["materials"]], webinars=webinars)
