"""The server's database across versions: Alembic migrations applied at start.

release-1.sqlite3 was written by the first release (no migrations, tables from `create_all`); see
fixtures/make_release_db.py. Upgrading a copy must keep its chat, route, visits and leads.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from expo_hall.server import db
from expo_hall.server.migrate import alembic_config
from tests.server.conftest import Api, start_server

FIXTURES = Path(__file__).with_name("fixtures")


def _release_1_tokens() -> dict[str, str]:
    lines = (FIXTURES / "release-1.tokens").read_text(encoding="utf-8").split("\n")
    return dict(line.split(" ", 1) for line in lines if line)


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_release_1_database_upgrades_and_keeps_everything(tmp_path: Path, expo_dirs: tuple[Path, Path]) -> None:
    copy = tmp_path / "server.sqlite3"
    shutil.copyfile(FIXTURES / "release-1.sqlite3", copy)
    with db.make_engine(f"sqlite:///{copy}").connect() as conn:
        assert "alembic_version" not in inspect(conn).get_table_names()  # as the first release left it

    srv = start_server(f"sqlite:///{copy}", expo_dirs)
    try:
        with srv.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head()
        tokens = _release_1_tokens()
        vera, roman = Api(srv.url, tokens["visitor"]), Api(srv.url, tokens["representative"])
        assert vera.get("/me").json()["display_name"] == "Вера"

        route = vera.get("/me/route").json()
        assert route["version"] == 1 and route["planned"] == ["beta", "alpha", "gamma"]
        assert {v["exhibitor_id"] for v in route["visited"]} == {"alpha", "beta"}

        public = vera.get(f"/rooms/{srv.room_of('alpha')}/messages").json()["messages"]
        assert [m["text"] for m in public] == ["Здравствуйте! Есть курсы для 5 класса?", "И для 6-го тоже 🙂"]
        conversation = roman.get("/exhibitors/alpha/conversations").json()["conversations"]
        assert len(conversation) == 1 and conversation[0]["visitor_name"] == "Вера"
        private = roman.get(f"/rooms/{conversation[0]['room_id']}/messages").json()["messages"]
        assert "Пришлите прайс" in [m["text"] for m in private] and "Отправил на почту" in [m["text"] for m in private]
        assert [lead["email"] for lead in roman.get("/exhibitors/alpha/leads").json()["leads"]] == ["vera@example.org"]

        # the upgraded database goes on working: a new message lands after the old ones
        assert vera.send(srv.room_of("alpha"), "Спасибо!").status_code == 201
        after = vera.get(f"/rooms/{srv.room_of('alpha')}/messages").json()["messages"]
        assert [m["text"] for m in after][-1] == "Спасибо!" and len(after) == 3
    finally:
        srv.embedded.stop()


def test_models_and_migrations_agree(db_url: str) -> None:
    """A table changed in db.py without a migration would leave every upgraded database behind the code."""
    from alembic.autogenerate import compare_metadata


    engine = db.make_engine(db_url)
    with engine.begin() as conn:
        db.create_schema(conn)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), db.metadata) == []
        assert conn.execute(select(text("version_num")).select_from(text("alembic_version"))).scalar_one() == _head()
    with engine.begin() as conn:  # a second start finds nothing to do
        db.create_schema(conn)
    engine.dispose()


@pytest.mark.parametrize("start", ["empty", "release-1"])
def test_upgrade_is_repeatable(tmp_path: Path, start: str) -> None:
    target = tmp_path / "server.sqlite3"
    if start == "release-1":
        shutil.copyfile(FIXTURES / "release-1.sqlite3", target)
    engine = db.make_engine(f"sqlite:///{target}")
    for _ in range(2):
        with engine.begin() as conn:
            db.create_schema(conn)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        # the trigger that revokes a deleted user's token came with the migration that made `revocations`
        assert conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all() == [
            "users_deleted_revoke"]
    engine.dispose()


def _schema(path: Path) -> dict[str, object]:
    """Everything about a SQLite database's tables that the code could notice: columns, keys, indexes, triggers."""
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        found = inspect(conn)
        schema: dict[str, object] = {
            name: {"columns": sorted((c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                                     for c in found.get_columns(name)),
                   "primary_key": found.get_pk_constraint(name)["constrained_columns"],
                   "foreign_keys": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                                           tuple(f["referred_columns"]), str(f.get("options"))) for f in
                                          found.get_foreign_keys(name)),
                   "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                     for i in found.get_indexes(name)),
                   "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(name)),
                   "checks": sorted(c["sqltext"] for c in found.get_check_constraints(name))}
            for name in found.get_table_names()}
        schema["triggers"] = conn.execute(text("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")).all()
        schema["version"] = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    return schema


def test_a_new_database_is_made_as_the_migrations_would_make_it(tmp_path: Path) -> None:
    """A first start makes db.py's tables at once and stamps them at HEAD: the same schema as running every
    migration, and HEAD is the newest revision."""
    from expo_hall.server import migrate

    assert migrate.HEAD == _head()
    new, migrated = tmp_path / "new.sqlite3", tmp_path / "migrated.sqlite3"
    for path, make in ((new, db.create_schema), (migrated, migrate.migrate)):
        engine = db.make_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            make(conn)
        engine.dispose()
    assert _schema(new) == _schema(migrated)
