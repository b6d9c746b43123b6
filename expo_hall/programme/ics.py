"""Programme events as an iCalendar feed (RFC 5545): the visitor's bookmarked events, which a calendar app
subscribes to by URL. Each VEVENT's UID is the event's frab guid, so a moved event moves in the calendar; the
rest follows the agenda's own export (expo_hall.agenda.ics): UTC times, a display alarm before the start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Alarm, Calendar
from icalendar import Event as VEvent

from expo_hall.agenda.ics import ALARM_BEFORE, PRODID, UID_DOMAIN
from expo_hall.programme.model import Event, Programme


def calendar(programme: Programme | None, events: Iterable[Event], now: dt.datetime, lang: str = "ru") -> bytes:
    """The events (of `programme`; none without one) as an iCalendar file."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", programme.schedule.conference.title if programme else "expo_hall")
    stamp = now.astimezone(dt.UTC)
    for event in events if programme else ():
        title = event.title_for(lang)
        cluster = programme.cluster_of(event)
        persons = ", ".join(p.name for p in event.persons)
        where = programme.hall_of(event) or event.room
        vevent = VEvent()
        vevent.add("uid", f"{event.guid}@{UID_DOMAIN}")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", event.starts.astimezone(dt.UTC))
        vevent.add("dtend", event.ends.astimezone(dt.UTC))
        vevent.add("summary", title)
        lines = [cluster.title_en if lang == "en" and cluster and cluster.title_en else cluster.title if cluster
                 else None, persons or None, event.abstract or None]
        vevent.add("description", "\n".join(line for line in lines if line))
        vevent.add("location", f"{event.room} ({where})" if where != event.room else event.room)
        url = event.url or programme.stream_url(event)
        if url:
            vevent.add("url", url)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", title)
        vevent.add_component(alarm)
        cal.add_component(vevent)
    return cal.to_ical()
