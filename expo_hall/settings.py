"""Command line and user folders."""

from __future__ import annotations

import argparse
import datetime as dt
import locale
import os
from dataclasses import dataclass
from pathlib import Path

from expo_hall import DEMO_MAPS_DIR, DEMO_STANDS_DIR

LANGUAGES = ("ru", "en")
DEFAULT_WINDOW = (1280, 800)
MIN_WINDOW = (800, 560)


@dataclass
class Settings:
    maps: Path = DEMO_MAPS_DIR
    stands: Path = DEMO_STANDS_DIR
    floor: str | None = None
    stand: str | None = None
    lang: str = "ru"
    window: tuple[int, int] = DEFAULT_WINDOW
    fullscreen: bool = False
    data_dir: Path | None = None  # the visitor's agenda, identity, outbox live here; None: the user's data folder
    fair_time: dt.datetime | None = None  # demo: the app's clock runs from this moment
    server: str | None = None  # a remote backend's URL; None: run the embedded one
    no_server: bool = False  # read the folders directly, without a backend (map authors checking their floors)
    token: str | None = None  # a representative's or organizer's token: the app acts as them (the stand's desk)
    route: list[str] | None = None  # exhibitor ids: the personal route to start with
    organizer: bool = False  # organizer mode: overlay, findings, the folders read again when a file is saved


def system_language() -> str:
    """'ru' when the system's locale is Russian, else 'en'."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "ru" if code.lower().startswith("ru") else "en"


def _window_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, not {text!r}") from exc
    if w < MIN_WINDOW[0] or h < MIN_WINDOW[1]:
        raise argparse.ArgumentTypeError(f"the window must be at least {MIN_WINDOW[0]}x{MIN_WINDOW[1]}, not {w}x{h}")
    return w, h


def _fair_time(text: str) -> dt.datetime:
    from expo_hall.clock import parse_fair_time

    try:
        return parse_fair_time(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _server_url(text: str) -> str:
    if not text.startswith(("http://", "https://")) or len(text) < 10:
        raise argparse.ArgumentTypeError(f"expected a URL such as http://expo.example.org:8000, not {text!r}")
    return text.rstrip("/")


def _route(text: str) -> list[str]:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError(f"expected exhibitor ids joined by commas, such as alpha,beta, not {text!r}")
    return list(dict.fromkeys(ids))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="expo-hall", description="Walk a virtual exhibition hall.")
    p.add_argument("--maps", type=Path, default=DEMO_MAPS_DIR, help="folder of floor maps (.tmx); the demo expo's")
    p.add_argument("--stands", type=Path, default=DEMO_STANDS_DIR, help="folder of stand packages; the demo expo's")
    p.add_argument("--floor", metavar="FLOOR_ID", help="start on this floor")
    p.add_argument("--stand", metavar="EXHIBITOR_ID", help="start with this exhibitor's stand open")
    p.add_argument("--route", type=_route, metavar="ID,ID,...",
                   help="start with this personal route (exhibitor ids in the order to visit them)")
    p.add_argument("--lang", choices=LANGUAGES, default=None, help="language of the interface (default: the system's)")
    p.add_argument("--window", type=_window_size, default=DEFAULT_WINDOW, metavar="WxH", help="window size, 1280x800")
    p.add_argument("--fullscreen", action="store_true", help="use the whole screen")
    p.add_argument("--server", metavar="URL", type=_server_url,
                   help="use this backend (http://host:port) instead of starting one inside the client")
    p.add_argument("--no-server", action="store_true",
                   help="read --maps and --stands directly, without a backend: to check floors while drawing them")
    p.add_argument("--token", metavar="TOKEN", default=None,
                   help="a stand representative's (or organizer's) token from `python -m expo_hall.server token`: "
                        "opens the stand's desk (chats, leads, statistics); also read from $EXPO_HALL_TOKEN")
    p.add_argument("--organizer", action="store_true",
                   help="organizer mode: the walkable area, navigation and unreachable stands drawn over the floor "
                        "(O), the findings of `expo-hall check` listed (F), and --maps and --stands read again "
                        "whenever a file in them is saved")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                   help="folder for the visitor's agenda (default: the user's data folder)")
    p.add_argument("--fair-time", type=_fair_time, default=None, metavar="WHEN",
                   help="demo: run the clock from this moment, e.g. 2020-04-27T10:55+03:00")
    return p


def parse_args(argv: list[str] | None = None) -> Settings:
    p = parser()
    ns = p.parse_args(argv)
    if ns.server and ns.no_server:
        p.error("--server and --no-server exclude each other")
    token = ns.token if ns.token is not None else os.environ.get("EXPO_HALL_TOKEN")
    if token is not None and ns.no_server:
        p.error("--token needs a server: it cannot go with --no-server")
    if ns.organizer and ns.server:
        p.error("--organizer reads --maps and --stands on this computer: it cannot go with --server "
                "(use the embedded server, the default, or --no-server)")
    return Settings(
        maps=ns.maps,
        stands=ns.stands,
        floor=ns.floor,
        stand=ns.stand,
        lang=ns.lang or system_language(),
        window=ns.window,
        fullscreen=ns.fullscreen,
        data_dir=ns.data_dir,
        server=ns.server,
        no_server=ns.no_server,
        fair_time=ns.fair_time,
        token=(token or "").strip() or None,
        route=ns.route,
        organizer=ns.organizer,
    )
