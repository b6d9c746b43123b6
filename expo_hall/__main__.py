"""`python -m expo_hall` and the `expo-hall` console script."""

from __future__ import annotations

import logging
import sys


def main(argv: list[str] | None = None) -> int:
    from expo_hall.settings import parse_args

    settings = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from expo_hall.app import App

    App(settings).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
