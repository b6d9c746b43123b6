"""expo_hall: a desktop client and backend for a virtual exhibition hall."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
ASSETS_DIR = ROOT_DIR / "assets"
DEMO_MAPS_DIR = ROOT_DIR / "maps"
DEMO_STANDS_DIR = ASSETS_DIR / "stands"
DEMO_PROGRAMME_DIR = ROOT_DIR / "programme"  # beside the maps, where every expo keeps its programme
