"""Reading the XML of Tiled files (maps, tilesets, templates) from outside without trusting it.

A map may only declare elements: a DOCTYPE or an entity declaration (which Tiled never writes)
is refused before anything is expanded, and no external entity is ever fetched. Files a map
refers to are read only from the map's own folder, the folder the server serves with it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from xml.parsers import expat


class XmlRefused(Exception):
    """The document is not plain XML elements: bad syntax (the text says where) or a DOCTYPE/ENTITY."""

    def __init__(self, message: str, doctype: bool = False) -> None:
        super().__init__(message)
        self.doctype = doctype


class Outside(Exception):
    """A referenced file lies outside the map's folder (`..`, an absolute path, a symlink leaving it)."""


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
    """Parse a file; OSError when it cannot be read, XmlRefused when it is not plain XML."""
    return parse_xml(Path(path).read_bytes())


def referenced(folder: Path, base: Path, source: str) -> Path:
    """The file `source` names, relative to `base`, if it is a file inside `folder` (resolved).

    Raises Outside for anything leaving the folder, FileNotFoundError for a file that is not there.
    """
    try:
        path = (base / source).resolve()
    except (OSError, ValueError, RuntimeError) as exc:  # a NUL in the name, a symlink loop
        raise FileNotFoundError(source) from exc
    if not path.is_relative_to(folder):
        raise Outside(source)
    if not path.is_file():
        raise FileNotFoundError(source)
    return path
