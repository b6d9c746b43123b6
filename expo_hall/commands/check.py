"""`expo-hall check`: every fault of an expo's floors and stand packages, with where it is and how to fix it.

Exit 0 when nothing is an error (warnings and notes may remain), 1 when something is, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from expo_hall.commands._options import expo_options, language
from expo_hall.problems import Problem, Severity, translator


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="expo-hall check",
                                     description="Check an expo's floors (Tiled maps) and stand packages.")
    expo_options(parser)
    parser.add_argument("--json", action="store_true",
                        help="print the findings as one JSON list (severity, file, object, code, message, fix)")
    args = parser.parse_args(argv)
    lang = language(args)
    logging.getLogger("expo_hall").addHandler(logging.NullHandler())  # the findings are printed below, once

    from expo_hall.checks import check_expo

    _, found = check_expo(args.maps, args.stands)
    if args.json:
        json.dump([finding(p, lang) for p in found], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_findings(found, lang)
    return 1 if any(p.severity is Severity.ERROR for p in found) else 0


def finding(p: Problem, lang: str) -> dict[str, str]:
    tr = translator(lang)
    file, obj = p.place(tr)
    return {"severity": p.severity.value, "file": file, "object": obj, "code": p.code, "message": p.message(tr),
            "fix": p.fix(tr)}


def print_findings(found: list[Problem], lang: str) -> None:
    tr = translator(lang)
    for p in found:
        f = finding(p, lang)
        where = f"{f['file']}: {f['object']}" if f["object"] else f["file"]
        print(f"{tr('check.' + p.severity.value)} [{p.code}] {where}: {f['message']}")
        if f["fix"]:
            print(f"    {tr('check.fix')}: {f['fix']}")
    counts = {s: sum(p.severity.value == s for p in found) for s in ("error", "warning", "info")}
    print(tr("check.summary", errors=counts["error"], warnings=counts["warning"], notes=counts["info"]))
