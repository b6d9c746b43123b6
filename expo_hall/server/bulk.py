"""The whole expo in one answer (`GET /api/v1/expo`), and every logo in one file (`GET /api/v1/expo/logos`).

Content changes by re-importing, which restarts the server, or when a stand's published version goes live
(`reset`), so each worker makes the answer then and serves it from memory. The one part that moves with time
is each webinar's status, which changes only when a webinar starts or ends: the ETag is the content's hash,
computed when the content changes, plus the number of those moments passed, and the body is made again only
when one passes. A gzip copy is kept beside it.

The logo pack is a zip (stored, not compressed: PNGs are) of every logo named `<sha256>.png`, made on the first
request into the content store, so it is served like any file (ETag, Range, 304).
"""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import hashlib
import io
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from expo_hall.server.catalog import Catalog, StoredFile
from expo_hall.server.content_store import ContentStore
from expo_hall.server.schemas import ExpoOut

_DAWN = dt.datetime.min.replace(tzinfo=dt.UTC)  # before every webinar: the statuses say nothing of the clock
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the same pack, byte for byte, from the same logos


@dataclass(frozen=True)
class Rendered:
    etag: str  # quoted; the gzip copy's is `gzip_etag`
    body: bytes  # JSON
    gzipped: bytes

    @property
    def gzip_etag(self) -> str:
        return gzip_etag(self.etag)


def gzip_etag(etag: str) -> str:
    """The gzip copy's ETag: another representation, so another strong tag."""
    return etag[:-1] + '-gz"'


class ExpoAnswer:
    def __init__(self, catalog: Catalog, content_dir: Path) -> None:
        self.catalog = catalog
        self.store = ContentStore(content_dir)
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Made again from the catalog: a stand's content changed (a published version went live)."""
        moments = {m for e in self.catalog.exhibitors.values() for w in e.webinars for m in (w.starts, w.ends)}
        body = self._json(_DAWN)
        rendered: tuple[int, Rendered] | None = None
        digest = hashlib.sha256(body).hexdigest()[:40]
        if not moments:  # no webinar: the answer never changes
            rendered = (0, Rendered(f'"{digest}.0"', body, gzip.compress(body, 6, mtime=0)))
        with self._lock:
            self._moments = sorted(moments)
            self._digest = digest
            self._rendered = rendered
            self._pack: StoredFile | None = None

    def _json(self, now: dt.datetime) -> bytes:
        c = self.catalog
        out = ExpoOut.model_construct(floors=[f.out for f in c.floors.values()],
                                      exhibitors=[e.out(now) for e in c.exhibitors.values()])
        return out.model_dump_json().encode()

    def etag(self, now: dt.datetime) -> str:
        return f'"{self._digest}.{bisect.bisect_right(self._moments, now)}"'

    def render(self, now: dt.datetime) -> Rendered:
        """The answer at `now` (made again only when a webinar's status changed since the last one). Blocking."""
        generation = bisect.bisect_right(self._moments, now)
        with self._lock:
            if self._rendered is not None and self._rendered[0] == generation:
                return self._rendered[1]
            body = self._json(now)
            rendered = Rendered(self.etag(now), body, gzip.compress(body, 6, mtime=0))
            self._rendered = (generation, rendered)
            return rendered

    def logo_pack(self) -> StoredFile | None:
        """The zip of every logo (made once, into the content store); None when no exhibitor has a logo. Blocking."""
        with self._lock:
            if self._pack is None:
                logos = {e.logo.sha256: e.logo.path for e in self.catalog.exhibitors.values()
                         if e.logo is not None and e.logo.sha256}
                if not logos:
                    return None
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as pack:
                    for sha, path in sorted(logos.items()):
                        try:
                            data = path.read_bytes()
                        except OSError:  # missing from the store: its own URL says 404 too
                            continue
                        pack.writestr(zipfile.ZipInfo(f"{sha}.png", _ZIP_TIME), data)
                name = self.store.put_bytes(buffer.getvalue(), ".zip")
                self._pack = StoredFile(self.store.folder / name, "logos.zip")
            return self._pack
