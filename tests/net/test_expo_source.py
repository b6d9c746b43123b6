"""fetch_expo: the Expo built from the backend is the Expo load_expo builds from the same folders."""

from __future__ import annotations

import dataclasses

from PIL import Image

from expo_hall.expo import load_expo
from expo_hall.net.client import ApiClient
from expo_hall.net.expo_source import cached_expo, fetch_expo, local_name


def floor_content(floor):  # noqa: ANN001, ANN201
    return {f.name: getattr(floor, f.name) for f in dataclasses.fields(floor) if f.name not in ("source", "root")}


def test_fetch_expo_equals_load_expo(make_client, net_dirs, tmp_path, server):
    local = load_expo(*net_dirs)
    fractions: list[float] = []
    cache = tmp_path / "cache"
    remote = fetch_expo(make_client(), cache, fractions.append)

    assert [f.floor_id for f in remote.floors] == [f.floor_id for f in local.floors] == ["main", "upper"]
    for mine, theirs in zip(remote.floors, local.floors, strict=True):
        assert floor_content(mine) == floor_content(theirs)
        assert mine.has_tiles and mine.source.is_relative_to(cache)
    hall = net_dirs[0] / "tiles" / "hall.png"
    assert (cache / "maps" / "main" / "maps" / "tiles" / "hall.png").read_bytes() == hall.read_bytes()
    assert (cache / "maps" / "upper" / "maps" / "tiles" / "upper.tsx").is_file()
    assert remote.floor("upper").point("Лифт").to_floor == "main"

    assert list(remote.exhibitors) == sorted(local.exhibitors) == ["alpha", "beta", "delta", "epsilon", "gamma"]
    for ex_id, theirs in local.exhibitors.items():
        mine = remote.exhibitors[ex_id]
        same = ("name", "name_en", "category", "category_en", "description", "description_en", "video",
                "away_message", "contacts", "webinars")
        assert {k: getattr(mine, k) for k in same} == {k: getattr(theirs, k) for k in same}, ex_id
        assert [(m.title, m.title_en) for m in mine.materials] == [(m.title, m.title_en) for m in theirs.materials]
        assert all(m.url and m.url.startswith(("http://", "https://")) for m in mine.materials)
        if theirs.logo is None:
            assert mine.logo is None
        else:
            assert mine.logo.suffix == ".png"  # every logo is served normalised
            with Image.open(mine.logo) as a, Image.open(theirs.logo) as b:
                assert a.size == b.size and a.convert("RGBA").tobytes() == b.convert("RGBA").tobytes()
    alpha = remote.exhibitors["alpha"]
    assert alpha.materials[0].url == server.url + "/api/v1/exhibitors/alpha/materials/0"
    assert alpha.webinars[0].starts.utcoffset() is not None
    assert remote.search("Альфа")[0].exhibitor_id == "alpha"
    assert remote.place_of("epsilon").number == "B-1"
    assert not remote.errors()

    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)


def files_asked(server) -> list[str]:  # noqa: ANN001
    """The paths of the requests the server got since the last call, and forget them."""
    paths = [path for _method, path in server.requests]
    server.requests.clear()
    return paths


def test_a_start_asks_for_the_expo_once_and_each_file_once(make_client, server, tmp_path):
    fetch_expo(make_client(), tmp_path / "cache")
    asked = files_asked(server)
    assert asked.count("/api/v1/expo") == 1
    assert not [p for p in asked if p.startswith("/api/v1/exhibitors/") and not p.endswith("/logo")]  # none one by one
    logos = [p for p in asked if p.endswith("/logo")]
    assert sorted(logos) == [f"/api/v1/exhibitors/{x}/logo" for x in ("alpha", "beta", "epsilon", "gamma")]
    assert len(asked) == len(set(asked)) == 1 + len(logos) + 5  # and the maps' five files


def test_a_second_start_makes_one_request_and_then_fetches_only_what_changed(make_client, server, net_dirs, tmp_path):
    client = make_client()
    cache = tmp_path / "cache"
    first = fetch_expo(client, cache)
    files_asked(server)
    again = fetch_expo(client, cache)
    assert files_asked(server) == ["/api/v1/expo"]  # answered 304; every file's hash is its copy's
    assert again.exhibitors == first.exhibitors and len(again.floors) == 2
    (net_dirs[0] / "tiles" / "hall.png").write_bytes(b"not the same png any more")
    server.restart()  # imported anew: only the changed file is new
    fetch_expo(client, cache)
    assert files_asked(server) == ["/api/v1/expo", "/api/v1/floors/main/files/maps/tiles/hall.png"]
    assert (cache / "maps" / "main" / "maps" / "tiles" / "hall.png").read_bytes() == b"not the same png any more"


