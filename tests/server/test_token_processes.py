"""Token commands and revocation across real server processes: what one process (or the command line)
revokes or deletes, every other process refuses within a second, through the database (SQLite too)."""

from __future__ import annotations

import json
import time

import requests
from sqlalchemy import delete

from expo_hall.server import db
from expo_hall.server.auth import hash_token
from expo_hall.server.db import make_engine
from tests.server.conftest import Api, fresh_db_url
from tests.server.test_processes import cli_here, run_cli, server_process
from tests.server.test_tokens import user_id, wait_until


def register(url: str, name: str) -> Api:
    return Api(url, requests.post(url + "/api/v1/visitors", json={"display_name": name}, timeout=10).json()["token"])


def test_token_list_and_revoke_on_the_command_line(expo_dirs, tmp_path):
    db_url = fresh_db_url("sqlite", tmp_path)
    with server_process(expo_dirs, db_url) as url:
        rep = run_cli("token", "--stand", "alpha", "--name", "Роман", "--db", db_url).stdout.strip()
        vera, ivan = register(url, "Вера"), register(url, "Иван")
        assert Api(url, rep).get("/me").status_code == 200 and vera.get("/me").status_code == 200

        table = run_cli("token", "list", "--db", db_url)
        assert table.returncode == 0, table.stderr
        lines = table.stdout.splitlines()
        assert lines[0].split() == ["id", "role", "name", "stand/halls", "created", "revoked"]
        assert [line.split()[1:4] for line in lines[1:]] == [["representative", "Роман", "alpha"],
                                                             ["visitor", "Вера", "-"], ["visitor", "Иван", "-"]]
        listed = json.loads(cli_here("token", "list", "--json", "--role", "visitor", "--db", db_url).stdout)
        assert [(u["display_name"], u["revoked_at"]) for u in listed] == [("Вера", None), ("Иван", None)]
        for secret in (rep, vera.token, ivan.token):
            assert secret not in table.stdout + str(listed) and hash_token(secret) not in table.stdout + str(listed)

        by_token = run_cli("token", "revoke", vera.token, "--db", db_url)
        by_id = cli_here("token", "revoke", "--id", str(listed[1]["id"]), "--db", db_url)
        assert by_token.returncode == 0 and "revoked the token of user" in by_token.stderr
        assert vera.token not in by_token.stdout + by_token.stderr
        assert by_id.returncode == 0 and "'Иван'" in by_id.stderr
        wait_until(lambda: vera.get("/me").status_code == 401 and ivan.get("/me").status_code == 401)
        assert Api(url, rep).get("/me").status_code == 200

        again = cli_here("token", "revoke", "--id", str(listed[1]["id"]), "--db", db_url)
        assert again.returncode == 0 and "already revoked" in again.stderr
        unknown = cli_here("token", "revoke", "exh_not-a-token", "--db", db_url)
        assert unknown.returncode == 2 and "no user has this token" in unknown.stderr
        assert cli_here("token", "revoke", "--id", "999", "--db", db_url).returncode == 2
        neither = cli_here("token", "revoke", "--db", db_url)
        assert neither.returncode == 2 and "TOKEN" in neither.stderr and "Traceback" not in neither.stderr
        revoked = cli_here("token", "list", "--db", db_url).stdout.splitlines()
        assert [line.split()[-1] == "-" for line in revoked[1:]] == [True, False, False]


def test_a_revocation_reaches_every_server_process_within_a_second(expo_dirs, tmp_path):
    db_url = fresh_db_url("sqlite", tmp_path)
    with server_process(expo_dirs, db_url) as first, server_process(expo_dirs, db_url) as second:
        olga = Api(first, cli_here("token", "--admin", "--name", "Ольга", "--db", db_url).stdout.strip())
        room = olga.get("/exhibitors/alpha").json()["room_id"]
        vera, ivan = register(first, "Вера"), register(first, "Иван")
        for api in (vera, ivan):  # each token cached by both processes, the fast lane's poll included
            for url in (first, second):
                assert Api(url, api.token).get(f"/rooms/{room}/poll", params={"timeout": 0}).status_code == 200
        on_second = Api(second, vera.token)

        assert olga.post(f"/users/{user_id(vera)}/revoke").status_code == 200
        took = wait_until(lambda: on_second.get(f"/rooms/{room}/poll", params={"timeout": 0}).status_code == 401)
        assert took < 1.0, took
        assert on_second.send(room, "я с другого процесса").status_code == 401
        assert Api(second, ivan.token).get("/me").status_code == 200

        engine = make_engine(db_url)  # a user deleted by hand, with SQL
        with db.writing(engine) as conn:
            conn.execute(delete(db.users).where(db.users.c.id == user_id(ivan)))
        engine.dispose()
        for url in (first, second):
            wait_until(lambda url=url: Api(url, ivan.token).get(f"/rooms/{room}/poll",
                                                                 params={"timeout": 0}).status_code == 401)
            assert Api(url, ivan.token).get("/me").status_code == 401


def test_two_workers_refuse_a_revoked_token(expo_dirs, tmp_path):
    """`--workers 2`: both workers start the revocation watch; fresh connections land on either one."""
    db_url = fresh_db_url("sqlite", tmp_path)
    with server_process(expo_dirs, db_url, "--workers", "2") as url:
        vera = register(url, "Вера")
        olga_token = cli_here("token", "--admin", "--name", "Ольга", "--db", db_url).stdout.strip()

        def answers() -> set[int]:  # a new connection each, so the kernel spreads them over the workers
            return {requests.get(url + "/api/v1/me", headers={"Authorization": f"Bearer {vera.token}"},
                                 timeout=10).status_code for _ in range(16)}

        assert answers() == {200}  # cached in the workers that answered
        revoked_at = time.monotonic()
        assert Api(url, olga_token).post(f"/users/{user_id(vera)}/revoke").status_code == 200
        # One round refused may all have landed on the worker that revoked (it forgets at once; the other
        # within its `token_recheck`): wait until three rounds in a row are refused everywhere.
        wait_until(lambda: all(answers() == {401} for _ in range(3)))
        assert time.monotonic() - revoked_at < 5.0  # the watch looks every 0.5 s; the bound is loose for a busy CI
