"""Publishing a stand package to the server: checked here first, its files uploaded, then its content sent as
a new version, which the server checks again and puts live (or, with review, waiting for an organizer).

Blocking: the command line calls it directly, the cabinet from a worker thread. `progress(sent, total)` is
called from the calling thread as bytes go out (total: every file's size together).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from expo_hall.net.client import ApiClient
from expo_hall.problems import Problem
from expo_hall.server.schemas import (
    ContactsIn,
    FindingOut,
    MaterialIn,
    StandIn,
    UploadKind,
    VersionList,
    VersionOut,
    WebinarIn,
)
from expo_hall.stands.package import Exhibitor, is_url
from expo_hall.stands.validate import DEMO_FAIR, Fair, has_errors, validate

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PublishResult:
    version: VersionOut  # its number and state (live, or in_review on a server with review)
    findings: list[FindingOut]  # what the server's checks said that did not stop it (warnings, notes)
    local_findings: list[Problem]  # the same from the check made here first, in the user's language
    sent_bytes: int


class NotPublishable(Exception):
    """The package has errors (found here, before anything was sent): `findings` lists every finding."""

    def __init__(self, findings: list[Problem]) -> None:
        super().__init__(f"{sum(1 for p in findings if p.severity.value == 'error')} error(s) in the package")
        self.findings = findings


def publish(package_dir: Path, server: str, token: str, progress: Progress | None = None, *,
            fair: Fair = DEMO_FAIR, client: ApiClient | None = None) -> PublishResult:
    """Check `package_dir` (raises NotPublishable on errors), upload its files, publish its content. Network and
    server refusals raise `expo_hall.net` errors: Offline, ApiError (401, 403, 413, 422 with `errors`...)."""
    exhibitor, findings = validate(Path(package_dir), fair)
    if exhibitor is None or has_errors(findings):
        raise NotPublishable(findings)
    own = client is None
    client = client or ApiClient(server, token)
    try:
        sender = _Sender(client, exhibitor, progress)
        stand = sender.stand()
        answer = client.publish_stand(stand)
    finally:
        if own:
            client.close()
    return PublishResult(answer.version, answer.findings, findings, sender.sent)


def history(server: str, token: str) -> VersionList:
    """The representative's stand's versions, newest first, with their states."""
    client = ApiClient(server, token)
    try:
        return client.stand_versions()
    finally:
        client.close()


class _Sender:
    """Uploads the package's files (each once, however often it is used) and builds the content that refers to
    them by their hashes."""

    def __init__(self, client: ApiClient, ex: Exhibitor, progress: Progress | None) -> None:
        self.client, self.ex, self.progress = client, ex, progress
        local_video = ex.video is not None and not is_url(ex.video)
        files: list[tuple[UploadKind, Path]] = []
        if ex.logo is not None:
            files.append((UploadKind.logo, ex.logo))
        if local_video:
            files.append((UploadKind.video, Path(ex.video or "")))
        files += [(UploadKind.material, m.file) for m in ex.materials if m.file is not None]
        self.files = files
        self.total = sum(path.stat().st_size for _, path in files)
        self.sent = 0
        self.hashes: dict[tuple[UploadKind, Path], str] = {}

    def stand(self) -> StandIn:
        self._report()
        for kind, path in self.files:
            if (kind, path) not in self.hashes:
                self.hashes[(kind, path)] = self._upload(kind, path)
        ex, c = self.ex, self.ex.contacts
        video = ex.video
        return StandIn(
            description=ex.description, description_en=ex.description_en, away_message=ex.away_message,
            logo=self.hashes.get((UploadKind.logo, ex.logo)) if ex.logo else None,
            video=self.hashes[(UploadKind.video, Path(video))] if video and not is_url(video) else None,
            video_url=video if video and is_url(video) else None,
            contacts=ContactsIn(email=c.email, phone=c.phone, website=c.website, address=c.address,
                                messengers=dict(c.messengers)),
            materials=[MaterialIn(title=m.title, title_en=m.title_en, url=m.url if m.file is None else None,
                                  file=self.hashes[(UploadKind.material, m.file)] if m.file else None)
                       for m in ex.materials],
            webinars=[WebinarIn(title=w.title, title_en=w.title_en, starts=w.starts,
                                duration_minutes=w.duration_minutes, url=w.url) for w in ex.webinars])

    def _upload(self, kind: UploadKind, path: Path) -> str:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            digest = _sha256(fh)
            fh.seek(0)
            answer = self.client.upload(kind, path.name, _Counted(fh, size, self._sent), size)
        if answer.sha256 != digest:  # the file changed while it was sent: what is published is what was checked
            raise OSError(f"{path} changed while it was being sent; publish again")
        return answer.sha256

    def _sent(self, n: int) -> None:
        self.sent += n
        self._report()

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.sent, self.total)


class _Counted:
    """A file as a request body: its length known (so it goes with a Content-Length), each read counted."""

    def __init__(self, fh: BinaryIO, size: int, counted: Callable[[int], None]) -> None:
        self.fh, self.size, self.counted = fh, size, counted

    def __len__(self) -> int:
        return self.size

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(-1 if n is None else n)
        if data:
            self.counted(len(data))
        return data


def _sha256(fh: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := fh.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()
