"""`expo-hall simulate`: visitors walk a layout made in the test; a stand at the end of a dead end is starved."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PIL import Image

from expo_hall.commands.simulate import CSV_COLUMNS
from expo_hall.commands.simulate import main as simulate_command
from expo_hall.expo import load_expo
from expo_hall.floors.tmx_writer import FloorSketch, write_package
from expo_hall.route.traffic import simulate


@pytest.fixture(scope="module")
def expo_dirs(tmp_path_factory) -> tuple[Path, Path]:
    """Ground floor: a boulevard (y 96..160) with ten stands above it and, at x 800..864, a dead end going south
    with stand Z-1 at its far end; stairs at the east end lead up to a floor of four stands, and back."""
    root = tmp_path_factory.mktemp("sim")
    maps, stands = root / "maps", root / "stands"
    maps.mkdir()
    ground = FloorSketch("ground", "Первый", 40, 20, title_en="Ground", order=1).alley(0, 96, 1280, 64)
    for i in range(10):
        ground.stand(f"A-{i + 1}", f"a{i}", 16 + i * 72, 32, 64, 64)
    ground.alley(800, 160, 64, 416).stand("Z-1", "zed", 736, 512, 64, 64)
    ground.point("spawn", 32, 128).point("Лестница вверх", 1248, 128, to_floor="upper", to_point="Лестница вниз")
    upper = FloorSketch("upper", "Второй", 20, 10, title_en="Upper", order=2).alley(0, 96, 640, 64)
    for i in range(4):
        upper.stand(f"B-{i + 1}", f"b{i}", 16 + i * 80, 32, 64, 64)
    upper.point("spawn", 600, 128).point("Лестница вниз", 600, 128, to_floor="ground", to_point="Лестница вверх")
    ground.write(maps / "ground.tmx")
    upper.write(maps / "upper.tmx")
    for ex in [f"a{i}" for i in range(10)] + ["zed"]:
        write_package(stands / ex, f"Школа {ex}", name_en=f"School {ex}", category="Школы", category_en="Schools")
    for ex in [f"b{i}" for i in range(4)]:
        write_package(stands / ex, f"Вуз {ex}", name_en=f"University {ex}", category="Вузы", category_en="Universities")
    return maps, stands


def test_the_same_seed_gives_the_same_visitors(expo_dirs):
    one, two, other = (simulate(load_expo(*expo_dirs), 40, seed) for seed in (7, 7, 8))
    assert one.heat == two.heat and one.heat != other.heat
    assert [(s.place.number, s.passers, s.visits) for s in one.stands] == \
           [(s.place.number, s.passers, s.visits) for s in two.stands]
    assert one.heat["upper"] and one.unreached == 0  # some walked upstairs
    assert one.heat["ground"][(1, 4)] == 40  # everyone leaves the spawn (32, 128) along the boulevard
    assert sum(s.visits for s in one.stands) >= 3 * 40


def test_the_dead_end_stand_ranks_last_in_the_csv_with_heat_maps(expo_dirs, tmp_path):
    maps, stands = expo_dirs
    out = tmp_path / "out"
    assert simulate_command(["--maps", str(maps), "--stands", str(stands), "--visitors", "60", "--out", str(out),
                             "--seed", "3", "--lang", "en"]) == 0
    with (out / "stands.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 15 and [r["rank"] for r in rows] == [str(n) for n in range(1, 16)]
    last = rows[-1]
    assert (last["stand"], last["exhibitor"], last["name"], last["floor"]) == ("Z-1", "zed", "School zed", "ground")
    assert int(last["passers_by"]) == int(last["visits"]) > 0  # only those who came to it saw it
    assert all(int(r["passers_by"]) > int(last["passers_by"]) for r in rows[:-1] if r["floor"] == "ground")
    assert sorted(int(r["visits_rank"]) for r in rows) == list(range(1, 16))
    for floor in ("ground", "upper"):
        with Image.open(out / f"{floor}.png") as picture:
            assert picture.width > 640 and picture.height > 320
