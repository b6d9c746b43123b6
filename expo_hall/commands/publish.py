"""`expo-hall publish DIR --server URL --token TOKEN`: a stand package checked here, then sent to the server as
the stand's next version; `--status` lists the stand's versions and their review states instead.

Exit status: 0 published (live or waiting for review), 1 refused (by the checks here, the server, or no
answer), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TextIO

from expo_hall.commands.preview import report_text
from expo_hall.net.errors import ApiError, BadResponse, NetError, Offline
from expo_hall.net.publish import NotPublishable, PublishResult, history, publish
from expo_hall.problems import Translate, translator
from expo_hall.settings import LANGUAGES, system_language

BAR = 30


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="expo-hall publish",
                                description="Publish a stand package to the expo's server as the stand's next version.")
    p.add_argument("folder", type=Path, metavar="DIR", nargs="?", help="the stand package: a folder with stand.toml")
    p.add_argument("--server", required=True, metavar="URL", help="the expo's server, e.g. https://expo.example.org")
    p.add_argument("--token", required=True, help="your stand representative's token (from the organizers)")
    p.add_argument("--status", action="store_true", help="list the stand's versions and their states instead")
    p.add_argument("--lang", choices=LANGUAGES, default=None, help="language (default: the system's)")
    return p


def main(argv: list[str]) -> int:
    p = parser()
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    tr = translator(args.lang or system_language())
    server = args.server.rstrip("/")
    if not server.startswith(("http://", "https://")):
        p.error(f"--server must be an http(s) URL, not {args.server!r}")
    try:
        if args.status:
            return _status(server, args.token, tr)
        if args.folder is None or not args.folder.is_dir():
            p.error(f"{args.folder} is not a folder (give a stand package's folder, the one holding stand.toml)")
        folder = args.folder.resolve()
        bar = _Bar(sys.stderr, tr("publish.sending"))
        result = publish(folder, server, args.token, bar)
        bar.done()
    except NotPublishable as exc:
        name = folder.name
        sys.stdout.write(report_text(name, args.folder, exc.findings, args.lang or system_language()))
        print(tr("publish.stopped"))
        return 1
    except NetError as exc:
        print(_net_error(exc, server, tr), file=sys.stderr)
        return 1
    except OSError as exc:
        print(tr("publish.error.file", detail=exc), file=sys.stderr)
        return 1
    _said(result, folder.name, tr)
    return 0


def _said(result: PublishResult, name: str, tr: Translate) -> None:
    v = result.version
    print(tr(f"publish.{'live' if v.state == 'live' else 'in_review'}", number=v.number, name=name))
    if result.findings:
        print(tr("publish.server_findings"))
        for f in result.findings:
            print(f"  {f.severity}: {f.field + ': ' if f.field else ''}{f.message}")


def _status(server: str, token: str, tr: Translate) -> int:
    versions = history(server, token)
    if not versions.versions:
        print(tr("publish.none"))
        return 0
    print(tr("publish.history", name=versions.exhibitor_id))
    for v in versions.versions:
        when = v.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print("  " + tr("publish.history_line", number=v.number, when=when, author=v.author,
                        state=tr(f"publish.state.{v.state}")))
        if v.reason:
            print("    " + tr("publish.reason", reason=v.reason))
    return 0


def _net_error(exc: NetError, server: str, tr: Translate) -> str:
    if isinstance(exc, Offline):
        return tr("publish.error.offline", server=server, detail=exc)
    if isinstance(exc, ApiError):
        if exc.status in (401, 403, 404, 413):
            return tr(f"publish.error.{exc.status}", detail=exc.message)
        if exc.status == 422:
            lines = [tr("publish.error.422", detail=exc.message if not exc.errors else "")]
            lines += [f"  {'.'.join(str(p) for p in e.get('loc', [])[1:])}: {e.get('msg')}" for e in exc.errors]
            return "\n".join(lines)
        return tr("publish.error.other", status=exc.status, detail=exc.message)
    if isinstance(exc, BadResponse):
        return tr("publish.error.bad_response", server=server, detail=exc)
    return str(exc)


class _Bar:
    """A progress bar on the terminal (`sent` of `total` bytes), redrawn when a whole percent more is sent."""

    def __init__(self, out: TextIO, label: str) -> None:
        self.out, self.label, self.shown = out, label, -1

    def __call__(self, sent: int, total: int) -> None:
        percent = 100 if total <= 0 else sent * 100 // total
        if percent == self.shown:
            return
        self.shown = percent
        filled = BAR * percent // 100
        mb = f"{sent / 1048576:.1f}/{total / 1048576:.1f} MB"
        self.out.write(f"\r{self.label} [{'#' * filled}{'.' * (BAR - filled)}] {percent:3d}% {mb}")
        self.out.flush()

    def done(self) -> None:
        if self.shown >= 0:
            self.out.write("\n")
            self.out.flush()
