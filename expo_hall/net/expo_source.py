"""The client's world from the backend: the expo's bulk answer, floors' map files and logos in a cache, read
into an `Expo`; or, when the server does not answer, the same from what the cache kept of the last start.

A start asks `GET /api/v1/expo` once (If-None-Match: the copy kept, which 304 keeps), then only the files whose
hash (given in that answer) is not the one of the copy on disk: each floor's .tmx and the files it refers to
land in `cache/maps/<floor>/` at their relative paths, so `load_floor` and pytmx read them as they were on the
server; logos land in `cache/logos/<sha256>.png`, from the logo pack when many are missing, else one by one,
several at a time. The answer is kept in `cache/expo.json` (its ETag and server on the first line),
written whole or not at all. Blocking: run it in a worker thread (the loading screen does).

`open_expo` may leave the logo pack for later (`LaterLogos`): the app opens the hall on the answer and the maps,
logos drawn as placeholders, and fetches the pack once the hall is up (a first start: 1000 logos to fetch, write
and decode are about a second); the answer is kept only once those logos are, as fetch_expo keeps it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import re
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from expo_hall.expo import Expo, assemble
from expo_hall.files import write_atomically
from expo_hall.floors.model import Floor
from expo_hall.floors.tiled import load_floor
from expo_hall.net.client import ApiClient, safe_join
from expo_hall.net.errors import ApiError, BadResponse
from expo_hall.net.media import MediaCache
from expo_hall.net.models import parse_json
from expo_hall.problems import ContentError
from expo_hall.server.schemas import ExhibitorOut, ExpoOut
from expo_hall.stands.package import EXHIBITOR_ID, Contacts, Exhibitor, Material, Webinar

log = logging.getLogger("expo_hall.net")

Progress = Callable[[float], None]
ANSWER_FILE = "expo.json"
# The pack carries every logo: it is fetched when at least PACK_MIN logos are missing, and at least a quarter of
# all (so it never carries more than four times what is missing). On loopback 1000 logos came in 1.2 s as a pack
# against 3.9 s one by one, six at a time: a request costs about as much as a few kB more in a pack.
PACK_MIN = 24
LOGOS = "logos"  # the cache's folder of logos, each named by its hash


@dataclass(frozen=True)
class SavedAnswer:
    """The bulk answer as the cache keeps it: its ETag, the server it came from, when."""

    etag: str | None
    server: str
    saved_at: str  # ISO 8601, UTC
    body: bytes

    @property
    def saved(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.saved_at)


def read_answer(cache_dir: Path) -> SavedAnswer | None:
    """The bulk answer the cache kept (None: none, or unreadable)."""
    try:
        head, _, body = (Path(cache_dir) / ANSWER_FILE).read_bytes().partition(b"\n")
        meta = json.loads(head)
        return SavedAnswer(meta.get("etag"), str(meta["server"]), str(meta["saved_at"]), body)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save_answer(cache_dir: Path, answer: SavedAnswer) -> None:
    head = json.dumps({"etag": answer.etag, "server": answer.server, "saved_at": answer.saved_at})
    write_atomically(Path(cache_dir) / ANSWER_FILE, head.encode() + b"\n" + answer.body)


def fetch_expo(client: ApiClient, cache_dir: Path, progress: Progress | None = None, *,
               media: MediaCache | None = None, parallel: int = 6, pack_min: int = PACK_MIN) -> Expo:
    """The expo from the backend, cross-checked as `load_expo` does. Raises Offline / ApiError when the bulk
    answer cannot be had; a missing logo only logs (a placeholder is drawn). When `pack_min` logos or more are
    missing from the cache, and a quarter of all or more, they come in one pack."""
    expo, later = open_expo(client, cache_dir, progress, media=media, parallel=parallel, pack_min=pack_min,
                            pack_later=False)
    assert later is None
    return expo


def open_expo(client: ApiClient, cache_dir: Path, progress: Progress | None = None, *,
              media: MediaCache | None = None, parallel: int = 6, pack_min: int = PACK_MIN,
              pack_later: bool = True) -> tuple[Expo, LaterLogos | None]:
    """As fetch_expo; but when the logos come as a pack (`pack_later`), the expo comes without them (those the
    cache holds aside) and the pack is left to the LaterLogos returned: its `fetch` gets them and keeps the
    answer. None: nothing left to fetch."""
    cache_dir = Path(cache_dir)
    media = media or MediaCache(client, cache_dir)
    report = _Progress(progress)
    kept = read_answer(cache_dir)
    etag, body = _ask(client, kept)
    try:
        content = parse_json(ExpoOut, body, client.base_url)
    except BadResponse as exc:
        if kept is None or body is not kept.body:
            raise
        log.warning("the expo kept in the cache cannot be read (%s); asking for it whole", exc)
        etag, body = _ask(client, None)
        content = parse_json(ExpoOut, body, client.base_url)
    report.total = 1 + sum(len(f.files) for f in content.floors) + len(content.exhibitors)
    report.step()
    logos = _Logos(client, cache_dir, content.exhibitors, report, pack_min)
    later = None
    if pack_later and logos.use_pack:
        later = LaterLogos(logos, cache_dir, SavedAnswer(etag, client.base_url, "", body))
        report.step(len(logos.wanted))
    with ThreadPoolExecutor(max(1, parallel), thread_name_prefix="expo-fetch") as pool:
        jobs = []
        for info in content.floors:
            folder = cache_dir / "maps" / local_name(info.floor_id)
            for f in info.files:
                jobs.append(pool.submit(_step, report, media.fetch, f.url, safe_join(folder, f.path),
                                        sha256=f.sha256))
        if later is None:
            logos.fetch(pool)
        try:
            for job in jobs:
                job.result()
            logos.wait()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # the first failure ends the load
            raise
    expo = _assemble(content, cache_dir, logos.paths)
    if later is None:  # kept once its files are: the copy an offline start shows is whole, and as of now
        _save_answer(cache_dir, SavedAnswer(etag, client.base_url, dt.datetime.now(dt.UTC).isoformat(), body))
    report.done()
    return expo, later


@dataclass
class LaterLogos:
    """The logos open_expo left for after the hall opened (they come as a pack). Blocking: a worker thread's."""

    _logos: _Logos
    cache_dir: Path
    answer: SavedAnswer  # kept once the logos are

    @property
    def exhibitor_ids(self) -> list[str]:
        return [e.exhibitor_id for e in self._logos.wanted]

    def fetch(self) -> dict[str, Path]:
        """Get the logos into the cache; then keep the answer (an offline start shows what it holds). Returns the
        cached file of each logo got, by exhibitor (one missing from the server stays a placeholder: logged).
        Raises NetError when the pack cannot be had."""
        self._logos.folder.mkdir(parents=True, exist_ok=True)
        self._logos.report = _Progress(None)  # the loading screen is gone
        self._logos._from_pack()
        a = self.answer
        _save_answer(self.cache_dir, SavedAnswer(a.etag, a.server, dt.datetime.now(dt.UTC).isoformat(), a.body))
        return {e.exhibitor_id: path for e in self._logos.wanted
                if (path := self._logos.paths.get(e.exhibitor_id)) is not None}


