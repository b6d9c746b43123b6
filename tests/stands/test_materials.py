"""The stand window's Materials tab driven through the real loop and the real embedded server: download into
the briefcase with progress, cancel, failures and retry, open, previews."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import time
from pathlib import Path

import pygame
import pytest

from expo_hall import system
from expo_hall.net.downloads import NOT_FOUND, OFFLINE
from expo_hall.stands.panels.materials import DONE, DOWNLOADING, FAILED, LINK, NEW, PREVIEW, human_size
from expo_hall.stands.stand_screen import StandScreen
from tests.driver import shown_text

PDF_TITLE = "Буклет <b>2025</b> %{name}"
LINK_URL = "https://alpha.example/about?<b>x</b>"
MATERIALS = f'''
[[materials]]
title = "{PDF_TITLE}"
title_en = "Brochure"
file = "brochure.pdf"

[[materials]]
title = "Плакат <i>A2</i>"
file = "poster.png"

[[materials]]
title = "Сайт школы"
url = "{LINK_URL}"
'''
BIG = '''
[[materials]]
title = "Большой каталог"
file = "catalog.png"
'''


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def noise_png() -> bytes:
    """A real PNG of a few MB (noise does not compress)."""
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (1100, 1100), os.urandom(1100 * 1100 * 3)).save(out, "PNG", compress_level=1)
    return out.getvalue()


def write_materials(folder: Path) -> dict[str, Path]:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (595, 842), "white")
    ImageDraw.Draw(page).rectangle((60, 60, 535, 400), fill=(200, 30, 30))
    page.save(folder / "brochure.pdf", "PDF")
    poster = Image.new("RGB", (300, 200), (30, 60, 200))
    ImageDraw.Draw(poster).ellipse((100, 50, 200, 150), fill=(250, 220, 0))
    poster.save(folder / "poster.png")
    files = {"pdf": folder / "brochure.pdf", "png": folder / "poster.png"}
    toml = folder / "stand.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + MATERIALS, encoding="utf-8")
    return files


def wait(d, condition, seconds: float = 20.0) -> None:
    """Run frames until the condition holds (downloads run on threads: this waits in wall time)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in {seconds} s")
        d.frames(1)
        time.sleep(0.002)


def open_tab(d):
    stand = d.app.stack.top
    assert isinstance(stand, StandScreen)
    d.click(stand.tab_buttons["materials"].rect.center)
    assert stand.tab == "materials"
    return stand.panel


@pytest.fixture
def materials(make_app, expo_dirs):
    """The stand "alpha" open on its Materials tab: a PDF, a PNG and a link, on the embedded server."""
    files = write_materials(expo_dirs[1] / "alpha")
    d = make_app("--stand", "alpha")
    return d, open_tab(d), files


def downloaded_files(d) -> list[Path]:
    folder = d.app.briefcase.folder / "materials"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def non_blank(surface: pygame.Surface) -> bool:
    w, h = surface.get_size()
    colours = {tuple(surface.get_at((x, y))) for x in range(0, w, 3) for y in range(0, h, 3)}
    return len(colours) > 1


def test_the_list_shows_title_type_and_size_literally(materials):
    d, panel, files = materials
    pdf, png, link = panel.rows
    assert PDF_TITLE in shown_text(pdf.box) and "Плакат <i>A2</i>" in shown_text(png.box)
    assert f"PDF · {human_size(files['pdf'].stat().st_size)}" in shown_text(pdf.box)
    assert f"PNG · {human_size(files['png'].stat().st_size)}" in shown_text(png.box)
    assert (pdf.file_name, pdf.size) == ("brochure.pdf", files["pdf"].stat().st_size)
    assert link.state == LINK and link.source is None and "alpha.example" in shown_text(link.box)
    assert [r.state for r in (pdf, png)] == [NEW, NEW] and not downloaded_files(d)


