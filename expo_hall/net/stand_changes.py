"""Following stands whose published content goes live, so an open hall shows it without a restart: a long poll
of `/expo/changes` on the network layer's one follow loop (`Follow`), and each changed stand read again and
delivered as `(STANDS, Exhibitor)`, its logo in the cache as `fetch_expo` keeps logos.

It starts from the server's newest change when it is started (just after the expo was loaded): a stand that
went live in between is read again once, which changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from expo_hall.net.client import ApiClient
from expo_hall.net.errors import ApiError
from expo_hall.net.expo_source import LOGOS, exhibitor_from, local_name
from expo_hall.net.follow import Backoff, Follow
from expo_hall.net.worker import Deliver, safe_deliver
from expo_hall.server.schemas import ExhibitorOut
from expo_hall.stands.package import Exhibitor

log = logging.getLogger("expo_hall.net")
STANDS = "stands"  # the tag of a changed stand's delivery


class StandFollower:
    def __init__(self, client: ApiClient, deliver: Deliver, cache_dir: Path, *, timeout: float = 20.0,
                 backoff: Backoff | None = None) -> None:
        self.client, self.deliver, self.cache_dir, self.timeout = client, deliver, Path(cache_dir), timeout
        self.after: int | None = None  # the last change seen; None until the first answer
        self.follow: Follow[list[Exhibitor]] = Follow("expo-stands", self._poll, self._take, self._fail, backoff)

    def start(self) -> StandFollower:
        self.follow.start()
        return self

    def stop(self) -> None:
        self.follow.stop()

    def wake(self) -> None:
        self.follow.wake()

    def _poll(self) -> list[Exhibitor]:
        """The stands changed since the last look, each read again (a failure on the way is retried whole)."""
        if self.after is None:  # where the loaded expo stands: the newest change now
            self.after = self.client.stand_changes(0, timeout=0).seq
            return []
        changes = self.client.stand_changes(self.after, self.timeout)
        changed = []
        for exhibitor_id in dict.fromkeys(c.exhibitor_id for c in changes.changes):
            out = self.client.exhibitor(exhibitor_id)
            changed.append(exhibitor_from(out, self.cache_dir / "stands" / local_name(exhibitor_id), self._logo(out)))
        self.after = changes.seq
        return changed

    def _take(self, changed: list[Exhibitor]) -> None:
        for exhibitor in changed:
            safe_deliver(self.deliver, STANDS, exhibitor)

    def _logo(self, out: ExhibitorOut) -> Path | None:
        """The stand's logo in the cache (fetched when new); None: a placeholder is drawn."""
        if not out.logo_url or not out.logo_sha256:
            return None
        path = self.cache_dir / LOGOS / f"{out.logo_sha256}.png"
        if path.is_file():
            return path
        try:
            self.client.download(out.logo_url, path)
        except ApiError as exc:
            log.warning("%s: the new logo cannot be had (%s); a placeholder is shown", out.exhibitor_id, exc)
            return None
        if hashlib.sha256(path.read_bytes()).hexdigest() != out.logo_sha256:
            path.unlink(missing_ok=True)
            return None
        return path

    def _fail(self, error: BaseException) -> None:
        log.warning("stands are no longer followed: %s", error)
