"""Files a representative uploads for their stand: streamed to disk within the kind's size limit, judged by their
content (an allow-list of types by signature; office documents also by what they say they unpack to), and
kept in the content store under a name the server chooses: the content's sha256 and the suffix of its real
type. The name the client gave is only a display name, cleaned of any path; it never reaches the disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException
from sqlalchemy import Engine, delete, insert, select

from expo_hall.content import images, limits, signatures
from expo_hall.content.text import clean_text
from expo_hall.server import db
from expo_hall.server.catalog import content_type
from expo_hall.server.schemas import UPLOAD_NAME_MAX, UploadKind, UploadOut
from expo_hall.stands.validate import MATERIAL_KINDS, ZIP_DOCUMENTS

ALLOWED = {  # what each kind of upload may be, by signature
    UploadKind.logo: frozenset({"png", "jpeg", "webp"}),
    UploadKind.video: frozenset({"mp4", "webm"}),
    UploadKind.material: MATERIAL_KINDS,
}
WHAT = {UploadKind.logo: "a logo must be PNG, JPEG or WebP", UploadKind.video: "a video must be MP4 or WebM",
        UploadKind.material: "a material must be a PDF, a picture or an office document"}
INCOMING = ".incoming"  # beside the stored files; never a stored name (content_store.STORED_NAME)
ABANDONED_AFTER = 3600.0  # seconds: an upload or a staged version untouched this long had its process killed
UNUSED_KEEP = dt.timedelta(days=1)  # an upload no live or waiting version uses is let go after this


def display_name(name: str) -> str:
    """The name to show for an upload: its last path part, without controls or leading dots; never a path."""
    last = clean_text(name).replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".").strip()
    return last[:UPLOAD_NAME_MAX] or "file"


def _megabytes(n: int) -> str:
    return f"{n / limits.MB:.0f} MB"


def _size(n: int) -> str:
    return _megabytes(n) if n >= 10 * limits.MB else f"{n / 1024:.0f} kB"


@dataclass
class Received:
    """An upload on disk, not yet judged: its temporary file, sha256 and size."""

    path: Path
    sha256: str
    size: int


def stored_names(doc: dict[str, Any]) -> set[str]:
    """The content store's files an exhibitor's doc or a version's content names."""
    names = {doc.get("logo"), doc.get("video_file"), *(m.get("stored") for m in doc.get("materials") or ())}
    return {n for n in names if isinstance(n, str)}


def held_by(engine: Engine, folder: Path, stand_id: str, now: dt.datetime) -> dict[str, int]:
    """The files the stand's uploads hold (stored name: size), once those no live or waiting version uses and older
    than UNUSED_KEEP are let go: their rows removed, and their files too where nothing else names them. Blocking."""
    U, V = db.uploads.c, db.stand_versions.c
    with db.writing(engine) as conn:
        used: set[str] = set()
        for content in conn.execute(select(V.content).where(V.stand_id == stand_id,
                                                              V.state.in_(("live", "in_review")))).scalars():
            used |= stored_names(content)
        rows = conn.execute(select(U.id, U.stored, U.size, U.created_at).where(U.stand_id == stand_id)).all()
        stale = [r for r in rows if db.as_utc(r.created_at) < now - UNUSED_KEEP and r.stored not in used]
        if stale:
            conn.execute(delete(db.uploads).where(U.id.in_([r.id for r in stale])))
    kept = {r.stored: r.size for r in rows if r not in stale}
    gone = {r.stored for r in stale} - kept.keys()
    if gone:
        _remove_unnamed(engine, folder, gone)
    return kept


def check_room(received: Received, held: dict[str, int], most: int, name: str) -> None:
    """413 (the file removed) when a file the stand does not hold yet would take its uploads past `most` bytes."""
    if any(stored.startswith(received.sha256) for stored in held):
        return  # the same file again (a publish sends every file): it takes no more room
    total = sum(held.values())
    if total + received.size > most:
        received.path.unlink(missing_ok=True)
        raise HTTPException(413, f"{name}: the stand's uploads hold {_size(total)} of the {_size(most)} they may "
                                 f"(an upload no live or waiting version uses is let go a day after it came)")


