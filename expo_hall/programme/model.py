"""The business programme as plain data: a frab schedule (conference, tracks, rooms, days, events) and what
programme.toml adds to it (halls, streams, recordings, clusters, moderators).

Every value here is already in a form both c3voc schemas take (see values.py): the readers make it so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A link or an attachment: frab's `links`/`attachments` entries (JSON: url, title, type)."""

    url: str
    title: str = ""
    type: str | None = None  # one of values.LINK_TYPES


@dataclass(frozen=True)
class Person:
    name: str
    id: int | None = None
    guid: str | None = None
    code: str | None = None  # pretalx's speaker code (frab JSON only: XML persons carry only id and guid)


@dataclass(frozen=True)
class Event:
    guid: str  # lower case; what questions, bookmarks and recordings are matched by
    id: int
    title: str
    room: str
    starts: dt.datetime  # timezone-aware, in the offset the schedule gave
    duration: dt.timedelta
    slug: str
    type: str = "talk"
    track: str | None = None
    subtitle: str = ""  # a Russian event's English title (as CCC's schedules give German talks' English ones)
    abstract: str = ""
    description: str = ""
    language: str | None = None
    code: str | None = None
    url: str | None = None
    logo: str | None = None
    feedback_url: str | None = None
    origin_url: str | None = None
    recording_license: str | None = None
    do_not_record: bool | None = None
    persons: tuple[Person, ...] = ()
    links: tuple[Link, ...] = ()
    attachments: tuple[Link, ...] = ()

    @property
    def ends(self) -> dt.datetime:
        return self.starts + self.duration

    @property
    def title_en(self) -> str | None:
        """The English title: the subtitle of an event in another language, if it has one."""
        return (self.subtitle or None) if self.language and self.language != "en" else None

    def title_for(self, lang: str) -> str:
        return (self.title_en or self.title) if lang == "en" else self.title


@dataclass(frozen=True)
class Track:
    name: str
    color: str | None = None
    slug: str | None = None


@dataclass(frozen=True)
class Room:
    name: str
    guid: str


@dataclass(frozen=True)
class Day:
    index: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime

    def holds(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Conference:
    title: str
    acronym: str
    start: dt.date
    end: dt.date
    timeslot_duration: str = "00:05"
    time_zone_name: str | None = None
    base_url: str | None = None
    url: str | None = None
    logo: str | None = None


@dataclass(frozen=True)
class Schedule:
    conference: Conference
    version: str = "1.0"
    tracks: tuple[Track, ...] = ()
    rooms: tuple[Room, ...] = ()
    days: tuple[Day, ...] = ()
    events: tuple[Event, ...] = ()  # by start, then room


@dataclass(frozen=True)
class RoomPlace:
    """What programme.toml says of a room: its hall on the forum floor, its live stream, its recordings."""

    room: str
    hall: str | None = None
    stream: str | None = None  # an http(s) URL (HLS or a file)
    recordings: str | None = None  # an http(s) URL with {guid}: each event's recording

    def recording_url(self, guid: str) -> str | None:
        return self.recordings.replace("{guid}", guid) if self.recordings else None


@dataclass(frozen=True)
class Cluster:
    cluster_id: str
    title: str
    title_en: str | None = None
    tracks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mapping:
    """programme.toml: rooms to halls, streams and recordings; tracks to clusters; each event's moderator."""

    rooms: dict[str, RoomPlace] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)  # in the file's order
    moderators: dict[str, str] = field(default_factory=dict)  # event guid -> the name of one of its persons

    def cluster_of(self, track: str | None) -> Cluster | None:
        return next((c for c in self.clusters.values() if track in c.tracks), None) if track else None


@dataclass(frozen=True)
class Programme:
    schedule: Schedule
    mapping: Mapping = field(default_factory=Mapping)

    def room_place(self, room: str) -> RoomPlace:
        return self.mapping.rooms.get(room) or RoomPlace(room)

    def place(self, event: Event) -> RoomPlace:
        return self.room_place(event.room)

    def hall_of(self, event: Event) -> str | None:
        return self.place(event).hall

    def stream_url(self, event: Event) -> str | None:
        return self.place(event).stream

    def recording_url(self, event: Event) -> str | None:
        return self.place(event).recording_url(event.guid)

    def cluster_of(self, event: Event) -> Cluster | None:
        return self.mapping.cluster_of(event.track)

    def moderator_of(self, event: Event) -> str | None:
        return self.mapping.moderators.get(event.guid)

    def media_links(self, event: Event) -> list[Link]:
        """The stream and the recording as frab links (the schemas have no other place for them)."""
        return [Link(url, title, "media") for url, title in ((self.stream_url(event), "Live stream"),
                                                             (self.recording_url(event), "Recording")) if url]
