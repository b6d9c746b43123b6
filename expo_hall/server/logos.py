"""The import's logos: each exhibitor's logo normalised (images.logo_png) and stored as PNG, once per source.

A logo whose file is unchanged since an import before is found by its hash (Derived) and not decoded again, and
an RGBA PNG already small enough is only decoded to check it (images.logo_as_is). Normalising a thousand logos is
Python's work as much as Pillow's, so threads share one core: a first import of many runs them in a process of
its own (`python -m expo_hall.server.logos STORE`), started before the server's modules are imported, so the two
use both cores; once the importer needs them, its own threads take the jobs the worker has not. That process reads
the jobs as JSON lines on stdin and answers each with one on stdout; whatever it did not answer (it could not
start, or it ended early) is made in the importing process.

Light to import: no SQLAlchemy, no FastAPI (the client starts this before it imports the embedded server).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from expo_hall import ROOT_DIR
from expo_hall.content import images
from expo_hall.content.confine import PathRefused, open_confined
from expo_hall.problems import Problem, Severity, problem
from expo_hall.server.content_store import ContentStore, Derived, sha256_of

if TYPE_CHECKING:  # not imported by the worker process, which starts faster without them (the map readers, pytmx)
    from expo_hall.expo import Expo
    from expo_hall.stands.package import Exhibitor

log = logging.getLogger("expo_hall.server")

WORKER_FROM = 100  # logos in an import from which they are made in a process of their own (it takes ~50 ms to start)
IN_FLIGHT = 8  # jobs sent to it and not answered yet, at most: the rest stay for whichever process is free first


@dataclass(frozen=True)
class Made:
    """What became of one logo: its stored name (None when refused: `refusal` is the problem's key and values),
    the hash of its source, and whether an import before had made it."""

    stored: str | None = None
    digest: str | None = None
    reused: bool = False
    refusal: tuple[str, dict[str, str]] | None = None

    def to_json(self) -> str:
        return json.dumps([self.stored, self.digest, self.reused, self.refusal])

    @classmethod
    def from_json(cls, line: str) -> Made:
        stored, digest, reused, refusal = json.loads(line)
        return cls(stored, digest, reused, (refusal[0], refusal[1]) if refusal else None)


def make_logo(store: ContentStore, derived: Derived, folder: Path, name: str) -> Made:
    """The logo `name` of the package in `folder`, found among those made before or normalised into the store."""
    try:
        with open_confined(folder, name) as fh:
            digest = sha256_of(fh)
            stored = derived.get(digest)
            if stored is not None:
                return Made(stored, digest, reused=True)
            stored = (store.put_file(fh, ".png") if images.logo_as_is(fh)
                      else store.put_bytes(images.logo_png(fh), ".png"))
            return Made(stored, digest)
    except images.ImageRefused as exc:
        return Made(refusal=(f"logo_{exc.fault}", _text({"name": name, **exc.values})))
    except PathRefused as exc:
        return Made(refusal=(exc.key, _text(exc.values)))
    except OSError as exc:
        return Made(refusal=("path_unreadable", _text({"name": name, "error": exc.strerror or exc})))


def _text(values: dict[str, object]) -> dict[str, str]:
    return {k: str(v) for k, v in values.items()}


@dataclass
class Logos:
    """The logos of one import. `begin` starts making them (in a process of its own too when there are
    worker_from or more), `take` gives each exhibitor's, waiting for that work; `save` keeps what was made for the
    next import. The worker and this process's threads take the jobs from one queue, each as it is free."""

    store: ContentStore
    worker_from: int = WORKER_FROM
    derived: Derived = field(init=False)
    made: int = field(default=0, init=False)  # normalised (or checked to be served as they are) by this import
    reused: int = field(default=0, init=False)  # found unchanged since an import before: nothing decoded
    _todo: list[Exhibitor] = field(default_factory=list, init=False)
    _next: int = field(default=0, init=False)  # the first job no one took yet
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _done: dict[str, Made] = field(default_factory=dict, init=False)
    _worker: _Worker | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.derived = Derived(self.store, images.LOGO_RECIPE)

    def start_worker(self, packages: int) -> None:
        """Start the worker process now when `packages` (the stands folder's, before they are read) reach
        worker_from: it imports while they are read."""
        if packages >= self.worker_from and (os.cpu_count() or 1) > 1 and not getattr(sys, "frozen", False):
            self._worker = _Worker.start(self.store)

    def begin(self, expo: Expo) -> None:
        """Begin making the expo's logos: in the worker if one was started, else (at `take`) in this process."""
        self._todo, self._next = [ex for ex in expo.exhibitors.values() if ex.logo], 0
        if self._worker is not None:
            self._worker.feed(self._claim, lambda i: (self._todo[i].folder, _name(self._todo[i])))

    def finish(self) -> None:
        """Make the logos begun that the worker has not taken (all without one), then wait for its answers; any it
        did not give (it ended early) are made here too."""
        worker, self._worker = self._worker, None
        threads = 1 if worker is not None else os.cpu_count() or 1  # beside the worker, one is enough (the GIL)
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="expo_hall-logos") as pool:
            for made in pool.map(lambda _: self._make_claimed(), range(threads)):
                self._done.update(made)
        if worker is not None:
            self._done.update((self._todo[i].exhibitor_id, made) for i, made in worker.answers())
            self._done.update((ex.exhibitor_id, self._make(ex)) for ex in self._todo
                              if ex.exhibitor_id not in self._done)
        self._todo = []

    def take(self, ex: Exhibitor, problems: list[Problem]) -> str | None:
        """The stored name of the exhibitor's logo; None (a problem added) when it cannot be shown."""
        if self._worker is not None or self._todo:
            self.finish()
        made = self._done.pop(ex.exhibitor_id, None) or self._make(ex)
        if made.refusal is not None:
            key, values = made.refusal
            problems.append(problem(ex.folder / "stand.toml", key, ("key", "logo"), Severity.WARNING, **values))
            return None
        if made.reused:
            self.reused += 1
        else:
            self.made += 1
            assert made.stored is not None and made.digest is not None
            self.derived.put(made.digest, made.stored)
        return made.stored

    def save(self) -> None:
        self.derived.save()

    def _claim(self) -> int | None:
        """The next job no one took (taken now), or None when all are."""
        with self._lock:
            if self._next >= len(self._todo):
                return None
            self._next += 1
            return self._next - 1

    def _make_claimed(self) -> dict[str, Made]:
        made = {}
        while (i := self._claim()) is not None:
            made[self._todo[i].exhibitor_id] = self._make(self._todo[i])
        return made

    def _make(self, ex: Exhibitor) -> Made:
        return make_logo(self.store, self.derived, ex.folder, _name(ex))


