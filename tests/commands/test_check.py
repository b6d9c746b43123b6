"""`expo-hall check`: findings printed (or as JSON) in the user's language, exit 1 when one is an error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.test_checks import hall, packages


def check(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "expo_hall", "check", *map(str, args)], capture_output=True,
                          text=True, timeout=120)


def test_json_lists_every_finding_and_an_error_exits_1(expo_dirs):
    maps, stands = expo_dirs  # stand A-9 stands in a corner no alley reaches
    done = check("--maps", maps, "--stands", stands, "--json", "--lang", "en")
    assert done.returncode == 1, done.stderr
    found = json.loads(done.stdout)
    assert all(set(f) == {"severity", "file", "object", "code", "message", "fix"} for f in found)
    assert {"severity": "error", "file": "maps/main.tmx", "object": "stand A-9", "code": "stand_no_alley",
            "message": "touches no alley: visitors cannot walk up to it",
            "fix": "Move the stand rectangle so one side lies along an alley, or draw an alley in front of it.",
            } in found
    assert [f["severity"] for f in found] == sorted((f["severity"] for f in found),
                                                    key=["error", "warning", "info"].index)
    assert "Traceback" not in done.stderr


def test_text_in_russian_with_the_fix(expo_dirs):
    maps, stands = expo_dirs
    done = check("--maps", maps, "--stands", stands, "--lang", "ru")
    assert done.returncode == 1
    assert "ОШИБКА [stand_no_alley] maps/main.tmx: стенд A-9: не касается ни одной аллеи" in done.stdout
    assert "    Как исправить: Сдвиньте прямоугольник стенда" in done.stdout
    assert "ошибок: 1," in done.stdout


def test_a_clean_expo_exits_0(tmp_path: Path):
    (tmp_path / "maps").mkdir()
    hall(tmp_path).write(tmp_path / "maps" / "hall.tmx")
    packages(tmp_path / "stands", "alpha", "beta")
    done = check("--maps", tmp_path / "maps", "--stands", tmp_path / "stands", "--json")
    assert (done.returncode, json.loads(done.stdout)) == (0, [])


def test_missing_folders_are_errors_and_bad_arguments_exit_2(tmp_path: Path):
    done = check("--maps", tmp_path / "nowhere", "--stands", tmp_path / "none", "--json", "--lang", "en")
    assert done.returncode == 1
    assert {f["code"] for f in json.loads(done.stdout)} == {"maps_dir_missing", "stands_dir_missing"}
    done = check("--lang", "fr")
    assert done.returncode == 2 and "invalid choice: 'fr'" in done.stderr and "Traceback" not in done.stderr


def test_the_demo_expo_exits_0():
    done = check("--json")
    assert done.returncode == 0, done.stdout
    assert not [f for f in json.loads(done.stdout) if f["severity"] == "error"]
