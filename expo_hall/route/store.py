"""The visitor's personal route as plain data: the stops, the stands visited, and where it stands with the server.

Stops are exhibitor ids (not stand numbers), so a route survives a floor plan change. The route is kept in one
JSON file in the visitor's data folder (route.json), written whole on each change:

    {"format": 1, "stops": [...], "visited": {"<exhibitor id>": {"at": "<UTC ISO>", "how": "opened"|"dwell"}},
     "version": 3, "base": [...], "dirty": false, "avoid_stairs": false,
     "conflict": null | {"mine": [...], "theirs": [...], "version": 4},
     "spent": {"<exhibitor id>": seconds}, "walked": [["<floor id>", x, y, <unix seconds>], ...]}

`visited` and `spent` hold every stand the visitor visited, on the route or not; `spent` is the time its window
was open plus the time they stood at its front. `walked` is where they walked, one point a second at most, the
last WALKED_MAX points (their "my visit" view).

`version` and `base` are the server's route this one was last in step with; `dirty` says the stops changed
since (edits made offline wait there until the server answers). When both sides changed, the route keeps a
`Conflict` for the visitor to settle (keep mine / take theirs / merge): nothing is overwritten silently.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from expo_hall.files import write_atomically

log = logging.getLogger("expo_hall.route")
FILE_NAME = "route.json"
FORMAT = 1
DWELL_SECONDS = 5.0  # standing at a stand's front this long counts as a visit
WALKED_MAX = 10_000  # points of the walked path kept (about three hours of walking at one a second)


@dataclass(frozen=True)
class Visited:
    at: dt.datetime
    how: str  # "opened" (its window), "dwell" (stood at its front), "server" (recorded elsewhere)


@dataclass(frozen=True)
class Conflict:
    """Both the server's route and ours changed since we were last in step."""

    mine: tuple[str, ...]
    theirs: tuple[str, ...]
    version: int  # the server's
    base: tuple[str, ...]  # what both started from

    @property
    def merged(self) -> list[str]:
        """Theirs, without the stops I removed, then the stops I added (in my order)."""
        mine, base, theirs = set(self.mine), set(self.base), set(self.theirs)
        kept = [s for s in self.theirs if s in mine or s not in base]
        return kept + [s for s in self.mine if s not in base and s not in theirs]


