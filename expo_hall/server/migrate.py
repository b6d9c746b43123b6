"""The database's schema, brought up to date at every start by Alembic (migrations/ beside this file).

A database made before migrations existed (release 1, whose tables `create_all` made) has tables but no
`alembic_version`: it is stamped as the first revision, which is that release's schema, then upgraded.

A new database (no table at all, as at a visitor's first start) is made from db.py's tables at once and
stamped at HEAD, without running the migrations one by one (0.1-0.4 s of a first start, and Alembic's import);
one already at HEAD is left as it is, also without Alembic. tests/server/test_migrations.py checks that the
schema made so is the one the migrations make, and that HEAD is the newest revision.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, Connection, MetaData, PrimaryKeyConstraint, String, Table, inspect, select, text

from expo_hall.server.db import SCHEMA_LOCK, create_triggers, is_postgres, metadata

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
RELEASE_1 = "0001"  # the schema as the first release made it
HEAD = "0006"  # the newest revision: a new migration moves it (a test says so)
# Alembic's own table, as its stamp makes it
_VERSION = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                 PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


def alembic_config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def upgrade(conn: Connection) -> None:
    """Migrate to the newest revision, inside the caller's transaction; on PostgreSQL one process at a time
    (an advisory lock held to the end of the transaction)."""
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    tables = set(inspect(conn).get_table_names())
    if not tables:
        create_new(conn)
        return
    if "alembic_version" in tables and conn.execute(select(_VERSION.c.version_num)).scalars().all() == [HEAD]:
        return
    migrate(conn, stamp_release_1="alembic_version" not in tables and "messages" in tables)


def create_new(conn: Connection) -> None:
    """A new database's tables, as the migrations up to HEAD would leave them, stamped at HEAD."""
    metadata.create_all(conn)
    create_triggers(conn)
    _VERSION.create(conn)
    conn.execute(_VERSION.insert().values(version_num=HEAD))


def migrate(conn: Connection, *, stamp_release_1: bool = False) -> None:
    """Run the migrations the database has not had (Alembic), from the first release's schema if so told."""
    from alembic import command

    config = alembic_config(conn)
    if stamp_release_1:
        command.stamp(config, RELEASE_1)
    command.upgrade(config, "head")