def _remove_unnamed(engine: Engine, folder: Path, names: set[str]) -> None:
    """Delete those of `names` that no upload, exhibitor, floor or stand version names (the imported content and
    every version share the store)."""
    with engine.connect() as conn:
        named = set(conn.execute(select(db.uploads.c.stored).where(db.uploads.c.stored.in_(names))).scalars())
        for doc in conn.execute(select(db.exhibitors.c.doc)).scalars():
            named |= stored_names(doc)
        for content in conn.execute(select(db.stand_versions.c.content)).scalars():
            named |= stored_names(content)
        for doc in conn.execute(select(db.floors.c.doc)).scalars():
            named |= set((doc.get("stored") or {}).values())
    for name in names - named:
        (folder / name).unlink(missing_ok=True)


async def receive(chunks: AsyncIterator[bytes], folder: Path, kind: UploadKind, name: str) -> Received:
    """The body streamed into a temporary file under `folder`; 413 (and nothing kept) past the kind's limit."""
    most = limits.UPLOAD_MAX_BYTES[kind.value]
    incoming = folder / INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=incoming, suffix=".part")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > most:
                    raise HTTPException(413, f"{name}: a {kind.value} file may be {_megabytes(most)} at most")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Received(Path(tmp), digest.hexdigest(), size)


def sweep_incoming(folder: Path, now: float | None = None) -> int:
    """Remove what a killed server left in `folder`'s incoming files (an upload's `.part`, a version's staging
    folder) untouched for ABANDONED_AFTER; the number removed. An upload under way writes on: it is kept."""
    incoming = folder / INCOMING
    if not incoming.is_dir():
        return 0
    now = time.time() if now is None else now
    removed = 0
    for entry in incoming.iterdir():
        try:
            if now - entry.lstat().st_mtime < ABANDONED_AFTER:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except OSError:
            continue  # another worker swept it first
    return removed


def accept(engine: Engine, folder: Path, received: Received, kind: UploadKind, name: str, stand_id: str,
           user_id: int, now: dt.datetime) -> UploadOut:
    """Judge the received file by its content and store it, or refuse it (422, the file removed). Blocking."""
    try:
        found = judge(received.path, kind, name)
        stored = received.sha256 + (found.suffixes[0] if found.suffixes else "")
        target = folder / stored
        if target.is_file():
            received.path.unlink()
        else:
            os.replace(received.path, target)
    finally:
        received.path.unlink(missing_ok=True)
    out = UploadOut(sha256=received.sha256, kind=kind, name=name, size=received.size, content_type=content_type(stored))
    with db.writing(engine) as conn:
        conn.execute(insert(db.uploads).values(
            stand_id=stand_id, user_id=user_id, kind=kind.value, sha256=received.sha256, stored=stored, name=name,
            size=received.size, content_type=out.content_type, created_at=now))
    return out


def judge(path: Path, kind: UploadKind, name: str) -> signatures.Kind:
    """The file's real type, when `kind` may be it; else a 422 naming what it is and what is allowed."""
    found = signatures.sniff(path)
    if found.name == "empty":
        raise HTTPException(422, f"{name} is empty")
    if found.name not in ALLOWED[kind]:
        what = "of an unknown type" if found.name == "unknown" else f"{found.label}"
        if found.group == signatures.PROGRAM:
            what = f"a program ({found.label})"
        elif found.group == signatures.WEB:
            what = f"a web page or markup ({found.label})"
        raise HTTPException(422, f"{name} is {what}, whatever its name says: {WHAT[kind]}; it was not stored")
    if kind is UploadKind.logo:
        try:
            images.check(path, images.LOGO_FORMATS)
        except images.ImageRefused as exc:
            raise HTTPException(422, f"{name}: the picture cannot be used ({exc}); it was not stored") from None
    if found.name in ZIP_DOCUMENTS:
        try:
            held = signatures.unpacked_size(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise HTTPException(422, f"{name}: the {found.label} document is damaged ({exc})") from None
        if held.size > limits.UNPACKED_MAX_BYTES or held.members > limits.ZIP_MAX_MEMBERS:
            raise HTTPException(422, f"{name} says it unpacks to {_megabytes(held.size)} in {held.members} files "
                                     f"(at most {_megabytes(limits.UNPACKED_MAX_BYTES)} and "
                                     f"{limits.ZIP_MAX_MEMBERS} files): a zip bomb, not a document; it was not stored")
    return found
