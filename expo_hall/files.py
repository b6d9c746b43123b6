"""Writing a file so that it is always whole: a temporary file beside it, renamed over it at the end."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def replacing(path: Path, *, private: bool = False) -> Iterator[BinaryIO]:
    """A file to write `path`'s new content into: it replaces `path` when the block ends, and is removed if the
    block raises. Readers see the old file or the new, never a part.

    `private`: readable by the user only (tokens). Raises OSError; nothing is left behind then.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except FileNotFoundError:  # the folder is made only when missing (a thousand logos: a thousand calls fewer)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        if private:
            os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomically(path: Path, data: bytes | str, *, private: bool = False) -> Path:
    """Replace `path` with `data` (text as UTF-8), as `replacing` does."""
    with replacing(path, private=private) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
