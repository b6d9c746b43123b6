"""`expo-hall preview DIR`: the checks as JSON or a list with exit codes (run as a command), and the window
(driven through the real app loop): the stand as visitors see it, beside the checks panel naming a planted fault."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from expo_hall import DEMO_STANDS_DIR
from tests.driver import Driver, Started, shown_text
from tests.video.clips import run_until

DEMO = DEMO_STANDS_DIR / "neurotutor"  # the demo package with a video, two PDFs and a webinar


def preview(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "expo_hall", "preview", *map(str, args)], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    """A copy of a demo package with one planted fault: its phone number written the local way."""
    folder = shutil.copytree(DEMO, tmp_path / DEMO.name)
    toml = folder / "stand.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('phone = "+7 (495) 457-42-05"',
                                                             'phone = "8 (495) 457-42-05"'), encoding="utf-8")
    return folder


def test_check_json_lists_the_findings_and_exits_1_on_an_error(faulty):
    done = preview(faulty, "--check", "--json", "--lang", "en")
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    assert findings[0] == {
        "severity": "error", "field": "contacts.phone", "code": "contact_phone_local",
        "message": "'8 (495) 457-42-05' is not in international form: visitors from other countries cannot dial it",
        "fix": "Write it with + and the country code, such as +7 495 123-45-67 (not 8 495 …)."}
    assert all(set(f) == {"severity", "field", "code", "message", "fix"} for f in findings)
    assert [f["severity"] for f in findings[1:]] == ["info"]  # the demo's small video, noted


def test_check_exits_0_without_errors_and_speaks_russian():
    done = preview(DEMO, "--check", "--lang", "ru")
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert first.startswith("Стартап «Нейрорепетитор»") and "ошибок: 0" in first
    assert any("Заметка" in line and "video:" in line for line in rest)
    assert any("Что сделать:" in line for line in rest)


def test_json_alone_checks_and_bad_arguments_are_named(tmp_path):
    done = preview(DEMO, "--json", "--lang", "ru")
    assert done.returncode == 0 and json.loads(done.stdout)[0]["code"] == "video_small"
    done = preview(tmp_path / "nowhere", "--check")
    assert done.returncode == 2 and "is not a folder" in done.stderr and "Traceback" not in done.stderr
    done = preview(DEMO, "--check", "--fair", "2020-05-08..2020-04-26")
    assert done.returncode == 2 and "last day comes before its first" in done.stderr


def test_the_fair_dates_are_a_setting(tmp_path):
    done = preview(DEMO, "--check", "--json", "--fair", "2021-04-26..2021-05-08")
    assert done.returncode == 1
    assert [f["field"] for f in json.loads(done.stdout) if f["code"] == "webinar_outside_fair"] == ["webinars[1]"]


@pytest.fixture
def open_preview(tmp_path: Path):
    """open_preview(folder) -> Driver on the preview window, loaded."""
    from expo_hall.settings import Settings
    from expo_hall.stands.preview_window import PreviewApp
    from expo_hall.stands.validate import DEMO_FAIR

    started = Started()

    def build(folder: Path) -> Driver:
        settings = Settings(lang="ru", window=(1440, 900), data_dir=tmp_path / "data")
        return started.drive(PreviewApp(settings, folder, DEMO_FAIR))

    yield build
    started.close()


def test_the_window_shows_the_stand_beside_the_planted_fault(open_preview, faulty):
    from expo_hall.stands.preview_window import ChecksScreen
    from expo_hall.stands.stand_screen import StandScreen

    d = open_preview(faulty)
    stand = d.app.stack.top
    assert isinstance(stand, StandScreen) and stand.exhibitor.exhibitor_id == "neurotutor"
    checks = d.app.stack.find(ChecksScreen)
    assert not stand.window.rect.colliderect(checks.panel.rect)  # side by side, nothing hidden
    text = shown_text(checks.findings_box)
    assert "8 (495) 457-42-05" in text and "международном" in text and "Что сделать" in text
    assert "Ошибок: 1" in checks.summary.text
    assert len(checks.floor_images) == 3  # the stand at two zooms, and the hover card
    assert set(stand.tab_buttons) == {"about", "video", "materials", "contacts", "webinars", "chat"}

    d.click(stand.tab_buttons["video"].rect.center)  # the video plays, as in the hall
    player = stand.panel.player
    run_until(d, lambda: player.playing and player.position > 0.3, 20)

    d.press(pygame.K_ESCAPE)  # the stand window closes; the checks stay; "Open the stand" opens it again
    assert d.app.stack.top is checks
    d.click(checks.open_button.rect.center)
    assert isinstance(d.app.stack.top, StandScreen)


def test_check_again_reads_the_fixed_package(open_preview, faulty):
    from expo_hall.stands.preview_window import ChecksScreen

    d = open_preview(faulty)
    checks = d.app.stack.find(ChecksScreen)
    toml = faulty / "stand.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('phone = "8 (495)', 'phone = "+7 (495)'),
                    encoding="utf-8")
    d.click(checks.check_button.rect.center)
    d.until(lambda: d.app.stack.find(ChecksScreen).panel is not None and "Ошибок: 0" in checks.summary.text)
    assert "8 (495)" not in shown_text(checks.findings_box)
    assert d.app.stack.top is checks.stand  # the stand window came back, on the package as it is now


def test_a_package_that_cannot_open_says_why(open_preview, tmp_path):
    from expo_hall.stands.preview_window import ChecksScreen

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "stand.toml").write_text('name = "Без кавычки\n', encoding="utf-8")
    d = open_preview(folder)
    checks = d.app.stack.top
    assert isinstance(checks, ChecksScreen) and checks.stand is None
    assert "Стенд не открывается" in shown_text(checks.findings_box) and not checks.open_button.is_enabled
