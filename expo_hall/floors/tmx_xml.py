"""Reading the XML of Tiled files (maps, tilesets, templates) from outside without trusting it.

A map may only declare elements: a DOCTYPE or an entity declaration (which Tiled never writes)
is refused before anything is expanded, and no external entity is ever fetched. Files a map
refers to are read only from inside the expo's root folder (the folder holding the maps' folder), from where
the server serves them with it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.parsers import expat

from expo_hall.content.confine import FileMissing, PathRefused, confined_file, open_confined
from expo_hall.problems import english


class XmlRefused(Exception):
    """The document is not plain XML elements: bad syntax (the text says where) or a DOCTYPE/ENTITY."""

    def __init__(self, message: str, doctype: bool = False) -> None:
        super().__init__(message)
        self.doctype = doctype


class Outside(Exception):
    """A referenced file lies outside the expo's root folder (`..`, an absolute path, a symlink leaving it)."""


def parse_xml(data: bytes) -> ET.Element:
    """The document's root element, built by expat with DOCTYPE and ENTITY declarations refused."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse(*_: object) -> None:
        raise XmlRefused("DOCTYPE", doctype=True)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlRefused(str(exc)) from exc
    return builder.close()


def read_xml(path: Path) -> ET.Element:
    """Parse a file; OSError when it cannot be read (a pipe or a folder is refused, never waited on), XmlRefused
    when it is not plain XML."""
    path = Path(path)
    try:
        with open_confined(path.parent, path.name) as fh:
            data = fh.read()
    except FileMissing:
        raise FileNotFoundError(path) from None
    except PathRefused as exc:
        raise OSError(english(f"problem.{exc.key}", **exc.values)) from None
    return parse_xml(data)


def referenced(folder: Path, base: Path, source: str) -> Path:
    """The file `source` names, relative to `base` (a folder inside `folder`), if it is a regular file inside
    `folder`: expo_hall.content.confine decides, as for stand packages.

    Raises Outside for anything leaving the folder, FileNotFoundError for a file that is not there.
    """
    try:
        rel_base = Path(base).resolve().relative_to(Path(folder).resolve()).as_posix()
    except (OSError, ValueError, RuntimeError):
        raise Outside(source) from None
    try:
        return confined_file(folder, source, base="" if rel_base == "." else rel_base)
    except FileMissing:
        raise FileNotFoundError(source) from None
    except PathRefused as exc:
        if exc.key in ("path_not_file", "path_unreadable"):
            raise FileNotFoundError(source) from None
        raise Outside(source) from None
