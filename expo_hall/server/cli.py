"""The command line: run the server (the default), issue a representative's or organizer's token, list the
users and revoke a token.

    python -m expo_hall.server [--maps DIR] [--stands DIR] [--programme DIR] [--db URL] [--content DIR] [--host H]
                               [--port P] [--workers N] [--max-body BYTES]
                               [--rate-limits on|off|NAME=BURST/PER_MINUTE,...]
    python -m expo_hall.server token --stand ID --name "Name" [--db URL]
    python -m expo_hall.server token --admin --name "Name" [--db URL]
    python -m expo_hall.server token --moderator HALL [--moderator HALL ...] --name "Name" [--db URL]
    python -m expo_hall.server token list [--role ROLE] [--json] [--db URL]
    python -m expo_hall.server token revoke (TOKEN | --id USER_ID) [--db URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import logging
import os
import sys
from pathlib import Path

from sqlalchemy import Engine, select

from expo_hall import DEMO_MAPS_DIR, DEMO_STANDS_DIR
from expo_hall.content.text import TextError, check_text
from expo_hall.server import db
from expo_hall.server.auth import create_user
from expo_hall.server.settings import MAX_BODY, RateLimits, Settings, default_db_url

log = logging.getLogger("expo_hall.server")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if argv[:2] == ["token", "list"]:
        return token_list(argv[2:])
    if argv[:2] == ["token", "revoke"]:
        return token_revoke(argv[2:])
    if argv and argv[0] == "token":
        return token(argv[1:])
    return serve(argv[1:] if argv and argv[0] == "serve" else argv)


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m expo_hall.server", description="Run the expo_hall server.")
    parser.add_argument("--maps", type=Path, default=DEMO_MAPS_DIR, help="folder of floor .tmx maps")
    parser.add_argument("--stands", type=Path, default=DEMO_STANDS_DIR, help="folder of stand packages")
    parser.add_argument("--programme", type=Path, default=None,
                        help="folder of the business programme (schedule.xml or schedule.json, programme.toml); "
                             "default: 'programme' beside the maps folder, if there is one")
    parser.add_argument("--db", default=None, help="SQLAlchemy URL: sqlite:///file or postgresql+psycopg://...; "
                                                   "default: SQLite in the user's data folder")
    parser.add_argument("--content", type=Path, default=None,
                        help="folder of the server's copies of the files it serves (maps, logos, videos, materials); "
                             "default: 'content' beside an SQLite database, else in the user's data folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (use PostgreSQL for more than 1)")
    parser.add_argument("--poll-max-wait", type=float, default=25.0, help="longest a long poll is held, in seconds")
    parser.add_argument("--media-redirect", default=None, metavar="PREFIX",
                        help="behind nginx: answer logos, videos, materials and map files with X-Accel-Redirect to "
                             "PREFIX<stored name>, which nginx serves from the content folder (see docs/scale.md)")
    parser.add_argument("--max-body", type=_max_body, default=MAX_BODY, metavar="BYTES",
                        help=f"largest request body taken, in bytes (default {MAX_BODY}); larger ones get 413")
    parser.add_argument("--rate-limits", type=_rate_limits, default=RateLimits(),
                        metavar="on|off|NAME=BURST/PER_MINUTE",
                        help="per worker process: on (the defaults), off, or the defaults changed by comma-separated "
                             "items such as send_per_token=40/60 (40 at once, then 60 a minute) or "
                             f"register_per_address=off; defaults: {RateLimits()}")
    parser.add_argument("--review", action="store_true",
                        help="stand versions that representatives publish wait for an organizer's approval "
                             "(POST /api/v1/exhibitors/ID/versions/N/approve or reject) before visitors see them")
    parser.add_argument("--fair", type=_fair, default=None, metavar="FIRST..LAST",
                        help="the fair's days (Moscow time): published webinars must fall within them "
                             "(default: the demo fair's, 2020-04-26..2020-05-08)")
    args = parser.parse_args(argv)

    import uvicorn

    from expo_hall.server.app import SETTINGS_ENV, SUPERVISOR_ENV, create_app
    from expo_hall.server.importer import import_folders

    # The event loop and the database threads take turns on the GIL; at the default 5 ms a thread back
    # from SQLite waits behind a busy loop that long. Measured: +40% sends. Only in the server's own process.
    sys.setswitchinterval(0.0005)
    settings = Settings(db_url=args.db or default_db_url(), content_dir=args.content, poll_max_wait=args.poll_max_wait,
                        max_body=args.max_body, rate_limits=args.rate_limits, review=args.review, fair=args.fair,
                        media_redirect=args.media_redirect)
    engine = db.make_engine(settings.db_url)
    summary = import_folders(engine, args.maps, args.stands, settings.clock(), settings.content_dir, args.programme)
    log.info("imported %d floors, %d exhibitors and %d programme events (%d problems) into %s", summary.floors,
             summary.exhibitors, summary.events, len(summary.problems),
             engine.url.render_as_string(hide_password=True))
    if args.workers > 1 and not db.is_postgres(engine):
        log.warning("with SQLite, a message posted on one worker reaches pollers on the others only at their "
                    "periodic re-check (%.0f s); use PostgreSQL for several workers", settings.poll_recheck)
    if args.workers == 1:
        uvicorn.run(create_app(settings, engine), host=args.host, port=args.port, access_log=False,
                    proxy_headers=False, timeout_graceful_shutdown=3)
        return 0
    engine.dispose()
    os.environ[SETTINGS_ENV] = settings.to_json()
    os.environ[SUPERVISOR_ENV] = str(os.getpid())  # workers stop when this process is gone (watchdog.py)
    uvicorn.run("expo_hall.server.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, access_log=False, proxy_headers=False, timeout_graceful_shutdown=3)
    return 0


def _max_body(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of bytes (a whole number, at least 1)")
    return value


def _fair(text: str) -> str:
    from expo_hall.stands.validate import Fair

    try:
        Fair.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _rate_limits(text: str) -> RateLimits:
    try:
        return RateLimits.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def token(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m expo_hall.server token",
                                     description="Issue a token for a stand's representative, an organizer or a "
                                                 "moderator of the programme's Q&A.")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--stand", help="the exhibitor id (stand package folder name) the representative speaks for")
    who.add_argument("--admin", action="store_true", help="an organizer's token")
    who.add_argument("--moderator", action="append", metavar="HALL",
                     help="a moderator of the Q&A of the events in this hall of the forum floor (programme.toml's "
                          "hall of a room); repeat for several halls")
    parser.add_argument("--name", required=True, help="the display name shown in chats")
    _db_option(parser)
    args = parser.parse_args(argv)
    try:
        name = check_text(args.name)
    except TextError as exc:
        parser.error(f"--name: {exc}")
    if not name:
        parser.error("--name must not be empty")

    from expo_hall.server.schemas import Role
    from expo_hall.server.settings import utc_now

    engine = _open(args.db)
    with engine.connect() as conn:
        known = set(conn.execute(select(db.exhibitors.c.exhibitor_id).where(db.exhibitors.c.present.is_(True)))
                    .scalars())
    if args.stand is not None and args.stand not in known:
        hint = difflib.get_close_matches(args.stand, sorted(known), n=3)
        more = f" (did you mean {', '.join(hint)}?)" if hint else " (start the server once to import the stands)"
        print(f"error: no stand {args.stand!r} in this database{more}", file=sys.stderr)
        return 2
    halls = sorted(set(args.moderator or ()))
    known_halls = _halls(engine)
    for hall in halls:
        if hall not in known_halls:
            hint = difflib.get_close_matches(hall, sorted(known_halls), n=3)
            more = (f" (did you mean {', '.join(hint)}?)" if hint
                    else " (programme.toml gives rooms their halls; start the server once to import the programme)")
            print(f"error: no hall {hall!r} in this database's programme{more}", file=sys.stderr)
            return 2
    role = Role.organizer if args.admin else Role.moderator if halls else Role.representative
    secret, principal = create_user(engine, role, name, utc_now(), stand_id=args.stand, halls=halls)
    engine.dispose()
    print(secret)
    print(f"{role.value} {principal.display_name!r} (user {principal.id})"
          + (f" of stand {args.stand}" if args.stand else "") + (f" of hall {', '.join(halls)}" if halls else "")
          + ": keep this token secret", file=sys.stderr)
    return 0


def _halls(engine: Engine) -> set[str]:
    """The halls of the imported programme's rooms."""
    from expo_hall.programme.mapping import mapping_from_doc

    with engine.connect() as conn:
        doc = conn.execute(select(db.programmes.c.doc).where(db.programmes.c.id == 1)).scalar()
    return {p.hall for p in mapping_from_doc(doc["mapping"]).rooms.values() if p.hall} if doc else set()


