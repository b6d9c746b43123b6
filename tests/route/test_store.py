"""The route as plain data: edits, visits, progress, the file, and how it meets the server's copy."""

from __future__ import annotations

import datetime as dt
import json

from expo_hall.route.store import Route

T = dt.datetime(2020, 4, 27, 8, 0, tzinfo=dt.UTC)


def test_edits_visits_and_progress_are_kept_in_the_file(tmp_path):
    path = tmp_path / "route.json"
    r = Route.load(path)
    assert r.add("alpha") and r.add("beta") and r.add("gamma") and not r.add("beta")
    assert r.move("gamma", 0) and r.stops == ["gamma", "alpha", "beta"]
    assert r.remove("alpha") and not r.remove("alpha")
    assert r.mark_visited("beta", T, "dwell") and not r.mark_visited("beta", T + dt.timedelta(hours=1), "opened")
    assert r.progress() == (1, 2) and r.next_stop() == "gamma"
    again = Route.load(path)
    assert again.stops == ["gamma", "beta"] and again.dirty and again.visited["beta"].at == T
    assert again.clear() and Route.load(path).stops == []


def test_an_unreadable_file_is_set_aside_and_an_empty_route_used(tmp_path):
    path = tmp_path / "route.json"
    path.write_text("{not json", encoding="utf-8")
    r = Route.load(path)
    assert r.stops == [] and (tmp_path / "route.json.unreadable").read_text(encoding="utf-8") == "{not json"
    r.add("alpha")
    assert json.loads(path.read_text(encoding="utf-8"))["stops"] == ["alpha"]


def test_the_servers_route_is_taken_when_only_it_changed():
    r = Route(stops=["alpha"], version=1, base=["alpha"])
    assert r.server_said(2, ["beta", "alpha"], [("beta", T)]) is False
    assert r.stops == ["beta", "alpha"] and r.version == 2 and not r.dirty and r.visited["beta"].how == "server"


def test_an_edit_on_an_unchanged_server_route_is_sent():
    r = Route(stops=["alpha"], version=1, base=["alpha"])
    r.add("beta")
    assert r.server_said(1, ["alpha"]) is True
    assert r.pushed(["alpha", "beta"], 2) is False and r.version == 2 and not r.dirty


def test_both_sides_changed_is_a_choice_never_an_overwrite():
    r = Route(stops=["alpha", "beta"], version=1, base=["alpha", "beta"])
    r.remove("beta")
    r.add("gamma")
    assert r.server_said(2, ["epsilon", "alpha", "beta"]) is False
    assert r.conflict is not None and r.stops == ["alpha", "gamma"]  # mine, untouched until the choice
    assert r.conflict.merged == ["epsilon", "alpha", "gamma"]
    assert r.resolve("merge") is True and r.stops == ["epsilon", "alpha", "gamma"] and r.version == 2
    r2 = Route(stops=["gamma"], version=1, base=["alpha"], dirty=True)
    r2.server_said(2, ["beta"])
    assert r2.resolve("theirs") is False and r2.stops == ["beta"] and r2.conflict is None


def test_time_at_stands_and_the_walked_path_are_kept_bounded(tmp_path):
    from expo_hall.route.store import WALKED_MAX

    r = Route.load(tmp_path / "route.json")
    r.spend("gamma", 2.5)
    r.spend("gamma", 1.0)
    for i in range(WALKED_MAX + 3):
        r.walk_point("main", i + 0.4, 10, T + dt.timedelta(seconds=i))
    assert r.unsaved and len(r.walked) == WALKED_MAX and r.walked[0] == ("main", 3, 10, round(T.timestamp()) + 3)
    r.save()
    again = Route.load(tmp_path / "route.json")
    assert again.spent == {"gamma": 3.5} and again.walked == r.walked and not r.unsaved
