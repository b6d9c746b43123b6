"""Server settings: where the database is, how long polls wait, how soon revocations take hold, and the clock
(injectable for tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

APP_NAME = "expo_hall"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_db_url() -> str:
    """SQLite in the user's data folder (created on demand)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir(APP_NAME, appauthor=False)) / 'server.sqlite3'}"


@dataclass
class Settings:
    db_url: str = field(default_factory=default_db_url)
    poll_max_wait: float = 25.0  # seconds a long poll is held at most, whatever `timeout` asks
    poll_recheck: float = 5.0  # a waiting poll re-reads the database this often, notified or not
    token_recheck: float = 0.5  # each process looks for revoked tokens this often (a revocation takes hold by then)
    clock: Callable[[], dt.datetime] = utc_now  # timezone-aware "now", for webinar status and timestamps
