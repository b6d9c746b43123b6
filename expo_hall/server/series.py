"""A stand's statistics over time: visits, unique visitors, chat messages, downloads and leads per day, visits
per hour of the day, downloads per material; counted in the caller's time zone.

The rows are grouped here rather than in SQL: SQLite and PostgreSQL have no common way to cut times into local
days, and one stand's rows over a fair are a few thousand at most.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import Engine, select

from expo_hall.server import db
from expo_hall.server.catalog import ExhibitorEntry
from expo_hall.server.schemas import DayCounts, MaterialDownloads, StandSeries

MAX_DAYS = 366


def stand_series(engine: Engine, entry: ExhibitorEntry, utc_offset_minutes: int) -> StandSeries:
    stand_id = entry.summary.exhibitor_id
    zone = dt.timezone(dt.timedelta(minutes=utc_offset_minutes))
    V, D, L, M, R = db.visits.c, db.downloads.c, db.leads.c, db.messages.c, db.rooms.c
    with engine.connect() as conn:
        visits = conn.execute(select(V.at, V.user_id).where(V.stand_id == stand_id)).all()
        downloads = conn.execute(select(D.at, D.material_index).where(D.stand_id == stand_id)).all()
        leads = conn.execute(select(L.created_at).where(L.stand_id == stand_id)).scalars().all()
        messages = conn.execute(select(M.created_at).join(db.rooms, R.id == M.room_id)
                                .where(R.stand_id == stand_id)).scalars().all()

    def local(at: dt.datetime) -> dt.datetime:
        return db.as_utc(at).astimezone(zone)

    per_day: dict[dt.date, Counter[str]] = defaultdict(Counter)
    visitors: dict[dt.date, set[int]] = defaultdict(set)
    hours = [0] * 24
    for at, user_id in visits:
        when = local(at)
        per_day[when.date()]["visits"] += 1
        visitors[when.date()].add(user_id)
        hours[when.hour] += 1
    per_material: Counter[int] = Counter()
    for at, index in downloads:
        per_day[local(at).date()]["downloads"] += 1
        per_material[index] += 1
    for at in leads:
        per_day[local(at).date()]["leads"] += 1
    for at in messages:
        per_day[local(at).date()]["chat_messages"] += 1

    days: list[DayCounts] = []
    if per_day:
        first, last = min(per_day), max(per_day)
        first = max(first, last - dt.timedelta(days=MAX_DAYS - 1))
        day = first
        while day <= last:
            n = per_day.get(day, Counter())
            days.append(DayCounts(day=day, visits=n["visits"], unique_visitors=len(visitors.get(day, ())),
                                  chat_messages=n["chat_messages"], downloads=n["downloads"], leads=n["leads"]))
            day += dt.timedelta(days=1)
    materials = [MaterialDownloads(index=i, title=m["title"], title_en=m["title_en"], downloads=per_material[i])
                 for i, m in enumerate(entry.doc["materials"])]
    return StandSeries(exhibitor_id=stand_id, utc_offset_minutes=utc_offset_minutes, days=days, hours=hours,
                       materials=materials)
