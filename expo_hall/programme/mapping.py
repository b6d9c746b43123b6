"""programme.toml: what a frab schedule does not say, checked against the schedule it goes with.

    [rooms."Зал 1"]                       # a room of the schedule
    hall = "hall-01"                      # its hall on the forum floor
    stream = "https://…/index.m3u8"       # its live stream (HLS or a file)
    recordings = "https://…/{guid}.mp4"   # each event's recording, found by the event's guid

    [clusters.digital-school]             # a cluster of the programme (an id such as stand.toml's clusters name)
    title = "Цифровая школа"
    title_en = "Digital school"
    tracks = ["Цифровая школа"]           # the schedule's tracks in it (default: [title])

    [events."<event guid>"]
    moderator = "Имя Фамилия"             # which of the event's persons moderates it (frab has no roles)

Faults are warnings: a value that cannot be used is left out, and the programme is served without it.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from expo_hall.content.text import clean_text
from expo_hall.problems import Problem, Severity, problem
from expo_hall.programme import values
from expo_hall.programme.model import Cluster, Mapping, RoomPlace, Schedule
from expo_hall.stands.package import EXHIBITOR_ID as CLUSTER_ID

KNOWN = {"rooms": {"hall", "stream", "recordings"}, "clusters": {"title", "title_en", "tracks"},
         "events": {"moderator"}}


def read_mapping(data: dict[str, Any], file: Path, schedule: Schedule) -> tuple[Mapping, list[Problem]]:
    reader = _Reader(Path(file), schedule)
    return reader.mapping(data), reader.problems


def _hint(name: str, options: list[str]) -> str:
    return ", ".join(difflib.get_close_matches(name, options, n=3, cutoff=0.4) or options[:5]) or "-"


class _Reader:
    def __init__(self, file: Path, schedule: Schedule) -> None:
        self.file = file
        self.schedule = schedule
        self.problems: list[Problem] = []

    def warn(self, key_path: str, fault: str, /, **values_: object) -> None:
        self.problems.append(problem(self.file, fault, ("key", key_path), Severity.WARNING, **values_))

    def tables(self, data: dict[str, Any], section: str) -> list[tuple[str, dict[str, Any]]]:
        """The section's entries that are tables, their unknown keys warned of."""
        raw = data.get(section, {})
        if not isinstance(raw, dict):
            self.warn(section, "not_a_table")
            return []
        found = []
        for name, table in raw.items():
            if not isinstance(table, dict):
                self.warn(f"{section}.{name}", "not_a_table")
                continue
            for key in sorted(set(table) - KNOWN[section]):
                self.warn(f"{section}.{name}.{key}", "unknown_key")
            found.append((name, table))
        return found

    def text(self, table: dict[str, Any], key: str, where: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.warn(f"{where}.{key}", "not_text", field=key, kind=type(value).__name__)
            return None
        return clean_text(value) or None

    def url(self, table: dict[str, Any], key: str, where: str) -> str | None:
        value = self.text(table, key, where)
        if value is None:
            return None
        if key == "recordings" and "{guid}" not in value:
            self.warn(f"{where}.{key}", "programme_recordings_no_guid")
            return None
        if not values.is_http_url(value.replace("{guid}", "0" * 8)):
            self.warn(f"{where}.{key}", "programme_bad_url", field=key, value=value)
            return None
        return value

    def mapping(self, data: dict[str, Any]) -> Mapping:
        for key in sorted(set(data) - set(KNOWN)):
            self.warn(key, "unknown_key")
        return Mapping(rooms=self.rooms(data), clusters=self.clusters(data), moderators=self.moderators(data))

    def rooms(self, data: dict[str, Any]) -> dict[str, RoomPlace]:
        names = [r.name for r in self.schedule.rooms]
        rooms: dict[str, RoomPlace] = {}
        halls: dict[str, str] = {}
        for name, table in self.tables(data, "rooms"):
            where = f"rooms.{name}"
            if name not in names:
                self.warn(where, "programme_unknown_room", room=name, options=_hint(name, names))
                continue
            hall = self.text(table, "hall", where)
            if hall is not None and hall in halls:
                self.warn(f"{where}.hall", "programme_hall_twice", hall=hall, room=halls[hall])
                hall = None
            if hall is not None:
                halls[hall] = name
            rooms[name] = RoomPlace(name, hall, self.url(table, "stream", where), self.url(table, "recordings", where))
        for name in names:
            if rooms.get(name, RoomPlace(name)).hall is None:
                self.warn(f"rooms.{name}", "programme_room_no_hall", room=name)
        return rooms

    def clusters(self, data: dict[str, Any]) -> dict[str, Cluster]:
        known_tracks = [t.name for t in self.schedule.tracks]
        clusters: dict[str, Cluster] = {}
        owner: dict[str, str] = {}
        for cluster_id, table in self.tables(data, "clusters"):
            where = f"clusters.{cluster_id}"
            if not CLUSTER_ID.match(cluster_id):
                self.warn(where, "programme_bad_cluster_id")
                continue
            title = self.text(table, "title", where)
            if not title:
                self.warn(where, "no_title")
                continue
            raw_tracks = table.get("tracks", [title])
            if not isinstance(raw_tracks, list) or not all(isinstance(t, str) for t in raw_tracks):
                self.warn(f"{where}.tracks", "programme_tracks_not_list")
                raw_tracks = [title]
            tracks = []
            for track in (clean_text(t) for t in raw_tracks):
                if track in owner:
                    self.warn(f"{where}.tracks", "programme_track_twice", track=track, cluster=owner[track])
                elif track not in known_tracks:
                    self.warn(f"{where}.tracks", "programme_unknown_track", track=track,
                              options=_hint(track, known_tracks))
                else:
                    owner[track] = cluster_id
                    tracks.append(track)
            clusters[cluster_id] = Cluster(cluster_id, title, self.text(table, "title_en", where), tuple(tracks))
        for track in known_tracks:
            if track not in owner:
                self.warn("clusters", "programme_track_no_cluster", track=track)
        return clusters

    def moderators(self, data: dict[str, Any]) -> dict[str, str]:
        events = {e.guid: e for e in self.schedule.events}
        moderators: dict[str, str] = {}
        for guid, table in self.tables(data, "events"):
            where = f"events.{guid}"
            event = events.get(guid.lower())
            if event is None:
                self.warn(where, "programme_unknown_event", guid=guid)
                continue
            name = self.text(table, "moderator", where)
            persons = [p.name for p in event.persons]
            if name is not None and name not in persons:
                self.warn(f"{where}.moderator", "programme_moderator_not_person", name=name,
                          options=", ".join(persons) or "-")
            elif name is not None:
                moderators[event.guid] = name
        return moderators


def mapping_doc(mapping: Mapping) -> dict[str, Any]:
    """The mapping as JSON (the server stores it beside the schedule)."""
    return {"rooms": [[p.room, p.hall, p.stream, p.recordings] for p in mapping.rooms.values()],
            "clusters": [[c.cluster_id, c.title, c.title_en, list(c.tracks)] for c in mapping.clusters.values()],
            "moderators": dict(mapping.moderators)}


def mapping_from_doc(doc: dict[str, Any]) -> Mapping:
    rooms = [RoomPlace(*entry) for entry in doc["rooms"]]
    clusters = [Cluster(cluster_id, title, title_en, tuple(tracks)) for cluster_id, title, title_en, tracks
                in doc["clusters"]]
    return Mapping({r.room: r for r in rooms}, {c.cluster_id: c for c in clusters}, dict(doc["moderators"]))
