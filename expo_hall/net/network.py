"""Everything the app needs from the network, wired together and stopped together."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from expo_hall.net.client import ApiClient
from expo_hall.net.expo_source import fetch_expo
from expo_hall.net.media import MediaCache
from expo_hall.net.outbox import Outbox
from expo_hall.net.stand_changes import StandFollower
from expo_hall.net.status import StatusMonitor
from expo_hall.net.worker import Deliver, LongPoller, Worker


class Network:
    """The client, a worker pool, the online status, the long poller, the outbox, the media cache, and (once the
    expo is loaded) the stands followed.

    `deliver(tag, result)` is called from network threads with every result: the app passes one that posts
    a pygame event. Paths default to the user's folders (platformdirs, app name "expo_hall").
    """

    def __init__(self, base_url: str, deliver: Deliver, *, token: str | None = None, outbox_path: Path | None = None,
                 cache_dir: Path | None = None, client: ApiClient | None = None, threads: int = 4,
                 offline_interval: float = 3.0, idle_interval: float = 10.0, poll_timeout: float = 20.0) -> None:
        self.deliver = deliver
        self.client = client or ApiClient(base_url, token)
        self.worker = Worker(deliver, threads=threads)
        self.media = MediaCache(self.client, cache_dir)
        self.status = StatusMonitor(self.client, deliver, offline_interval=offline_interval,
                                    idle_interval=idle_interval)
        self.polls = LongPoller(self.client, deliver, timeout=poll_timeout)
        self.outbox = Outbox(self.client, deliver, outbox_path)
        self.stands: StandFollower | None = None  # stands going live, followed once the expo is loaded
        self.status.add_listener(self._online_changed)
        self.status.start()

    def call(self, tag: Hashable, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run `fn` (usually a method of `self.client`) on a worker; `(tag, result or exception)` comes back."""
        return self.worker.submit(tag, fn, *args, **kwargs)

    def load_expo(self, tag: Hashable, progress: Callable[[float], None] | None = None) -> bool:
        """Build the Expo from the backend on a worker; `(tag, Expo or exception)` comes back."""
        return self.worker.submit(tag, fetch_expo, self.client, self.media.root, progress, media=self.media)

    def follow_stands(self) -> None:
        """Deliver `(STANDS, Exhibitor)` for each stand whose published content goes live from now on."""
        if self.stands is None:
            self.stands = StandFollower(self.client, self.deliver, self.media.root, timeout=self.polls.timeout).start()

    def _online_changed(self, online: bool) -> None:
        if online:
            self.outbox.kick()
            self.polls.wake()
            if self.stands is not None:
                self.stands.wake()

    def stop(self) -> None:
        if self.stands is not None:
            self.stands.stop()
        self.polls.stop()
        self.status.stop()
        self.outbox.close()
        self.worker.stop()
        self.client.close()
