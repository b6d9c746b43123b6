"""Stand packages: stand.toml read into plain data; faults named, placeholders for logos."""

from __future__ import annotations

import datetime as dt

import pytest

from expo_hall.problems import ContentError, Severity
from expo_hall.stands.package import load_package

FULL = """
name = "ООО «Знание» 📚"
name_en = "Znanie LLC"
category = "EdTech"
description = "Текст с <b>тегом</b> и переводом строки.\\nВторая строка."
logo = "logo.png"
video = "https://video.example.org/znanie.mp4"
away_message = "Мы ответим завтра"
[contacts]
email = "info@znanie.example"
phone = "+7 495 000-00-00"
website = "https://znanie.example"
address = "Москва, ул. Примерная, 1"
[contacts.messengers]
telegram = "@znanie"
[[materials]]
title = "Буклет"
title_en = "Booklet"
file = "booklet.pdf"
[[materials]]
title = "Сайт"
url = "https://znanie.example/about"
[[webinars]]
title = "Второй"
starts = 2020-04-28T15:00:00+03:00
duration_minutes = 45
url = "https://webinar.example/2"
[[webinars]]
title = "Первый"
starts = 2020-04-27T11:00:00+03:00
url = "https://webinar.example/1"
"""


def test_a_full_package_reads_every_field(tmp_path):
    from tests.conftest import logo

    folder = tmp_path / "znanie"
    folder.mkdir()
    (folder / "stand.toml").write_text(FULL, encoding="utf-8")
    logo("RGB", (1, 2, 3)).save(folder / "logo.png")
    (folder / "booklet.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    ex, problems = load_package(folder)
    assert problems == []
    assert ex.exhibitor_id == "znanie" and ex.name == "ООО «Знание» 📚" and ex.name_for("en") == "Znanie LLC"
    assert ex.description.endswith("Вторая строка.") and "<b>" in ex.description
    assert ex.logo == folder / "logo.png" and ex.video.startswith("https://")
    assert ex.contacts.messengers == {"telegram": "@znanie"} and ex.contacts.email == "info@znanie.example"
    assert [m.title for m in ex.materials] == ["Буклет", "Сайт"] and ex.materials[0].file == folder / "booklet.pdf"
    assert [w.title for w in ex.webinars] == ["Первый", "Второй"]  # sorted by time
    assert ex.webinars[0].duration_minutes == 60 and ex.webinars[0].starts.utcoffset() == dt.timedelta(hours=3)
    assert ex.away_message == "Мы ответим завтра"


@pytest.mark.parametrize("logo_line, content, fault", [
    ('logo = "missing.png"', None, "not found"),
    ('logo = "logo.png"', b"not an image at all", "not a readable image"),
    ("", None, "no logo given"),
])
def test_a_bad_logo_is_a_warning_and_a_placeholder(tmp_path, logo_line, content, fault):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "stand.toml").write_text(f'name = "Икс"\n{logo_line}\n', encoding="utf-8")
    if content is not None:
        (folder / "logo.png").write_bytes(content)
    ex, problems = load_package(folder)
    assert ex.logo is None
    [problem] = problems
    assert problem.severity is Severity.WARNING and problem.obj == "logo" and fault in problem.fault


def test_cmyk_jpeg_and_webp_logos_are_accepted(expo_dirs):
    _, stands = expo_dirs
    for name in ("gamma", "epsilon"):
        ex, problems = load_package(stands / name)
        assert problems == [] and ex.logo is not None


@pytest.mark.parametrize("text, fault", [
    ("name = ", "not valid TOML"),
    ('category = "x"', "missing 'name'"),
])
def test_a_broken_stand_toml_names_the_fault(tmp_path, text, fault):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "stand.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=fault) as info:
        load_package(folder)
    assert "broken/stand.toml" in str(info.value.problem)


def test_faulty_entries_are_skipped_with_warnings(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "stand.toml").write_text("""
name = "Икс"
logo = 5
colour = "red"
[[materials]]
title = "Нет файла"
file = "nope.pdf"
[[webinars]]
title = "Без пояса"
starts = 2020-04-27T11:00:00
[[webinars]]
title = "Отрицательный"
starts = 2020-04-27T11:00:00+03:00
duration_minutes = -5
""", encoding="utf-8")
    ex, problems = load_package(folder)
    assert ex.materials == () and ex.webinars == ()
    assert {p.obj for p in problems} == {"logo", "colour", "materials #1", "webinars #1", "webinars #2"}
    assert all(p.severity is Severity.WARNING for p in problems)
