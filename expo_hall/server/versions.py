"""Versions of a stand's content, published by its representatives: checked as `expo-hall preview` checks a
package, numbered per stand, live at once or (with `--review`) waiting for an organizer, who approves or
rejects with a reason.

A version going live rewrites the exhibitor's row and takes the next `live_seq`: each worker's catalog and bulk
answer follow the rows after the seq it has seen (`Versions.sync`), on its own publish at once, on other
workers when a follower's long poll (`/expo/changes`) or the bulk answer asks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Connection, Engine, func, insert, select, update

from expo_hall.content import images
from expo_hall.problems import Problem, Severity
from expo_hall.server import db
from expo_hall.server.auth import Principal
from expo_hall.server.bulk import ExpoAnswer
from expo_hall.server.catalog import Catalog
from expo_hall.server.content_store import ContentStore
from expo_hall.server.importer import PUBLISHED_KEYS
from expo_hall.server.notify import CHANNEL, notify_payload
from expo_hall.server.schemas import (
    FindingOut,
    PublishOut,
    ReviewList,
    StandChange,
    StandChanges,
    StandIn,
    UploadKind,
    VersionList,
    VersionOut,
    VersionState,
)
from expo_hall.server.settings import Settings
from expo_hall.server.uploads import INCOMING
from expo_hall.stands.package import Contacts, Exhibitor, Material, Webinar
from expo_hall.stands.validate import check_exhibitor

CHANGES_KEY = "stands"  # the notifier's key for stands going live
VERSION_LOCK = 7_243_002  # a PostgreSQL advisory lock: one version goes live at a time (numbers and seqs)
CHANGES_LIMIT = 200


class Versions:
    def __init__(self, settings: Settings, engine: Engine, catalog: Catalog, expo: ExpoAnswer) -> None:
        self.settings, self.engine, self.catalog, self.expo = settings, engine, catalog, expo
        assert settings.content_dir is not None
        self.store = ContentStore(settings.content_dir)
        self._lock = threading.Lock()
        with engine.connect() as conn:
            self.seen = conn.execute(select(func.max(db.stand_versions.c.live_seq))).scalar() or 0

    # -- publishing -----------------------------------------------------------------------------------------------
    def publish(self, who: Principal, stand_id: str, body: StandIn) -> PublishOut:
        """Check the content (422 listing each error) and store it as the stand's next version. Blocking."""
        now = self.settings.clock()
        files = self._uploads(stand_id, body)
        entry = self.catalog.exhibitors[stand_id]
        with self._staged(files) as (folder, staged):
            exhibitor = _exhibitor(stand_id, entry.doc, body, folder, staged)
            findings = check_exhibitor(exhibitor)
            errors = [f for f in findings if f.severity is Severity.ERROR]
            if errors:
                raise RequestValidationError([_error_item(f) for f in errors])
            logo = self.store.put_bytes(images.logo_png(staged[("logo", body.logo)]), ".png") if body.logo else None
        content = _content(body, files, logo)
        with db.writing(self.engine) as conn:
            _lock(conn)
            V = db.stand_versions.c
            number = (conn.execute(select(func.max(V.number)).where(V.stand_id == stand_id)).scalar() or 0) + 1
            conn.execute(update(db.stand_versions).where(V.stand_id == stand_id, V.state == VersionState.in_review)
                         .values(state=VersionState.replaced))  # a newer version takes a waiting one's place
            state = VersionState.in_review if self.settings.review else VersionState.live
            row_id = conn.execute(insert(db.stand_versions).values(
                stand_id=stand_id, number=number, author_id=who.id, author_name=who.display_name, created_at=now,
                state=state, content=content).returning(V.id)).scalar_one()
            if state is VersionState.live:
                _go_live(conn, row_id, stand_id, content, now)
            version = _version_out(conn.execute(select(db.stand_versions).where(V.id == row_id)).one())
        self.sync()
        return PublishOut(version=version, findings=[_finding(f) for f in findings])

    def _uploads(self, stand_id: str, body: StandIn) -> dict[tuple[str, str], Any]:
        """The uploads the content refers to, by (kind, sha256); 422 naming each one not uploaded for the stand."""
        wanted: list[tuple[list[str | int], str, str | None]] = [
            (["body", "logo"], UploadKind.logo, body.logo), (["body", "video"], UploadKind.video, body.video),
            *((["body", "materials", i, "file"], UploadKind.material, m.file) for i, m in enumerate(body.materials))]
        U = db.uploads.c
        found: dict[tuple[str, str], Any] = {}
        missing = []
        with self.engine.connect() as conn:
            for loc, kind, sha in wanted:
                if sha is None or (kind, sha) in found:
                    continue
                row = conn.execute(select(U.stored, U.name, U.size).where(
                    U.stand_id == stand_id, U.kind == kind, U.sha256 == sha).order_by(U.id.desc()).limit(1)).first()
                if row is None or self.store.path(row.stored) is None or not (self.store.folder / row.stored).is_file():
                    missing.append({"loc": loc, "msg": f"no {kind} with this sha256 was uploaded for this stand",
                                    "type": "upload_missing"})
                else:
                    found[(kind, sha)] = row
        if missing:
            raise RequestValidationError(missing)
        return found

    @contextlib.contextmanager
    def _staged(self, files: dict[tuple[str, str], Any]) -> Iterator[tuple[Path, dict[tuple[str, str], Path]]]:
        """The uploads linked into a folder of their own under their display names, as a package holds them,
        so the package checks read them (and name them) as `preview` does."""
        incoming = self.store.folder / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=incoming, prefix="stage-"))
        try:
            paths: dict[tuple[str, str], Path] = {}
            taken: set[str] = set()
            for key, row in files.items():
                name = row.name
                n = 1
                while name.casefold() in taken:
                    n += 1
                    name = f"{n}-{row.name}"
                taken.add(name.casefold())
                paths[key] = folder / name
                try:
                    os.link(self.store.folder / row.stored, paths[key])
                except OSError:
                    shutil.copyfile(self.store.folder / row.stored, paths[key])
            yield folder, paths
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # -- review ------------------------------------------------------------------------------------------------
    def decide(self, who: Principal, stand_id: str, number: int, approve: bool, reason: str | None) -> VersionOut:
        """An organizer's word on a version waiting for review: live at once, or rejected with `reason`."""
        if not approve and not reason:
            raise RequestValidationError([{"loc": ["body", "reason"], "msg": "say why the version is rejected",
                                           "type": "missing"}])
        now = self.settings.clock()
        V = db.stand_versions.c
        with db.writing(self.engine) as conn:
            _lock(conn)
            row = conn.execute(select(db.stand_versions).where(V.stand_id == stand_id, V.number == number)).first()
            if row is None:
                raise HTTPException(404, f"{stand_id} has no version {number}")
            if row.state != VersionState.in_review:
                raise HTTPException(409, f"version {number} of {stand_id} is {row.state}, not waiting for review")
            conn.execute(update(db.stand_versions).where(V.id == row.id).values(
                state=VersionState.rejected if not approve else row.state, reason=reason, decided_at=now,
                decided_by=who.id))
            if approve:
                _go_live(conn, row.id, stand_id, row.content, now)
            version = _version_out(conn.execute(select(db.stand_versions).where(V.id == row.id)).one())
        self.sync()
        return version

    def waiting(self) -> ReviewList:
        V = db.stand_versions.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(db.stand_versions).where(V.state == VersionState.in_review)
                                .order_by(V.created_at, V.id)).all()
        return ReviewList(versions=[_version_out(r) for r in rows])

    def history(self, stand_id: str) -> VersionList:
        V = db.stand_versions.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(db.stand_versions).where(V.stand_id == stand_id).order_by(V.number.desc())).all()
        return VersionList(exhibitor_id=stand_id, review=self.settings.review, versions=[_version_out(r) for r in rows])

    # -- following ------------------------------------------------------------------------------------------------
    def changes(self, after: int) -> StandChanges | None:
        """Stands gone live after `after` (None: none yet); this worker's catalog follows them first. Blocking."""
        self.sync()
        V = db.stand_versions.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(V.stand_id, V.number, V.live_seq).where(V.live_seq > after)
                                .order_by(V.live_seq).limit(CHANGES_LIMIT)).all()
        if not rows:
            return None
        return StandChanges(changes=[StandChange(exhibitor_id=r.stand_id, version=r.number, seq=r.live_seq)
                                     for r in rows], seq=rows[-1].live_seq)

    def sync(self) -> int:
        """Bring this worker's catalog and bulk answer up to the stands gone live since it last looked; the newest
        seq. Blocking."""
        V, E = db.stand_versions.c, db.exhibitors.c
        with self._lock:
            with self.engine.connect() as conn:
                rows = conn.execute(select(V.stand_id, V.live_seq).where(V.live_seq > self.seen)
                                    .order_by(V.live_seq)).all()
                if not rows:
                    return self.seen
                stands = sorted({r.stand_id for r in rows})
                docs = dict(conn.execute(select(E.exhibitor_id, E.doc).where(E.exhibitor_id.in_(stands))).all())
            for stand_id, doc in docs.items():
                self.catalog.replace_exhibitor(stand_id, doc, self.store.folder)
            self.expo.reset()
            self.seen = rows[-1].live_seq
            return self.seen


