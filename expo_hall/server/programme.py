"""The business programme as this worker serves it: read from the database once, at start (a re-import restarts
the server, as for the rest of the content), then the client's listing with now/next at the server's clock, the
frab exports and the calendar feed are made from memory."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from expo_hall.programme.frab import read_frab, to_frab
from expo_hall.programme.frab_xml import frab_to_xml
from expo_hall.programme.mapping import mapping_from_doc
from expo_hall.programme.model import Event, Programme
from expo_hall.programme.timetable import Status, statuses
from expo_hall.server import db
from expo_hall.server.catalog import API
from expo_hall.server.schemas import (
    ClusterOut,
    ConferenceOut,
    LinkOut,
    PersonOut,
    ProgrammeEventOut,
    ProgrammeOut,
    ProgrammeRoomOut,
)


@dataclass
class ServedProgramme:
    programme: Programme
    events: dict[str, Event]  # by guid (lower case), in the schedule's order

    @classmethod
    def load(cls, engine: Engine) -> ServedProgramme | None:
        """The imported programme; None when the expo has none."""
        with engine.connect() as conn:
            doc = conn.execute(select(db.programmes.c.doc).where(db.programmes.c.id == 1)).scalar()
        if doc is None:
            return None
        schedule, _ = read_frab(doc["frab"], Path("programme"))  # checked when imported: nothing to report
        return cls(Programme(schedule, mapping_from_doc(doc["mapping"])), {e.guid: e for e in schedule.events})

    def event(self, guid: str) -> Event | None:
        return self.events.get(guid.lower())

    def hall_of(self, guid: str) -> str | None:
        event = self.event(guid)
        return self.programme.hall_of(event) if event else None

    def listing(self, now: dt.datetime, *, day: dt.date | None = None, cluster: str | None = None,
                hall: str | None = None) -> ProgrammeOut:
        """Everything the client shows: clusters, rooms and events (those of `day`, `cluster`, `hall` when given)."""
        p, conf = self.programme, self.programme.schedule.conference
        status = statuses(self.events.values(), now)
        events = [e for e in self.events.values()
                  if (day is None or e.starts.date() == day)
                  and (cluster is None or (c := p.cluster_of(e)) is not None and c.cluster_id == cluster)
                  and (hall is None or p.hall_of(e) == hall)]
        return ProgrammeOut(
            conference=ConferenceOut(title=conf.title, acronym=conf.acronym, start=conf.start, end=conf.end,
                                     time_zone_name=conf.time_zone_name),
            now=now,
            clusters=[ClusterOut(cluster_id=c.cluster_id, title=c.title, title_en=c.title_en, tracks=list(c.tracks))
                      for c in p.mapping.clusters.values()],
            rooms=[ProgrammeRoomOut(name=r.name, hall=p.room_place(r.name).hall, stream_url=p.room_place(r.name).stream)
                   for r in p.schedule.rooms],
            events=[self.event_out(e, status[e.guid]) for e in events])

    def event_out(self, event: Event, status: Status) -> ProgrammeEventOut:
        p = self.programme
        cluster, moderator = p.cluster_of(event), p.moderator_of(event)
        return ProgrammeEventOut(
            guid=event.guid, id=event.id, title=event.title, title_en=event.title_en, subtitle=event.subtitle,
            language=event.language, type=event.type, abstract=event.abstract, description=event.description,
            track=event.track, cluster_id=cluster.cluster_id if cluster else None, room=event.room,
            hall=p.hall_of(event), starts=event.starts, ends=event.ends,
            duration_minutes=int(event.duration.total_seconds() // 60),
            persons=[PersonOut(name=person.name, moderator=person.name == moderator) for person in event.persons],
            links=[LinkOut(url=link.url, title=link.title, type=link.type) for link in event.links],
            url=event.url, stream_url=p.stream_url(event), recording_url=p.recording_url(event), status=status)

    def status_of(self, event: Event, now: dt.datetime) -> Status:
        return statuses([e for e in self.events.values() if e.room == event.room], now)[event.guid]

    def frab_json(self, base_url: str) -> dict:
        """The schedule as frab JSON; an event without a page of its own gets this server's (`base_url`: where the
        server answers, ending in /)."""
        def event_url(event: Event) -> str:
            return f"{base_url.rstrip('/')}{API}/programme/events/{event.guid}"

        return to_frab(self.programme.schedule, event_url=event_url, extra_links=self.programme.media_links)

    def schedule_json(self, base_url: str) -> bytes:
        return json.dumps(self.frab_json(base_url), ensure_ascii=False, indent=1).encode()

    def schedule_xml(self, base_url: str) -> bytes:
        return frab_to_xml(self.frab_json(base_url))
