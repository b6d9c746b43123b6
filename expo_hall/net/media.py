"""Files from the server (logos, media, map files) cached on disk and revalidated with ETag / Last-Modified.

A cached copy is revalidated on each `fetch` (If-None-Match / If-Modified-Since): 304 keeps it, 200
replaces it. Files are written to a temporary file and renamed, so a partial download never looks whole;
what is known about each copy (its URL, ETag, Last-Modified) sits in a small JSON file under `.meta/`,
written after the file itself. When the server cannot be reached, a cached copy is still returned.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import mimetypes
import os
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from expo_hall.files import write_atomically
from expo_hall.net.client import ApiClient
from expo_hall.net.errors import BadResponse, Offline

log = logging.getLogger("expo_hall.net")

APP_NAME = "expo_hall"
DOWNLOADED, NOT_MODIFIED, OFFLINE_COPY = "downloaded", "not_modified", "offline_copy"
_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/xml": ".xml",
             "video/mp4": ".mp4", "application/pdf": ".pdf"}


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class CachedFile:
    path: Path
    url: str
    status: str  # DOWNLOADED, NOT_MODIFIED (a 304 kept the copy) or OFFLINE_COPY (not revalidated)
    content_type: str | None = None


class MediaCache:
    def __init__(self, client: ApiClient, root: Path | None = None) -> None:
        self.client = client
        self.root = Path(root) if root is not None else default_cache_dir()
        self._meta_dir = self.root / ".meta"
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def fetch(self, url: str, dest: Path | None = None, *, add_suffix: bool = False) -> CachedFile:
        """The file at `url` (absolute, or a server path), cached at `dest` or, without one, under
        `root/media/` by a hash of the URL. With `add_suffix`, the file's suffix comes from its content type
        (".png" for image/png), for URLs that have none. Raises Offline only when there is no copy."""
        url = self.client.url(url)
        key = hashlib.sha256(url.encode()).hexdigest()[:32]
        with self._lock_for(key):
            meta_path = self._meta_dir / f"{key}.json"
            meta = _read_json(meta_path)
            old = self.root / meta["file"] if meta.get("file") else None
            have = old is not None and old.is_file()
            target = Path(dest) if dest is not None else self.root / "media" / (key + _url_suffix(url))
            if add_suffix:  # the copy is target + the suffix its content type gave
                ours = have and old.parent.resolve() == target.parent.resolve() and old.stem == target.name
                download_to = target.with_name(target.name + ".download")
            else:
                ours = have and old.resolve() == target.resolve()
                download_to = target
            try:
                got = self.client.download(url, download_to, etag=meta.get("etag") if ours else None,
                                           last_modified=meta.get("last_modified") if ours else None)
            except Offline:
                if ours:
                    return CachedFile(old, url, OFFLINE_COPY, meta.get("content_type"))
                raise
            if got.status == 304 and ours:
                return CachedFile(old, url, NOT_MODIFIED, meta.get("content_type"))
            if got.status == 304:
                raise BadResponse(f"{url}: 304 Not Modified to an unconditional request")
            final = got.path
            if add_suffix:
                final = target.with_name(target.name + _type_suffix(got.content_type, url))
                os.replace(got.path, final)
            if have and old.resolve() != final.resolve():
                with contextlib.suppress(OSError):
                    old.unlink()
            _write_json(meta_path, {"url": url, "file": _relative(final, self.root),
                                    "etag": got.etag, "last_modified": got.last_modified,
                                    "content_type": got.content_type})
            return CachedFile(final, url, DOWNLOADED, got.content_type)

    def cached(self, url: str) -> Path | None:
        """The copy on disk, without asking the server (None when there is none)."""
        url = self.client.url(url)
        meta = _read_json(self._meta_dir / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json")
        path = self.root / meta["file"] if meta.get("file") else None
        return path if path is not None and path.is_file() else None

    def _lock_for(self, key: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(key, threading.Lock())


def _relative(path: Path, root: Path) -> str:
    """The path as kept in the metadata: relative to the cache's root when inside it (the cache may move)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def _url_suffix(url: str) -> str:
    suffix = PurePosixPath(urlsplit(url).path).suffix
    return suffix if suffix and len(suffix) <= 6 and suffix[1:].isalnum() else ""


def _type_suffix(content_type: str | None, url: str) -> str:
    if content_type:
        suffix = _SUFFIXES.get(content_type) or mimetypes.guess_extension(content_type)
        if suffix:
            return suffix
    return _url_suffix(url) or ".bin"


def _read_json(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict) -> None:
    write_atomically(path, json.dumps(data))