def _lock(conn: Connection) -> None:
    if db.is_postgres(conn):
        conn.execute(select(func.pg_advisory_xact_lock(VERSION_LOCK)))


def _go_live(conn: Connection, row_id: int, stand_id: str, content: dict[str, Any], now: dt.datetime) -> None:
    """The version becomes what visitors see: the one live before is replaced, the exhibitor's row rewritten."""
    V, E = db.stand_versions.c, db.exhibitors.c
    seq = (conn.execute(select(func.max(V.live_seq))).scalar() or 0) + 1
    conn.execute(update(db.stand_versions).where(V.stand_id == stand_id, V.state == VersionState.live)
                 .values(state=VersionState.replaced))
    conn.execute(update(db.stand_versions).where(V.id == row_id).values(state=VersionState.live, live_seq=seq))
    doc = conn.execute(select(E.doc).where(E.exhibitor_id == stand_id)).scalar_one()
    conn.execute(update(db.exhibitors).where(E.exhibitor_id == stand_id)
                 .values(doc={**doc, **{k: content[k] for k in PUBLISHED_KEYS}}, updated_at=now))
    if db.is_postgres(conn):  # other workers' followers wake (this worker's are woken by the route)
        conn.execute(select(func.pg_notify(CHANNEL, notify_payload([CHANGES_KEY], seq))))