@dataclass
class Route:
    stops: list[str] = field(default_factory=list)
    visited: dict[str, Visited] = field(default_factory=dict)
    version: int = 0
    base: list[str] = field(default_factory=list)
    dirty: bool = False
    avoid_stairs: bool = False
    conflict: Conflict | None = None
    spent: dict[str, float] = field(default_factory=dict)  # seconds at each stand (its window, its front)
    walked: list[tuple[str, int, int, int]] = field(default_factory=list)  # (floor id, x, y, unix seconds)
    path: Path | None = None  # where it is kept; None: in memory only
    unsaved: bool = False  # time spent or a walked point not written yet (they are saved now and then)

    # -- editing ---------------------------------------------------------------------------------
    def add(self, exhibitor_id: str) -> bool:
        """Add a stop at the end; False when it is on the route already."""
        if exhibitor_id in self.stops:
            return False
        self.stops.append(exhibitor_id)
        self._edited()
        return True

    def remove(self, exhibitor_id: str) -> bool:
        if exhibitor_id not in self.stops:
            return False
        self.stops.remove(exhibitor_id)
        self._edited()
        return True

    def toggle(self, exhibitor_id: str) -> bool:
        """Add or remove; True when it is on the route now."""
        if not self.add(exhibitor_id):
            self.remove(exhibitor_id)
            return False
        return True

    def move(self, exhibitor_id: str, to: int) -> bool:
        """Put the stop at position `to` (clamped); False when nothing moved."""
        if exhibitor_id not in self.stops:
            return False
        at = self.stops.index(exhibitor_id)
        to = max(0, min(len(self.stops) - 1, to))
        if to == at:
            return False
        self.stops.insert(to, self.stops.pop(at))
        self._edited()
        return True

    def reorder(self, stops: list[str]) -> bool:
        """Take a new order of the same stops (the planner's): False when it is not one."""
        if sorted(stops) != sorted(self.stops) or stops == self.stops:
            return False
        self.stops = list(stops)
        self._edited()
        return True

    def replace(self, stops: list[str]) -> bool:
        """Take these stops instead (--route); False when they are the route already."""
        stops = list(dict.fromkeys(stops))
        if stops == self.stops:
            return False
        self.stops = stops
        self._edited()
        return True

    def extend(self, stops: list[str]) -> bool:
        """Add these stops after ours (those not on the route yet); False when none was new."""
        new = [s for s in dict.fromkeys(stops) if s not in self.stops]
        if not new:
            return False
        self.stops.extend(new)
        self._edited()
        return True

    def clear(self) -> bool:
        if not self.stops:
            return False
        self.stops = []
        self._edited()
        return True

    def set_avoid_stairs(self, on: bool) -> None:
        self.avoid_stairs = on
        self.save()

    def _edited(self) -> None:
        self.dirty = True
        self.save()

    # -- visits ----------------------------------------------------------------------------------
    def mark_visited(self, exhibitor_id: str, at: dt.datetime, how: str) -> bool:
        """Record the first visit to a stand; False when it was visited already."""
        if exhibitor_id in self.visited:
            return False
        self.visited[exhibitor_id] = Visited(at.astimezone(dt.UTC), how)
        self.save()
        return True

    def spend(self, exhibitor_id: str, seconds: float) -> None:
        """Time at a stand (its window open, or standing at its front); written with the next save."""
        self.spent[exhibitor_id] = self.spent.get(exhibitor_id, 0.0) + seconds
        self.unsaved = True

    def walk_point(self, floor_id: str, x: float, y: float, at: dt.datetime) -> None:
        """A point of the walked path (the caller samples them); the oldest go beyond WALKED_MAX."""
        self.walked.append((floor_id, round(x), round(y), round(at.timestamp())))
        if len(self.walked) > WALKED_MAX:
            del self.walked[:len(self.walked) - WALKED_MAX]
        self.unsaved = True

    def progress(self) -> tuple[int, int]:
        """(stops visited, stops): "5 of 12"."""
        return sum(1 for s in self.stops if s in self.visited), len(self.stops)

    def next_stop(self) -> str | None:
        """The first stop not visited yet."""
        return next((s for s in self.stops if s not in self.visited), None)

    # -- the server ------------------------------------------------------------------------------
    def server_said(self, version: int, planned: list[str], visited: list[tuple[str, dt.datetime]] = ()) -> bool:
        """The server's route (a GET's answer, or a PUT's that we sent `planned` in). True when ours must be
        sent (our edits are newer than what it holds)."""
        for exhibitor_id, at in visited:
            if exhibitor_id not in self.visited:
                self.visited[exhibitor_id] = Visited(at.astimezone(dt.UTC), "server")
        planned = list(planned)
        if version == self.version or (version < self.version and version == 0 and not planned):
            # nothing new there (or the server lost the route): ours goes up when it differs
            self.version = version
            if self.stops == planned:
                self.base, self.dirty = planned, False
            else:
                self.dirty = self.dirty or version == 0
            self.save()
            return self.dirty
        if not self.dirty or self.stops == planned:  # only the server changed: take it
            self.stops, self.base, self.version, self.dirty, self.conflict = planned, planned, version, False, None
            self.save()
            return False
        self.conflict = Conflict(tuple(self.stops), tuple(planned), version, tuple(self.base))
        self.save()
        return False

    def pushed(self, sent: list[str], version: int) -> bool:
        """The server took `sent` as `version`. True when the stops changed again meanwhile (send again)."""
        self.version, self.base = version, list(sent)
        self.dirty = self.stops != list(sent)
        self.save()
        return self.dirty

    def resolve(self, choice: str) -> bool:
        """Settle the conflict: "mine", "theirs" or "merge". True when ours must be sent then."""
        c = self.conflict
        if c is None:
            return False
        if choice not in ("mine", "theirs", "merge"):
            raise ValueError(f"expected mine, theirs or merge, not {choice!r}")
        c = replace(c, mine=tuple(self.stops))  # edits made while the choice waited are mine too
        self.conflict = None
        self.version, self.base = c.version, list(c.theirs)
        self.stops = list(c.mine) if choice == "mine" else list(c.theirs) if choice == "theirs" else c.merged
        self.dirty = self.stops != self.base
        self.save()
        return self.dirty

    # -- the file --------------------------------------------------------------------------------
    def to_json(self) -> dict:
        c = self.conflict
        return {"format": FORMAT, "stops": self.stops, "version": self.version, "base": self.base,
                "dirty": self.dirty, "avoid_stairs": self.avoid_stairs,
                "visited": {k: {"at": v.at.isoformat(), "how": v.how} for k, v in self.visited.items()},
                "spent": {k: round(v, 1) for k, v in self.spent.items()}, "walked": [list(p) for p in self.walked],
                "conflict": None if c is None else {"mine": list(c.mine), "theirs": list(c.theirs),
                                                    "version": c.version, "base": list(c.base)}}

    def save(self) -> None:
        if self.path is None:
            return
        self.unsaved = False
        try:
            write_atomically(self.path, json.dumps(self.to_json(), ensure_ascii=False, indent=1))
        except OSError as exc:
            log.warning("the route cannot be saved to %s: %s", self.path, exc)

    @classmethod
    def load(cls, path: Path | None) -> Route:
        """The route kept at `path` (an empty one when there is none). A file that cannot be read is named in
        the log and moved aside (route.json.unreadable), not overwritten, and an empty route is used."""
        route = cls(path=None)
        if path is not None and path.exists():
            try:
                route = cls.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
                log.warning("the route in %s cannot be read (%s); starting with an empty one", path, exc)
                bad = path.with_name(path.name + ".unreadable")
                try:
                    path.replace(bad)
                except OSError:
                    pass
        route.path = path
        return route

    @classmethod
    def from_json(cls, raw: dict) -> Route:
        if raw.get("format") != FORMAT:
            raise ValueError(f"format {raw.get('format')!r}, expected {FORMAT}")
        c = raw.get("conflict")
        return cls(stops=_ids(raw["stops"]), version=int(raw.get("version", 0)), base=_ids(raw.get("base", [])),
                   dirty=bool(raw.get("dirty")), avoid_stairs=bool(raw.get("avoid_stairs")),
                   visited={str(k): Visited(dt.datetime.fromisoformat(v["at"]), str(v["how"]))
                            for k, v in dict(raw.get("visited", {})).items()},
                   spent={str(k): float(v) for k, v in dict(raw.get("spent", {})).items()},
                   walked=[(str(f), int(x), int(y), int(t))
                           for f, x, y, t in list(raw.get("walked", []))[-WALKED_MAX:]],
                   conflict=None if c is None else Conflict(tuple(_ids(c["mine"])), tuple(_ids(c["theirs"])),
                                                            int(c["version"]), tuple(_ids(c.get("base", [])))))


def _ids(raw: object) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        raise ValueError("a list of exhibitor ids was expected")
    return list(dict.fromkeys(raw))
