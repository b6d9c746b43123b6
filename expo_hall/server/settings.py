"""Server settings: where the database and the imported content are, how long polls wait, and the clock
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


def default_content_dir(db_url: str) -> Path:
    """Where the server keeps its copies of the files it serves: a `content` folder beside an SQLite database
    file, else in the user's data folder."""
    from platformdirs import user_data_dir
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "content"
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "content"


@dataclass
class Settings:
    db_url: str = field(default_factory=default_db_url)
    content_dir: Path | None = None  # the imported files, served from there; None: default_content_dir(db_url)
    poll_max_wait: float = 25.0  # seconds a long poll is held at most, whatever `timeout` asks
    poll_recheck: float = 5.0  # a waiting poll re-reads the database this often, notified or not
    clock: Callable[[], dt.datetime] = utc_now  # timezone-aware "now", for webinar status and timestamps

    def __post_init__(self) -> None:
        self.content_dir = Path(self.content_dir) if self.content_dir else default_content_dir(self.db_url)
