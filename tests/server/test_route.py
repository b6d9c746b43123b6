"""The visitor's route on the server: a route naming an exhibitor the expo does not have (or no longer has) is
refused whole; the organizers' recommended routes (routes/*.toml) are imported, their faults named, and served."""

from __future__ import annotations

import shutil

from expo_hall.server.schemas import RecommendedRouteOut
from tests.server.conftest import Api, start_server

TEACHERS = r'''title = "Учителям"
title_en = "For teachers"
description = "Сначала «Альфа»,\nпотом «Гамма»."
stops = ["alpha", "alfa", "gamma", "alpha"]
'''


def test_a_route_naming_an_unknown_or_removed_exhibitor_is_refused_whole_and_recommended_routes_are_served(
        db_url, expo_dirs, tmp_path):
    maps, stands = shutil.copytree(expo_dirs[0], tmp_path / "maps"), shutil.copytree(expo_dirs[1], tmp_path / "stands")
    routes = tmp_path / "routes"  # beside the maps: the server finds them there
    routes.mkdir()
    (routes / "teachers.toml").write_text(TEACHERS, encoding="utf-8")
    (routes / "broken.toml").write_text('title = "Сломанный"\nstops = [', encoding="utf-8")
    (routes / "empty.toml").write_text('title = "Пустой"\ntitle_en = "Empty"\nstops = ["nobody"]\n', encoding="utf-8")
    server = start_server(db_url, (maps, stands))
    named = {(p.file.name, p.code, p.field) for p in server.embedded.imported.problems if p.file.parent == routes}
    assert named == {("teachers.toml", "route_unknown_exhibitor", "stops[2]"),
                     ("teachers.toml", "route_stop_twice", "stops[4]"),
                     ("teachers.toml", "text_no_english", "description_en"), ("broken.toml", "bad_toml", ""),
                     ("empty.toml", "route_unknown_exhibitor", "stops[1]"), ("empty.toml", "route_no_stops", "")}
    [alfa] = [p for p in server.embedded.imported.problems if p.values and dict(p.values).get("id") == "alfa"]
    assert "did you mean alpha" in alfa.message()

    api = server.anonymous()
    served = [RecommendedRouteOut.model_validate(r) for r in api.get("/routes/recommended").json()]
    assert served == [RecommendedRouteOut(route_id="teachers", title="Учителям", title_en="For teachers",
                                          description="Сначала «Альфа»,\nпотом «Гамма».", description_en=None,
                                          stops=["alpha", "gamma"])]

    vera = server.visitor()
    assert vera.put("/me/route", json={"version": 0, "planned": ["beta", "alpha"]}).status_code == 200
    refused = vera.put("/me/route", json={"version": 1, "planned": ["beta", "omega", "alpha"]})
    assert refused.status_code == 422 and "'omega'" in refused.json()["detail"]
    assert vera.get("/me/route").json()["planned"] == ["beta", "alpha"]  # nothing of it was taken
    server.embedded.stop()

    shutil.rmtree(stands / "gamma")  # the organizers take gamma off the expo
    server = start_server(db_url, (maps, stands))
    try:
        vera = Api(server.url, vera.token)
        refused = vera.put("/me/route", json={"version": 1, "planned": ["gamma", "beta"]})
        assert refused.status_code == 422 and "'gamma'" in refused.json()["detail"]
        assert vera.get("/me/route").json() | {"visited": []} == {"version": 1, "planned": ["beta", "alpha"],
                                                                  "visited": []}
        assert [r["stops"] for r in server.anonymous().get("/routes/recommended").json()] == [["alpha"]]
    finally:
        server.embedded.stop()
