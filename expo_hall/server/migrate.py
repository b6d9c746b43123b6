"""The database's schema, brought up to date at every start by Alembic (migrations/ beside this file).

A database made before migrations existed (release 1, whose tables `create_all` made) has tables but no
`alembic_version`: it is stamped as the first revision, which is that release's schema, then upgraded.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect, text

from expo_hall.server.db import SCHEMA_LOCK, is_postgres

MIGRATIONS = Path(__file__).with_name("migrations")
RELEASE_1 = "0001"  # the schema as the first release made it


def alembic_config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def upgrade(conn: Connection) -> None:
    """Migrate to the newest revision, inside the caller's transaction; on PostgreSQL one process at a time
    (an advisory lock held to the end of the transaction)."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    config = alembic_config(conn)
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables and "messages" in tables:
        command.stamp(config, RELEASE_1)
    command.upgrade(config, "head")
