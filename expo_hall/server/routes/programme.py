"""The business programme: the client's listing (now/next at the server's clock), one event, the frab exports
(schedule.xml and schedule.json, valid against the c3voc schemas), the user's bookmarks with their overlaps, the
stand webinars they asked to be reminded of, and their agenda's calendar feed (both, as .ics at a secret URL, for
calendar apps, which send no token)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from expo_hall.agenda.ics import calendar
from expo_hall.agenda.store import Entry
from expo_hall.programme.model import Event
from expo_hall.server.auth import CurrentUser
from expo_hall.server.bookmarks import bookmarked, feed_owner, new_feed, read_bookmarks, write_bookmarks
from expo_hall.server.errors import responses
from expo_hall.server.programme import ServedProgramme
from expo_hall.server.reminders import reminded, write_reminders
from expo_hall.server.schemas import (
    GUID_PATTERN,
    BookmarksIn,
    BookmarksOut,
    CalendarFeedOut,
    ProgrammeEventOut,
    ProgrammeOut,
    RemindersIn,
    RemindersOut,
)
from expo_hall.server.state import Server

router = APIRouter(tags=["programme"])

Name = Annotated[str | None, Query(max_length=200)]


def served(server: Server) -> ServedProgramme:
    if server.programme is None:
        raise HTTPException(404, "this expo has no programme")
    return server.programme


async def programme_event(server: Server, guid: Annotated[str, Path(pattern=GUID_PATTERN, max_length=36,
                                                                     description="The event's frab guid")]) -> Event:
    event = server.programme.event(guid) if server.programme else None
    if event is None:
        raise HTTPException(404, f"no programme event {guid}")
    return event


ProgrammeEvent = Annotated[Event, Depends(programme_event)]


def _file(content: str, description: str, kind: str = "string") -> dict[int | str, dict]:
    return {200: {"description": description, "content": {content: {"schema": {"type": kind}}}}, **responses(404)}


XML_ANSWER = _file("application/xml", "frab's XML (https://c3voc.de/schedule/schema.xsd)")
JSON_ANSWER = _file("application/json", "frab's JSON (https://c3voc.de/schedule/schema.json)", "object")


@router.get("/programme", response_model=ProgrammeOut, responses=responses(422))
def listing(server: Server, day: Annotated[dt.date | None, Query(description="Only the events of this date")] = None,
            cluster: Name = None, hall: Name = None) -> ProgrammeOut:
    """Clusters, rooms and events of the programme, each event with its status at the server's clock (ended, now,
    next in its room, later); only those of `day`, `cluster` and `hall` when given. Empty without a programme."""
    now = server.settings.clock()
    if server.programme is None:
        return ProgrammeOut(conference=None, now=now, clusters=[], rooms=[], events=[])
    return server.programme.listing(now, day=day, cluster=cluster, hall=hall)


@router.get("/programme/events/{guid}", response_model=ProgrammeEventOut, responses=responses(404, 422))
def event(server: Server, found: ProgrammeEvent) -> ProgrammeEventOut:
    programme = served(server)
    return programme.event_out(found, programme.status_of(found, server.settings.clock()))


@router.get("/programme/schedule.xml", response_class=Response, responses=XML_ANSWER)
def schedule_xml(server: Server, request: Request) -> Response:
    """The programme as frab's schedule.xml (valid against the c3voc XSD); streams and recordings are links."""
    return Response(served(server).schedule_xml(str(request.base_url)), media_type="application/xml")


@router.get("/programme/schedule.json", response_class=Response, responses=JSON_ANSWER)
def schedule_json(server: Server, request: Request) -> Response:
    """The programme as frab's schedule.json (valid against the c3voc JSON schema)."""
    return Response(served(server).schedule_json(str(request.base_url)), media_type="application/json")


@router.get("/me/programme/bookmarks", response_model=BookmarksOut, responses=responses(401))
def get_bookmarks(server: Server, who: CurrentUser) -> BookmarksOut:
    """The events the user bookmarked, and which of them overlap."""
    return read_bookmarks(server.engine, who.id, server.programme)


@router.put("/me/programme/bookmarks", response_model=BookmarksOut, responses=responses(401, 413, 422))
def put_bookmarks(server: Server, who: CurrentUser, body: BookmarksIn) -> BookmarksOut:
    """Replace the user's bookmarks (events of the programme, by guid); the answer names the overlaps."""
    unknown = [g for g in body.events if server.programme is None or server.programme.event(g) is None]
    if unknown:
        raise HTTPException(422, f"not events of the programme: {', '.join(unknown[:5])}")
    return write_bookmarks(server.engine, who.id, body.events, server.programme, server.settings.clock())


@router.get("/me/agenda/webinars", response_model=RemindersOut, responses=responses(401))
def get_reminders(server: Server, who: CurrentUser) -> RemindersOut:
    """The stand webinars the user asked to be reminded of (those the stands hold), by start."""
    return RemindersOut(webinars=reminded(server.engine, who.id, server.catalog, server.settings.clock()))


@router.put("/me/agenda/webinars", response_model=RemindersOut, responses=responses(401, 413, 422))
def put_reminders(server: Server, who: CurrentUser, body: RemindersIn) -> RemindersOut:
    """Replace the stand webinars the user asked to be reminded of (their calendar feed lists them); webinars no
    stand holds are kept, not listed."""
    write_reminders(server.engine, who.id, body.webinars, server.settings.clock())
    return get_reminders(server, who)


@router.post("/me/programme/calendar", response_model=CalendarFeedOut, status_code=201, responses=responses(401))
def calendar_url(server: Server, who: CurrentUser) -> CalendarFeedOut:
    """A new secret URL of the user's calendar feed (their bookmarked events and reminded webinars); the last one
    stops working."""
    return new_feed(server.engine, who.id, server.settings.clock())


@router.get("/programme/calendar/{secret}.ics", response_class=Response,
            responses={**_file("text/calendar", "The user's agenda (iCalendar)"), **responses(422)})
def calendar_feed(server: Server, secret: Annotated[str, Path(max_length=100)],
                  lang: Literal["ru", "en"] = "ru") -> Response:
    """The calendar feed at the URL POST /me/programme/calendar gave (no token: the URL is the secret)."""
    owner = feed_owner(server.engine, secret)
    if owner is None:
        raise HTTPException(404, "no such calendar feed (a newer URL replaced it, or its user was revoked)")
    served_, now = server.programme, server.settings.clock()
    entries = [Entry.of_event(served_.programme, served_.events[g])
               for g in bookmarked(server.engine, owner, served_)] if served_ else []
    for w in reminded(server.engine, owner, server.catalog, now):
        name_en = server.catalog.exhibitors[w.exhibitor_id].summary.name_en
        entries.append(Entry(w.exhibitor_id, w.title, w.starts, w.duration_minutes, w.url, w.title_en,
                             w.exhibitor_name, name_en))
    title = served_.programme.schedule.conference.title if served_ else "expo_hall"
    entries.sort(key=lambda e: (e.starts, e.exhibitor_id, e.title))
    return Response(calendar(entries, now, lang, title=title).to_ical(), media_type="text/calendar")
