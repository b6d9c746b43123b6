"""The stand's statistics over time (GET /exhibitors/{id}/stats/series) from a database the test fills through the
real server on loopback, and the cabinet's charts and CSV drawn from that answer."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pygame
import pytest

from expo_hall.cabinet.charts import COLOURS, ChartCache
from expo_hall.cabinet.statistics import charts, leads_csv, statistics_csv
from expo_hall.server.schemas import LeadOut, StandSeries, StandStats
from expo_hall.text import TextCache
from tests.server.conftest import start_server

UTC = dt.UTC


@pytest.fixture(scope="module")
def filled(expo_dirs, tmp_path_factory):  # noqa: ANN001, ANN201
    """One server, its database filled over five days of the fair by three visitors; the representative's API."""
    srv = start_server(f"sqlite:///{tmp_path_factory.mktemp('series') / 'server.sqlite3'}", expo_dirs)
    at = srv.clock

    def when(day: int, hour: int, minute: int = 0) -> None:
        at.now = dt.datetime(2020, 10, day, hour, minute, tzinfo=UTC)

    anna, boris, clara = srv.visitor("Анна"), srv.visitor("Борис"), srv.visitor("Клара")
    room = srv.room_of("alpha")
    when(1, 6)  # 09:00 in Moscow
    for who in (anna, boris):
        assert who.post("/exhibitors/alpha/visits").status_code == 201
    assert anna.send(room, "Здравствуйте").status_code in (200, 201)
    assert anna.send(room, "=HYPERLINK(\"x\")").status_code in (200, 201)
    assert anna.get("/exhibitors/alpha/materials/0").status_code == 200
    assert anna.post("/exhibitors/alpha/leads", json={"name": "=Анна", "email": "anna@example.org"}).status_code \
        in (200, 201)
    when(1, 10, 30)  # 13:30
    assert clara.post("/exhibitors/alpha/visits").status_code == 201
    when(3, 20, 30)  # 23:30 on the 3rd in Moscow
    assert anna.post("/exhibitors/alpha/visits").status_code == 201
    assert boris.get("/exhibitors/alpha/materials/0").status_code == 200
    when(4, 21, 30)  # 00:30 on the 5th in Moscow, still the 4th in UTC
    assert clara.post("/exhibitors/alpha/visits").status_code == 201
    assert boris.post("/exhibitors/beta/visits").status_code == 201  # another stand's: not counted for alpha
    rep = srv.representative("alpha")
    yield srv, rep
    srv.embedded.stop()


def test_series_per_day_hour_and_material_in_the_fairs_time_zone(filled) -> None:  # noqa: ANN001
    srv, rep = filled
    answer = rep.get("/exhibitors/alpha/stats/series")
    assert answer.status_code == 200, answer.text
    series = StandSeries.model_validate(answer.json())
    assert series.utc_offset_minutes == 180
    table = {d.day.isoformat(): (d.visits, d.unique_visitors, d.chat_messages, d.downloads, d.leads)
             for d in series.days}
    assert table == {"2020-10-01": (3, 3, 2, 1, 1), "2020-10-02": (0, 0, 0, 0, 0), "2020-10-03": (1, 1, 0, 1, 0),
                     "2020-10-04": (0, 0, 0, 0, 0), "2020-10-05": (1, 1, 0, 0, 0)}
    assert {h: n for h, n in enumerate(series.hours) if n} == {0: 1, 9: 2, 13: 1, 23: 1}
    assert [(m.index, m.title, m.downloads) for m in series.materials] == [(0, "Буклет", 2), (1, "Сайт", 0)]

    utc = StandSeries.model_validate(rep.get("/exhibitors/alpha/stats/series", params={"utc_offset": 0}).json())
    assert [d.day.isoformat() for d in utc.days][-1] == "2020-10-04"
    assert {h: n for h, n in enumerate(utc.hours) if n} == {6: 2, 10: 1, 20: 1, 21: 1}

    # only the stand's representatives and the organizers; a bad zone is named
    assert srv.visitor("Вера").get("/exhibitors/alpha/stats/series").status_code == 403
    assert srv.representative("beta").get("/exhibitors/alpha/stats/series").status_code == 403
    assert srv.organizer().get("/exhibitors/alpha/stats/series").status_code == 200
    bad = rep.get("/exhibitors/alpha/stats/series", params={"utc_offset": 5000})
    assert bad.status_code == 422 and "utc_offset" in bad.text


