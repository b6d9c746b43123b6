"""Is the backend reachable? Learnt from every call's outcome, and from a light health check while offline.

Each change is delivered as `(STATUS, ConnectionStatus)`; listeners inside the network layer (the outbox,
the long poller) hear about it too, to try again at once when the backend is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from expo_hall.net.client import ApiClient
from expo_hall.net.errors import ApiError, NetError, unreachable
from expo_hall.net.worker import Deliver, safe_deliver

log = logging.getLogger("expo_hall.net")

STATUS = "net.status"  # the tag status changes are delivered with


@dataclass(frozen=True)
class ConnectionStatus:
    online: bool
    reason: str = ""  # why it is offline, for a tooltip or the log
    since: float = 0.0  # time.monotonic() of the change


class StatusMonitor:
    """Online or offline. Starts unknown (`online` is None) and checks at once when started.

    While offline it calls /health every `offline_interval` seconds; while online it checks only when no call
    has succeeded for `idle_interval` seconds (so a hall with no traffic still notices a dead backend).
    """

    def __init__(self, client: ApiClient, deliver: Deliver, *, offline_interval: float = 3.0,
                 idle_interval: float = 30.0, tag: str = STATUS) -> None:
        self.client = client
        self.deliver = deliver
        self.offline_interval = offline_interval
        self.idle_interval = idle_interval
        self.tag = tag
        self._online: bool | None = None
        self._last_ok = 0.0
        self._listeners: list[Callable[[bool], None]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._force = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        client.add_observer(self._observe)

    @property
    def online(self) -> bool | None:
        return self._online

    def add_listener(self, listener: Callable[[bool], None]) -> None:
        """`listener(online)` on each change, in the thread that noticed it; keep it short."""
        with self._lock:
            self._listeners.append(listener)

    def start(self) -> StatusMonitor:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="expo-net-status", daemon=True)
            self._thread.start()
        return self

    def check_now(self) -> None:
        """Ask the health check thread to check at once."""
        self._force = True
        self._wake.set()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        self.client.remove_observer(self._observe)
        if self._thread is not None:
            self._thread.join(timeout)

    def _observe(self, error: BaseException | None) -> None:
        if error is None:
            self._last_ok = time.monotonic()
            self._set(True, "")
        elif unreachable(error):
            self._set(False, str(error))
        elif isinstance(error, ApiError):  # it answered: reachable, though it said no
            self._last_ok = time.monotonic()
            self._set(True, "")

    def _set(self, online: bool, reason: str) -> None:
        with self._lock:
            if self._online is online:
                return
            self._online = online
            listeners = list(self._listeners)
        log.info("backend %s%s", "online" if online else "offline", f" ({reason})" if reason else "")
        if not online:
            self._wake.set()  # start checking at the offline pace
        safe_deliver(self.deliver, self.tag, ConnectionStatus(online, reason, time.monotonic()))
        for listener in listeners:
            try:
                listener(online)
            except Exception:
                log.exception("status listener failed")

    def _run(self) -> None:
        check = True
        while not self._stop.is_set():
            if check:
                try:
                    self.client.health()  # the observer records the outcome
                except NetError:
                    pass
                except Exception:
                    log.exception("health check failed")
            if self._online:
                wait = max(0.0, self._last_ok + self.idle_interval - time.monotonic())
            else:
                wait = self.offline_interval
            woken = self._wake.wait(wait)
            self._wake.clear()
            if self._stop.is_set():
                return
            check = (not woken or self._force or not self._online
                     or time.monotonic() - self._last_ok >= self.idle_interval)
            self._force = False
