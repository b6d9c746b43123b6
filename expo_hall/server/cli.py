"""The command line: run the server (the default), or issue a representative's or organizer's token.

    python -m expo_hall.server [--maps DIR] [--stands DIR] [--db URL] [--content DIR] [--host H] [--port P]
                               [--workers N]
    python -m expo_hall.server token --stand ID --name "Name" [--db URL]
    python -m expo_hall.server token --admin --name "Name" [--db URL]
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import logging
import os
import sys
from pathlib import Path

from sqlalchemy import select

from expo_hall import DEMO_MAPS_DIR, DEMO_STANDS_DIR
from expo_hall.server import db
from expo_hall.server.auth import create_user
from expo_hall.server.settings import Settings, default_db_url

log = logging.getLogger("expo_hall.server")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if argv and argv[0] == "token":
        return token(argv[1:])
    return serve(argv[1:] if argv and argv[0] == "serve" else argv)


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m expo_hall.server", description="Run the expo_hall server.")
    parser.add_argument("--maps", type=Path, default=DEMO_MAPS_DIR, help="folder of floor .tmx maps")
    parser.add_argument("--stands", type=Path, default=DEMO_STANDS_DIR, help="folder of stand packages")
    parser.add_argument("--db", default=None, help="SQLAlchemy URL: sqlite:///file or postgresql+psycopg://...; "
                                                   "default: SQLite in the user's data folder")
    parser.add_argument("--content", type=Path, default=None,
                        help="folder of the server's copies of the files it serves (maps, logos, videos, materials); "
                             "default: 'content' beside an SQLite database, else in the user's data folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (use PostgreSQL for more than 1)")
    parser.add_argument("--poll-max-wait", type=float, default=25.0, help="longest a long poll is held, in seconds")
    args = parser.parse_args(argv)

    import uvicorn

    from expo_hall.server.app import SETTINGS_ENV, create_app
    from expo_hall.server.importer import import_folders

    # The event loop and the database threads take turns on the GIL; at the default 5 ms a thread back
    # from SQLite waits behind a busy loop that long. Measured: +40% sends. Only in the server's own process.
    sys.setswitchinterval(0.0005)
    settings = Settings(db_url=args.db or default_db_url(), content_dir=args.content, poll_max_wait=args.poll_max_wait)
    engine = db.make_engine(settings.db_url)
    summary = import_folders(engine, args.maps, args.stands, settings.clock(), settings.content_dir)
    log.info("imported %d floors and %d exhibitors (%d problems) into %s", summary.floors, summary.exhibitors,
             len(summary.problems), engine.url.render_as_string(hide_password=True))
    if args.workers > 1 and not db.is_postgres(engine):
        log.warning("with SQLite, a message posted on one worker reaches pollers on the others only at their "
                    "periodic re-check (%.0f s); use PostgreSQL for several workers", settings.poll_recheck)
    if args.workers == 1:
        uvicorn.run(create_app(settings, engine), host=args.host, port=args.port, access_log=False,
                    proxy_headers=False, timeout_graceful_shutdown=3)
        return 0
    engine.dispose()
    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name != "clock"}
    os.environ[SETTINGS_ENV] = json.dumps(fields, default=str)  # content_dir: a Path
    uvicorn.run("expo_hall.server.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, access_log=False, proxy_headers=False, timeout_graceful_shutdown=3)
    return 0


def token(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m expo_hall.server token",
                                     description="Issue a token for a stand's representative or an organizer.")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--stand", help="the exhibitor id (stand package folder name) the representative speaks for")
    who.add_argument("--admin", action="store_true", help="an organizer's token")
    parser.add_argument("--name", required=True, help="the display name shown in chats")
    parser.add_argument("--db", default=None, help="the server's database URL (default: the user's data folder)")
    args = parser.parse_args(argv)
    name = " ".join(args.name.split())
    if not name:
        parser.error("--name must not be empty")

    from expo_hall.server.schemas import Role
    from expo_hall.server.settings import utc_now

    engine = db.make_engine(args.db or default_db_url())
    with engine.begin() as conn:
        db.create_schema(conn)
        known = set(conn.execute(select(db.exhibitors.c.exhibitor_id).where(db.exhibitors.c.present.is_(True)))
                    .scalars())
    if args.stand is not None and args.stand not in known:
        hint = difflib.get_close_matches(args.stand, sorted(known), n=3)
        more = f" (did you mean {', '.join(hint)}?)" if hint else " (start the server once to import the stands)"
        print(f"error: no stand {args.stand!r} in this database{more}", file=sys.stderr)
        return 2
    role = Role.organizer if args.admin else Role.representative
    secret, principal = create_user(engine, role, name, utc_now(), stand_id=args.stand)
    engine.dispose()
    print(secret)
    print(f"{role.value} {principal.display_name!r} (user {principal.id})"
          + (f" of stand {args.stand}" if args.stand else "") + ": keep this token secret", file=sys.stderr)
    return 0
