"""fetch_expo: the Expo built from the backend is the Expo load_expo builds from the same folders."""

from __future__ import annotations

import dataclasses

from PIL import Image

from expo_hall.expo import load_expo
from expo_hall.net.expo_source import fetch_expo, local_name
from expo_hall.net.media import DOWNLOADED, NOT_MODIFIED, MediaCache


def floor_content(floor):  # noqa: ANN001, ANN201
    return {f.name: getattr(floor, f.name) for f in dataclasses.fields(floor) if f.name != "source"}


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
    assert (cache / "maps" / "main" / "tiles" / "hall.png").read_bytes() == hall.read_bytes()
    assert (cache / "maps" / "upper" / "tiles" / "upper.tsx").is_file()
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


def test_a_second_fetch_revalidates_and_downloads_nothing(make_client, server, net_dirs, tmp_path):
    client = make_client()
    cache = tmp_path / "cache"
    fetch_expo(client, cache)
    media = MediaCache(client, cache)
    seen: list[str] = []
    original = media.fetch

    def counting(url, dest=None, **kw):  # noqa: ANN001, ANN202
        got = original(url, dest, **kw)
        seen.append(got.status)
        return got

    media.fetch = counting
    again = fetch_expo(client, cache, media=media)
    assert seen and set(seen) == {NOT_MODIFIED}
    assert len(again.floors) == 2 and again.exhibitors["alpha"].logo.is_file()
    (net_dirs[0] / "tiles" / "hall.png").write_bytes(b"not the same png any more")
    server.restart()  # imported anew: only the changed file is new
    seen.clear()
    fetch_expo(client, cache, media=media)
    assert seen.count(DOWNLOADED) == 1
    assert (cache / "maps" / "main" / "tiles" / "hall.png").read_bytes() == b"not the same png any more"


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