def _ask(client: ApiClient, kept: SavedAnswer | None) -> tuple[str | None, bytes]:
    """The bulk answer's ETag and body: the kept one when the server says it is current (304)."""
    headers = {"If-None-Match": kept.etag} if kept is not None and kept.etag else {}
    with client.stream(client.url("/expo"), headers={"Accept": "application/json", **headers}) as r:
        if r.status_code == 304 and kept is not None:
            return kept.etag, kept.body
        if r.status_code == 200:
            return r.headers.get("ETag"), r.content
        raise BadResponse(f"GET /expo: unexpected status {r.status_code}")


def cached_expo(client: ApiClient, cache_dir: Path) -> tuple[Expo, SavedAnswer] | None:
    """The expo as the last start from this server left it in the cache, without asking the server (None when
    the cache has none from it). Files missing from the cache are left out (a floor) or drawn as placeholders."""
    cache_dir = Path(cache_dir)
    kept = read_answer(cache_dir)
    if kept is None or kept.server != client.base_url:
        return None
    try:
        content = parse_json(ExpoOut, kept.body, client.base_url)
    except BadResponse as exc:
        log.warning("the expo kept in the cache cannot be read (%s)", exc)
        return None
    return _assemble(content, cache_dir, kept_logos(cache_dir, content.exhibitors)), kept


