"""Giving memory back after a window closes.

A closed stand window (its GUI elements, surfaces, video buffers) is held in reference cycles until
Python's full collection runs, which may be long after; and glibc keeps what is freed for reuse instead
of returning it. Measured on the demo (benchmarks/hall.py, rss_mb): ten stands opened with their video
left 486 MB resident, collecting and trimming after each close 327 MB. Freezing what the expo loaded
(it lives as long as the app) keeps that collection short: it looks only at what came later.
"""

from __future__ import annotations

import ctypes
import gc
import logging

log = logging.getLogger("expo_hall")


M_ARENA_MAX = -8  # glibc's mallopt parameter


def few_arenas(arenas: int = 1) -> None:
    """glibc gives each thread that allocates its own heap arena (up to eight per core), each keeping what was freed
    in it: the app's threads (the loader, the embedded server, the network's workers, video decoding) each hold
    megabytes that way. One arena for all: 5 MB less after the demo's tour than two (2026-12-07, two pairs of
    runs), with load_s, walking and video frame times within the noise (most allocations happen under the GIL
    anyway; FFmpeg reuses its frames' buffers). Called before those threads start; elsewhere than glibc, nothing."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError, TypeError):
        return
    mallopt(M_ARENA_MAX, arenas)


def loading() -> None:
    """The expo loads: no automatic collection until it has (freeze_loaded, or loaded_not). Loading makes objects by
    the hundred thousand and few cycles: a first start of 1000 exhibitors ran three full collections meanwhile,
    about 0.3 s of the loader's time, for next to nothing freed; freeze_loaded's one collection finds the rest."""
    gc.disable()


def loaded_not() -> None:
    """Loading failed (or the app closed first): collections as usual again."""
    gc.enable()


def freeze_loaded() -> None:
    """Everything alive now lives for the app's run: later collections need not look at it."""
    gc.collect()
    gc.freeze()
    gc.enable()


def thaw() -> None:
    """The app closes: what was frozen may be collected again (tests start many apps in one process)."""
    gc.unfreeze()
    gc.enable()


def release() -> None:
    """Collect the cycles a closed window left, and hand the freed heap back to the system (glibc)."""
    gc.collect()
    _malloc_trim()


def _malloc_trim() -> None:
    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc only; elsewhere the allocator keeps its own counsel
    except (AttributeError, OSError, TypeError):  # TypeError: Windows takes no CDLL(None)
        return
    trim(0)
