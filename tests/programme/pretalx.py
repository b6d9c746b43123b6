"""A schedule.xml written as pretalx writes one (its template's elements, order and quirks: a comment naming
pretalx, single-quoted attributes, `code` on events and persons, empty logo, links and attachments), for tests
to import: what organizers bring, made independently of our own writer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

MSK = dt.timezone(dt.timedelta(hours=3))


@dataclass
class Talk:
    guid: str
    id: int
    room: str
    title: str
    start: dt.datetime
    minutes: int
    track: str
    persons: list[str] = field(default_factory=list)
    subtitle: str = ""
    language: str = "ru"
    abstract: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, title)

    @property
    def code(self) -> str:
        return f"TK{self.id:04d}"[-6:]


def pretalx_xml(talks: list[Talk], title: str = "ММСО-2020: деловая программа", acronym: str = "mmco2020",
                rooms: dict[str, str] | None = None, tracks: list[str] | None = None) -> str:
    """`rooms`: name -> guid (pretalx gives rooms guids); days run 04:00 to 03:59 next morning, as pretalx's do."""
    dates = sorted({t.start.date() for t in talks})
    rooms = rooms or {}
    tracks = tracks or sorted({t.track for t in talks})
    out = ["<?xml version='1.0' encoding='utf-8' ?>", "<!-- Made with pretalx v2024.1.0. -->", "<schedule>",
           '    <generator name="pretalx" version="2024.1.0" />', "    <version>0.5</version>", "    <conference>",
           f"        <title>{escape(title)}</title>", f"        <acronym>{acronym}</acronym>",
           f"        <start>{dates[0].isoformat()}</start>", f"        <end>{dates[-1].isoformat()}</end>",
           f"        <days>{len(dates)}</days>", "        <timeslot_duration>00:05</timeslot_duration>",
           f"        <base_url>https://pretalx.example/{acronym}/schedule/</base_url>",
           "        <time_zone_name>Europe/Moscow</time_zone_name>"]
    out += [f"        <track name={quoteattr(t)} color='#{i * 3 % 10}1{i % 10}e88' />" for i, t in enumerate(tracks)]
    out.append("    </conference>")
    for index, date in enumerate(dates, 1):
        start = dt.datetime.combine(date, dt.time(4), MSK)
        end = start + dt.timedelta(hours=23, minutes=59)
        out.append(f"    <day index='{index}' date='{date.isoformat()}' start='{start.isoformat()}' "
                   f"end='{end.isoformat()}'>")
        for room in sorted({t.room for t in talks}):
            guid = f" guid='{rooms[room]}'" if room in rooms else ""
            out.append(f"        <room name={quoteattr(room)}{guid}>")
            for t in sorted((t for t in talks if t.room == room and t.start.date() == date), key=lambda t: t.start):
                out += _talk(t, acronym)
            out.append("        </room>")
        out.append("    </day>")
    out.append("</schedule>")
    return "\n".join(out) + "\n"


def _talk(t: Talk, acronym: str) -> list[str]:
    hours, minutes = divmod(t.minutes, 60)
    lines = [f"            <event guid='{t.guid}' id='{t.id}' code='{t.code}'>",
             f"                <room>{escape(t.room)}</room>", f"                <title>{escape(t.title)}</title>",
             f"                <subtitle>{escape(t.subtitle)}</subtitle>", "                <type>Talk</type>",
             f"                <date>{t.start.isoformat()}</date>",
             f"                <start>{t.start.strftime('%H:%M')}</start>",
             f"                <duration>{hours:02d}:{minutes:02d}</duration>",
             f"                <abstract>{escape(t.abstract)}</abstract>",
             f"                <slug>{acronym}-{t.id}-talk</slug>", f"                <track>{escape(t.track)}</track>",
             "                <logo></logo>", "                <persons>"]
    lines += [f"                    <person id='{t.id * 10 + i}' code='P{t.id:03d}{i}X'>{escape(p)}</person>"
              for i, p in enumerate(t.persons)]
    lines += ["                </persons>", f"                <language>{t.language}</language>",
              "                <description></description>", "                <recording>",
              "                    <license></license>", "                    <optout>false</optout>",
              "                </recording>", "                <links>"]
    lines += [f"                    <link href={quoteattr(url)}>{escape(title)}</link>" for url, title in t.links]
    lines += ["                </links>", "                <attachments></attachments>",
              f"                <url>https://pretalx.example/{acronym}/talk/{t.code}/</url>",
              f"                <feedback_url>https://pretalx.example/{acronym}/talk/{t.code}/feedback/"
              "</feedback_url>", "            </event>"]
    return lines
