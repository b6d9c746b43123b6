"""Alembic's environment: always run by expo_hall.server.migrate on a connection it hands over."""

from __future__ import annotations

from alembic import context

from expo_hall.server.db import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