def test_download_saves_the_same_file_into_the_briefcase_with_progress_and_previews(materials):
    d, panel, files = materials
    pdf, png, _ = panel.rows
    d.click(pdf.button.rect.center)
    d.click(png.button.rect.center)  # several at once
    wait(d, lambda: pdf.state == DONE and png.state == DONE)
    items = {i.title: i for i in d.app.briefcase.items()}
    assert set(items) == {pdf.title, png.title}
    for row, original in ((pdf, files["pdf"]), (png, files["png"])):
        path = d.app.briefcase.path_of(items[row.title])
        assert sha(path) == sha(original) and path.parent == d.app.briefcase.folder / "materials" / "alpha"
        assert items[row.title].source_url == row.source and items[row.title].kind == "material"
        assert row.progress[0] == 0.0 and row.progress[-1] == 1.0 and row.progress == sorted(row.progress)
    assert not [p for p in downloaded_files(d) if p.name.endswith(".part")]
    assert sorted(p.name for p in downloaded_files(d)) == ["brochure.pdf", "poster.png"]
    wait(d, lambda: pdf.preview is not None and png.preview is not None)
    for row in (pdf, png):
        w, h = row.preview.get_size()
        assert 0 < w <= PREVIEW[0] and 0 < h <= PREVIEW[1] and max(w / PREVIEW[0], h / PREVIEW[1]) > 0.95
        assert non_blank(row.preview)
    assert pdf.preview.get_at((pdf.preview.get_width() // 2, 12))[:3] == pytest.approx((200, 30, 30), abs=40)
    assert png.preview.get_at((png.preview.get_width() // 2, png.preview.get_height() // 2))[:3] == pytest.approx(
        (250, 220, 0), abs=40)


def test_open_hands_the_briefcase_file_to_the_system_and_a_link_to_the_browser(materials, monkeypatch):
    d, panel, _ = materials
    opened: list[Path] = []
    browsed: list[str] = []
    monkeypatch.setattr(system, "open_path", lambda path: opened.append(Path(path)) or True)
    monkeypatch.setattr(system, "open_url", lambda url: browsed.append(url) or True)
    pdf, _, link = panel.rows
    d.click(pdf.button.rect.center)
    wait(d, lambda: pdf.state == DONE)
    d.click(pdf.button.rect.center)  # now Open
    assert opened == [d.app.briefcase.path_of(pdf.item)] and opened[0].is_file()
    d.click(link.button.rect.center)
    assert browsed == [LINK_URL] and not downloaded_files(d)[1:]


def test_a_cancelled_download_leaves_nothing_behind(make_app, expo_dirs):
    folder = expo_dirs[1] / "alpha"
    (folder / "catalog.png").write_bytes(noise_png())
    (folder / "stand.toml").write_text((folder / "stand.toml").read_text(encoding="utf-8") + BIG, encoding="utf-8")
    d = make_app("--stand", "alpha")
    panel = open_tab(d)
    panel.downloads.rate_limit = 1_000_000  # a slow line: a few seconds for the catalogue
    big = panel.rows[0]
    assert big.size == len(noise_png()) > 3_000_000 and big.file_name == "catalog.png"
    d.click(big.button.rect.center)
    assert big.state == DOWNLOADING and big.bar.visible
    wait(d, lambda: len(big.progress) >= 2)  # the first bytes are in
    assert big.progress[0] == 0.0 and big.dest is not None and Path(str(big.dest) + ".part").exists()
    assert not big.dest.exists()  # a partial file never has the final name
    d.click(big.button.rect.center)  # Cancel
    wait(d, lambda: big.state == NEW)
    assert not downloaded_files(d) and d.app.briefcase.items() == [] and not big.bar.visible
    panel.downloads.rate_limit = None
    d.click(big.button.rect.center)  # and it can be downloaded after all
    wait(d, lambda: big.state == DONE)
    assert sha(d.app.briefcase.path_of(big.item)) == sha(folder / "catalog.png")
    assert [p.name for p in downloaded_files(d)] == ["catalog.png"]


def test_a_missing_file_says_404_keeps_nothing_and_retry_succeeds(materials):
    d, panel, files = materials
    pdf = panel.rows[0]
    kept = files["pdf"].read_bytes()
    content = files["pdf"].parents[2] / "data" / "content"  # the embedded server's imported copies
    stored = next(p for p in content.iterdir() if p.read_bytes() == kept)
    stored.unlink()  # gone from the server's disk
    d.click(pdf.button.rect.center)
    wait(d, lambda: pdf.state == FAILED)
    assert pdf.failure.reason == NOT_FOUND and pdf.failure.status == 404
    assert not downloaded_files(d) and d.app.briefcase.items() == []
    assert pdf.button.text.endswith("materials.retry")
    stored.write_bytes(kept)
    d.click(pdf.button.rect.center)  # Retry
    wait(d, lambda: pdf.state == DONE)
    assert sha(d.app.briefcase.path_of(pdf.item)) == sha(files["pdf"])


def test_an_unreachable_server_says_offline_and_retry_succeeds_once_it_is_back(materials, tmp_path):
    from tests.test_hall_backend import _serve

    d, panel, files = materials
    png = panel.rows[1]
    port = int(d.app.backend.client.base_url.rsplit(":", 1)[1])
    d.app.backend.server.stop()
    d.click(png.button.rect.center)
    wait(d, lambda: png.state == FAILED, seconds=30)
    assert png.failure.reason == OFFLINE and png.failure.detail
    assert not downloaded_files(d) and d.app.briefcase.items() == []
    assert shown_text(panel.status).strip()  # says why (the translated words are not checked here)
    server = _serve(*(expo_dirs_of(files)), tmp_path / "back.sqlite3", port)
    try:
        d.click(png.button.rect.center)
        wait(d, lambda: png.state == DONE, seconds=30)
        assert sha(d.app.briefcase.path_of(png.item)) == sha(files["png"])
    finally:
        server.stop()


def expo_dirs_of(files: dict[str, Path]) -> tuple[Path, Path]:
    stands = files["pdf"].parent.parent
    return stands.parent / "maps", stands


def test_a_later_visit_shows_the_material_as_downloaded_with_open(make_app, expo_dirs, monkeypatch):
    write_materials(expo_dirs[1] / "alpha")
    d = make_app("--stand", "alpha")
    pdf = open_tab(d).rows[0]
    d.click(pdf.button.rect.center)
    wait(d, lambda: pdf.state == DONE)
    d.app.close()  # the visitor leaves; the next start runs a new embedded server (on another port)
    d2 = make_app("--stand", "alpha")
    panel = open_tab(d2)
    pdf, png, _ = panel.rows
    assert (pdf.state, png.state) == (DONE, NEW) and pdf.button.text.endswith("materials.open")
    wait(d2, lambda: pdf.preview is not None)
    opened: list[Path] = []
    monkeypatch.setattr(system, "open_path", lambda path: opened.append(Path(path)) or True)
    d2.click(pdf.button.rect.center)
    assert opened == [d2.app.briefcase.path_of(pdf.item)]


def test_without_a_server_the_local_file_previews_and_copies_into_the_briefcase(make_app, expo_dirs):
    files = write_materials(expo_dirs[1] / "alpha")
    d = make_app("--no-server", "--stand", "alpha")
    assert d.app.backend is None
    panel = open_tab(d)
    pdf, png, link = panel.rows
    assert link.state == LINK and PDF_TITLE in shown_text(pdf.box)
    wait(d, lambda: pdf.preview is not None and png.preview is not None)  # from the package's own files
    assert non_blank(pdf.preview) and non_blank(png.preview)
    d.click(pdf.button.rect.center)
    wait(d, lambda: pdf.state == DONE)
    path = d.app.briefcase.path_of(pdf.item)
    assert sha(path) == sha(files["pdf"]) and path != files["pdf"] and pdf.progress[-1] == 1.0
