"""The exhibitor's working copy of their stand package, in the user's data folder: what the cabinet edits,
previews, validates and publishes. The stand's published package is never written to.

    <data folder>/cabinet/<exhibitor id>/stand.toml and the files it names

The copy holds stand.toml as read (`doc`, every key kept, unknown ones too) and writes it back whole on `save()`.
Files chosen in the file dialog are copied in under a name of their own (the chosen name, made plain); a file
no longer named by stand.toml is removed after the save that dropped it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from expo_hall.content.reading import read_toml
from expo_hall.files import write_atomically
from expo_hall.stands.package import MAX_TOML_BYTES, Exhibitor, is_url
from expo_hall.stands.toml_text import toml_document

CABINET = "cabinet"
MATERIALS = "materials"
TEXT_KEYS = ("name", "name_en", "category", "category_en", "description", "description_en", "away_message")
CONTACT_KEYS = ("email", "phone", "website", "address")
MESSENGERS = ("telegram", "whatsapp", "vk", "viber")
PLAIN_NAME = re.compile(r"[^\w.\-]+")


def plain_name(name: str) -> str:
    """A file name safe in any folder on any system: letters, digits, '.', '-', '_'."""
    stem, dot, suffix = Path(name).name.rpartition(".")
    stem, suffix = (stem, suffix) if dot else (suffix, "")
    stem = PLAIN_NAME.sub("_", stem).strip("._") or "file"
    suffix = PLAIN_NAME.sub("", suffix)[:10].lower()
    return f"{stem[:80]}.{suffix}" if suffix else stem[:80]


class WorkingCopy:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.doc: dict[str, Any] = read_toml(self.folder, "stand.toml", MAX_TOML_BYTES)
        self._dropped: set[str] = set()  # files to remove once a save no longer names them

    # -- where it comes from ---------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, exhibitor: Exhibitor, source: Path | None) -> WorkingCopy:
        """The stand's working copy, made on first use: a copy of the package folder `source` (its regular
        files only), or, without one (a remote server), stand.toml written from what the server gives."""
        folder = Path(data_dir) / CABINET / exhibitor.exhibitor_id
        if not (folder / "stand.toml").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            if source is not None and (source / "stand.toml").is_file():
                _copy_regular_files(source, folder)
            else:
                write_atomically(folder / "stand.toml", toml_document(doc_from(exhibitor)))
        return cls(folder)

    # -- texts -----------------------------------------------------------------------------------------
    def text(self, name: str) -> str:
        """A top-level text ("description_en") or a contact ("contacts.email", "contacts.messengers.vk")."""
        table, key = self._table(name, create=False)
        value = table.get(key) if table is not None else None
        return value if isinstance(value, str) else ""

    def set_text(self, name: str, value: str) -> None:
        """Set a text; an empty one is removed from stand.toml."""
        table, key = self._table(name, create=bool(value.strip()))
        if table is None:
            return
        if value.strip():
            table[key] = value
        else:
            table.pop(key, None)

    def _table(self, name: str, create: bool) -> tuple[dict[str, Any] | None, str]:
        *path, key = name.split(".")
        table: Any = self.doc
        for part in path:
            inner = table.get(part)
            if not isinstance(inner, dict):
                if not create:
                    return None, key
                inner = table[part] = {}
            table = inner
        return table, key

    # -- webinars --------------------------------------------------------------------------------------
    @property
    def webinars(self) -> list[dict[str, Any]]:
        items = self.doc.get("webinars")
        if not isinstance(items, list):
            items = self.doc["webinars"] = []
        return items

    def add_webinar(self, template: dict[str, Any]) -> int:
        self.webinars.append(dict(template))
        return len(self.webinars) - 1

    def remove_webinar(self, index: int) -> None:
        del self.webinars[index]

    # -- materials and files ---------------------------------------------------------------------------
    @property
    def materials(self) -> list[dict[str, Any]]:
        items = self.doc.get("materials")
        if not isinstance(items, list):
            items = self.doc["materials"] = []
        return items

    def add_material(self, source: Path, title: str) -> int:
        self.materials.append({"title": title or Path(source).stem, "file": self.take_file(source, MATERIALS)})
        return len(self.materials) - 1

    def replace_material(self, index: int, source: Path) -> None:
        item = self.materials[index]
        self._drop(item.get("file"))
        item.pop("url", None)
        item["file"] = self.take_file(source, MATERIALS)

    def move_material(self, index: int, step: int) -> int:
        """Move the material `step` places (-1 up, +1 down); its new index."""
        items = self.materials
        to = max(0, min(len(items) - 1, index + step))
        items.insert(to, items.pop(index))
        return to

    def remove_material(self, index: int) -> None:
        self._drop(self.materials.pop(index).get("file"))

    def replace_file(self, key: str, source: Path) -> None:
        """A new logo or video ("logo", "video")."""
        self._drop(self.doc.get(key))
        self.doc[key] = self.take_file(source)

    def take_file(self, source: Path, under: str = "") -> str:
        """Copy `source` into the working copy; the name stand.toml calls it by. A name already taken by
        another file gets a number."""
        source = Path(source)
        name = plain_name(source.name)
        stem, dot, suffix = name.rpartition(".")
        stem, suffix = (stem, f".{suffix}") if dot else (name, "")
        rel, n = Path(under, name).as_posix(), 1
        while (self.folder / rel).exists() and not _same_file(self.folder / rel, source):
            n += 1
            rel = Path(under, f"{stem}-{n}{suffix}").as_posix()
        target = self.folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            shutil.copyfile(source, target)
        self._dropped.discard(rel)
        return rel

    def _drop(self, name: object) -> None:
        if isinstance(name, str) and name and not is_url(name):
            self._dropped.add(name)

    def named_files(self) -> set[str]:
        names = {self.doc.get(k) for k in ("logo", "video")}
        names.update(m.get("file") for m in self.materials if isinstance(m, dict))
        return {n for n in names if isinstance(n, str)}

    # -- saving ----------------------------------------------------------------------------------------
    def save(self) -> None:
        """Write stand.toml (whole, or not at all: OSError), then remove the files it no longer names."""
        write_atomically(self.folder / "stand.toml", toml_document(self.doc))
        for name in self._dropped - self.named_files():
            path = (self.folder / name).resolve()
            if path.is_relative_to(self.folder.resolve()) and path.is_file():
                path.unlink()
        self._dropped.clear()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _copy_regular_files(source: Path, target: Path) -> None:
    """Regular files only: a link is not followed out of the package (expo_hall/content/confine.py refuses those
    anyway)."""
    for path in sorted(source.rglob("*")):
        if path.is_symlink() or not path.is_file() or any(p.startswith(".") for p in path.relative_to(source).parts):
            continue
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)


def doc_from(ex: Exhibitor) -> dict[str, Any]:
    """stand.toml's texts from an exhibitor as the server gave it (its files stay on the server: materials keep
    their URLs, the logo and video are chosen again)."""
    doc: dict[str, Any] = {k: v for k in TEXT_KEYS if (v := getattr(ex, k))}
    if ex.video and is_url(ex.video):
        doc["video"] = ex.video
    c = ex.contacts
    contacts: dict[str, Any] = {k: v for k in CONTACT_KEYS if (v := getattr(c, k))}
    if c.messengers:
        contacts["messengers"] = dict(c.messengers)
    if contacts:
        doc["contacts"] = contacts
    materials = [{"title": m.title, **({"title_en": m.title_en} if m.title_en else {}), "url": m.url}
                 for m in ex.materials if m.url]
    if materials:
        doc["materials"] = materials
    webinars = []
    for w in ex.webinars:
        item: dict[str, Any] = {"title": w.title}
        if w.title_en:
            item["title_en"] = w.title_en
        item.update(starts=w.starts, duration_minutes=w.duration_minutes)
        if w.url:
            item["url"] = w.url
        webinars.append(item)
    if webinars:
        doc["webinars"] = webinars
    return doc
