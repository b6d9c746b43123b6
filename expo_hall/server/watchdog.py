"""Worker processes (`--workers N`) end when the process that started them does.

uvicorn's supervisor hands its workers the listening socket; workers left behind by a supervisor killed
with SIGKILL would go on serving the port, and the next start would find it in use. A worker stops the way
uvicorn stops on SIGTERM: it closes the listening socket at once and gives requests under way a few seconds.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger("expo_hall.server")

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def exit_with_supervisor(supervisor_pid: int, interval: float = 0.2, grace: float = 10.0) -> None:
    """Stop this process (SIGTERM to itself) within `interval` of `supervisor_pid` ceasing to be its parent, and
    exit outright if the shutdown takes longer than `grace` seconds. On Linux the kernel sends the SIGTERM at
    the parent's death (PR_SET_PDEATHSIG); the watch covers the rest, and a parent gone before that was set."""
    kernel_signals = _ask_kernel_for_sigterm() and os.getppid() == supervisor_pid
    threading.Thread(target=_watch, args=(supervisor_pid, interval, grace, kernel_signals), daemon=True,
                     name="expo_hall-supervisor-watch").start()


def _watch(supervisor_pid: int, interval: float, grace: float, kernel_signals: bool) -> None:
    while os.getppid() == supervisor_pid:
        time.sleep(interval)
    log.warning("the server's supervising process %d is gone: worker %d stops", supervisor_pid, os.getpid())
    if not kernel_signals:  # a second SIGTERM would make uvicorn skip its graceful shutdown
        os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(grace)
    log.error("worker %d did not stop within %.0f s of its supervisor: exiting now", os.getpid(), grace)
    os._exit(1)


def _ask_kernel_for_sigterm() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
