"""The server's own copy of every file it serves, each named by its content: <sha256><suffix>.

The importer copies a package's or a map's file here once it has checked it (expo_hall.content.confine),
and the server serves only from here: a file changed, swapped for a link or deleted in the package after
the import is not what visitors get; the imported copy is. A file already stored is not copied again.
Beside them, the import leaves the recommended routes it read (ROUTES, JSON): every worker reads them there.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from pathlib import Path
from typing import BinaryIO

from expo_hall.files import replacing, write_atomically

log = logging.getLogger("expo_hall.server")

STORED_NAME = re.compile(r"^[0-9a-f]{64}(\.[a-z0-9]{1,16})?$")
_CHUNK = 1 << 20
ROUTES = "recommended-routes.json"  # not a stored name: never served as a file


def stored_suffix(name: str) -> str:
    """The suffix a stored copy keeps (it gives the content type): the original's, in lower case, if plain."""
    suffix = Path(name).suffix.lower()
    return suffix if STORED_NAME.match("0" * 64 + suffix) else ""


class ContentStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, name: str) -> Path | None:
        """Where the stored file `name` is; None for a name that is not one of ours."""
        return self.folder / name if STORED_NAME.match(name) else None

    def put_bytes(self, data: bytes, suffix: str) -> str:
        name = hashlib.sha256(data).hexdigest() + suffix
        if not (self.folder / name).is_file():
            write_atomically(self.folder / name, data)
        return name

    def put_file(self, source: BinaryIO, suffix: str) -> str:
        """Copy an open file in (read once to name it, once more to copy it when it is new). Raises OSError,
        also when the file changed between the two reads."""
        digest = _sha256(source)
        name = digest + suffix
        target = self.folder / name
        if target.is_file():
            return name
        source.seek(0)
        with replacing(target) as out:
            copied = hashlib.sha256()
            while chunk := source.read(_CHUNK):
                copied.update(chunk)
                out.write(chunk)
            if copied.hexdigest() != digest:
                raise OSError("the file changed while it was being imported")
        return name


class Derived:
    """What a recipe (a logo's normalisation, with its version and limits) made before from a source, by the
    source's sha256: the stored name of the result. Kept in the store as one JSON file per recipe, read once and
    written once per import, so an import of unchanged files makes nothing again; a source that changed has
    another hash and is made anew. Thread-safe: the import makes in parallel."""

    def __init__(self, store: ContentStore, recipe: str) -> None:
        self.store = store
        self.file = store.folder / f"derived-{recipe}.json"
        self._lock = threading.Lock()
        self._changed = False
        try:
            known = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or damaged: everything is made again
            known = {}
        if not isinstance(known, dict):
            known = {}
        self._known: dict[str, str] = {k: v for k, v in known.items() if isinstance(v, str) and STORED_NAME.match(v)}

    def get(self, digest: str) -> str | None:
        """The stored name made from the source of this sha256, if it is still in the store (a hit)."""
        name = self._known.get(digest)
        if name is None or not (self.store.folder / name).is_file():
            return None
        return name

    def put(self, digest: str, name: str) -> None:
        with self._lock:
            if self._known.get(digest) != name:
                self._known[digest] = name
                self._changed = True

    def save(self) -> None:
        """Keep what was made for the next import (a failure to write only costs that import the work)."""
        if not self._changed:
            return
        try:
            write_atomically(self.file, json.dumps(self._known, sort_keys=True))
        except OSError as exc:
            log.warning("%s not written (%s): the next import normalises again", self.file, exc)
        self._changed = False


def sha256_of(source: BinaryIO) -> str:
    """The sha256 of an open file's content; rewinds it."""
    digest = _sha256(source)
    source.seek(0)
    return digest


def _sha256(source: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
