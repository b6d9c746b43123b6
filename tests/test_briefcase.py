"""The briefcase: its model on disk, and its window over the hall driven through the real loop."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pygame
import pytest

from expo_hall import system
from expo_hall.briefcase import Briefcase
from expo_hall.briefcase.model import CSV_HEADER, CSV_NAME
from expo_hall.briefcase.screen import BriefcaseScreen, open_briefcase
from expo_hall.i18n import key
from tests.driver import shown_text

VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Школа <b>Роста</b> «ёлочки» 🎓\r\nN:;;;;\r\nEND:VCARD\r\n"
TITLE = "Буклет <b>для</b> «родителей» 🎓"


def fill(bc: Briefcase, tmp_path: Path) -> None:
    """A material downloaded outside the folder, one in place, a saved contact and a shared one."""
    outside = tmp_path / "download.pdf"
    outside.write_bytes(b"%PDF-1.4 brochure")
    bc.add_material("beta", TITLE, outside, "https://rost.ru/b.pdf", exhibitor_name="Школа <b>Роста</b>")
    inside = bc.material_destination("gamma", "план «2020».pdf")
    inside.write_bytes(b"%PDF-1.4 plan")
    bc.add_material("gamma", "План", inside, "https://sun.ru/plan.pdf")
    bc.add_contact("beta", VCARD, exhibitor_name="Школа <b>Роста</b>", title="Школа <b>Роста</b>")
    bc.add_shared("alpha", "Иван, ivan@mail.ru", dt.datetime(2020, 4, 27, 12, 0, tzinfo=dt.UTC))


def summary(bc: Briefcase) -> list[tuple]:
    return [(i.kind, i.exhibitor_id, i.title, i.file, i.source_url) for i in bc.items()]


# -- the model -------------------------------------------------------------------------------------
def test_nothing_is_written_until_something_is_added(tmp_path):
    bc = Briefcase(tmp_path / "bc")
    assert bc.items() == [] and not (tmp_path / "bc").exists()


def test_items_are_listed_by_kind_and_survive_a_restart(tmp_path):
    bc = Briefcase(tmp_path / "bc")
    fill(bc, tmp_path)
    kinds = [i.kind for i in bc.items()]
    assert kinds == ["material", "material", "contact", "shared"]
    assert (tmp_path / "bc" / "contacts" / "beta.vcf").read_bytes() == VCARD.encode("utf-8")
    material = next(i for i in bc.items() if i.exhibitor_id == "beta")
    assert material.file == "materials/beta/download.pdf" and (tmp_path / "download.pdf").exists()  # copied in
    again = Briefcase(tmp_path / "bc")
    assert summary(again) == summary(bc)
    assert [i.title for i in again.items()][2:] == ["Школа <b>Роста</b>", "Иван, ivan@mail.ru"]
    assert again.items()[3].when == dt.datetime(2020, 4, 27, 12, 0, tzinfo=dt.UTC)


def test_saving_the_same_contact_or_material_again_replaces_it(tmp_path):
    bc = Briefcase(tmp_path / "bc")
    fill(bc, tmp_path)
    bc.add_contact("beta", VCARD.replace("🎓", "✏"), exhibitor_name="Школа")
    second = tmp_path / "second.pdf"
    second.write_bytes(b"%PDF-1.4 v2")
    bc.add_material("beta", TITLE, second, "https://rost.ru/b.pdf")
    assert [i.kind for i in bc.items()] == ["material", "material", "contact", "shared"]
    assert "✏" in (tmp_path / "bc" / "contacts" / "beta.vcf").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "bc" / "materials" / "beta").iterdir()) == ["second.pdf"]


def test_a_file_deleted_behind_our_back_drops_out(tmp_path):
    bc = Briefcase(tmp_path / "bc")
    fill(bc, tmp_path)
    (tmp_path / "bc" / "contacts" / "beta.vcf").unlink()
    assert [i.kind for i in bc.items()] == ["material", "material", "shared"]
    assert len(json.loads((tmp_path / "bc" / "index.json").read_text(encoding="utf-8"))["items"]) == 3
    assert [i.kind for i in Briefcase(tmp_path / "bc").items()] == ["material", "material", "shared"]


def test_remove_deletes_the_entry_and_its_file(tmp_path):
    bc = Briefcase(tmp_path / "bc")
    fill(bc, tmp_path)
    item = bc.items()[0]
    path = bc.path_of(item)
    assert bc.remove(item.item_id) and not path.exists()
    assert item.item_id not in [i.item_id for i in Briefcase(tmp_path / "bc").items()]
    assert not bc.remove(item.item_id)


def test_a_broken_or_tampered_index_is_no_crash(tmp_path):
    folder = tmp_path / "bc"
    folder.mkdir()
    (folder / "index.json").write_text("{not json", encoding="utf-8")
    assert Briefcase(folder).items() == []
    assert any(p.name.startswith("index.json.broken") for p in folder.iterdir())  # kept aside, not lost
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    entry = {"item_id": "x", "kind": "material", "exhibitor_id": "a", "title": "t", "file": "../victim.txt",
             "source_url": None, "saved_at": "2020-04-27T12:00:00+03:00"}
    (folder / "index.json").write_text(json.dumps({"version": 1, "items": [entry, {"kind": 5}, "junk"]}),
                                       encoding="utf-8")
    bc = Briefcase(folder)
    assert bc.items() == [] and not bc.remove("x") and victim.exists()


def test_export_holds_exactly_what_is_listed_and_a_matching_csv(tmp_path):
    bc = Briefcase(tmp_path / "bc", downloads=tmp_path)
    fill(bc, tmp_path)
    (tmp_path / "bc" / "materials" / "gamma").joinpath("план «2020».pdf").unlink()  # gone: not listed, not exported
    dest = bc.default_export_path(dt.date(2020, 4, 27))
    assert dest == tmp_path / "expo_hall-briefcase-2020-04-27.zip"
    check_zip(bc, bc.export_zip(dest))
    assert bc.default_export_path(dt.date(2020, 4, 27)).name == "expo_hall-briefcase-2020-04-27 (2).zip"


def check_zip(bc: Briefcase, path: Path) -> None:
    listed = bc.items()
    with zipfile.ZipFile(path) as zf:
        files = [i for i in listed if i.file]
        assert sorted(zf.namelist()) == sorted([i.file for i in files] + [CSV_NAME])
        for item in files:
            assert zf.read(item.file) == bc.path_of(item).read_bytes()
        rows = list(csv.reader(io.StringIO(zf.read(CSV_NAME).decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[1:] == [[i.kind, i.exhibitor_name or i.exhibitor_id, i.title, i.file or "", i.source_url or "",
                         i.saved_at] for i in listed]


def test_export_to_a_folder_that_does_not_exist_is_an_error(tmp_path):
    bc = Briefcase(tmp_path / "bc")
    fill(bc, tmp_path)
    with pytest.raises(FileNotFoundError):
        bc.export_zip(tmp_path / "no" / "such.zip")
    with pytest.raises(IsADirectoryError):
        bc.export_zip(tmp_path)
    assert not any(p.suffix in (".zip", ".part") for p in tmp_path.iterdir())


# -- the window ------------------------------------------------------------------------------------
@pytest.fixture
def briefcase_screen(make_app, tmp_path):
    d = make_app()
    d.app.briefcase = Briefcase(tmp_path / "bc", downloads=tmp_path / "downloads")
    (tmp_path / "downloads").mkdir()
    fill(d.app.briefcase, tmp_path)
    screen = open_briefcase(d.app)
    d.frames(2)
    assert d.app.stack.top is screen and open_briefcase(d.app) is screen  # opened once
    return d, screen


def test_the_window_lists_items_grouped_literally_and_closes_with_escape(briefcase_screen):
    d, screen = briefcase_screen
    assert list(screen.headers) == ["material", "contact", "shared"]
    assert [h.text for h in screen.headers.values()] == [key(f"briefcase.kind.{k}") for k in screen.headers]
    texts = [shown_text(row.box).replace("\n", " ") for row in screen.rows]
    assert "Школа <b>Роста</b> %{name} — Буклет <b>для</b> «родителей» 🎓" in texts[0]  # today's name, literal
    assert "download.pdf · 17 B" in texts[0]
    assert "Детский сад «Солнышко» — План" in texts[1]
    assert "beta.vcf" in texts[2] and "27.04.2020" in texts[3] and "ООО «Альфа-Обучение»" in texts[3]
    assert screen.rows[3].open_button is None  # a shared contact has no file
    d.press(pygame.K_ESCAPE)
    assert d.app.stack.top is d.hall and not screen.window.alive()


def test_open_hands_the_file_to_the_system_and_a_vanished_file_drops_out(briefcase_screen, monkeypatch):
    d, screen = briefcase_screen
    opened: list[Path] = []
    monkeypatch.setattr(system, "open_path", lambda path: opened.append(Path(path)) or True)
    contact = screen.rows[2]
    d.click(contact.open_button.rect.center)
    assert opened == [d.app.briefcase.path_of(contact.item)]
    d.app.briefcase.path_of(screen.rows[0].item).unlink()
    d.click(screen.rows[0].open_button.rect.center)
    assert len(opened) == 1
    assert [row.item.kind for row in screen.rows] == ["material", "contact", "shared"]
    assert "download.pdf" in shown_text(screen.status)


def test_remove_asks_first_then_deletes_the_file_and_the_entry(briefcase_screen):
    d, screen = briefcase_screen
    row = screen.rows[2]
    path = d.app.briefcase.path_of(row.item)
    d.click(row.remove_button.rect.center)
    assert screen.confirm is not None and path.exists()
    d.press(pygame.K_ESCAPE)  # Escape cancels the question, not the window
    assert screen.confirm is None and d.app.stack.top is screen and path.exists()
    d.click(row.remove_button.rect.center)
    d.click(screen.confirm.confirm_button.rect.center)
    assert not path.exists() and screen.confirm is None
    assert [r.item.kind for r in screen.rows] == ["material", "material", "shared"]
    assert [i.kind for i in Briefcase(d.app.briefcase.folder).items()] == ["material", "material", "shared"]


def test_export_writes_the_zip_where_the_visitor_is_told(briefcase_screen, tmp_path):
    d, screen = briefcase_screen
    d.click(screen.export_button.rect.center)
    entry = screen.export_entry
    default = Path(entry.get_text())
    assert default.parent == tmp_path / "downloads" and default.suffix == ".zip"
    d.click(screen.export_ok.rect.center)
    assert screen.export_dialog is None and screen.exported == default
    assert str(default) in shown_text(screen.status).replace("-\n-", "").replace("\n", "")
    check_zip(d.app.briefcase, default)
    # somewhere that cannot be written: a clear message, nothing written
    d.click(screen.export_button.rect.center)
    screen.export_entry.set_text(str(tmp_path / "missing" / "out.zip"))
    d.click(screen.export_ok.rect.center)
    assert not (tmp_path / "missing").exists() and screen.exported == default
    assert str(tmp_path / "missing") in shown_text(screen.status).replace("-\n-", "").replace("\n", "")


def test_an_empty_briefcase_says_so(make_app, tmp_path):
    d = make_app()
    d.app.briefcase = Briefcase(tmp_path / "empty")
    screen = open_briefcase(d.app)
    d.frames(1)
    assert isinstance(screen, BriefcaseScreen) and screen.rows == []
    d.click(screen.window.close_window_button.rect.center)
    assert d.app.stack.top is d.hall
