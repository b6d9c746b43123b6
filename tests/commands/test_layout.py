"""`expo-hall layout`: floors generated from a registration list pass `check`, every exhibitor placed and reachable;
a faulty list is named line by line and nothing is written."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from expo_hall.checks import check_expo
from expo_hall.commands.layout import main as layout
from expo_hall.floors.registrations import COLUMNS
from expo_hall.problems import Severity
from expo_hall.route.costs import reached

CATEGORIES = [("Дошкольное образование", "Preschool"), ("Школы", "Schools"), ("Вузы", "Universities"),
              ("EdTech", "EdTech"), ("Дополнительное образование", "Extra"), ("Регионы", "Regions")]


def write_list(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def registrations(counts: list[int]) -> list[dict[str, str]]:
    rows = []
    for (category, category_en), count in zip(CATEGORIES, counts, strict=False):
        for _ in range(count):
            n = len(rows)
            rows.append({"id": f"ex-{n:03d}", "name": f"Компания {n}", "name_en": f"Company {n}",
                         "category": category, "category_en": category_en,
                         "size": ("small", "medium", "large", "medium")[n % 4]})
    return rows


def test_300_exhibitors_in_6_categories_pass_check_all_placed_and_reachable(tmp_path):
    # The schools are too many for one floor of large stands: they are split over two floors
    rows = registrations([20, 245, 10, 10, 10, 5])
    for row in rows[20:265]:
        row["size"] = "large"
    assert layout([str(write_list(tmp_path / "list.csv", rows)), "--out", str(tmp_path / "expo"), "--lang", "en"]) == 0
    expo, found = check_expo(tmp_path / "expo" / "maps", tmp_path / "expo" / "stands")
    assert [str(p) for p in found if p.severity is not Severity.INFO] == []
    assert [f.floor_id for f in expo.floors] == ["preschool", "schools-1", "schools-2", "universities", "edtech",
                                                 "extra", "regions"]
    assert [f.title_en for f in expo.floors[1:3]] == ["Schools, part 1", "Schools, part 2"]
    assert expo.floors[2].title == "Школы, часть 2"
    reach = reached(expo, expo.floors[0].floor_id)
    for row in rows:
        place = expo.place_of(row["id"])
        assert place is not None, row["id"]
        nav = expo.nav(place.floor_id)
        front = nav.fronts[place.number]
        assert (place.floor_id, nav.group_at(front.x, front.y)) in reach
        ex = expo.exhibitors[row["id"]]
        assert (ex.name, ex.name_en, ex.category_en) == (row["name"], row["name_en"], row["category_en"])
    sizes = {r["id"]: r["size"] for r in rows}
    widths = {expo.place_of(i).rect.width for i, s in sizes.items() if s == "large"}  # type: ignore[union-attr]
    assert widths == {192}


def test_existing_packages_are_kept_and_a_rerun_replaces_its_maps(tmp_path):
    stands = tmp_path / "stands"
    (stands / "ex-000").mkdir(parents=True)
    (stands / "ex-000" / "stand.toml").write_text('name = "Своя"\n', encoding="utf-8")
    csv_file = write_list(tmp_path / "list.csv", registrations([2, 1]))
    assert layout([str(csv_file), "--out", str(tmp_path), "--stands", str(stands), "--lang", "en"]) == 0
    assert (stands / "ex-000" / "stand.toml").read_text(encoding="utf-8") == 'name = "Своя"\n'
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["preschool.tmx", "schools.tmx"]
    write_list(csv_file, registrations([3]))
    assert layout([str(csv_file), "--out", str(tmp_path), "--stands", str(stands), "--lang", "en"]) == 0
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["preschool.tmx"]


def test_a_faulty_list_names_line_and_column_and_writes_nothing(tmp_path, capsys):
    rows = [dict(r, floor="") for r in registrations([4])] + [dict(registrations([1])[0], id="x", floor="../up")]
    rows[0]["name"] = ""
    rows[1]["size"] = "huge"
    rows[2]["id"] = "../etc"
    rows[3]["id"] = rows[1]["id"]
    (tmp_path / "org").mkdir()
    csv_file = write_list(tmp_path / "org" / "list.csv", rows)
    done = subprocess.run([sys.executable, "-m", "expo_hall", "layout", str(csv_file), "--out", str(tmp_path / "o"),
                           "--lang", "en"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    out = done.stdout
    assert "ERROR [csv_empty] org/list.csv: line 2: the column 'name' is empty" in out
    assert "ERROR [csv_bad_size] org/list.csv: line 3: 'huge' in the column 'size' is not a stand size" in out
    assert "    Fix: Write one of: small, medium, large." in out
    assert "[csv_bad_id] org/list.csv: line 4: '../etc' in the column 'id'" in out
    assert "[csv_id_twice] org/list.csv: line 5: the id 'ex-001' (column 'id') is already on line 3" in out
    assert "[csv_bad_floor] org/list.csv: line 6: '../up' in the column 'floor' cannot be a floor id" in out
    assert not (tmp_path / "o").exists()
    (tmp_path / "bad.csv").write_text("id;name;size\n1;2;small\n", encoding="utf-8")  # a spreadsheet's semicolons
    assert layout([str(tmp_path / "bad.csv"), "--out", str(tmp_path / "o"), "--lang", "ru"]) == 1
    assert "в списке нет столбцов: name_en, category, category_en\n" in capsys.readouterr().out
    assert layout([str(tmp_path / "none.csv"), "--out", str(tmp_path / "o"), "--lang", "en"]) == 1
    assert not (tmp_path / "o").exists()
