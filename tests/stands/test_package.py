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


@pytest.mark.parametrize("logo_line, content, fault, severity", [
    ('logo = "missing.png"', None, "not found", Severity.WARNING),
    ('logo = "logo.png"', b"not an image at all", "not a readable image", Severity.WARNING),
    ("", None, "no logo given", Severity.INFO),  # the author's choice: noted, not shown as a fault
])
def test_a_bad_logo_is_a_warning_and_a_placeholder(tmp_path, logo_line, content, fault, severity):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "stand.toml").write_text(f'name = "Икс"\n{logo_line}\n', encoding="utf-8")
    if content is not None:
        (folder / "logo.png").write_bytes(content)
    ex, problems = load_package(folder)
    assert ex.logo is None
    [problem] = problems
    assert problem.severity is severity and problem.obj == "logo" and fault in problem.fault


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
    assert all(p.severity is Severity.WARNING for p in problems if p.key != "no_logo")


def test_files_outside_the_folder_are_named_and_not_used(tmp_path):
    from PIL import Image

    folder = tmp_path / "stands" / "x"
    folder.mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(tmp_path / "outside.png")
    (folder / "linked.png").symlink_to(tmp_path / "outside.png")
    (folder / "stand.toml").write_text(
        f'name = "Икс"\nlogo = "linked.png"\nvideo = "/etc/hostname"\n'
        f'[[materials]]\ntitle = "Пароли"\nfile = "{"../" * 40}etc/passwd"\n'
        '[[materials]]\ntitle = "Окна"\nfile = "C:\\\\Windows\\\\win.ini"\n', encoding="utf-8")
    ex, problems = load_package(folder)
    assert ex.logo is None and ex.video is None and ex.materials == ()
    assert [(p.obj, p.key) for p in problems] == [
        ("logo", "path_link_outside"), ("video", "path_absolute"), ("materials #1", "path_outside"),
        ("materials #2", "path_not_plain")]
    assert all(p.severity is Severity.WARNING for p in problems)
    assert str(problems[0]) == ("x/stand.toml: logo: 'linked.png' is a link to a file outside the package folder; "
                                "copy the file itself into the folder; not used")


def test_a_stand_toml_that_is_a_pipe_a_folder_or_a_link_out_is_named_and_nothing_waits(tmp_path):
    import os

    (tmp_path / "secret.toml").write_text('name = "чужое"\n', encoding="utf-8")
    for name, make, key in (("pipe", os.mkfifo, "path_not_file"), ("folder", os.mkdir, "path_not_file"),
                            ("link", lambda p: p.symlink_to(tmp_path / "secret.toml"), "path_link_outside")):
        folder = tmp_path / name
        folder.mkdir()
        make(folder / "stand.toml")
        with pytest.raises(ContentError) as info:
            load_package(folder)
        assert info.value.problem.key == key and info.value.problem.values[0] == ("name", "stand.toml")


def test_a_non_text_value_names_its_key_in_the_message(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "stand.toml").write_text('name = "Икс"\nname_en = 5\n', encoding="utf-8")
    _, problems = load_package(folder)
    assert "name_en: 'name_en' must be text, not int" in [str(p).split(": ", 1)[1] for p in problems]


def test_names_and_texts_lose_bidi_and_control_characters_but_keep_emoji(tmp_path):
    """A package's texts are shown as they read: "\u202eevil\u202c gpj.exe" must not show as "exe.jpg live"."""
    folder = tmp_path / "trick"
    folder.mkdir()
    (folder / "stand.toml").write_text(
        'name = "\\u202eevil\\u202c gpj.exe 👩\\u200d💻"\n'
        'description = "Первая строка\\u0007\\nвторая \\u2066строка\\u2069"\n'
        'away_message = "Скоро\\u0000 вернёмся"\n'
        '[contacts.messengers]\ntelegram = "@tr\\u202eick"\n', encoding="utf-8")
    exhibitor, _ = load_package(folder)
    assert exhibitor.name == "evil gpj.exe 👩\u200d💻"  # the ZWJ sequence stays one emoji
    assert exhibitor.description == "Первая строка\nвторая строка"
    assert exhibitor.away_message == "Скоро вернёмся"
    assert exhibitor.contacts.messengers == {"telegram": "@trick"}


def test_clusters_name_the_programmes_clusters_and_faulty_ones_are_left_out(tmp_path):
    folder = tmp_path / "alpha"
    folder.mkdir()
    (folder / "stand.toml").write_text('name = "Альфа"\nclusters = ["digital", "no spaces allowed", 7, "digital", '
                                       '"edtech"]\n', encoding="utf-8")
    ex, problems = load_package(folder)
    assert ex.clusters == ("digital", "edtech")
    assert sorted(p.key for p in problems if p.key.startswith("stand_")) == ["stand_bad_cluster"] * 2
    (folder / "stand.toml").write_text('name = "Альфа"\nclusters = "digital"\n', encoding="utf-8")
    ex, problems = load_package(folder)
    assert ex.clusters == () and "stand_clusters_not_list" in [p.key for p in problems]