def token_list(argv: list[str]) -> int:
    from expo_hall.server.schemas import Role
    from expo_hall.server.users import list_users

    parser = argparse.ArgumentParser(prog="python -m expo_hall.server token list",
                                     description="List the users (never their tokens, which are stored hashed).")
    parser.add_argument("--role", choices=[r.value for r in Role], help="only users of this role")
    parser.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    _db_option(parser)
    args = parser.parse_args(argv)
    engine = _open(args.db)
    users, _ = list_users(engine, Role(args.role) if args.role else None)
    engine.dispose()
    if args.json:
        print(json.dumps([u.model_dump(mode="json") for u in users], ensure_ascii=False, indent=1))
        return 0
    rows = [("id", "role", "name", "stand/halls", "created", "revoked")]
    rows += [(str(u.id), u.role.value, u.display_name, u.stand_id or ",".join(u.halls) or "-", _when(u.created_at),
              _when(u.revoked_at) if u.revoked_at else "-") for u in users]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def token_revoke(argv: list[str]) -> int:
    from expo_hall.server.settings import utc_now
    from expo_hall.server.users import get_user, revoke, user_with_token

    parser = argparse.ArgumentParser(prog="python -m expo_hall.server token revoke",
                                     description="Revoke a token: it gets 401 from every server process within a "
                                                 "second. Give the token, or the user's id (see `token list`).")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("token", nargs="?", metavar="TOKEN", help="the token to revoke")
    which.add_argument("--id", type=int, metavar="USER_ID", help="the id of the user whose token to revoke")
    _db_option(parser)
    args = parser.parse_args(argv)
    engine = _open(args.db)
    user = user_with_token(engine, args.token) if args.token is not None else get_user(engine, args.id)
    if user is None:
        engine.dispose()
        print("error: " + ("no user has this token" if args.token is not None else f"no user {args.id}")
              + " in this database (see `token list`)", file=sys.stderr)
        return 2
    if user.revoked_at is not None:
        print(f"user {user.id} ({user.role.value} {user.display_name!r}) was already revoked at "
              f"{_when(user.revoked_at)}", file=sys.stderr)
    else:
        user = revoke(engine, user.id, utc_now())
        print(f"revoked the token of user {user.id} ({user.role.value} {user.display_name!r})", file=sys.stderr)
    engine.dispose()
    return 0


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, help="the server's database URL (default: the user's data folder)")


def _open(url: str | None) -> Engine:
    """The server's database, its tables created if missing."""
    engine = db.make_engine(url or default_db_url())
    with engine.begin() as conn:
        db.create_schema(conn)
    return engine


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
