"""The stand's statistics as charts (what each shows, in the user's language) and as CSV files.

Statistics CSV: one row per figure, `series,key,value` (e.g. `visits_per_day,2020-04-27,12`,
`visits_per_hour,10,5`, `downloads_per_material,Буклет,3`, `total,visits,40`), so that one file holds series of
different lengths and a spreadsheet's filter picks one. Leads CSV: one row per lead. Both UTF-8 with a byte-order
mark, which spreadsheet programs need to read Cyrillic; a text a spreadsheet would take for a formula starts with '.
"""

from __future__ import annotations

import csv
import io

from expo_hall.cabinet.charts import Chart
from expo_hall.problems import translator
from expo_hall.server.schemas import LeadOut, StandSeries, StandStats

DAY_SERIES = ("visits", "unique_visitors", "chat_messages", "downloads", "leads")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
LEAD_COLUMNS = ("name", "organisation", "email", "phone", "note", "created_at", "updated_at")


def charts(series: StandSeries, lang: str) -> dict[str, Chart]:
    """Each chart by name: per day (visits, unique visitors as a line, chat messages, downloads, leads), visits per
    hour, downloads per material."""
    tr = translator(lang)
    days = tuple(tr("cabinet.chart.day", day=f"{d.day.day:02}", month=f"{d.day.month:02}") for d in series.days)
    empty = tr("cabinet.chart.empty")
    result: dict[str, Chart] = {}
    for name in DAY_SERIES:
        result[f"{name}_per_day"] = Chart(tr(f"cabinet.chart.{name}_per_day"), days,
                                          tuple(getattr(d, name) for d in series.days),
                                          "line" if name == "unique_visitors" else "bars", empty)
    result["visits_per_hour"] = Chart(tr("cabinet.chart.visits_per_hour"), tuple(str(h) for h in range(24)),
                                      tuple(series.hours), "bars", empty)
    titles = tuple((m.title_en if lang == "en" and m.title_en else m.title) for m in series.materials)
    result["downloads_per_material"] = Chart(tr("cabinet.chart.downloads_per_material"), titles,
                                             tuple(m.downloads for m in series.materials), "hbars",
                                             tr("cabinet.chart.no_materials") if not titles else empty)
    return result


def cell(value: object) -> object:
    """A visitor's text that a spreadsheet would run as a formula ("=HYPERLINK(...)") is kept as text."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA) else value


def _csv(rows: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([cell(v) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()


def statistics_csv(series: StandSeries, stats: StandStats | None, leads: int | None) -> str:
    rows: list[list[object]] = [["series", "key", "value"]]
    if stats is not None:
        rows += [["total", name, value] for name, value in (
            ("visits", stats.visits), ("unique_visitors", stats.unique_visitors),
            ("chat_messages", stats.chat_messages), ("conversations", stats.conversations),
            ("downloads", stats.downloads))]
    if leads is not None:
        rows.append(["total", "leads", leads])
    for name in DAY_SERIES:
        rows += [[f"{name}_per_day", d.day.isoformat(), getattr(d, name)] for d in series.days]
    rows += [["visits_per_hour", hour, n] for hour, n in enumerate(series.hours)]
    rows += [["downloads_per_material", m.title, m.downloads] for m in series.materials]
    return _csv(rows)


def leads_csv(leads: list[LeadOut]) -> str:
    rows: list[list[object]] = [list(LEAD_COLUMNS)]
    for lead in leads:
        rows.append([lead.name, lead.organisation or "", lead.email or "", lead.phone or "", lead.note or "",
                     lead.created_at.isoformat(), lead.updated_at.isoformat()])
    return _csv(rows)
