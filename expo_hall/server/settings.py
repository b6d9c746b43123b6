"""Server settings: where the database and the imported content are, how long polls wait, the limits, how soon
revocations take hold, and the clock (injectable for tests)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from expo_hall.content.limits import STAND_UPLOADS_MAX_BYTES

APP_NAME = "expo_hall"
MAX_BODY = 64 * 1024  # bytes: every body the API takes is far smaller (a message is at most 2000 characters)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_db_url() -> str:
    """SQLite in the user's data folder (created on demand)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir(APP_NAME, appauthor=False)) / 'server.sqlite3'}"


@dataclass(frozen=True)
class Rate:
    """A token bucket: `burst` requests at once, then `per_minute` on average."""

    burst: int
    per_minute: float

    def __str__(self) -> str:
        return f"{self.burst}/{self.per_minute:g}"


@dataclass(frozen=True)
class RateLimits:
    """Requests per visitor's token and per client address; None: no limit. The defaults let a person (or a class
    of 30 behind one school router) do anything the client does, and stop a script."""

    register_per_address: Rate | None = Rate(30, 10)
    send_per_token: Rate | None = Rate(20, 30)
    send_per_address: Rate | None = Rate(300, 300)
    visit_per_token: Rate | None = Rate(30, 20)
    visit_per_address: Rate | None = Rate(300, 300)
    download_per_token: Rate | None = Rate(60, 30)
    download_per_address: Rate | None = Rate(300, 300)
    question_per_token: Rate | None = Rate(5, 2)
    vote_per_token: Rate | None = Rate(30, 30)

    @classmethod
    def off(cls) -> RateLimits:
        return cls(**{f.name: None for f in dataclasses.fields(cls)})

    @classmethod
    def parse(cls, spec: str) -> RateLimits:
        """`on` (the defaults), `off`, or the defaults changed by `name=BURST/PER_MINUTE` or `name=off` items,
        comma-separated (`send_per_token=40/60,register_per_address=off`). ValueError names what is wrong."""
        spec = spec.strip()
        if spec in ("on", "off"):
            return cls() if spec == "on" else cls.off()
        names = [f.name for f in dataclasses.fields(cls)]
        changes: dict[str, Rate | None] = {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            name, sep, value = item.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in names:
                raise ValueError(f"{item!r} is not NAME=BURST/PER_MINUTE or NAME=off; the names are {', '.join(names)}")
            changes[name] = _rate(name, value.strip())
        if not changes:
            raise ValueError("give on, off, or NAME=BURST/PER_MINUTE items separated by commas")
        return dataclasses.replace(cls(), **changes)

    def __str__(self) -> str:
        return ", ".join(f"{f.name}={getattr(self, f.name) or 'off'}" for f in dataclasses.fields(self))


def _rate(name: str, value: str) -> Rate | None:
    if value == "off":
        return None
    burst, sep, per_minute = value.partition("/")
    try:
        rate = Rate(int(burst), float(per_minute)) if sep else None
    except ValueError:
        rate = None
    if rate is None or rate.burst < 1 or not 0 < rate.per_minute < float("inf"):
        raise ValueError(f"{name}={value!r}: give BURST/PER_MINUTE (a whole number of requests at once, at least 1, "
                         "then a positive number per minute, e.g. 20/30) or off")
    return rate
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
    stream_max_wait: float = 600.0  # seconds a chat stream stays open; the client then resumes (on any node)
    stream_keepalive: float = 15.0  # a quiet stream gets a comment line this often (proxies, dead peers)
    qa_vote_interval: float = 1.0  # seconds: an event's new vote counts are announced at most this often
    media_redirect: str | None = None  # behind nginx: files answered by X-Accel-Redirect to this prefix + stored name
    max_body: int = MAX_BODY  # bytes; a larger request body is refused (413) before it is read
    rate_limits: RateLimits = field(default_factory=RateLimits)  # per worker process
    stand_uploads_max: int = STAND_UPLOADS_MAX_BYTES  # bytes one stand's uploads may hold (uploads.check_room)
    token_recheck: float = 0.5  # each process looks for revoked tokens this often (a revocation takes hold by then)
    review: bool = False  # published stand versions wait for an organizer's approval before they go live
    fair: str | None = None  # the fair's days, FIRST..LAST (Moscow time), for published webinars; None: the demo's
    clock: Callable[[], dt.datetime] = utc_now  # timezone-aware "now", for webinar status, timestamps and limits

    def __post_init__(self) -> None:
        self.content_dir = Path(self.content_dir) if self.content_dir else default_content_dir(self.db_url)

    def to_json(self) -> str:
        """Everything but the clock, for worker processes (`from_json`)."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "clock"}
        data["rate_limits"] = dataclasses.asdict(self.rate_limits)  # {name: {"burst": …, "per_minute": …} | None}
        return json.dumps(data, default=str)  # content_dir: a Path

    @classmethod
    def from_json(cls, text: str) -> Settings:
        data: dict[str, Any] = json.loads(text)
        limits = {name: Rate(**rate) if rate else None for name, rate in data.pop("rate_limits").items()}
        return cls(**data, rate_limits=RateLimits(**limits))
