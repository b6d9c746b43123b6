"""`python -m expo_hall` and the `expo-hall` console script: the hall, or a subcommand (`expo-hall check ...`)."""

from __future__ import annotations

import logging
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and not argv[0].startswith("-"):  # the hall takes options only: a word names a subcommand
        from expo_hall import commands

        command = commands.find(argv[0])
        if command is None:
            known = ", ".join(commands.names()) or "none"
            print(f"expo-hall: no command {argv[0]!r} (commands: {known}; without one, the hall opens)",
                  file=sys.stderr)
            return 2
        return command(argv[1:])

    from expo_hall.settings import parse_args

    settings = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from expo_hall.app import App

    App(settings).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
