"""A content package's file names, resolved to regular files inside the package's folder.

Exhibitors and organizers write these names (stand.toml's logo, video and materials, a map's tilesets and
images), so a name is input from outside. It may not leave the folder: not by `..`, not as an absolute path
or a drive letter, not through a symbolic link (links that stay inside are fine); and it must name a
regular file, not a folder, a pipe or a device (which would block or never end). The stand-package loader,
the server's importer and the tools all go through here; the server then serves its own copy of what it
checked (expo_hall/server/content_store.py), never the name again.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

DRIVE = re.compile(r"^[A-Za-z]:")  # C:\x, C:x, C:/x
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a pipe must not wait for a writer
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | _NONBLOCK | getattr(os, "O_BINARY", 0)


class PathRefused(ValueError):
    """A file name that is not used. `key` is the problem's key (under "problem."), `values` fill its text."""

    def __init__(self, key: str, name: str, **values: object) -> None:
        super().__init__(f"{name!r}: {key}" + "".join(f", {k}={v}" for k, v in values.items()))
        self.key = key
        self.values: dict[str, object] = {"name": name, **values}


class FileMissing(PathRefused):
    """The name is fine, but no file is there."""

    def __init__(self, name: str) -> None:
        super().__init__("path_missing", name)


def inside_name(name: str, base: str = "") -> str:
    """`name`, written relative to the folder `base` ("" for the package's own folder, "tiles" for a tileset
    in tiles/), as a POSIX path from the package's folder: "tiles/../logo.png" is "logo.png". Checks the text
    alone; raises PathRefused for a name that leaves the folder or is not a plain relative path."""
    if not name or any(ord(c) < 32 or ord(c) == 127 for c in name) or "\\" in name:
        raise PathRefused("path_not_plain", name)
    if name.startswith("/") or DRIVE.match(name):
        raise PathRefused("path_absolute", name)
    parts = [p for p in base.split("/") if p not in ("", ".")]
    for part in name.split("/"):
        if part == "..":
            if not parts:
                raise PathRefused("path_outside", name)
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    if not parts:
        raise PathRefused("path_not_file", name)
    return "/".join(parts)


def confined_file(folder: Path, name: str, *, base: str = "") -> Path:
    """The regular file `name` names inside `folder` (see `inside_name`), as folder/<that name>.

    Symbolic links are followed, and the file they reach must be inside the folder too. Raises FileMissing
    when there is no such file, PathRefused for anything else that is not used.
    """
    return _checked(folder, name, base)[0]


def open_confined(folder: Path, name: str, *, base: str = "") -> BinaryIO:
    """`confined_file` opened for reading: the file reached is opened without following a link in its last
    step, and must still be a regular file once open (a pipe swapped in meanwhile is refused, not waited on)."""
    real = _checked(folder, name, base)[1]
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError:
        raise FileMissing(name) from None
    except OSError as exc:
        raise PathRefused("path_unreadable", name, error=exc.strerror or exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PathRefused("path_not_file", name)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _checked(folder: Path, name: str, base: str) -> tuple[Path, Path]:
    """folder/<name> and where it leads with every link followed: inside `folder` (itself resolved), a regular file.

    Where no step of `name` is a link, that is the resolved folder joined with `name` (one lstat a step; a package
    reads thousands of files, and resolving each whole path was a third of reading a large expo)."""
    folder = Path(folder)
    parts = inside_name(name, base).split("/")
    path = folder.joinpath(*parts)
    try:
        real_folder = os.path.realpath(folder, strict=True)
        real = real_folder
        for part in parts:
            real = os.path.join(real, part)
            mode = os.lstat(real).st_mode
            if stat.S_ISLNK(mode):
                real = os.path.realpath(path, strict=True)
                mode = os.stat(real).st_mode
                break
    except FileNotFoundError:
        raise FileMissing(name) from None
    except (OSError, RuntimeError) as exc:  # a loop of links, no permission
        raise PathRefused("path_unreadable", name, error=getattr(exc, "strerror", None) or exc) from None
    try:
        outside = os.path.commonpath([real_folder, real]) != real_folder
    except ValueError:  # on another drive
        outside = True
    if outside:
        raise PathRefused("path_link_outside", name)
    if not stat.S_ISREG(mode):
        raise PathRefused("path_not_file", name)
    return path, Path(real)