def _name(ex: Exhibitor) -> str:
    assert ex.logo is not None
    return ex.logo.relative_to(ex.folder).as_posix()


class _Worker:
    """The process making logos: started early, then fed one job per answer (IN_FLIGHT at once) by a thread that
    reads its answers; once no job is left to claim, its input is closed and it ends."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._sent: list[int] = []  # the jobs written to it, in order: it answers them in that order
        self._answers: list[Made] = []
        self._thread: threading.Thread | None = None

    @classmethod
    def start(cls, store: ContentStore) -> _Worker | None:
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT_DIR), *([path] if path else [])])}
        try:
            return cls(subprocess.Popen([sys.executable, "-m", __name__, str(store.folder)], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0)))
        except OSError as exc:
            log.warning("logos are made in this process: a process of their own did not start (%s)", exc)
            return None

    def feed(self, claim: Callable[[], int | None], job: Callable[[int], tuple[Path, str]]) -> None:
        """Feed it the jobs `claim` gives (their index; None: no more), each written as `job` says."""
        self._thread = threading.Thread(target=self._talk, args=(claim, job), name="expo_hall-logo-worker",
                                        daemon=True)
        self._thread.start()

    def answers(self) -> list[tuple[int, Made]]:
        """Its answers, each with its job's index: fewer than it was sent when it ended early."""
        if self._thread is None:  # never fed: its input closed, it ends with nothing to say
            with contextlib.suppress(OSError):
                self._process.communicate(b"")
            return []
        self._thread.join()
        if self._process.returncode:
            log.warning("the logos' process ended with %s: the rest are made in this one", self._process.returncode)
        return list(zip(self._sent, self._answers, strict=False))

    def _talk(self, claim: Callable[[], int | None], job: Callable[[int], tuple[Path, str]]) -> None:
        assert self._process.stdin is not None and self._process.stdout is not None
        stdin = self._process.stdin

        def send() -> None:
            if stdin.closed:
                return
            i = None
            try:
                i = claim()
                if i is None:
                    stdin.close()  # it ends once it has answered what it holds
                    return
                folder, name = job(i)
                stdin.write(json.dumps([str(folder), name]).encode() + b"\n")
                stdin.flush()
                self._sent.append(i)
            except OSError:  # it ended: a job claimed and not written is made by the importing process
                if i is not None:
                    self._sent.append(i)

        for _ in range(IN_FLIGHT):
            send()
        for line in self._process.stdout:
            try:
                self._answers.append(Made.from_json(line.decode()))
            except ValueError:  # cut: it ended
                break
            send()
        with contextlib.suppress(OSError):
            stdin.close()
        self._process.wait()


def _serve(folder: Path) -> None:
    """The worker: one job a line in, one answer a line out, until stdin ends."""
    store = ContentStore(folder)
    derived = Derived(store, images.LOGO_RECIPE)
    for line in sys.stdin:
        if line.strip():
            job_folder, name = json.loads(line)
            sys.stdout.write(make_logo(store, derived, Path(job_folder), name).to_json() + "\n")
            sys.stdout.flush()  # answered at once: its next job is sent on this answer


if __name__ == "__main__":
    _serve(Path(sys.argv[1]))
