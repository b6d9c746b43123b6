"""Downloads of files to disk: streamed, with progress, cancellable, retryable, several at once.

Each download runs on a thread of its own (at most `max_parallel` transfer at once, the others wait their
turn), so a long file never holds up the worker pool or a frame. What happens is delivered through the
network layer's callback, `deliver(tag, value)`, with the tag the caller gave:

    Progress(done, total)   from 0 (before the first byte) to done == total (after the last), not too often
    then exactly one of
    Finished(path, size, content_type)   the file is whole at `path`
    Failed(reason, detail, status)       nothing is left behind; `reason` says why (OFFLINE, NOT_FOUND, ...)
    Cancelled()                          nothing is left behind

The body goes to `<dest>.part`, is flushed to disk, and only then renamed to `dest`: a partial file never
has the final name. On failure or cancel the `.part` file is removed before the result is delivered.

The source is a URL (this backend's, through `ApiClient.stream`: its retries, timeouts and errors) or a
local file (the `--no-server` mode: a copy, with the same progress and guarantees).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
import time
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from expo_hall.net.client import ApiClient
from expo_hall.net.errors import ApiError, BadResponse, NetError, Offline
from expo_hall.net.worker import Deliver, safe_deliver

log = logging.getLogger("expo_hall.net")

PART_SUFFIX = ".part"

# why a download failed (Failed.reason)
OFFLINE = "offline"  # the server cannot be reached, or the answer was cut off
NOT_FOUND = "not_found"  # 404 / 410, or a local source file that is gone
FORBIDDEN = "forbidden"  # 401 / 403
SERVER = "server"  # 5xx
HTTP = "http"  # another HTTP error
BAD_ANSWER = "bad_answer"  # an answer this client cannot use
DISK_FULL = "disk_full"  # no space left (or over quota)
PERMISSION = "permission"  # not allowed to write there (or a read-only disk)
DISK = "disk"  # another error writing the file
ERROR = "error"  # a bug (logged)
RETRYABLE = frozenset({OFFLINE, SERVER, NOT_FOUND, DISK_FULL, PERMISSION, DISK, BAD_ANSWER, HTTP, ERROR})


@dataclass(frozen=True)
class Progress:
    done: int  # bytes written so far
    total: int | None  # bytes expected (None: the server did not say)

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return 1.0 if self.total == 0 else None
        return min(1.0, self.done / self.total)


@dataclass(frozen=True)
class Finished:
    path: Path  # the whole file, at the destination asked for
    size: int
    content_type: str | None = None


@dataclass(frozen=True)
class Failed:
    reason: str  # OFFLINE, NOT_FOUND, FORBIDDEN, SERVER, HTTP, BAD_ANSWER, DISK_FULL, PERMISSION, DISK, ERROR
    detail: str  # the underlying message (for a log or a second line; not translated)
    status: int | None = None  # the HTTP status, for an HTTP error

    @property
    def retryable(self) -> bool:
        return self.reason in RETRYABLE


@dataclass(frozen=True)
class Cancelled:
    pass


@dataclass(frozen=True)
class RemoteFile:
    """What a HEAD says about a file (either may be None: the server did not say, or does not answer HEAD)."""

    size: int | None
    content_type: str | None


class _Stop(Exception):  # noqa: N818 - internal: the download was cancelled
    pass


class _Job:
    def __init__(self, tag: Hashable, source: str | Path, dest: Path) -> None:
        self.tag = tag
        self.source = source
        self.dest = dest
        self.cancel = threading.Event()
        self.thread: threading.Thread | None = None

    @property
    def part(self) -> Path:
        return part_path(self.dest)


def part_path(dest: Path) -> Path:
    """Where a download to `dest` is written until it is whole."""
    return dest.with_name(dest.name + PART_SUFFIX)


class Downloads:
    """The download manager. `client` may be None when every source is a local file.

    `rate_limit` (bytes per second, per download) keeps a download from taking the whole line (a fair's
    shared Wi-Fi); None: as fast as it comes.
    """

    def __init__(self, client: ApiClient | None, deliver: Deliver, *, max_parallel: int = 3,
                 chunk_size: int = 64 * 1024, rate_limit: float | None = None, progress_step: float = 0.01,
                 progress_interval: float = 0.1) -> None:
        self.client = client
        self.deliver = deliver
        self.chunk_size = chunk_size
        self.rate_limit = rate_limit
        self.progress_step = progress_step  # a new Progress when this much more of the file is in...
        self.progress_interval = progress_interval  # ...or this many seconds passed since the last one
        self._slots = threading.Semaphore(max(1, max_parallel))
        self._jobs: dict[Hashable, _Job] = {}  # running or waiting for a slot
        self._last: dict[Hashable, tuple[str | Path, Path]] = {}  # what each tag downloaded last, for retry
        self._lock = threading.Lock()
        self._stopped = False

    # --- the API -----------------------------------------------------------------------------------------------------

    def start(self, tag: Hashable, source: str | Path, dest: Path | str) -> bool:
        """Download `source` (a URL, or a local file as a Path) to `dest`. False (and nothing delivered) when a
        download with this tag is under way already."""
        dest = Path(dest)
        with self._lock:
            if self._stopped:
                raise RuntimeError("the download manager is stopped")
            if tag in self._jobs:
                return False
            job = self._jobs[tag] = _Job(tag, source, dest)
            self._last[tag] = (source, dest)
            job.thread = threading.Thread(target=self._run, args=(job,), name=f"expo-download-{dest.name}",
                                          daemon=True)
        job.thread.start()
        return True

    def retry(self, tag: Hashable) -> bool:
        """Start again the last download with this tag (after it failed or was cancelled)."""
        with self._lock:
            last = self._last.get(tag)
        return last is not None and self.start(tag, *last)

    def cancel(self, tag: Hashable) -> bool:
        """Stop a download; `Cancelled` comes once its partial file is gone. False when none runs."""
        with self._lock:
            job = self._jobs.get(tag)
        if job is None:
            return False
        job.cancel.set()
        return True

    def running(self, tag: Hashable) -> bool:
        with self._lock:
            return tag in self._jobs

    def tags(self) -> list[Hashable]:
        with self._lock:
            return list(self._jobs)

    def stop(self, timeout: float = 0.0) -> None:
        """Cancel every download (each still cleans up and delivers `Cancelled`); take no new ones."""
        with self._lock:
            self._stopped = True
            jobs = list(self._jobs.values())
        for job in jobs:
            job.cancel.set()
        if timeout > 0:
            deadline = time.monotonic() + timeout
            for job in jobs:
                if job.thread is not None:
                    job.thread.join(max(0.0, deadline - time.monotonic()))

    def probe(self, url: str) -> RemoteFile:
        """Size and type of a remote file by a HEAD request (blocking: call it on a worker). A server that does
        not answer HEAD (405) gives RemoteFile(None, None); other failures raise NetErrors."""
        if self.client is None:
            raise RuntimeError("no client to ask")
        try:
            with self.client.stream(url, method="HEAD") as r:
                return RemoteFile(_length(r.headers.get("Content-Length")), _ctype(r.headers.get("Content-Type")))
        except ApiError as exc:
            if exc.status in (405, 501):
                return RemoteFile(None, None)
            raise

    # --- the work ----------------------------------------------------------------------------------------------------

    def _run(self, job: _Job) -> None:
        result: Finished | Failed | Cancelled
        try:
            with self._slot(job):
                if isinstance(job.source, Path):
                    result = self._copy(job)
                else:
                    result = self._fetch(job)
        except _Stop:
            result = Cancelled()
        except Offline as exc:
            result = Failed(OFFLINE, str(exc))
        except ApiError as exc:
            result = Failed(_http_reason(exc.status), exc.message, exc.status)
        except (BadResponse, NetError) as exc:
            result = Failed(BAD_ANSWER, str(exc))
        except FileNotFoundError as exc:  # the local source (a missing folder to write in is an OSError below)
            result = Failed(NOT_FOUND if isinstance(job.source, Path) and not job.source.exists() else DISK,
                            str(exc))
        except OSError as exc:
            result = Failed(_disk_reason(exc), f"{exc.strerror or exc}: {exc.filename or job.dest}")
        except Exception as exc:
            log.exception("download of %s failed", job.source)
            result = Failed(ERROR, f"{type(exc).__name__}: {exc}")
        if not isinstance(result, Finished):
            with contextlib.suppress(OSError):
                job.part.unlink(missing_ok=True)
        with self._lock:
            if self._jobs.get(job.tag) is job:
                del self._jobs[job.tag]
        safe_deliver(self.deliver, job.tag, result)

    @contextlib.contextmanager
    def _slot(self, job: _Job) -> Iterator[None]:
        while not self._slots.acquire(timeout=0.1):
            if job.cancel.is_set():
                raise _Stop
        try:
            if job.cancel.is_set():
                raise _Stop
            yield
        finally:
            self._slots.release()

    def _fetch(self, job: _Job) -> Finished:
        if self.client is None:
            raise RuntimeError("no client to download with")
        assert isinstance(job.source, str)
        with self.client.stream(job.source) as r:
            total = _length(r.headers.get("Content-Length"))
            if r.headers.get("Content-Encoding", "identity") not in ("identity", ""):
                total = None  # the length is of the compressed body; iter_content gives it decoded
            size = self._write(job, r.iter_content(self.chunk_size), total)
            if total is not None and size != total:
                raise Offline(f"GET {job.source}: the answer was cut off ({size} of {total} bytes)")
            return self._finish(job, size, _ctype(r.headers.get("Content-Type")))

    def _copy(self, job: _Job) -> Finished:
        assert isinstance(job.source, Path)
        with job.source.open("rb") as fh:
            total = os.fstat(fh.fileno()).st_size
            size = self._write(job, iter(lambda: fh.read(self.chunk_size), b""), total)
        return self._finish(job, size, None)

    def _write(self, job: _Job, chunks: Iterable[bytes], total: int | None) -> int:
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        done, started = 0, time.monotonic()
        reported_at, reported = started, 0.0
        safe_deliver(self.deliver, job.tag, Progress(0, total))
        with job.part.open("wb") as fh:
            for chunk in chunks:
                if job.cancel.is_set():
                    raise _Stop
                fh.write(chunk)
                done += len(chunk)
                now = time.monotonic()
                fraction = done / total if total else 0.0
                if now - reported_at >= self.progress_interval or fraction - reported >= self.progress_step:
                    if not total or done < total:  # the 100% goes out once the file is flushed
                        safe_deliver(self.deliver, job.tag, Progress(done, total))
                    reported_at, reported = now, fraction
                if self.rate_limit:
                    ahead = done / self.rate_limit - (now - started)
                    if ahead > 0 and job.cancel.wait(ahead):
                        raise _Stop
            fh.flush()
            os.fsync(fh.fileno())
        if job.cancel.is_set():
            raise _Stop
        safe_deliver(self.deliver, job.tag, Progress(done, total if total is not None else done))
        return done

    @staticmethod
    def _finish(job: _Job, size: int, content_type: str | None) -> Finished:
        os.replace(job.part, job.dest)
        return Finished(job.dest, size, content_type)


def describe(result: Failed) -> str:
    """A one-line English account of a failure, for logs."""
    return f"{result.reason}" + (f" ({result.status})" if result.status else "") + f": {result.detail}"


def _http_reason(status: int) -> str:
    if status in (404, 410):
        return NOT_FOUND
    if status in (401, 403):
        return FORBIDDEN
    return SERVER if status >= 500 else HTTP


def disk_failure(exc: OSError) -> Failed:
    """A write that failed, as the Failed a download would deliver for it."""
    return Failed(_disk_reason(exc), f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))


def _disk_reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return DISK_FULL
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) or isinstance(exc, PermissionError):
        return PERMISSION
    return DISK


def _length(value: str | None) -> int | None:
    try:
        n = int(value) if value is not None else None
    except ValueError:
        return None
    return n if n is not None and n >= 0 else None


def _ctype(value: str | None) -> str | None:
    return (value or "").split(";")[0].strip() or None
