"""Noticing saved files: a thread that compares the folders' files (modification time and size) every
POLL seconds, and calls back with the paths that appeared, changed or went. No dependency, no OS notification
API: polling a few thousand files costs a few milliseconds, and works alike on every system and file system."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger("expo_hall")
POLL = 0.3  # seconds between two looks
Stamp = tuple[int, int]  # (mtime in ns, size)


def stamps(roots: Iterable[Path], files: Iterable[Path] = ()) -> dict[Path, Stamp]:
    """Every file under the roots (hidden ones and editors' backups left out), and the given files."""
    found: dict[Path, Stamp] = {}
    todo = [str(r) for r in roots]
    while todo:
        try:
            entries = os.scandir(todo.pop())
        except OSError:  # gone, or not a folder
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith(".") or entry.name.endswith("~"):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    elif entry.is_file():
                        st = entry.stat()
                        found[Path(entry.path)] = (st.st_mtime_ns, st.st_size)
                except OSError:
                    continue
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        found[path] = (st.st_mtime_ns, st.st_size)
    return found


def differences(before: dict[Path, Stamp], after: dict[Path, Stamp]) -> set[Path]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


class FileWatcher:
    """Calls `on_change(paths)` on its own thread whenever files under `roots` (or the files `extra()` names)
    change; the call may take its time (reading them): changes made meanwhile come in the next call."""

    def __init__(self, roots: list[Path], on_change: Callable[[set[Path]], None],
                 extra: Callable[[], Iterable[Path]] = tuple, poll: float = POLL) -> None:
        self.roots, self.on_change, self.extra, self.poll = roots, on_change, extra, poll
        self._stop = threading.Event()
        self._seen = stamps(roots, extra())
        self._thread = threading.Thread(target=self._run, name="expo_hall-watcher", daemon=True)

    def start(self) -> FileWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(5.0)

    def _run(self) -> None:
        while not self._stop.wait(self.poll):
            now = stamps(self.roots, self.extra())
            changed = differences(self._seen, now)
            self._seen = now
            if changed:
                try:
                    self.on_change(changed)
                except Exception:  # a bug in reading must not end the watching: logged, the next save tries again
                    log.exception("reading the changed files failed")
