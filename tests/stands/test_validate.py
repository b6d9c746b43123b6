"""Checking a stand package (expo_hall/stands/validate.py): each fault found on a package made to have it, with
real files (a PDF, a DOCX, an H.264/AAC clip made with PyAV, pictures made with Pillow), and nothing found on a
package without faults."""

from __future__ import annotations

import os
import random
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from expo_hall.problems import Problem, Severity, translator
from expo_hall.stands.validate import DEMO_FAIR, validate
from tests.video.clips import make_clip

GOOD = """
name = "ООО «Знание»"
name_en = "Znanie LLC"
category = "EdTech"
category_en = "EdTech"
description = "Курсы для учителей."
description_en = "Courses for teachers."
logo = "logo.png"
video = "video.mp4"

[contacts]
email = "info@znanie.example.ru"
phone = "+7 (495) 123-45-67"
website = "https://znanie.example.ru"

[contacts.messengers]
telegram = "@znanie_edu"
whatsapp = "+79001234567"
vk = "https://vk.com/znanie"

[[materials]]
title = "Буклет"
title_en = "Booklet"
file = "files/booklet.pdf"

[[materials]]
title = "Программа"
title_en = "Programme"
file = "files/programme.docx"

[[webinars]]
title = "Первый"
title_en = "First"
starts = 2020-04-27T11:00:00+03:00
duration_minutes = 60
url = "https://webinar.example.ru/1"

[[webinars]]
title = "Второй"
title_en = "Second"
starts = 2020-04-27T12:00:00+03:00
duration_minutes = 45
url = "https://webinar.example.ru/2"
"""