def test_many_missing_logos_come_in_one_pack(make_client, server, net_dirs, tmp_path):
    local = load_expo(*net_dirs)
    remote = fetch_expo(make_client(), tmp_path / "cache", pack_min=2)
    asked = files_asked(server)
    assert "/api/v1/expo/logos" in asked and not [p for p in asked if p.endswith("/logo")]
    for ex_id, theirs in local.exhibitors.items():
        mine = remote.exhibitors[ex_id].logo
        assert (mine is None) == (theirs.logo is None)
        if mine is not None:
            with Image.open(mine) as a, Image.open(theirs.logo) as b:
                assert a.convert("RGBA").tobytes() == b.convert("RGBA").tobytes()
    fetch_expo(make_client(), tmp_path / "cache", pack_min=2)
    assert files_asked(server) == ["/api/v1/expo"]  # the pack's logos are kept as fetched ones are
    remote.exhibitors["beta"].logo.unlink()  # one missing of four: asked for alone
    fetch_expo(make_client(), tmp_path / "cache", pack_min=2)
    assert files_asked(server) == ["/api/v1/expo", "/api/v1/exhibitors/beta/logo"]


def test_the_stands_data_keeps_what_the_server_sends(make_client, server, net_dirs, tmp_path):
    client = make_client()
    remote = fetch_expo(client, tmp_path / "cache")
    for ex_id, exhibitor in remote.exhibitors.items():
        assert exhibitor.room_id == client.exhibitor(ex_id).room_id
    brochure, site = remote.exhibitors["alpha"].materials
    pdf = net_dirs[1] / "alpha" / "brochure.pdf"
    assert (brochure.file_name, brochure.content_type, brochure.size) == (
        "brochure.pdf", "application/pdf", pdf.stat().st_size)
    assert site.file_name is None and site.url == "https://alpha.example/"


def test_the_cache_opens_the_expo_without_the_server(make_client, server, tmp_path):
    client = make_client()
    cache = tmp_path / "cache"
    online = fetch_expo(client, cache)
    server.stop()
    kept = cached_expo(client, cache)
    assert kept is not None
    offline, saved = kept
    assert saved.server == client.base_url and saved.etag
    assert offline.exhibitors == online.exhibitors
    assert [floor_content(f) for f in offline.floors] == [floor_content(f) for f in online.floors]
    elsewhere = ApiClient("http://127.0.0.1:9")
    assert cached_expo(elsewhere, cache) is None  # a copy from another server is not shown as this one's
    elsewhere.close()


def test_the_tiles_are_readable_from_the_cache(make_client, tmp_path):
    from expo_hall.floors.tiles import load_tile_layers

    expo = fetch_expo(make_client(), tmp_path / "cache")
    for floor in expo.floors:
        tiles = load_tile_layers(floor.source)
        assert tiles.layers and set(tiles.images) >= {1, 2, 3, 4}


def test_folder_names_are_safe():
    assert local_name("alpha") == "alpha"
    for odd in ("..", "a/b", "этаж 2", "x" * 200, "con."):
        name = local_name(odd)
        assert "/" not in name and name not in (".", "..") and len(name) < 90
    assert local_name("a/b") != local_name("a_b")


def test_a_kept_copy_that_cannot_be_read_is_asked_for_whole(make_client, server, tmp_path):
    client = make_client()
    cache = tmp_path / "cache"
    first = fetch_expo(client, cache)
    kept = cache / "expo.json"
    head = kept.read_bytes().partition(b"\n")[0]
    kept.write_bytes(head + b'\n{"floors": []}')  # its ETag still current: the server answers 304
    files_asked(server)
    again = fetch_expo(client, cache)
    assert files_asked(server) == ["/api/v1/expo", "/api/v1/expo"]
    assert again.exhibitors == first.exhibitors and b'"exhibitors"' in kept.read_bytes()
