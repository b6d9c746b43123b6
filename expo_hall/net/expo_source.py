"""The client's world from the backend: floors, stands and logos downloaded into a cache, read into an `Expo`.

Each floor's .tmx and the files it refers to (tilesets, their images) land in `cache/maps/<floor>/` at
their relative paths, so `load_floor` and pytmx read them as they were on the server; logos land in
`cache/stands/<exhibitor>/logo.<ext>`. Every file is revalidated (304 keeps it), so a second start
downloads only what changed. Blocking: run it in a worker thread (the loading screen does).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from expo_hall.expo import Expo, assemble
from expo_hall.floors.model import Floor
from expo_hall.floors.tiled import load_floor
from expo_hall.net.client import ApiClient
from expo_hall.net.errors import ApiError, BadResponse
from expo_hall.net.media import MediaCache
from expo_hall.problems import ContentError
from expo_hall.server.schemas import ExhibitorOut, ExhibitorSummary, FloorOut
from expo_hall.stands.package import EXHIBITOR_ID, Contacts, Exhibitor, Material, Webinar

log = logging.getLogger("expo_hall.net")

Progress = Callable[[float], None]


def fetch_expo(client: ApiClient, cache_dir: Path, progress: Progress | None = None, *,
               media: MediaCache | None = None, parallel: int = 6) -> Expo:
    """Download the expo's floors, stand content and logos, and build the Expo, cross-checked as `load_expo`
    does. Raises Offline / ApiError when the lists cannot be had; a missing logo only logs (a placeholder
    is drawn)."""
    cache_dir = Path(cache_dir)
    media = media or MediaCache(client, cache_dir)
    report = _Progress(progress)
    floor_infos = client.floors()
    summaries = client.exhibitors()
    report.total = 2 + sum(len(f.files) for f in floor_infos) + 2 * len(summaries)
    report.step(2)

    tmx_paths: dict[str, Path] = {}
    with ThreadPoolExecutor(max(1, parallel), thread_name_prefix="expo-fetch") as pool:
        floor_jobs = [pool.submit(_fetch_floor, client, media, cache_dir, info, report) for info in floor_infos]
        ex_jobs = [pool.submit(_fetch_exhibitor, client, media, cache_dir, s, report) for s in summaries]
        try:
            for info, job in zip(floor_infos, floor_jobs, strict=True):
                tmx_paths[info.floor_id] = job.result()
            exhibitors = [job.result() for job in ex_jobs]
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # the first failure ends the load
            raise

    problems = []
    floors: list[Floor] = []
    by_id: dict[str, Floor] = {}
    for info in floor_infos:
        try:
            floor, found = load_floor(tmx_paths[info.floor_id])
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
    expo = assemble(floors, {ex.exhibitor_id: ex for ex in sorted(exhibitors, key=lambda e: e.exhibitor_id)},
                    problems)
    report.done()
    return expo


def local_name(ident: str) -> str:
    """A folder name for a server id: the id itself when it is a plain one, else a safe form plus a hash."""
    if EXHIBITOR_ID.match(ident) and len(ident) <= 80 and not ident.endswith("."):
        return ident
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", ident)[:60]
    return f"{safe}-{hashlib.sha1(ident.encode()).hexdigest()[:10]}"


def _fetch_floor(client: ApiClient, media: MediaCache, cache_dir: Path, info: FloorOut, report: _Progress) -> Path:
    if not info.files:
        raise BadResponse(f"floor {info.floor_id!r} has no map file")

    def fetch(url: str, dest: Path) -> None:
        media.fetch(url, dest)
        report.step()

    return client.download_floor(info, cache_dir / "maps" / local_name(info.floor_id), fetch)


def _fetch_exhibitor(client: ApiClient, media: MediaCache, cache_dir: Path, summary: ExhibitorSummary,
                     report: _Progress) -> Exhibitor:
    details = client.exhibitor(summary.exhibitor_id)
    report.step()
    folder = cache_dir / "stands" / local_name(details.exhibitor_id)
    logo = None
    if details.logo_url:
        try:
            logo = media.fetch(details.logo_url, folder / "logo", add_suffix=True).path
        except ApiError as exc:
            log.warning("%s: the logo cannot be had (%s); a placeholder is shown", details.exhibitor_id, exc)
    report.step()
    return exhibitor_from(details, folder, logo)


def exhibitor_from(d: ExhibitorOut, folder: Path, logo: Path | None) -> Exhibitor:
    """The stand package's data as the server gives it; URLs stay URLs (materials, video)."""
    c = d.contacts
    return Exhibitor(
        exhibitor_id=d.exhibitor_id, name=d.name, folder=folder, name_en=d.name_en, category=d.category,
        category_en=d.category_en, description=d.description, description_en=d.description_en, logo=logo,
        video=d.video.url if d.video else None, away_message=d.away_message,
        contacts=Contacts(email=c.email, phone=c.phone, website=c.website, address=c.address,
                          messengers=dict(c.messengers)),
        materials=tuple(Material(m.title, m.title_en, url=m.url) for m in d.materials),
        webinars=tuple(sorted((Webinar(w.title, w.starts, w.duration_minutes, w.url, w.title_en) for w in d.webinars),
                              key=lambda w: w.starts)),
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