def picture(path: Path, size: tuple[int, int], fmt: str = "PNG") -> Path:
    image = Image.new("RGB", size, (30, 90, 160))
    image.paste((250, 250, 250), (size[0] // 8, size[1] // 3, size[0] * 7 // 8, size[1] * 2 // 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt)
    return path


def pdf(path: Path) -> Path:
    """A real one-page PDF (Pillow writes it; pypdfium2 renders it)."""
    return picture(path, (210, 297), "PDF")


def docx(path: Path, text: str = "Программа курса") -> Path:
    """A minimal real Word document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
                   f'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>'
                   f'</w:document>')
    return path


def zip_bomb(path: Path) -> Path:
    """A .docx whose directory declares 4 GB inside (its local and central headers patched): what a zip bomb
    shows before anything is unpacked."""
    docx(path)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            data[at + offset:at + offset + 4] = struct.pack("<I", 0xFFFF_FF00)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 2 s 640x360 H.264/AAC MP4, made once."""
    return make_clip(tmp_path_factory.mktemp("clip") / "video.mp4", seconds=2.0, size=(640, 360))


@pytest.fixture
def package(tmp_path: Path, clip: Path):
    """package(toml=GOOD) -> folder: a package with no fault (logo, video, a PDF, a DOCX); the test then plants one."""

    def make(toml: str = GOOD) -> Path:
        folder = tmp_path / "znanie"
        folder.mkdir()
        (folder / "stand.toml").write_text(toml, encoding="utf-8")
        picture(folder / "logo.png", (256, 256))
        (folder / "video.mp4").write_bytes(clip.read_bytes())
        pdf(folder / "files" / "booklet.pdf")
        docx(folder / "files" / "programme.docx")
        return folder

    return make


def found(folder: Path) -> list[tuple[str, str, str]]:
    """(severity, field, code) of every finding, each one also formatted in both languages with its fix."""
    _, findings = validate(folder)
    for p in findings:
        for lang in ("en", "ru"):
            record = p.record(translator(lang))
            assert record["message"] and record["fix"], (p.key, lang)
            assert "%{" not in record["message"] + record["fix"], record
    return [(p.severity.value, p.field, p.key) for p in findings]


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_a_package_without_faults_has_no_findings(package):
    assert found(package()) == []


def test_the_findings_come_errors_first_and_speak_both_languages(package):
    folder = package(replace(GOOD, 'phone = "+7 (495) 123-45-67"', 'phone = "8 (495) 123-45-67"')
                     .replace('name_en = "Znanie LLC"\n', ""))
    (folder / "notes.txt").write_text("черновик", encoding="utf-8")
    _, findings = validate(folder)
    assert [p.severity for p in findings] == [Severity.ERROR, Severity.WARNING, Severity.INFO]
    ru, en = findings[0].record(translator("ru")), findings[0].record(translator("en"))
    assert ru["code"] == en["code"] == "contact_phone_local" and ru["field"] == "contacts.phone"
    assert "международном" in ru["message"] and "international" in en["message"]
    assert "+7 495 123-45-67" in ru["fix"] and "+7 495 123-45-67" in en["fix"]


# -- logo ---------------------------------------------------------------------------------------------------------

def test_an_html_page_named_logo_png_is_named_for_what_it_is(package):
    folder = package()
    (folder / "logo.png").write_text("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    assert found(folder) == [("error", "logo", "logo_not_picture")]
    _, [finding] = validate(folder)
    assert "HTML" in finding.message() and "placeholder" in finding.message()


def test_a_tiny_two_to_one_logo_is_too_small_for_the_stand_window(package):
    folder = package()
    picture(folder / "logo.png", (40, 20))
    assert found(folder) == [("warning", "logo", "logo_small")]
    _, [finding] = validate(folder)
    assert "40×20" in finding.message() and "112" in finding.message()


def test_a_very_wide_logo_says_how_it_is_drawn_on_the_floor(package):
    folder = package()
    picture(folder / "logo.png", (900, 150))
    assert found(folder) == [("warning", "logo", "logo_too_wide")]
    _, [finding] = validate(folder)
    assert "62×10" in finding.message() and "128×96" in finding.message()


def test_a_huge_logo_is_a_heavy_file_for_nothing(package):
    folder = package()
    picture(folder / "logo.png", (5000, 2500))
    assert found(folder) == [("warning", "logo", "logo_large")]


def test_a_gif_logo_is_an_error_here_though_the_hall_shows_a_placeholder(package):
    folder = package(replace(GOOD, 'logo = "logo.png"', 'logo = "logo.gif"'))
    os.rename(folder / "logo.png", folder / "logo.gif")
    picture(folder / "logo.gif", (256, 256), "GIF")
    assert found(folder) == [("error", "logo", "logo_format")]


def test_a_logo_outside_the_folder_is_refused_as_the_server_refuses_it(package, tmp_path):
    picture(tmp_path / "elsewhere.png", (256, 256))
    folder = package(replace(GOOD, 'logo = "logo.png"', 'logo = "../elsewhere.png"'))
    os.remove(folder / "logo.png")
    assert found(folder) == [("error", "logo", "path_outside")]
    os.symlink(tmp_path / "elsewhere.png", folder / "logo.png")
    (folder / "stand.toml").write_text(GOOD, encoding="utf-8")
    assert ("error", "logo", "path_link_outside") in found(folder)


# -- video --------------------------------------------------------------------------------------------------------

def test_a_video_cut_short_is_found_at_its_end(package, tmp_path):
    longer = make_clip(tmp_path / "long.mp4", seconds=6.0, size=(640, 360))
    folder = package()
    data = longer.read_bytes()
    (folder / "video.mp4").write_bytes(data[: len(data) // 2])  # the index (first) says 6 s, half the data is there
    assert found(folder) == [("error", "video", "video_truncated")]


def test_a_damaged_video_stops_the_player_and_says_why(package, tmp_path):
    longer = make_clip(tmp_path / "long.mp4", seconds=4.0, size=(640, 360), noise=True)
    folder = package()
    data = bytearray(longer.read_bytes())
    middle = len(data) // 5
    data[middle:] = random.Random(5).randbytes(len(data) - middle)  # everything after the start is noise
    (folder / "video.mp4").write_bytes(bytes(data))
    assert found(folder) == [("error", "video", "video_broken")]
    _, [finding] = validate(folder)
    assert "damaged packets" in finding.message()


def test_a_text_file_named_video_mp4_is_not_a_video(package):
    folder = package()
    (folder / "video.mp4").write_text("not a video at all")
    assert found(folder) == [("error", "video", "video_not_video")]


def test_an_avi_video_and_an_mpeg4_codec_are_named(package, tmp_path):
    folder = package(replace(GOOD, 'video = "video.mp4"', 'video = "video.avi"'))
    os.remove(folder / "video.mp4")
    make_clip(folder / "video.avi", seconds=1.0, codec="mpeg4")
    assert found(folder) == [("error", "video", "video_container")]
    os.remove(folder / "video.avi")
    (folder / "stand.toml").write_text(GOOD, encoding="utf-8")
    make_clip(folder / "video.mp4", seconds=1.0, size=(640, 360), codec="mpeg4")
    assert found(folder) == [("error", "video", "video_codec")]
    _, [finding] = validate(folder)
    assert "mpeg4" in finding.message() and "H.264" in finding.message()


def test_a_silent_small_video_is_noted(package):
    folder = package()
    make_clip(folder / "video.mp4", seconds=1.0, size=(320, 180), audio=False)
    assert found(folder) == [("info", "video", "video_no_sound"), ("info", "video", "video_small")]


# -- materials ----------------------------------------------------------------------------------------------------

def test_a_program_renamed_pdf_is_refused(package):
    folder = package()
    (folder / "files" / "booklet.pdf").write_bytes(b"MZ\x90\x00\x03" + bytes(200) + b"This program cannot be run")
    assert found(folder) == [("error", "materials[1].file", "file_program")]
    _, [finding] = validate(folder)
    assert "EXE" in finding.message()


def test_a_zip_bomb_named_docx_is_refused_from_its_directory(package):
    folder = package()
    zip_bomb(folder / "files" / "programme.docx")
    assert found(folder) == [("error", "materials[2].file", "material_zip_bomb")]


def test_a_pdf_that_does_not_open_and_a_document_with_the_wrong_name(package):
    folder = package()
    (folder / "files" / "booklet.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n")
    pdf(folder / "files" / "programme.docx")  # a PDF under a Word name
    assert found(folder) == [("error", "materials[1].file", "material_broken"),
                             ("warning", "materials[2].file", "file_misnamed")]
    _, findings = validate(folder)
    assert "programme.pdf" in findings[1].fix()


def test_a_web_page_and_an_empty_file_are_not_materials(package):
    folder = package()
    (folder / "files" / "booklet.pdf").write_text("<html><body>Буклет</body></html>", encoding="utf-8")
    (folder / "files" / "programme.docx").write_bytes(b"")
    assert found(folder) == [("error", "materials[1].file", "material_type"),
                             ("error", "materials[2].file", "file_empty")]


def test_a_material_over_the_size_limit(package):
    from expo_hall.content.limits import MATERIAL_MAX_BYTES

    folder = package()
    with open(folder / "files" / "booklet.pdf", "r+b") as fh:
        fh.truncate(MATERIAL_MAX_BYTES + 1)  # sparse: no disk is written
    assert found(folder) == [("error", "materials[1].file", "file_too_big")]


# -- contacts -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, expected", [
    ('email = "info@znanie.example.ru"', 'email = "info@@znanie"', ("error", "contacts.email", "contact_email")),
    ('email = "info@znanie.example.ru"', 'email = "info@localhost"', ("error", "contacts.email", "contact_email")),
    ('phone = "+7 (495) 123-45-67"', 'phone = "8 (495) 123-45-67"',
     ("error", "contacts.phone", "contact_phone_local")),
    ('phone = "+7 (495) 123-45-67"', 'phone = "+7 12"', ("error", "contacts.phone", "contact_phone_digits")),
    ('phone = "+7 (495) 123-45-67"', 'phone = "+7 495 CALL-NOW"', ("error", "contacts.phone", "contact_phone")),
    ('website = "https://znanie.example.ru"', 'website = "http://znanie.example.ru"',
     ("warning", "contacts.website", "link_not_https")),
    ('website = "https://znanie.example.ru"', 'website = "znanie"', ("error", "contacts.website", "contact_website")),
    ('telegram = "@znanie_edu"', 'telegram = "znanie edu"',
     ("error", "contacts.messengers.telegram", "contact_messenger")),
    ('whatsapp = "+79001234567"', 'whatsapp = "89001234567"',
     ("error", "contacts.messengers.whatsapp", "contact_phone_local")),
    ('vk = "https://vk.com/znanie"', 'vk = "https://evil.example.ru/znanie"',
     ("error", "contacts.messengers.vk", "contact_messenger")),
])
def test_contacts_must_be_well_formed(package, old, new, expected):
    assert found(package(replace(GOOD, old, new))) == [expected]


def test_no_contacts_at_all(package):
    toml = GOOD[:GOOD.index("[contacts]")] + GOOD[GOOD.index("[[materials]]"):]
    assert found(package(toml)) == [("warning", "contacts", "contacts_none")]


# -- webinars -----------------------------------------------------------------------------------------------------

def test_overlapping_webinars_name_each_other(package):
    folder = package(replace(GOOD, "starts = 2020-04-27T12:00:00+03:00", "starts = 2020-04-27T11:30:00+03:00"))
    assert found(folder) == [("error", "webinars[2]", "webinar_overlap")]
    _, [finding] = validate(folder)
    assert "#1" in finding.message() and "“Первый”" in finding.message() and "11:00–12:00" in finding.message()


def test_a_webinar_outside_the_fair(package):
    folder = package(replace(GOOD, "starts = 2020-04-27T11:00:00+03:00", "starts = 2020-05-08T23:30:00+03:00"))
    assert found(folder) == [("error", "webinars[1]", "webinar_outside_fair")]
    _, [finding] = validate(folder)
    assert "2020-04-26" in finding.message() and "2020-05-08" in finding.message()
    assert DEMO_FAIR.closes.isoformat() == "2020-05-09T00:00:00+03:00"


def test_webinar_links_must_be_https(package):
    toml = replace(GOOD, 'url = "https://webinar.example.ru/1"', 'url = "http://webinar.example.ru/1"')
    toml = replace(toml, 'url = "https://webinar.example.ru/2"\n', "")
    assert found(package(toml)) == [("warning", "webinars[1].url", "link_not_https"),
                                    ("warning", "webinars[2].url", "webinar_no_link")]


# -- texts and files ----------------------------------------------------------------------------------------------

def test_a_missing_english_text_and_a_text_too_long(package):
    toml = replace(GOOD, 'description_en = "Courses for teachers."\n', "")
    toml = replace(toml, 'title_en = "Booklet"\n', "")
    toml = replace(toml, 'category = "EdTech"', 'category = "' + "Очень длинная категория " * 5 + '"')
    assert found(package(toml)) == [("error", "category", "text_too_long"),
                                    ("warning", "description_en", "text_no_english"),
                                    ("warning", "materials[1].title_en", "text_no_english")]


def test_a_file_the_package_does_not_use_is_noted(package):
    folder = package()
    pdf(folder / "files" / "old-booklet.pdf")
    assert found(folder) == [("info", "", "file_unused")]


def test_a_package_that_cannot_be_read_is_one_error(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert found(folder) == [("error", "", "toml_missing")]


def test_the_demo_packages_have_no_errors():
    from expo_hall import DEMO_STANDS_DIR

    for folder in sorted(DEMO_STANDS_DIR.iterdir()):
        _, findings = validate(folder)
        assert [p for p in findings if p.severity is not Severity.INFO] == [], folder.name


def test_the_checks_import_no_pygame():
    code = ("import sys; import expo_hall.stands.validate, expo_hall.video.probe, expo_hall.commands.preview; "
            "print('pygame' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_every_problem_has_a_fix_in_both_languages_with_the_same_values():
    import json
    import re

    from expo_hall import ASSETS_DIR

    books = {lang: json.loads((ASSETS_DIR / "i18n" / f"expo_hall.{lang}.json").read_text(encoding="utf-8"))[lang]
             for lang in ("en", "ru")}
    names = {lang: {section: set(book[section]) for section in ("problem", "fix")} for lang, book in books.items()}
    assert names["en"] == names["ru"] and names["en"]["problem"] == names["en"]["fix"]
    values = re.compile(r"%\{(\w+)\}")
    for section in ("problem", "fix", "preview"):
        for k, text in books["en"][section].items():
            assert values.findall(str(text)) == values.findall(str(books["ru"][section][k])), (section, k)


def test_a_loader_problem_names_its_entry_as_stand_toml_counts_them():
    p = Problem(Path("x/stand.toml"), "no_title", (), Severity.WARNING, "material", "3")
    assert p.record() == {"severity": "warning", "field": "materials[3]", "code": "no_title",
                          "message": "missing 'title'; skipped", "fix": "Add title = \"…\" to the entry."}


def test_every_finding_the_checks_make_gives_the_values_its_texts_need():
    """Each `say(field, "code", severity, **values)` in validate.py: the catalogue has the code's message and fix
    in both languages, and every %{value} they use is given (read from the source, so codes no test plants are
    covered too)."""
    import ast
    import json
    import re

    from expo_hall import ASSETS_DIR
    from expo_hall.stands import validate as module

    books = [json.loads((ASSETS_DIR / "i18n" / f"expo_hall.{lang}.json").read_text(encoding="utf-8"))[lang]
             for lang in ("en", "ru")]
    calls = [node for node in ast.walk(ast.parse(Path(module.__file__).read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "say"
             and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)]
    assert len(calls) > 40
    for call in calls:
        code, given = call.args[1].value, {k.arg for k in call.keywords}
        for book in books:
            for section in ("problem", "fix"):
                needed = set(re.findall(r"%\{(\w+)\}", book[section][code]))
                assert needed <= given, (code, section, needed - given)
