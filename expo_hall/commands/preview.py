"""`expo-hall preview DIR`: a stand package as visitors will see it, beside what is wrong with it.

    expo-hall preview DIR                    the stand window on the package (no server), with the checks
    expo-hall preview DIR --check [--json]   the checks only, as a list (or JSON); exit status 1 on an error

The checks are expo_hall/stands/validate.py's. Webinars are checked against the fair's days (`--fair`,
by default the demo fair's: 26 April to 8 May 2020, Moscow time); the window's clock starts at 10:00 on
the fair's first day, so webinars show as visitors of the fair see them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import tempfile
from pathlib import Path

from expo_hall.problems import Problem, Severity, translator
from expo_hall.settings import LANGUAGES, Settings, _fair_time, _window_size, system_language
from expo_hall.stands.validate import DEMO_FAIR, Fair, has_errors, validate

WINDOW = (1440, 900)
OPENING_HOUR = dt.time(10, 0)


def _fair(text: str) -> Fair:
    try:
        return Fair.parse(text, DEMO_FAIR.zone)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _zone(text: str) -> dt.tzinfo:
    try:
        return dt.datetime.fromisoformat(f"2000-01-01T00:00{text}").tzinfo or dt.UTC
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an offset such as +03:00, not {text!r}") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="expo-hall preview",
                                description="Open a stand package as visitors will see it, and check it.")
    p.add_argument("folder", type=Path, metavar="DIR", help="the stand package: a folder with stand.toml")
    p.add_argument("--check", action="store_true", help="only check: list the findings, exit 1 on an error")
    p.add_argument("--json", action="store_true", help="with --check: the findings as a JSON list")
    p.add_argument("--lang", choices=LANGUAGES, default=None, help="language (default: the system's)")
    p.add_argument("--fair", type=_fair, default=DEMO_FAIR, metavar="FIRST..LAST",
                   help="the fair's days, webinars must fall within them (default: 2020-04-26..2020-05-08)")
    p.add_argument("--fair-zone", type=_zone, default=None, metavar="+HH:MM",
                   help="the fair's time zone, as an offset (default: +03:00, Moscow)")
    p.add_argument("--window", type=_window_size, default=WINDOW, metavar="WxH", help="window size, 1440x900")
    p.add_argument("--fair-time", type=_fair_time, default=None, metavar="WHEN",
                   help="the window's clock starts then (default: 10:00 on the fair's first day)")
    return p


def main(argv: list[str]) -> int:
    p = parser()
    args = p.parse_args(argv)
    folder: Path = args.folder
    if not folder.is_dir():
        p.error(f"{folder} is not a folder (give a stand package's folder, the one holding stand.toml)")
    folder = folder.resolve()  # its name is the exhibitor's id, also for "."
    fair: Fair = args.fair if args.fair_zone is None else Fair(args.fair.first, args.fair.last, args.fair_zone)
    lang = args.lang or system_language()
    if args.check or args.json:
        logging.basicConfig(level=logging.ERROR, format="%(message)s")
        exhibitor, findings = validate(folder, fair)
        name = exhibitor.name_for(lang) if exhibitor is not None else folder.name
        out = report_json(findings, lang) if args.json else report_text(name, args.folder, findings, lang)
        sys.stdout.write(out)
        return 1 if has_errors(findings) else 0
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from expo_hall.stands.preview_window import run

    fair_time = args.fair_time or dt.datetime.combine(fair.first, OPENING_HOUR, fair.zone)
    with tempfile.TemporaryDirectory(prefix="expo-preview-") as data:  # the visitor's own agenda stays untouched
        run(Settings(lang=lang, window=args.window, no_server=True, data_dir=Path(data), fair_time=fair_time),
            folder, fair)
    return 0


def report_json(findings: list[Problem], lang: str) -> str:
    return json.dumps([p.record(translator(lang)) for p in findings], ensure_ascii=False, indent=2) + "\n"


def report_text(name: str, folder: Path, findings: list[Problem], lang: str) -> str:
    tr = translator(lang)
    counts = {s: sum(p.severity is s for p in findings) for s in Severity}
    lines = [tr("preview.cli_header", name=name, folder=folder, errors=counts[Severity.ERROR],
                warnings=counts[Severity.WARNING], infos=counts[Severity.INFO])]
    width = max(len(tr(f"preview.severity.{s.value}")) for s in Severity)
    for p in findings:
        where = f"{p.field}: " if p.field else ""
        lines.append(f"  {tr(f'preview.severity.{p.severity.value}'):<{width}}  {where}{p.message(tr)}")
        fix = p.fix(tr)
        if fix:
            lines.append(f"  {'':<{width}}  {tr('preview.fix')}: {fix}")
    return "\n".join(lines) + "\n"
