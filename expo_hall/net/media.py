"""Files from the server (logos, media, map files) cached on disk and revalidated with ETag / Last-Modified.

A cached copy is revalidated on each `fetch` (If-None-Match / If-Modified-Since): 304 keeps it, 200
replaces it; when the caller knows the file's hash (the expo's bulk answer gives it) a copy with that ETag is
kept without asking. Files are written to a temporary file and renamed, so a partial download never looks whole;
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
DOWNLOADED, NOT_MODIFIED, CURRENT, OFFLINE_COPY = "downloaded", "not_modified", "current", "offline_copy"
_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/xml": ".xml",
             "video/mp4": ".mp4", "application/pdf": ".pdf"}


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class CachedFile:
    path: Path
    url: str
    status: str  # DOWNLOADED, NOT_MODIFIED (a 304 kept the copy), CURRENT (its hash is the one the server gave:
    # not asked) or OFFLINE_COPY (not revalidated)
    content_type: str | None = None


class MediaCache:
    """Copies of the server's files on disk, each with what is known of it (URL, ETag, Last-Modified).

    A file of this server is known by its path on it (`/api/v1/...`), not by the whole URL: the embedded server
    answers on a new port at each start, and its files are the same. The server's ETags are the files' SHA-256,
    so a copy found under a path of another server is current exactly when its ETag matches.
    """

    def __init__(self, client: ApiClient, root: Path | None = None) -> None:
        self.client = client
        self.root = Path(root) if root is not None else default_cache_dir()
        self._meta_dir = self.root / ".meta"
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def fetch(self, url: str, dest: Path | None = None, *, add_suffix: bool = False,
              sha256: str | None = None) -> CachedFile:
        """The file at `url` (absolute, or a server path), cached at `dest` or, without one, under
        `root/media/` by a hash of the URL. With `add_suffix`, the file's suffix comes from its content type
        (".png" for image/png), for URLs that have none. With `sha256` (the file's hash as the server's bulk
        answer gives it), a copy with that ETag is current without asking. Raises Offline only when there is
        no copy."""
        url = self.client.url(url)
        key = self._key(url)
        with self._lock_for(key):
            entry = self._entry(key, url, dest, add_suffix)
            if entry.current(sha256):
                return CachedFile(entry.old, url, CURRENT, entry.meta.get("content_type"))
            meta = entry.meta
            try:
                got = self.client.download(url, entry.download_to, etag=meta.get("etag") if entry.ours else None,
                                           last_modified=meta.get("last_modified") if entry.ours else None)
            except Offline:
                if entry.ours:
                    return CachedFile(entry.old, url, OFFLINE_COPY, meta.get("content_type"))
                raise
            if got.status == 304 and entry.ours:
                return CachedFile(entry.old, url, NOT_MODIFIED, meta.get("content_type"))
            if got.status == 304:
                raise BadResponse(f"{url}: 304 Not Modified to an unconditional request")
            final = self._commit(entry, got.path, got.content_type, got.etag, got.last_modified)
            return CachedFile(final, url, DOWNLOADED, got.content_type)

    def cached(self, url: str) -> Path | None:
        """The copy on disk, without asking the server (None when there is none)."""
        url = self.client.url(url)
        meta = _read_json(self._meta_dir / f"{self._key(url)}.json")
        path = self.root / meta["file"] if meta.get("file") else None
        return path if path is not None and path.is_file() else None

    def _key(self, url: str) -> str:
        """The copy's name: by the path on this server for its own files, by the whole URL for others'."""
        if self.client.same_origin(url):
            parts = urlsplit(url)
            url = parts.path + (f"?{parts.query}" if parts.query else "")
        return hashlib.sha256(url.encode()).hexdigest()[:32]

    def _entry(self, key: str, url: str, dest: Path | None, add_suffix: bool) -> _Entry:
        meta = _read_json(self._meta_dir / f"{key}.json")
        old = self.root / meta["file"] if meta.get("file") else None
        have = old is not None and old.is_file()
        target = Path(dest) if dest is not None else self.root / "media" / (key + _url_suffix(url))
        if add_suffix:  # the copy is target + the suffix its content type gave
            ours = have and old.parent.resolve() == target.parent.resolve() and old.stem == target.name
            download_to = target.with_name(target.name + ".download")
        else:
            ours = have and old.resolve() == target.resolve()
            download_to = target
        return _Entry(key, url, meta, old if have else None, ours, target, download_to, add_suffix)

    def _commit(self, entry: _Entry, got: Path, content_type: str | None, etag: str | None,
                last_modified: str | None) -> Path:
        final = got
        if entry.add_suffix:
            final = entry.target.with_name(entry.target.name + _type_suffix(content_type, entry.url))
            os.replace(got, final)
        if entry.old is not None and entry.old.resolve() != final.resolve():
            with contextlib.suppress(OSError):
                entry.old.unlink()
        _write_json(self._meta_dir / f"{entry.key}.json",
                    {"url": entry.url, "file": _relative(final, self.root), "etag": etag,
                     "last_modified": last_modified, "content_type": content_type})
        return final

    def _lock_for(self, key: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(key, threading.Lock())


@dataclass(frozen=True)
class _Entry:
    """What is known of one copy before a fetch: its metadata, the file there now, where the new one goes."""

    key: str
    url: str
    meta: dict
    old: Path | None  # the copy on disk, if any
    ours: bool  # that copy is the one at the place asked for: it may be revalidated
    target: Path
    download_to: Path
    add_suffix: bool

    def current(self, sha256: str | None) -> bool:
        """The copy there is the file of this hash (the server's ETags are the files' hashes)."""
        return sha256 is not None and self.ours and self.meta.get("etag") == f'"{sha256}"'


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
