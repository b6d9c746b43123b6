"""The expo's layout checks (expo_hall/checks.py) on floors and packages written in the tests."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from expo_hall import DEMO_MAPS_DIR, DEMO_STANDS_DIR
from expo_hall.checks import check_expo
from expo_hall.floors.tmx_writer import FloorSketch, write_package
from expo_hall.problems import Problem, Severity, translator


def hall(root: Path) -> FloorSketch:
    """A clean floor: a boulevard (y 96..160) with two stands above it, spawn at its west end."""
    return (FloorSketch("hall", "Зал", 20, 12, title_en="Hall", order=1)
            .alley(0, 96, 640, 64)
            .stand("A-1", "alpha", 64, 32, 96, 64)
            .stand("A-2", "beta", 256, 32, 96, 64)
            .point("spawn", 32, 128))


def packages(stands: Path, *ids: str) -> None:
    for ex in ids:
        write_package(stands / ex, f"Компания {ex}", name_en=f"Company {ex}", logo="logo.png")
        Image.new("RGB", (32, 32), (200, 40, 40)).save(stands / ex / "logo.png")


def run(root: Path, *sketches: FloorSketch, ids: tuple[str, ...] = ("alpha", "beta")) -> list[Problem]:
    maps, stands = root / "maps", root / "stands"
    maps.mkdir(exist_ok=True)
    packages(stands, *ids)
    for sketch in sketches:
        sketch.write(maps / f"{sketch.floor_id}.tmx")
    return check_expo(maps, stands)[1]


def codes(found: list[Problem]) -> set[tuple[str, str, str]]:
    return {(p.code, p.severity.value, p.obj_name) for p in found}


def test_a_clean_floor_has_no_findings(tmp_path):
    assert run(tmp_path, hall(tmp_path)) == []


def test_an_island_of_alleys_and_its_stand_are_unreachable(tmp_path):
    sketch = hall(tmp_path).alley(0, 288, 640, 64).stand("C-1", "gamma", 64, 224, 96, 64)  # below, cut off
    found = run(tmp_path, sketch, ids=("alpha", "beta", "gamma"))
    assert codes(found) == {("stand_unreachable", "error", "C-1"), ("alley_island", "warning", "x 0–640, y 288–352")}
    island = next(p for p in found if p.code == "alley_island")
    assert island.text() == "maps/hall.tmx: alleys at x 0–640, y 288–352 px: no way leads here from the spawn of " \
                            "the first floor (hall): an island of alleys"
    assert "alley" in island.fix(translator("en")) and "аллеи" in island.fix(translator("ru"))


def test_stairs_that_lead_one_way(tmp_path):
    down = hall(tmp_path).point("Лестница", 600, 128, to_floor="upper")
    upper = (FloorSketch("upper", "Верх", 20, 12, title_en="Upper", order=2).alley(0, 96, 640, 64)
             .point("spawn", 32, 128))
    found = run(tmp_path, down, upper)
    assert codes(found) == {("no_way_back", "warning", "Лестница")}
    assert found[0].message() == "leads to floor 'upper', from where no way leads back here"
    upper.point("Лестница", 600, 128, to_floor="hall", to_point="Лестница")
    assert run(tmp_path, down, upper) == []  # with stairs back, nothing to say


def test_a_floor_no_stairs_lead_to(tmp_path):
    upper = (FloorSketch("upper", "Верх", 20, 12, title_en="Upper", order=2).alley(0, 96, 640, 64)
             .stand("B-1", "beta", 64, 32, 96, 64).point("spawn", 32, 128))
    found = run(tmp_path, hall(tmp_path).stand("A-2", "alpha", 256, 32, 96, 64), upper)
    assert ("floor_unreachable", "warning", "") in codes(found)
    assert ("stand_unreachable", "error", "B-1") in codes(found)


def test_overlapping_stands_and_a_stand_touching_no_alley(tmp_path):
    sketch = hall(tmp_path).stand("A-3", "gamma", 300, 40, 96, 64).stand("Z-1", "delta", 500, 320, 64, 32)
    found = run(tmp_path, sketch, ids=("alpha", "beta", "gamma", "delta"))
    assert codes(found) == {("stands_overlap", "error", "A-3"), ("stand_no_alley", "error", "Z-1")}
    overlap = next(p for p in found if p.code == "stands_overlap")
    assert overlap.message() == "overlaps stand A-2"


def test_a_spawn_outside_the_alleys(tmp_path):
    sketch = hall(tmp_path)
    sketch.points.clear()
    sketch.point("spawn", 32, 200)
    assert ("point_off_alleys", "error", "spawn") in codes(run(tmp_path, sketch))


def test_an_exhibitor_placed_twice_and_a_package_on_no_floor(tmp_path):
    sketch = hall(tmp_path).stand("A-3", "alpha", 448, 32, 96, 64)
    found = run(tmp_path, sketch, ids=("alpha", "beta", "lonely"))
    assert codes(found) == {("exhibitor_twice", "warning", "A-3"), ("package_unplaced", "warning", "")}
    unplaced = next(p for p in found if p.code == "package_unplaced")
    assert unplaced.file == tmp_path / "stands" / "lonely" / "stand.toml"


def test_titles_missing_in_english(tmp_path):
    sketch = hall(tmp_path)
    sketch.title_en = None
    run(tmp_path, sketch)
    write_package(tmp_path / "stands" / "beta", "Бета", category="Школы", category_en="Schools", logo="logo.png")
    found = check_expo(tmp_path / "maps", tmp_path / "stands")[1]
    assert codes(found) == {("no_translation", "info", "title_en"), ("no_translation", "info", "name_en")}
    assert {p.file.name for p in found} == {"hall.tmx", "stand.toml"}


def test_one_exhibitors_webinars_overlapping(tmp_path):
    run(tmp_path, hall(tmp_path))
    (tmp_path / "stands" / "alpha" / "stand.toml").write_text(
        'name = "Альфа"\nname_en = "Alpha"\nlogo = "logo.png"\n'
        + "".join(f'[[webinars]]\ntitle = "В{n}"\ntitle_en = "W{n}"\nstarts = {start}\nduration_minutes = 60\n'
                  for n, start in enumerate(("2020-04-27T10:00:00+03:00", "2020-04-27T11:00:00+03:00",
                                             "2020-04-27T11:30:00+03:00"), 1)), encoding="utf-8")
    found = check_expo(tmp_path / "maps", tmp_path / "stands")[1]
    assert codes(found) == {("webinars_overlap", "warning", "3")}  # 1 ends as 2 starts: fine; 3 starts during 2
    assert found[0].text() == "alpha/stand.toml: webinars #3: runs at the same time as webinar #2 of the same exhibitor"


def test_the_demo_expo_has_no_error():
    found = check_expo(DEMO_MAPS_DIR, DEMO_STANDS_DIR)[1]
    assert [str(p) for p in found if p.severity is Severity.ERROR] == []


def test_every_code_has_a_fix_in_both_languages_and_a_paragraph_in_the_docs():
    import json
    import re

    from expo_hall import ASSETS_DIR

    docs = (Path(__file__).parent.parent / "docs" / "checks.md").read_text(encoding="utf-8")
    explained = {code for heading in re.findall(r"^### (.+)$", docs, re.M) for code in re.findall(r"`(\w+)`", heading)}
    for lang, marker in (("en", "Fix:"), ("ru", "Исправить:")):
        catalogue = json.loads((ASSETS_DIR / "i18n" / f"expo_hall.{lang}.json").read_text(encoding="utf-8"))[lang]
        codes = set(catalogue["problem"])
        assert codes - explained == set()
        assert {c for c in codes if c not in catalogue["fix"] and marker not in catalogue["problem"][c]} == set()
        assert set(catalogue["fix"]) <= codes
        assert {c for c in catalogue["fix"] if marker in catalogue["problem"][c]} == set()  # said once, not twice


def test_the_checks_load_no_pygame():
    import subprocess
    import sys

    code = "import sys, expo_hall.checks, expo_hall.commands.check; print('pygame' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
