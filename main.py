"""Start the expo hall: `python main.py --help` lists the options."""

import sys

from expo_hall.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
