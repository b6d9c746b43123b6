"""The server's own copy of every file it serves, each named by its content: <sha256><suffix>.

The importer copies a package's or a map's file here once it has checked it (expo_hall.content.confine),
and the server serves only from here: a file changed, swapped for a link or deleted in the package after
the import is not what visitors get; the imported copy is. A file already stored is not copied again.
Beside them, the import leaves the recommended routes it read (ROUTES, JSON): every worker reads them there.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import BinaryIO

from expo_hall.files import replacing, write_atomically

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


def _sha256(source: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
