"""The PostgreSQL the server tests use: EXPO_HALL_TEST_PG names a server and a database; each test run works in a
database of its own made beside that one (dropped when the run ends), so two runs at once (two engineers, a CI
clone) do not empty each other's tables. Where the role may not create databases, the named one is used as it is."""

from __future__ import annotations

import atexit
import logging
import os

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


def _own_database(url: str) -> str:
    base = make_url(url)
    name = f"{base.database}_run{os.getpid()}"
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        log.warning("PostgreSQL tests share %s (%s)", base.database, exc)
        return url

    def drop() -> None:
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error as exc:
            log.warning("the test database %s was left: %s", name, exc)

    atexit.register(drop)
    return base.set(database=name).render_as_string(hide_password=False)


_given = os.environ.get("EXPO_HALL_TEST_PG")
PG_URL = _own_database(_given) if _given else None
