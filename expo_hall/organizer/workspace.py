"""Organizer mode's world: the expo read from its folders, then read again, file by file, as files change.

Plain Python, run on one thread at a time (the loader's, then the watcher's). Only the files that changed are
read again; the others are taken as they were. A file that was good and is now broken is not taken: its last
good version stays in the expo, and its faults are listed with the findings (`Snapshot.kept`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from expo_hall.checks import LayoutCache, layout_findings, sort
from expo_hall.expo import Expo, load_expo
from expo_hall.floors.model import Floor, MapPoint
from expo_hall.floors.tiled import load_floor
from expo_hall.floors.tiles import TileLayers, load_tile_layers
from expo_hall.organizer.overlay import FloorOverlay, floor_overlay
from expo_hall.organizer.places import Places, Spot
from expo_hall.problems import ContentError, Problem
from expo_hall.stands.logos import DecodedLogo, decode_logo
from expo_hall.stands.package import Exhibitor, load_package

SOURCE = re.compile(rb'\bsource="([^"]+)"')  # the files a map, tileset or template refers to


@dataclass
class Snapshot:
    """One reading of the folders: the expo, every finding of `check`, and what changed since the last."""

    expo: Expo
    findings: list[Problem]
    floors_read: set[str] = field(default_factory=set)  # floor ids whose maps were read (drawn anew)
    exhibitors_read: set[str] = field(default_factory=set)  # exhibitor ids whose packages were read
    floors_checked: set[str] = field(default_factory=set)  # floor ids checked anew (the others' results were kept)
    tiles: dict[str, TileLayers] = field(default_factory=dict)  # decoration of the floors read
    logos: dict[str, DecodedLogo | None] = field(default_factory=dict)  # logos of the packages read
    kept: list[Path] = field(default_factory=list)  # broken saves: their last good version is kept
    spots: list[Spot | None] = field(default_factory=list)  # each finding's place on the floors (None: none)
    overlays: dict[str, FloorOverlay] = field(default_factory=dict)  # each floor's

    def add_findings(self, found: list[Problem]) -> None:
        """More findings (the decoration's faults, read after the floors), in their place in the order."""
        self.findings = sort(self.findings + found)
        places = Places(self.expo)
        self.spots = [places.spot(p) for p in self.findings]


class Workspace:
    """The organizer's folders, read once, then again where `changed` says."""

    def __init__(self, maps_dir: Path, stands_dir: Path) -> None:
        self.maps_dir, self.stands_dir = Path(maps_dir).resolve(), Path(stands_dir).resolve()
        self._floors: dict[Path, tuple[Floor, list[Problem], tuple[MapPoint, ...]] | ContentError] = {}
        self._packages: dict[Path, tuple[Exhibitor, list[Problem]] | ContentError] = {}
        self._stale: set[Path] = set()  # files to read again at the next reading
        self._snapshot: Snapshot | None = None
        self._checks = LayoutCache()  # what each floor and package alone gave the last reading's checks
        self.room_ids: dict[str, int] = {}  # each stand's chat room on the server (the client's own copy has them)
        self.outside: set[Path] = set()  # files the maps refer to outside the two folders (a sibling tileset folder)

    # -- readings ------------------------------------------------------------------------------
    def read(self, changed: set[Path] | None = None) -> Snapshot:
        """Read the folders: everything the first time, else what `changed` touches (None: everything again)."""
        first = self._snapshot is None
        if changed is None or first:
            self._stale = set(self._floors) | set(self._packages)
        else:
            self._stale = self._touched({Path(p) for p in changed})
        snap = Snapshot(Expo(), [])
        expo = load_expo(self.maps_dir, self.stands_dir, lambda p, root: self._floor(p, root, snap),
                         lambda p: self._package(p, snap))
        expo.exhibitors.update({k: replace(ex, room_id=self.room_ids[k]) for k, ex in expo.exhibitors.items()
                                if k in self.room_ids and ex.room_id is None})
        if self._snapshot is not None:  # navigation is built again only for floors whose shape changed
            expo.keep_navigation(self._snapshot.expo)
        snap.expo = expo
        findings = expo.problems + layout_findings(expo, self._checks)
        snap.floors_checked = set(self._checks.floors_checked)
        snap.overlays = {f.floor_id: floor_overlay(expo, f.floor_id, findings) for f in expo.floors}
        for floor in expo.floors:
            if floor.floor_id in snap.floors_read and floor.has_tiles and not first:
                try:  # the loader reads the first time's
                    tiles = snap.tiles[floor.floor_id] = load_tile_layers(floor.source, floor.root)
                except ContentError as exc:  # changed again meanwhile: drawn without decoration until it settles
                    findings.extend(exc.problems)
                else:
                    findings.extend(tiles.problems)
        if not first:
            snap.logos = {k: decode_logo(expo.exhibitors[k]) for k in snap.exhibitors_read if k in expo.exhibitors}
        self.outside = self._referenced_outside(expo.floors)
        snap.add_findings(findings)
        self._stale = set()
        self._snapshot = snap
        return snap

    def _touched(self, changed: set[Path]) -> set[Path]:
        """The maps and packages to read again for these changed files. A map is itself; a file in a package's
        folder is that package; anything else (a tileset, a template, an image) may be any map's: all maps."""
        stale: set[Path] = set()
        for path in changed:
            if path.suffix == ".tmx" and path.parent == self.maps_dir:
                stale.add(path)
            elif path.is_relative_to(self.stands_dir) and path != self.stands_dir:
                stale.add(self.stands_dir / path.relative_to(self.stands_dir).parts[0])
            else:
                stale.update(self._floors)
        return stale

    def _floor(self, path: Path, root: Path, snap: Snapshot) -> tuple[Floor, list[Problem]]:
        known = self._floors.get(path)
        if known is None or path in self._stale:
            try:
                floor, problems = load_floor(path, root)
            except ContentError as exc:
                if not isinstance(known, tuple):  # never read well: the floor is not there
                    self._floors[path] = exc
                    raise
                snap.kept.append(path)  # the last good floor stays; what is wrong with the save is listed
                floor, _, points = known
                return replace(floor, points=list(points)), list(exc.problems)
            snap.floors_read.add(floor.floor_id)
            known = self._floors[path] = (floor, problems, tuple(floor.points))
        if isinstance(known, ContentError):
            raise known
        floor, problems, points = known
        # A copy for each reading: the expo's cross-checks rewrite its points, and the hall still shows the last one
        return replace(floor, points=list(points)), problems

    def _package(self, folder: Path, snap: Snapshot) -> tuple[Exhibitor, list[Problem]]:
        known = self._packages.get(folder)
        if known is None or folder in self._stale:
            try:
                exhibitor, problems = load_package(folder)
            except ContentError as exc:
                if not isinstance(known, tuple):
                    self._packages[folder] = exc
                    raise
                snap.kept.append(folder / "stand.toml")
                return known[0], list(exc.problems)
            snap.exhibitors_read.add(exhibitor.exhibitor_id)
            known = self._packages[folder] = (exhibitor, problems)
        if isinstance(known, ContentError):
            raise known
        return known

    def _referenced_outside(self, floors: list[Floor]) -> set[Path]:
        """Tilesets, templates and images the maps refer to outside the two folders (followed one file deep)."""
        found: set[Path] = set()
        todo = [f.source for f in floors]
        seen: set[Path] = set()
        while todo:
            path = todo.pop()
            if path in seen or path.suffix not in (".tmx", ".tsx", ".tx"):
                continue
            seen.add(path)
            try:
                text = path.read_bytes()
            except OSError:
                continue
            for ref in SOURCE.findall(text):
                target = (path.parent / ref.decode("utf-8", "replace")).resolve()
                todo.append(target)
                if not target.is_relative_to(self.maps_dir) and not target.is_relative_to(self.stands_dir):
                    found.add(target)
        return found
