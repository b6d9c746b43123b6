"""Webinar times as the visitor reads them: in the local time zone of their machine, zone named."""

from __future__ import annotations

import datetime as dt


def zone_name(moment: dt.datetime) -> str:
    """"MSK, UTC+03:00"; "UTC+10:00" when the zone has no name of its own (only "+10"); "UTC"."""
    offset = moment.utcoffset() or dt.timedelta(0)
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    utc = f"UTC{sign}{hours:02d}:{minutes:02d}" if total else "UTC"
    name = (moment.tzname() or "").strip()
    if not name or name[0] in "+-" or name.upper() in ("UTC", "GMT", "Z") or name == utc:
        return utc
    return f"{name}, {utc}"


def local(moment: dt.datetime, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The moment on the visitor's clock (the machine's time zone unless `tz` is given)."""
    return moment.astimezone(tz)


def when_text(starts: dt.datetime, ends: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """"27.04.2020, 11:00–12:00 (MSK, UTC+03:00)", or with both dates when it runs past midnight."""
    a, b = local(starts, tz), local(ends, tz)
    if a.date() == b.date():
        span = f"{a:%d.%m.%Y}, {a:%H:%M}–{b:%H:%M}"
    else:
        span = f"{a:%d.%m.%Y %H:%M} – {b:%d.%m.%Y %H:%M}"
    return f"{span} ({zone_name(a)})"
