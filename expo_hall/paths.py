"""Where the client keeps the visitor's things: data (agenda, identity, outbox, embedded db) and caches."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "expo_hall"


def data_dir(override: Path | None = None) -> Path:
    path = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir(override: Path | None = None) -> Path:
    """Downloaded floors, logos and media; under the data folder when one is given (tests, portable use)."""
    path = Path(override) / "cache" if override else Path(user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
