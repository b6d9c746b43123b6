"""The online indicator: offline when the backend stops, online again when it is back."""

from __future__ import annotations

from expo_hall.net.client import ApiClient
from expo_hall.net.errors import Offline
from expo_hall.net.status import STATUS, StatusMonitor
from expo_hall.net.worker import Worker
from tests.net.conftest import FAST_RETRY


def test_status_follows_the_backend(server, inbox):
    client = ApiClient(server.url, retry=FAST_RETRY)
    monitor = StatusMonitor(client, inbox, offline_interval=0.05, idle_interval=60).start()
    worker = Worker(inbox)
    try:
        assert inbox.tagged(STATUS).online is True  # the first check, at once
        assert monitor.online is True
        server.stop()
        worker.submit("floors", client.floors)  # any call that fails tells the monitor
        change = inbox.tagged(STATUS)
        assert change.online is False and "refused" in change.reason.lower()
        assert isinstance(inbox.tagged("floors"), Offline)
        server.start()
        assert inbox.tagged(STATUS, timeout=3).online is True  # found by the health check while offline
        worker.submit("floors", client.floors)
        assert len(inbox.tagged("floors")) == 2
        assert inbox.empty()  # no repeated "online"
    finally:
        worker.stop()
        monitor.stop()


def test_an_idle_client_notices_a_dead_backend(server, inbox):
    client = ApiClient(server.url, retry=FAST_RETRY)
    monitor = StatusMonitor(client, inbox, offline_interval=0.05, idle_interval=0.1).start()
    try:
        assert inbox.tagged(STATUS).online is True
        server.stop()
        assert inbox.tagged(STATUS, timeout=3).online is False
    finally:
        monitor.stop()


def test_an_error_answer_still_means_online(server, inbox):
    client = ApiClient(server.url, retry=FAST_RETRY)
    monitor = StatusMonitor(client, inbox, offline_interval=0.05, idle_interval=60)
    try:
        try:
            client.me()
        except Exception:  # noqa: BLE001  # 401: it answered
            pass
        assert inbox.tagged(STATUS).online is True
    finally:
        monitor.stop()