class _Logos:
    """Logos are kept by their hash, `cache/logos/<sha256>.png`: one there is current, with no metadata to read
    or write. Those missing come from the pack when there are many, else one by one on the pool."""

    def __init__(self, client: ApiClient, cache_dir: Path, exhibitors: list[ExhibitorOut], report: _Progress,
                 pack_min: int) -> None:
        self.client, self.report = client, report
        self.folder = cache_dir / LOGOS
        self.paths: dict[str, Path | None] = kept_logos(cache_dir, exhibitors)
        with_logo = [e for e in exhibitors if e.logo_url and e.logo_sha256]
        self.wanted = [e for e in with_logo if self.paths[e.exhibitor_id] is None]
        self.use_pack = bool(self.wanted) and len(self.wanted) >= max(pack_min, len(with_logo) / 4)
        report.step(len(exhibitors) - len(self.wanted))
        self.jobs: list[Future[None]] = []

    def fetch(self, pool: ThreadPoolExecutor) -> None:
        if self.wanted:
            self.folder.mkdir(parents=True, exist_ok=True)
        if self.use_pack:
            self.jobs.append(pool.submit(self._from_pack))
        else:
            self.jobs.extend(pool.submit(self._one, e) for e in self.wanted)

    def wait(self) -> None:
        for job in self.jobs:
            job.result()

    def _one(self, e: ExhibitorOut) -> None:
        assert e.logo_url is not None and e.logo_sha256 is not None
        dest = self.folder / f"{e.logo_sha256}.png"
        try:
            self.client.download(e.logo_url, dest)
        except ApiError as exc:
            log.warning("%s: the logo cannot be had (%s); a placeholder is shown", e.exhibitor_id, exc)
        else:
            self._keep(e, dest.read_bytes(), dest)
        self.report.step()

    def _from_pack(self) -> None:
        """One request for every logo; those the pack lacks are asked for one by one."""
        with self.client.stream(self.client.url("/expo/logos")) as r:
            data = r.content
        left = []
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as pack:
                names = set(pack.namelist())
                for e in self.wanted:
                    member = f"{e.logo_sha256}.png"
                    if member not in names:
                        left.append(e)
                        continue
                    self._keep(e, pack.read(member), None)
                    self.report.step()
        except zipfile.BadZipFile as exc:
            raise BadResponse(f"the logo pack cannot be read: {exc}") from exc
        for e in left:
            self._one(e)

    def _keep(self, e: ExhibitorOut, content: bytes, written: Path | None) -> None:
        """The logo, if it is what its hash says (else a placeholder is drawn: the server changed since)."""
        dest = self.folder / f"{e.logo_sha256}.png"
        if hashlib.sha256(content).hexdigest() != e.logo_sha256:
            log.warning("%s: the logo received is not the one announced; a placeholder is shown", e.exhibitor_id)
            if written is not None:
                written.unlink(missing_ok=True)
            return
        if written is None:
            write_atomically(dest, content)
        self.paths[e.exhibitor_id] = dest