def test_the_charts_draw_each_bar_in_proportion_to_its_value(filled) -> None:  # noqa: ANN001
    _, rep = filled
    series = StandSeries.model_validate(rep.get("/exhibitors/alpha/stats/series").json())
    drawn = charts(series, "ru")
    visits = drawn["visits_per_day"]
    assert visits.values == (3, 0, 1, 0, 1) and visits.labels == ("01.10", "02.10", "03.10", "04.10", "05.10")
    assert visits.title == "Посещения по дням"
    assert charts(series, "en")["visits_per_day"].labels[0] == "10/01"
    pygame.font.init()
    cache = ChartCache(TextCache())
    surface, layout = cache.get("visits_per_day", visits, (480, 230))
    assert layout.top == 3 and layout.ticks == [0, 1, 2, 3]
    plot = layout.plot
    for bar, value in zip(layout.bars, visits.values, strict=True):
        assert bar.bottom == plot.bottom
        assert abs(bar.height - plot.height * value / layout.top) <= 1
        if value:  # the bar's colour fills it, and stops at its top
            assert surface.get_at(bar.center)[:3] == COLOURS["bars"]
            assert surface.get_at((bar.centerx, bar.top + 1))[:3] == COLOURS["bars"]
            assert surface.get_at((bar.centerx, bar.top - 3))[:3] != COLOURS["bars"]
    assert layout.bars[0].height == plot.height and layout.bars[1].height == 0
    assert cache.get("visits_per_day", visits, (480, 230))[0] is surface and cache.draws == 1  # kept, not redrawn

    materials = drawn["downloads_per_material"]
    assert materials.kind == "hbars" and materials.values == (2, 0)
    _, hbars = cache.get("downloads_per_material", materials, (480, 230))
    assert abs(hbars.bars[0].width - hbars.plot.width * 2 / hbars.top) <= 1 and hbars.bars[1].width == 0
    _, line = cache.get("unique_visitors_per_day", drawn["unique_visitors_per_day"], (480, 230))
    assert [line.plot.bottom - y for _, y in line.points] == [line.plot.height, 0, round(line.plot.height / 3), 0,
                                                             round(line.plot.height / 3)]


def test_the_statistics_and_leads_as_csv(filled) -> None:  # noqa: ANN001
    _, rep = filled
    series = StandSeries.model_validate(rep.get("/exhibitors/alpha/stats/series").json())
    stats = StandStats.model_validate(rep.get("/exhibitors/alpha/stats").json())
    leads = [LeadOut.model_validate(x) for x in rep.get("/exhibitors/alpha/leads").json()["leads"]]
    text = statistics_csv(series, stats, len(leads))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["series", "key", "value"]
    assert ["total", "visits", "5"] in rows and ["total", "unique_visitors", "3"] in rows
    assert ["total", "leads", "1"] in rows and ["total", "chat_messages", "2"] in rows
    assert [r for r in rows if r[0] == "visits_per_day"] == [
        ["visits_per_day", "2020-10-01", "3"], ["visits_per_day", "2020-10-02", "0"],
        ["visits_per_day", "2020-10-03", "1"], ["visits_per_day", "2020-10-04", "0"],
        ["visits_per_day", "2020-10-05", "1"]]
    assert ["unique_visitors_per_day", "2020-10-01", "3"] in rows and ["leads_per_day", "2020-10-01", "1"] in rows
    assert len([r for r in rows if r[0] == "visits_per_hour"]) == 24 and ["visits_per_hour", "9", "2"] in rows
    assert ["downloads_per_material", "Буклет", "2"] in rows and ["downloads_per_material", "Сайт", "0"] in rows

    lead_rows = list(csv.reader(io.StringIO(leads_csv(leads)[1:])))
    assert lead_rows[0] == ["name", "organisation", "email", "phone", "note", "created_at", "updated_at"]
    assert lead_rows[1][:3] == ["'=Анна", "", "anna@example.org"]  # a formula in a visitor's text stays text
    assert lead_rows[1][5] == "2020-10-01T06:00:00+00:00"
