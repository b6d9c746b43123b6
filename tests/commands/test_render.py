"""`expo-hall render`: a PNG per floor drawn by the hall's renderer, and one PDF with a page per floor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pygame
import pypdfium2

from expo_hall.floors import plan
from expo_hall.stands.logos import brand_colour


def render(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "expo_hall", "render", *map(str, args)], capture_output=True,
                          text=True, timeout=180)


def test_a_png_per_floor_and_a_pdf_page_per_floor(expo_dirs, tmp_path: Path):
    maps, stands = expo_dirs
    out = tmp_path / "plans"
    done = render("--maps", maps, "--stands", stands, "--out", out, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["main.png", "plans.pdf", "upper.png"]

    pdf = pypdfium2.PdfDocument(out / "plans.pdf")
    assert len(pdf) == 2
    first = pdf[0].get_textpage().get_text_range()
    assert "Main hall" in first and "Alpha Learning" in first and "A-1" in first  # real text, not pixels
    assert "Epsilon University" in pdf[1].get_textpage().get_text_range()

    # The floor is drawn at zoom 1 below the title: stand A-1 (64, 192, 128 x 96) has its exhibitor's colour band.
    page = pygame.image.load(str(out / "main.png"))
    top = plan.MARGIN + plan.TITLE_SIZE + plan.NOTE_SIZE + 36
    x0, y0 = plan.MARGIN, top
    assert page.get_at((x0 + 64 + 64, y0 + 192 + 4))[:3] == brand_colour("alpha")
    assert page.get_at((x0 + 544 + 64, y0 + 192 + 4))[:3] == brand_colour("beta")
    assert page.get_at((x0 + 20, y0 + 20))[:3] != brand_colour("alpha")  # the hall's floor, not a stand


def test_russian_plans_and_a_folder_that_cannot_be_written(expo_dirs, tmp_path: Path):
    maps, stands = expo_dirs
    done = render("--maps", maps, "--stands", stands, "--out", tmp_path / "ru", "--lang", "ru")
    assert done.returncode == 0, done.stderr
    text = pypdfium2.PdfDocument(tmp_path / "ru" / "plans.pdf")[0].get_textpage().get_text_range()
    assert "Главный зал" in text and "ООО «Альфа-Обучение»" in text and "Условные обозначения" in text
    (tmp_path / "file").write_text("")
    done = render("--maps", maps, "--stands", stands, "--out", tmp_path / "file" / "x", "--lang", "en")
    assert done.returncode == 2 and "cannot write into" in done.stderr and "Traceback" not in done.stderr


def test_no_floors_exits_1(tmp_path: Path):
    done = render("--maps", tmp_path, "--stands", tmp_path, "--out", tmp_path / "out", "--lang", "en")
    assert done.returncode == 1 and "no floor to draw" in done.stderr
