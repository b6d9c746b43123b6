"""The demo expo in the repo: what a new user sees must load cleanly and feel like a real fair."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from expo_hall import DEMO_MAPS_DIR, DEMO_STANDS_DIR
from expo_hall.expo import load_expo

FAIR_START = dt.date(2020, 4, 26)
FAIR_END = dt.date(2020, 5, 8)


@pytest.fixture(scope="module")
def demo():
    return load_expo(DEMO_MAPS_DIR, DEMO_STANDS_DIR)


def test_every_floor_and_package_loads_without_a_warning(demo):
    assert [str(p) for p in demo.problems] == []
    assert len(demo.floors) >= 4
    assert len(demo.exhibitors) >= 80
    placed = {s.exhibitor_id for f in demo.floors for s in f.stands}
    assert placed == set(demo.exhibitors)  # every package has its stand, every stand its package


def test_every_stand_is_reachable_from_the_spawn_and_every_lift_leads_somewhere(demo):
    for floor in demo.floors:
        nav = demo.nav(floor.floor_id)
        spawn = nav.point_nodes["spawn"]
        for stand in floor.stands:
            assert nav.path_to_stand(spawn, stand) is not None, (floor.floor_id, stand.number)
        assert floor.transfers, floor.floor_id
        for lift in floor.transfers:
            assert nav.path(spawn, nav.point_nodes[lift.name]) is not None
            target = demo.floor(lift.to_floor)
            assert target is not None and (lift.to_point is None or target.point(lift.to_point) is not None)


def test_content_is_complete_and_on_the_fair_dates(demo):
    for ex in demo.exhibitors.values():
        assert ex.name and ex.name_en and ex.category and ex.description and ex.logo is not None, ex.exhibitor_id
        assert not ex.contacts.is_empty()
        pdfs = [m.file for m in ex.materials if m.file is not None and m.file.suffix == ".pdf"]
        assert pdfs and all(p.read_bytes()[:5] == b"%PDF-" for p in pdfs), ex.exhibitor_id
        assert ex.webinars
        for w in ex.webinars:
            assert FAIR_START <= w.starts.date() <= FAIR_END and w.url.startswith("https://")
    logos = {ex.logo.read_bytes() for ex in demo.exhibitors.values()}
    assert len(logos) == len(demo.exhibitors)  # a distinct logo each


def test_short_real_videos_with_sound(demo):
    av = pytest.importorskip("av")
    local = [ex.video for ex in demo.exhibitors.values() if ex.video and not ex.video.startswith("http")]
    assert len(local) >= 5
    for path in local:
        with av.open(path) as container:
            kinds = {s.type for s in container.streams}
            assert {"video", "audio"} <= kinds, path
            assert 2 <= container.duration / av.time_base <= 20


def test_the_demo_stays_small():
    total = sum(p.stat().st_size for root in (DEMO_MAPS_DIR, DEMO_STANDS_DIR) for p in root.rglob("*") if p.is_file())
    assert total < 8 * 1024 * 1024


def test_the_demo_programme_is_the_fairs_first_four_days_in_twenty_clusters(tmp_path):
    """tools/make_demo_programme.py wrote programme/ beside maps/ and writes it again byte for byte."""
    import importlib.util
    from collections import Counter

    from expo_hall import DEMO_PROGRAMME_DIR, ROOT_DIR
    from expo_hall.programme import frab_to_xml, load_programme, to_frab
    from expo_hall.programme.load import default_folder
    from tests.programme.validators import json_errors, xml_errors

    assert default_folder(DEMO_MAPS_DIR) == DEMO_PROGRAMME_DIR  # where the server looks
    programme, problems = load_programme(DEMO_PROGRAMME_DIR)
    assert [str(p) for p in problems] == []
    events = programme.schedule.events
    assert len(programme.mapping.clusters) == 20 and 150 <= len(events) <= 560
    assert {e.starts.date() for e in events} == {FAIR_START + dt.timedelta(days=i) for i in range(4)}
    per_cluster_day = Counter((programme.cluster_of(e).cluster_id, e.starts.date()) for e in events)
    assert max(per_cluster_day.values()) <= 7 and len(per_cluster_day) == 80
    halls = {programme.hall_of(e) for e in events}
    assert len(halls) == 20 and None not in halls
    for e in events:
        assert e.duration <= dt.timedelta(minutes=60) and e.language == "ru"
        assert re.search("[а-яё]", e.title) and e.title_en and e.title_en.isascii()
        assert programme.moderator_of(e) == e.persons[0].name and len(e.persons) in (4, 5)  # moderator + 3-4
        assert programme.stream_url(e).startswith("https://") and e.guid in programme.recording_url(e)
    by_person: dict[str, list] = {}
    for e in events:
        for p in e.persons[1:]:
            by_person.setdefault(p.name, []).append(e)
    for talks in by_person.values():  # no speaker is in two studios at once
        talks.sort(key=lambda e: e.starts)
        assert all(a.ends <= b.starts for a, b in zip(talks, talks[1:], strict=False))

    exported = to_frab(programme.schedule, event_url=lambda e: e.url, extra_links=programme.media_links)
    assert json_errors(exported) == [] and xml_errors(frab_to_xml(exported)) == []

    spec = importlib.util.spec_from_file_location("make_demo_programme", ROOT_DIR / "tools" / "make_demo_programme.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    tool.write(tmp_path)
    for name in ("schedule.xml", "programme.toml"):
        assert (tmp_path / name).read_bytes() == (DEMO_PROGRAMME_DIR / name).read_bytes(), name


def test_the_demo_ships_recommended_routes_of_real_stands_in_both_languages(demo):
    from expo_hall.route.recommended import default_folder, load_recommended

    routes, problems = load_recommended(default_folder(DEMO_MAPS_DIR), demo.exhibitors)
    assert [str(p) for p in problems] == [] and len(routes) >= 3
    for route in routes:
        assert route.title_en and route.description and route.description_en and len(route.stops) >= 6
        assert all(demo.place_of(s) is not None for s in route.stops)  # every stop has its stand
    assert {"For school teachers", "For parents of preschoolers"} <= {r.title_en for r in routes}


def test_the_forum_floor_is_stage_halls_walked_to_on_their_aisles(demo):
    from expo_hall.floors.tiles import FLIP_Y, GID_MASK, load_tile_layers
    from expo_hall.forum.floor import FLOOR_ID, hall_spots

    forum = demo.floor(FLOOR_ID)
    nav = demo.nav(FLOOR_ID)
    spots = hall_spots(forum, {p.name for p in forum.points if p.name.startswith("hall-")})
    assert len(spots) == 20
    for spot in spots:  # each hall's point, in front of its stage, is reached from the spawn
        assert nav.path(nav.point_nodes["spawn"], nav.point_nodes[spot.hall]) is not None, spot.hall
    tiles = load_tile_layers(forum.source, forum.root)
    assert tiles.problems == [] and len(tiles.layers) == 1
    gids = tiles.layers[0].gids
    drawn = {g & GID_MASK for g in gids.values}
    assert drawn == set(tiles.tiles) == {1, 2, 3, 5, 6, 7, 8, 9}  # floor, carpets, wall, stage, screen, its end, seats
    assert any(g & FLIP_Y for g in gids.values)  # the halls south of the boulevard face north: their tiles are flipped