def _exhibitor(stand_id: str, doc: dict[str, Any], body: StandIn, folder: Path,
               staged: dict[tuple[str, str], Path]) -> Exhibitor:
    """The content as the package checks take it: the organizers' name and category, the files as staged."""
    c = body.contacts
    video = str(staged[("video", body.video)]) if body.video else body.video_url
    return Exhibitor(
        exhibitor_id=stand_id, name=doc["name"], folder=folder,
        name_en=doc["name_en"], category=doc["category"], category_en=doc["category_en"],
        description=body.description, description_en=body.description_en,
        logo=staged[("logo", body.logo)] if body.logo else None, video=video, away_message=body.away_message,
        contacts=Contacts(email=c.email, phone=c.phone, website=c.website, address=c.address,
                          messengers=dict(c.messengers)),
        materials=tuple(Material(m.title, m.title_en, file=staged[("material", m.file)] if m.file else None,
                                 url=m.url, number=i) for i, m in enumerate(body.materials, 1)),
        webinars=tuple(Webinar(w.title, w.starts, w.duration_minutes, w.url, w.title_en, number=i)
                       for i, w in enumerate(body.webinars, 1)))


def _content(body: StandIn, files: dict[tuple[str, str], Any], logo: str | None) -> dict[str, Any]:
    """The exhibitor doc's published fields (as importer.exhibitor_doc writes them)."""
    c = body.contacts
    video = files[("video", body.video)] if body.video else None
    return {
        "description": body.description, "description_en": body.description_en, "away_message": body.away_message,
        "logo": logo, "video": body.video_url if video is None else None,
        "video_file": video.stored if video is not None else None,
        "contacts": {"email": c.email, "phone": c.phone, "website": c.website, "address": c.address,
                     "messengers": dict(c.messengers)},
        "materials": [{"title": m.title, "title_en": m.title_en, "url": m.url,
                       "file": files[("material", m.file)].name if m.file else None,
                       "stored": files[("material", m.file)].stored if m.file else None,
                       "size": files[("material", m.file)].size if m.file else None} for m in body.materials],
        "webinars": [{"title": w.title, "title_en": w.title_en, "starts": w.starts.isoformat(),
                      "duration_minutes": w.duration_minutes, "url": w.url} for w in body.webinars],
    }


def _version_out(row: Any) -> VersionOut:  # noqa: ANN401 - a stand_versions row
    return VersionOut(exhibitor_id=row.stand_id, number=row.number, author=row.author_name,
                      created_at=db.as_utc(row.created_at), state=VersionState(row.state), reason=row.reason,
                      decided_at=db.as_utc(row.decided_at) if row.decided_at else None)


def _finding(p: Problem) -> FindingOut:
    return FindingOut(severity=p.severity.value, field=p.field or None, code=p.code, message=p.message(),
                      fix=p.fix() or None)


def _error_item(p: Problem) -> dict[str, Any]:
    """A finding as a 422's item: `materials[2].file` (counted from 1) is at body.materials.1.file."""
    loc: list[str | int] = ["body"]
    for part in p.field.replace("]", "").replace("[", ".").split(".") if p.field else ():
        loc.append(int(part) - 1 if part.isdigit() else part)
    fix = p.fix()
    return {"loc": loc, "msg": f"{p.message()}{' — ' + fix if fix else ''}", "type": p.code}
