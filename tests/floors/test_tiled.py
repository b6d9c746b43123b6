"""Reading floors from Tiled maps, and every broken-map case giving its message while the rest opens."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from expo_hall.expo import load_expo
from expo_hall.floors.tiled import load_floor
from expo_hall.floors.tmx_writer import FloorSketch
from expo_hall.problems import ContentError, Severity


def test_small_floor_reads_into_the_model(expo_dirs):
    maps, _ = expo_dirs
    floor, problems = load_floor(maps / "main.tmx")
    assert problems == []
    assert (floor.floor_id, floor.title, floor.title_en, floor.order) == ("main", "Главный зал", "Main hall", 1)
    assert (floor.width, floor.height) == (960, 640)
    assert [s.number for s in floor.stands] == ["A-1", "A-2", "A-3", "A-9"]
    assert floor.stand("A-2").exhibitor_id == "beta"
    assert floor.stand("A-2").rect.x0 == 544 and floor.stand("A-2").rect.y1 == 288
    lift = floor.point("Лифт")
    assert (lift.to_floor, lift.to_point, lift.x, lift.y) == ("upper", "Лифт", 880, 320)
    assert floor.spawn.x == 100 and floor.spawn.y == 320


def test_polygon_alley_is_walked_as_its_shape(tmp_path):
    sketch = FloorSketch("poly", "Полигон", 20, 20)
    sketch.alley_polygons.append([(0, 0), (300, 0), (300, 300)])  # a right triangle, hypotenuse x == y
    sketch.point("spawn", 250, 50)
    floor, problems = load_floor(sketch.write(tmp_path / "poly.tmx"))
    assert problems == []
    assert floor.alleys[0].polygon == ((0, 0), (300, 0), (300, 300))
    from expo_hall.floors.navigation import NavMesh

    nav = NavMesh(floor)
    assert nav.in_alleys(250, 50) and nav.in_alleys(200, 150)
    assert not nav.in_alleys(50, 250)  # below the hypotenuse: outside
    assert nav.is_free(200, 120) and not nav.is_free(120, 200)


def _break(maps: Path, name: str, xml: str) -> None:
    (maps / name).write_text(xml, encoding="utf-8")


BROKEN = {
    "bad_xml": ("<map version='1.10' orientation='orthogonal'><objectgroup name='alleys'>", "", "bad XML"),
    "no_alleys_layer": (
        FloorSketch("x", "X", 10, 10).point("spawn", 10, 10).to_xml().replace('name="alleys"', 'name="walls"'),
        "layer 'alleys'", "is missing",
    ),
    "no_floor_id": (
        FloorSketch("x", "X", 10, 10).alley(0, 0, 320, 64).point("spawn", 10, 10).to_xml()
        .replace('name="floor_id"', 'name="floor_name"'),
        "map properties", "missing property 'floor_id'",
    ),
    "no_spawn": (FloorSketch("x", "X", 10, 10).alley(0, 0, 320, 64).to_xml(), "layer 'points'", "spawn"),
    "bad_order": (
        FloorSketch("x", "X", 10, 10, order=1).alley(0, 0, 320, 64).point("spawn", 10, 10).to_xml()
        .replace('type="int" value="1"', 'value="first"'),
        "map property 'order'", "whole number",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_map_names_file_object_and_fault_and_the_rest_opens(expo_dirs, case, caplog):
    maps, stands = expo_dirs
    xml, obj, fault = BROKEN[case]
    _break(maps, f"{case}.tmx", xml)
    with caplog.at_level(logging.ERROR, logger="expo_hall"):
        expo = load_expo(maps, stands)
    assert [f.floor_id for f in expo.floors] == ["main", "upper"]  # every other floor still opens
    [problem] = [p for p in expo.errors() if p.file.name == f"{case}.tmx"]
    assert problem.obj == obj and fault in problem.fault
    assert f"maps/{case}.tmx" in str(problem)
    assert any(f"{case}.tmx" in r.getMessage() for r in caplog.records)  # logged to the terminal too


def test_duplicate_floor_id_keeps_the_first_and_names_both_files(expo_dirs):
    maps, stands = expo_dirs
    FloorSketch("main", "Копия", 10, 10).alley(0, 0, 320, 64).point("spawn", 10, 10).write(maps / "zz_copy.tmx")
    expo = load_expo(maps, stands)
    assert expo.floor("main").title == "Главный зал"
    [problem] = expo.errors()
    assert problem.file.name == "zz_copy.tmx" and "main.tmx" in problem.fault and "'main'" in problem.fault


def test_stand_without_package_is_reported_with_close_matches_and_still_drawn(expo_dirs):
    maps, stands = expo_dirs
    (FloorSketch("third", "Третий", 10, 10, order=3).alley(0, 0, 320, 64)
     .stand("C-1", "alpah", 0, 64, 96, 64).point("spawn", 10, 10).write(maps / "third.tmx"))
    expo = load_expo(maps, stands)
    [problem] = expo.errors()
    assert problem.obj == "stand C-1" and "'alpah' has no stand package" in problem.fault and "alpha" in problem.fault
    assert expo.floor("third").stand("C-1") is not None


def test_stairs_to_a_missing_floor_lead_nowhere_with_a_message(expo_dirs):
    maps, stands = expo_dirs
    (FloorSketch("third", "Третий", 10, 10, order=3).alley(0, 0, 320, 64)
     .point("spawn", 10, 10).point("Лестница", 200, 32, to_floor="attic").write(maps / "third.tmx"))
    expo = load_expo(maps, stands)
    [problem] = expo.errors()
    assert problem.obj == "point Лестница" and "'attic'" in problem.fault
    assert expo.floor("third").transfers == []


def test_to_point_missing_on_target_floor_lands_at_spawn_with_a_warning(expo_dirs):
    maps, stands = expo_dirs
    (FloorSketch("third", "Третий", 10, 10, order=3).alley(0, 0, 320, 64)
     .point("spawn", 10, 10).point("Лестница", 200, 32, to_floor="main", to_point="Чердак").write(maps / "third.tmx"))
    expo = load_expo(maps, stands)
    [problem] = [p for p in expo.warnings() if p.file.suffix == ".tmx"]
    assert problem.severity is Severity.WARNING and "'Чердак'" in problem.fault
    lift = expo.floor("third").point("Лестница")
    assert lift.to_floor == "main" and lift.to_point is None


def test_stand_objects_with_faults_are_skipped_with_messages(tmp_path):
    sketch = FloorSketch("x", "X", 10, 10).alley(0, 0, 320, 64).point("spawn", 10, 10)
    sketch.stand("", "alpha", 0, 64, 64, 64).stand("D-1", "", 64, 64, 64, 64)
    sketch.stand("D-2", "beta", 128, 64, 64, 64).stand("D-2", "gamma", 192, 64, 64, 64)
    floor, problems = load_floor(sketch.write(tmp_path / "x.tmx"))
    assert [s.number for s in floor.stands] == ["D-2"]
    faults = sorted(p.fault.split(";")[0] for p in problems)
    assert faults == ["has no name (the stand number printed on the floor)",
                      "missing property 'exhibitor' (the id of a stand package)",
                      "the stand number is used twice on this floor"]


def test_missing_file_and_not_a_map(tmp_path):
    with pytest.raises(ContentError, match="file not found"):
        load_floor(tmp_path / "nope.tmx")
    (tmp_path / "text.tmx").write_text("just some text", encoding="utf-8")
    with pytest.raises(ContentError, match="bad XML"):
        load_floor(tmp_path / "text.tmx")


def test_no_floors_at_all_is_one_clear_problem(tmp_path):
    (tmp_path / "maps").mkdir()
    (tmp_path / "stands").mkdir()
    expo = load_expo(tmp_path / "maps", tmp_path / "stands")
    assert expo.floors == [] and "no floors" in str(expo.errors()[0])
    expo = load_expo(tmp_path / "nowhere", tmp_path / "stands")
    assert "does not exist" in str(expo.errors()[0])


def test_every_problem_message_exists_in_both_languages():
    import json
    import re

    from expo_hall.i18n import TRANSLATIONS_DIR

    catalogues = {lang: json.loads((TRANSLATIONS_DIR / f"expo_hall.{lang}.json").read_text(encoding="utf-8"))[lang]
                  for lang in ("ru", "en")}
    for section in ("problem", "object"):
        assert set(catalogues["ru"][section]) == set(catalogues["en"][section])
        for k, en in catalogues["en"][section].items():
            ru = catalogues["ru"][section][k]
            assert set(re.findall(r"%\{(\w+)\}", ru)) == set(re.findall(r"%\{(\w+)\}", en)), k
    from expo_hall import PACKAGE_DIR

    sources = "".join(p.read_text(encoding="utf-8") for p in PACKAGE_DIR.rglob("*.py"))
    used = set(re.findall(r'(?:problem\([^,]+, |warn\([^,]+, )"(\w+)"', sources))
    assert used and used <= set(catalogues["en"]["problem"])
