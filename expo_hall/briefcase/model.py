"""The visitor's briefcase: what they took from the stands, kept as files in a folder plus an index.

    <folder>/index.json                      the entries (kind, exhibitor, title, file, source URL, saved at)
    <folder>/contacts/<exhibitor id>.vcf     saved contacts (one per exhibitor: saving again overwrites)
    <folder>/materials/<exhibitor id>/...    downloaded materials

The folder is made on the first write, so opening a briefcase touches nothing. An entry whose file was
deleted behind our back drops out of the list (and of the index); a broken index is set aside, never a crash.
Index paths are relative and must stay inside the folder: a tampered index cannot make Remove delete elsewhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import threading
import uuid
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from expo_hall.files import write_atomically

log = logging.getLogger("expo_hall")

INDEX = "index.json"
VERSION = 1
KINDS = ("material", "contact", "shared")  # the order the kinds are listed in
CSV_NAME = "summary.csv"
CSV_HEADER = ("kind", "exhibitor", "title", "file", "source_url", "saved_at")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')  # what Windows, macOS or Linux do not allow in a name


def safe_name(name: str, fallback: str = "file") -> str:
    """A file name that is a plain name on every system (no folders, no reserved characters)."""
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, suffix = os.path.splitext(name)
    if stem.upper() in _RESERVED:
        stem = "_" + stem
    return (stem[:100] + suffix[:20]) or fallback


def default_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("expo_hall", appauthor=False)) / "briefcase"


def downloads_folder() -> Path | None:
    import platformdirs

    try:
        path = Path(platformdirs.user_downloads_dir())
    except Exception:  # noqa: BLE001 - platformdirs on an odd system: fall back to the briefcase folder
        return None
    return path if path.is_dir() else None


@dataclass(frozen=True)
class Item:
    item_id: str
    kind: str  # one of KINDS
    exhibitor_id: str
    exhibitor_name: str  # as it was when saved (the expo may have changed since)
    title: str
    file: str | None  # relative to the briefcase folder, with "/"; None for entries without a file
    source_url: str | None
    saved_at: str  # ISO 8601 with the offset

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.saved_at)

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.file).name if self.file else ""

    @classmethod
    def from_json(cls, data: object) -> Item | None:
        if not isinstance(data, dict):
            return None
        try:
            item = cls(item_id=str(data["item_id"]), kind=str(data["kind"]), exhibitor_id=str(data["exhibitor_id"]),
                       exhibitor_name=str(data.get("exhibitor_name") or ""), title=str(data.get("title") or ""),
                       file=data.get("file") if isinstance(data.get("file"), str) else None,
                       source_url=data.get("source_url") if isinstance(data.get("source_url"), str) else None,
                       saved_at=str(data["saved_at"]))
            item.when  # noqa: B018 - a readable date, or the entry is dropped
        except (KeyError, ValueError, TypeError):
            return None
        if item.kind not in KINDS or (item.file is not None and not _inside(item.file)):
            return None
        return item


def _inside(relative: str) -> bool:
    p = PurePosixPath(relative)
    plain = ":" not in relative and "\\" not in relative  # no drive letters, no Windows separators
    return plain and bool(p.parts) and not p.is_absolute() and ".." not in p.parts


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class Briefcase:
    """The briefcase in a folder. One instance per app (`app.briefcase`); safe to call from worker threads."""

    def __init__(self, folder: Path | str | None = None, downloads: Path | str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self._downloads = Path(downloads) if downloads is not None else None
        self._lock = threading.RLock()
        self._items: list[Item] = self._load()

    # -- reading ---------------------------------------------------------------------------------
    @property
    def index_path(self) -> Path:
        return self.folder / INDEX

    def _load(self) -> list[Item]:
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            log.warning("briefcase index %s is unreadable (%s); it is set aside and a new one started",
                        self.index_path, exc)
            self._set_aside()
            return []
        rows = data.get("items") if isinstance(data, dict) else None
        items = [item for item in map(Item.from_json, rows if isinstance(rows, list) else []) if item is not None]
        return items

    def _set_aside(self) -> None:
        try:
            os.replace(self.index_path, self.index_path.with_name(f"{INDEX}.broken-{uuid.uuid4().hex[:6]}"))
        except OSError:
            pass

    def _save(self) -> None:
        data = {"version": VERSION, "items": [asdict(item) for item in self._items]}
        write_atomically(self.index_path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def path_of(self, item: Item) -> Path | None:
        return self.folder.joinpath(*PurePosixPath(item.file).parts) if item.file else None

    def size_of(self, item: Item) -> int | None:
        path = self.path_of(item)
        try:
            return path.stat().st_size if path is not None else None
        except OSError:
            return None

    def items(self) -> list[Item]:
        """What the briefcase holds, grouped by kind (KINDS order), newest first; files gone are dropped."""
        with self._lock:
            kept = [item for item in self._items if item.file is None or self.path_of(item).is_file()]
            if len(kept) != len(self._items):
                gone = [item.file for item in self._items if item not in kept]
                log.info("briefcase: files gone, entries dropped: %s", ", ".join(map(str, gone)))
                self._items = kept
                self._try_save()
            return sorted(kept, key=lambda i: (KINDS.index(i.kind), -i.when.timestamp(), i.title))

    def get(self, item_id: str) -> Item | None:
        return next((item for item in self.items() if item.item_id == item_id), None)

    def _try_save(self) -> None:
        try:
            self._save()
        except OSError as exc:
            log.warning("briefcase index cannot be written: %s", exc)

    # -- adding ----------------------------------------------------------------------------------
    def _put(self, item: Item, replaces: list[Item]) -> Item:
        """Record an item in place of others (their files are deleted unless the new item uses them)."""
        for old in replaces:
            if old.file and old.file != item.file:
                self._delete_file(old)
        self._items = [i for i in self._items if i not in replaces] + [item]
        self._save()
        return item

    def add_contact(self, exhibitor_id: str, vcard: str, *, exhibitor_name: str = "", title: str = "") -> Item:
        """Save an exhibitor's vCard as contacts/<id>.vcf (overwriting that exhibitor's earlier one)."""
        relative = f"contacts/{safe_name(exhibitor_id, 'contact')}.vcf"
        with self._lock:
            write_atomically(self.folder / relative, vcard.encode("utf-8"))
            old = [i for i in self._items if i.kind == "contact" and i.exhibitor_id == exhibitor_id]
            item = Item(uuid.uuid4().hex, "contact", exhibitor_id, exhibitor_name, title or exhibitor_name,
                        relative, None, _now())
            return self._put(item, old)

    def material_destination(self, exhibitor_id: str, file_name: str) -> Path:
        """Where a downloader should write a material: a new file under materials/<id>/ (the folder exists)."""
        folder = self.folder / "materials" / safe_name(exhibitor_id, "exhibitor")
        folder.mkdir(parents=True, exist_ok=True)
        name = safe_name(file_name)
        stem, suffix = os.path.splitext(name)
        path, n = folder / name, 2
        while path.exists():
            path, n = folder / f"{stem} ({n}){suffix}", n + 1
        return path

    def add_material(self, exhibitor_id: str, title: str, path: Path | str, source_url: str | None = None, *,
                     exhibitor_name: str = "") -> Item:
        """Record a downloaded material. A file outside the briefcase folder is copied in; the same
        exhibitor's material from the same source replaces the earlier one."""
        path = Path(path)
        with self._lock:
            try:
                relative = path.resolve().relative_to(self.folder.resolve()).as_posix()
            except ValueError:
                target = self.material_destination(exhibitor_id, path.name)
                shutil.copy2(path, target)
                relative = target.relative_to(self.folder).as_posix()
            if not path.is_file() and not (self.folder / relative).is_file():
                raise FileNotFoundError(path)
            old = [i for i in self._items if i.kind == "material" and i.exhibitor_id == exhibitor_id
                   and ((source_url and i.source_url == source_url) or i.file == relative)]
            item = Item(uuid.uuid4().hex, "material", exhibitor_id, exhibitor_name, title, relative, source_url,
                        _now())
            return self._put(item, old)

    def add_shared(self, exhibitor_id: str, note: str, when: dt.datetime | None = None, *,
                   exhibitor_name: str = "") -> Item:
        """Record that the visitor shared their contact with an exhibitor (no file)."""
        when = (when or dt.datetime.now()).astimezone()
        with self._lock:
            item = Item(uuid.uuid4().hex, "shared", exhibitor_id, exhibitor_name, note, None, None,
                        when.isoformat(timespec="seconds"))
            return self._put(item, [])

    # -- removing --------------------------------------------------------------------------------
    def _delete_file(self, item: Item) -> None:
        path = self.path_of(item)
        if path is not None:
            path.unlink(missing_ok=True)

    def remove(self, item_id: str) -> bool:
        """Delete an entry and its file. False when there was no such entry."""
        with self._lock:
            item = next((i for i in self._items if i.item_id == item_id), None)
            if item is None:
                return False
            self._delete_file(item)
            self._items = [i for i in self._items if i.item_id != item_id]
            self._save()
            return True

    # -- export ----------------------------------------------------------------------------------
    def default_export_path(self, today: dt.date | None = None) -> Path:
        """A new zip in the Downloads folder (the briefcase folder when there is none)."""
        folder = self._downloads or downloads_folder() or self.folder
        stem = f"expo_hall-briefcase-{(today or dt.date.today()).isoformat()}"
        path, n = folder / f"{stem}.zip", 2
        while path.exists():
            path, n = folder / f"{stem} ({n}).zip", n + 1
        return path

    def export_zip(self, dest: Path | str) -> Path:
        """One zip of the briefcase: its files at their places in the folder, and summary.csv with a row per
        entry (kind, exhibitor, title, file in the zip, source URL, saved at). Raises OSError on failure."""
        dest = Path(dest).expanduser()
        if dest.is_dir():
            raise IsADirectoryError(str(dest))
        if not dest.parent.is_dir():
            raise FileNotFoundError(str(dest.parent))
        tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")
        rows = []
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for item in self.items():
                    if item.file is not None:
                        try:
                            zf.write(self.path_of(item), item.file)
                        except FileNotFoundError:  # gone just now
                            continue
                    rows.append((item.kind, item.exhibitor_name or item.exhibitor_id, item.title, item.file or "",
                                 item.source_url or "", item.saved_at))
                text = io.StringIO(newline="")
                writer = csv.writer(text)
                writer.writerow(CSV_HEADER)
                writer.writerows(rows)
                zf.writestr(CSV_NAME, text.getvalue().encode("utf-8-sig"))  # the BOM: Excel reads it as UTF-8
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
        return dest