def kept_logos(cache_dir: Path, exhibitors: list[ExhibitorOut]) -> dict[str, Path | None]:
    """Each exhibitor's logo as the cache has it (None: no logo, or not in the cache)."""
    folder = Path(cache_dir) / LOGOS
    paths: dict[str, Path | None] = {}
    for e in exhibitors:
        path = folder / f"{e.logo_sha256}.png" if e.logo_url and e.logo_sha256 else None
        paths[e.exhibitor_id] = path if path is not None and path.is_file() else None
    return paths


def _step(report: _Progress, fn: Callable[..., object], *args: object, **kwargs: object) -> None:
    fn(*args, **kwargs)
    report.step()


def _assemble(content: ExpoOut, cache_dir: Path, logos: dict[str, Path | None]) -> Expo:
    problems = []
    floors: list[Floor] = []
    by_id: dict[str, Floor] = {}
    for info in content.floors:
        if not info.files:
            log.warning("floor %r has no map file; skipped", info.floor_id)
            continue
        root = cache_dir / "maps" / local_name(info.floor_id)
        tmx = safe_join(root, info.files[0].path)
        try:
            floor, found = load_floor(tmx, root)
        except ContentError as exc:
            problems.append(exc.problem)
            continue
        if floor.floor_id != info.floor_id or floor.floor_id in by_id:
            log.warning("%s: the map says floor %r, the server %r; skipped", floor.source, floor.floor_id,
                        info.floor_id)
            continue
        by_id[floor.floor_id] = floor
        floors.append(floor)
        problems.extend(found)
    exhibitors = {e.exhibitor_id: exhibitor_from(e, cache_dir / "stands" / local_name(e.exhibitor_id),
                                                 logos.get(e.exhibitor_id))
                  for e in sorted(content.exhibitors, key=lambda e: e.exhibitor_id)}
    expo = assemble(floors, exhibitors, problems)
    expo.changes_seq = content.changes_seq
    return expo


def local_name(ident: str) -> str:
    """A folder name for a server id: the id itself when it is a plain one, else a safe form plus a hash."""
    if EXHIBITOR_ID.match(ident) and len(ident) <= 80 and not ident.endswith("."):
        return ident
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", ident)[:60]
    return f"{safe}-{hashlib.sha1(ident.encode()).hexdigest()[:10]}"


def exhibitor_from(d: ExhibitorOut, folder: Path, logo: Path | None) -> Exhibitor:
    """The stand's data as the server gives it: URLs stay URLs (materials, video); each material keeps its file's
    name, type and size, and the stand its public chat room, so its tabs need not ask again."""
    c = d.contacts
    return Exhibitor(
        exhibitor_id=d.exhibitor_id, name=d.name, folder=folder, name_en=d.name_en, category=d.category,
        category_en=d.category_en, description=d.description, description_en=d.description_en, logo=logo,
        video=d.video.url if d.video else None, away_message=d.away_message,
        contacts=Contacts(email=c.email, phone=c.phone, website=c.website, address=c.address,
                          messengers=dict(c.messengers)),
        materials=tuple(Material(m.title, m.title_en, url=m.url, file_name=m.file_name, content_type=m.content_type,
                                 size=m.size) for m in d.materials),
        webinars=tuple(sorted((Webinar(w.title, w.starts, w.duration_minutes, w.url, w.title_en) for w in d.webinars),
                              key=lambda w: w.starts)),
        clusters=tuple(d.clusters), room_id=d.room_id,
    )


class _Progress:
    """Steps done out of `total`, reported as a fraction that only grows (from several threads)."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback = callback
        self.total = 1
        self.done_steps = 0
        self._lock = threading.Lock()
        self._report(0.0)

    def step(self, n: int = 1) -> None:
        with self._lock:
            self.done_steps += n
            self._report(min(0.99, self.done_steps / max(1, self.total)))

    def done(self) -> None:
        with self._lock:
            self._report(1.0)

    def _report(self, fraction: float) -> None:
        if self.callback is not None:
            try:
                self.callback(fraction)
            except Exception:
                log.exception("progress callback failed")

