"""`python -m expo_hall.server`: see expo_hall.server.cli."""

from expo_hall.server.cli import main

raise SystemExit(main())
