"""Alembic migrations of the server's database (see expo_hall/server/migrate.py)."""
