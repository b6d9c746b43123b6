"""Real Tiled maps from other projects (tests/fixtures/real_maps, see its README): they lack our convention,
so each is named with every fault, and the hall opens the "no floors" window instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from expo_hall.expo import load_expo
from expo_hall.floors.tiled import load_floor
from expo_hall.notices import NoticeScreen
from expo_hall.problems import ContentError, Severity
from tests.driver import shown_text

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_maps"
LACKS_CONVENTION = ["map properties: missing property 'floor_id'", "map properties: missing property 'title'",
                    "layer 'alleys': is missing", "layer 'stands': is missing", "layer 'points': is missing"]
EXPECTED = {
    "spyder_park_cabin.tmx": [*LACKS_CONVENTION,
                              "'../gfx/tilesets/core_indoor_floors.tsx' is outside the expo's folder"],
    "infinite_map.tmx": ["the map is infinite; a floor needs a fixed size"],
    "b64_zstd.tmx": [*LACKS_CONVENTION, "'../all_layer_types/tileset.json' is outside the expo's folder",
                     "layer 'Tile Layer 1': its tiles are compressed with zstd",
                     "layer 'Image Layer 1': '../tests/test_data/"],
    "template.tmx": [*LACKS_CONVENTION, "tileset 'tileset.tsx': '../../images/tmw_desert_spacing.png' is outside"],
}


def test_the_fixtures_are_the_maps_the_readme_names():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in REAL.glob("*.tmx")) == sorted(EXPECTED)
    assert all(f"`{name}`" in readme or "template.tmx" in name for name in EXPECTED)
    assert sum(p.stat().st_size for p in REAL.iterdir()) < 20_000  # small: no tileset images


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_map_gives_every_fault_by_name(name):
    with pytest.raises(ContentError) as caught:
        load_floor(REAL / name)
    found = [str(p) for p in caught.value.problems]
    for words in EXPECTED[name]:
        assert any(f"real_maps/{name}: " in text and words in text for text in found), (words, found)
    assert any(p.severity is Severity.ERROR for p in caught.value.problems)


def test_the_templates_of_a_real_map_are_resolved(tmp_path):
    """template.tmx with the convention added: its objects placed from templates become stands."""
    xml = (REAL / "template.tmx").read_text(encoding="utf-8")
    xml = xml.replace('<property name="bool property - true"', '<property name="floor_id" value="t"/>'
                      '<property name="title" value="T"/><property name="bool property - true"')
    xml = xml.replace('name="Object Layer 1"', 'name="stands"').replace(
        '<property name="test" value="hello"/>', '<property name="exhibitor" value="alpha"/>')
    xml = xml.replace('id="2" template=', 'id="2" name="A-1" template=').replace(
        "</map>", '<objectgroup name="alleys"><object x="0" y="0" width="256" height="32"/></objectgroup>'
                  '<objectgroup name="points"><object name="spawn" x="8" y="8"><point/></object></objectgroup></map>')
    for file in REAL.iterdir():
        if file.suffix in (".tx", ".tsx"):
            (tmp_path / file.name).write_bytes(file.read_bytes())
    (tmp_path / "template.tmx").write_text(xml, encoding="utf-8")
    floor, problems = load_floor(tmp_path / "template.tmx")
    stand = floor.stand("A-1")
    assert (stand.rect.x0, stand.rect.width, stand.rect.height) == pytest.approx((98.4988, 63.6586, 38.2812))  # .tx
    assert {p.key for p in problems} == {"decor_outside", "stand_no_name"}  # its images; two unnamed objects


def test_real_maps_open_the_no_floors_window_with_each_fault_named(make_app, tmp_path, caplog):
    stands = tmp_path / "no_stands"
    stands.mkdir()
    expo = load_expo(REAL, stands)
    assert expo.floors == []
    d = make_app("--lang", "en", maps=REAL, stands=stands)  # as a visitor starts it: through the embedded server
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen) and top.opaque and d.hall is None
    shown = "".join(shown_text(top.body).split())
    errors = [p for p in expo.problems if p.severity is Severity.ERROR and p.file.suffix == ".tmx"]
    assert {p.file.name for p in errors} == set(EXPECTED) and len(errors) == 3 * 5 + 1
    for found in errors:  # the window lists what keeps each floor from opening (the rest is in the log)
        assert "".join(f"{found.file.name}: {found.text().split(': ', 1)[1]}".split()) in shown
    assert "Traceback" not in caplog.text
