"""What a file really is, read from its first bytes (its signature), never from its name.

A name is whatever the sender typed: a program renamed booklet.pdf or a web page renamed logo.png keeps its
own first bytes. `sniff` names the kind; office documents that are zip files (DOCX, XLSX, PPTX, ODT, ...)
are told apart by the files inside, listed from the zip's directory without unpacking anything, and
`unpacked_size` reads the sizes that directory declares, so a zip bomb is refused before it is opened.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

HEAD = 4096  # bytes read to tell a kind

PDF, IMAGE, OFFICE, VIDEO, ARCHIVE, PROGRAM, WEB, TEXT, UNKNOWN = (
    "pdf", "image", "office", "video", "archive", "program", "web", "text", "unknown")


@dataclass(frozen=True)
class Kind:
    name: str  # "pdf", "png", "docx", "exe", ...
    group: str  # PDF, IMAGE, OFFICE, VIDEO, ARCHIVE, PROGRAM, WEB, TEXT or UNKNOWN
    label: str  # how people know it, the same in every language: "PDF", "EXE", "HTML"
    suffixes: tuple[str, ...] = ()  # the names' endings that say this kind (the first is the usual one)


KINDS = {k.name: k for k in (
    Kind("pdf", PDF, "PDF", (".pdf",)),
    Kind("png", IMAGE, "PNG", (".png",)),
    Kind("jpeg", IMAGE, "JPEG", (".jpg", ".jpeg", ".jpe")),
    Kind("webp", IMAGE, "WebP", (".webp",)),
    Kind("gif", IMAGE, "GIF", (".gif",)),
    Kind("bmp", IMAGE, "BMP", (".bmp",)),
    Kind("tiff", IMAGE, "TIFF", (".tif", ".tiff")),
    Kind("docx", OFFICE, "DOCX", (".docx",)),
    Kind("xlsx", OFFICE, "XLSX", (".xlsx",)),
    Kind("pptx", OFFICE, "PPTX", (".pptx", ".ppsx")),
    Kind("odt", OFFICE, "ODT", (".odt",)),
    Kind("ods", OFFICE, "ODS", (".ods",)),
    Kind("odp", OFFICE, "ODP", (".odp",)),
    Kind("ole", OFFICE, "DOC/XLS/PPT", (".doc", ".xls", ".ppt", ".pps")),  # the older Microsoft Office files
    Kind("rtf", OFFICE, "RTF", (".rtf",)),
    Kind("mp4", VIDEO, "MP4", (".mp4", ".m4v")),
    Kind("mov", VIDEO, "MOV", (".mov",)),
    Kind("webm", VIDEO, "WebM", (".webm",)),
    Kind("mkv", VIDEO, "MKV", (".mkv",)),
    Kind("avi", VIDEO, "AVI", (".avi",)),
    Kind("ogg", VIDEO, "OGG", (".ogv", ".ogg")),
    Kind("flv", VIDEO, "FLV", (".flv",)),
    Kind("mpegts", VIDEO, "MPEG-TS", (".ts", ".mts")),
    Kind("zip", ARCHIVE, "ZIP", (".zip",)),
    Kind("archive", ARCHIVE, "RAR/7Z/GZ", (".rar", ".7z", ".gz", ".bz2", ".xz")),
    Kind("exe", PROGRAM, "EXE", (".exe", ".dll", ".scr", ".com")),
    Kind("elf", PROGRAM, "ELF", ()),
    Kind("macho", PROGRAM, "Mach-O", ()),
    Kind("script", PROGRAM, "#!", (".sh", ".py")),
    Kind("html", WEB, "HTML", (".html", ".htm")),
    Kind("svg", WEB, "SVG", (".svg",)),
    Kind("xml", WEB, "XML", (".xml",)),
    Kind("text", TEXT, "TXT", (".txt",)),
    Kind("empty", UNKNOWN, "—", ()),
    Kind("unknown", UNKNOWN, "?", ()),
)}

_ODF = {b"application/vnd.oasis.opendocument.text": "odt",
        b"application/vnd.oasis.opendocument.spreadsheet": "ods",
        b"application/vnd.oasis.opendocument.presentation": "odp"}
_OOXML = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_MACH_O = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_MARKUP = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta", b"<title")


def sniff(source: Path | BinaryIO) -> Kind:
    """The kind of a file (a path, or a file open for reading), from its contents. Raises OSError when it
    cannot be read."""
    if isinstance(source, str | Path):
        with open(source, "rb") as fh:
            return sniff(fh)
    source.seek(0)
    head = source.read(HEAD)
    return KINDS[_name(head, source)]


def _name(head: bytes, source: BinaryIO) -> str:  # noqa: C901 - one signature a line reads best
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:  # readers find the header within the first kilobyte
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:2] == b"BM" and len(head) >= 26 and int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 108, 124):
        return "bmp"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_kind(source)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head[4:8] in (b"moov", b"mdat", b"free", b"wide"):
        return "mov"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in head[:64] else "mkv"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"FLV"):
        return "flv"
    if len(head) > 188 and head[0] == head[188] == 0x47:
        return "mpegts"
    if head.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")):
        return "archive"
    if head.startswith(b"MZ"):
        return "exe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head[:4] in _MACH_O:
        return "macho"
    if head.startswith(b"#!"):
        return "script"
    return _text_kind(head)


def _text_kind(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(_MARKUP) or b"<html" in text[:512]:
        return "html"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "svg"
    if text.startswith(b"<?xml"):
        return "xml"
    if b"\x00" in head:
        return "unknown"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of what was read
            return "unknown"
    return "text"


def _zip_kind(source: BinaryIO) -> str:
    try:
        with zipfile.ZipFile(source) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    return _ODF.get(archive.read(info).strip(), "zip")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError, EOFError):
        return "zip"
    if "[Content_Types].xml" in names:
        for prefix, name in _OOXML:
            if any(n.startswith(prefix) for n in names):
                return name
    return "zip"


@dataclass(frozen=True)
class Unpacked:
    members: int
    size: int  # bytes, as declared by the zip's directory
    packed: int  # bytes, compressed


def unpacked_size(path: Path) -> Unpacked:
    """What a zip file (an office document) says it holds, from its directory alone: nothing is unpacked.
    Raises zipfile.BadZipFile (or OSError) for a file that is not a readable zip."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    return Unpacked(len(infos), sum(i.file_size for i in infos), sum(i.compress_size for i in infos))
