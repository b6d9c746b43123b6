"""An import's first step, light enough to take before the server's modules are imported: the folders read and
the logos begun (in a process of their own for a large expo, expo_hall.server.logos). The embedded server's
start takes it while its modules load, so a first start's logos and those imports use both cores."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from expo_hall.expo import Expo, load_expo
from expo_hall.server.content_store import ContentStore
from expo_hall.server.logos import Logos


@dataclass
class ImportBegun:
    expo: Expo
    logos: Logos


def begin_import(maps_dir: Path, stands_dir: Path, content_dir: Path) -> ImportBegun:
    """Read the expo's folders and begin making its logos into the content store in `content_dir`."""
    logos = Logos(ContentStore(Path(content_dir)))
    logos.start_worker(_folders_in(Path(stands_dir)))
    try:
        expo = load_expo(Path(maps_dir), Path(stands_dir))
    except BaseException:
        logos.begin(Expo())  # a worker started, given nothing to do, ends
        raise
    logos.begin(expo)
    return ImportBegun(expo, logos)


def _folders_in(folder: Path) -> int:
    try:
        with os.scandir(folder) as entries:
            return sum(1 for e in entries if e.is_dir())
    except OSError:  # load_expo says what is wrong with it
        return 0
