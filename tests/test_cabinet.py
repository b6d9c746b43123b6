"""The exhibitor's cabinet in the real app on its embedded server: edits land in the working copy (never in the
published package) with their validation finding beside the field, materials are added through the file dialog,
reordered and removed, a failed save keeps what was typed, and the statistics tab draws its charts."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from expo_hall.net import ApiClient
from tests.test_reps import issue_token, needs_token, wait_for

pytestmark = needs_token


@pytest.fixture
def cabinet(make_app, expo_dirs, tmp_path, capsys):  # noqa: ANN001, ANN201
    """The app signed in as alpha's representative, with the cabinet opened from the Stand desk."""
    from expo_hall.cabinet.screen import CabinetScreen

    token = issue_token(expo_dirs, tmp_path / "data", capsys, "--stand", "alpha", "--name", "Роман")
    d = make_app("--token", token)
    desk = d.app.stack.top
    d.click(desk.cabinet_button.rect.center)
    screen = d.app.stack.top
    assert isinstance(screen, CabinetScreen) and screen.stand_id == "alpha"
    wait_for(d, lambda: screen._job is None)  # the first check is done
    return d, screen, token


def read(screen) -> dict:  # noqa: ANN001
    return tomllib.loads((screen.copy.folder / "stand.toml").read_text(encoding="utf-8"))


def pick(d, dialog, path) -> None:  # noqa: ANN001
    """Choose `path` in the file dialog as a person does: type it into the dialog's path line and press OK."""
    dialog.file_path_text_line.set_text("")
    d.click(dialog.file_path_text_line.rect.center)
    d.type_text(str(path))
    d.frames(2)
    d.click(dialog.ok_button.rect.center)
    d.frames(2)


def test_an_edit_lands_in_the_working_copy_with_its_finding_and_a_failed_save_loses_nothing(
        cabinet, expo_dirs, tmp_path) -> None:  # noqa: ANN001
    d, screen, _ = cabinet
    published = (expo_dirs[1] / "alpha" / "stand.toml").read_text(encoding="utf-8")
    assert screen.copy.folder == tmp_path / "data" / "cabinet" / "alpha"
    assert screen.entries["description"].get_text() == "Онлайн-курсы программирования для школьников"

    d.click(screen.tab_buttons["contacts"].rect.center)
    d.click(screen.entries["contacts.email"].rect.center)
    d.type_text("hello@")
    d.click(screen.tab_buttons["about"].rect.center)
    screen.entries["description"].set_text("Курсы Python для 7–11 классов")
    d.click(screen.actions["save"].rect.center)
    note = wait_for(d, lambda: screen.notes["contacts.email"].text)
    assert "hello@" in note  # the validator's own message, beside the field
    doc = read(screen)
    assert doc["contacts"]["email"] == "hello@" and doc["description"] == "Курсы Python для 7–11 классов"
    assert (expo_dirs[1] / "alpha" / "stand.toml").read_text(encoding="utf-8") == published  # untouched

    # the English texts: their own entries; the Russian ones are kept
    assert screen.notes["description"].text == ""
    d.click(screen.lang_buttons["en"].rect.center)
    assert screen.entries["description"].get_text() == ""
    screen.entries["description"].set_text("Python courses for years 7 to 11")
    screen.entries["contacts.email"].set_text("hello@alpha.example")
    d.click(screen.actions["save"].rect.center)
    wait_for(d, lambda: screen._job is None and not screen.notes["contacts.email"].text)
    doc = read(screen)
    assert doc["description_en"] == "Python courses for years 7 to 11"
    assert doc["description"] == "Курсы Python для 7–11 классов" and doc["contacts"]["email"] == "hello@alpha.example"
    d.click(screen.lang_buttons["ru"].rect.center)
    assert screen.entries["description"].get_text() == "Курсы Python для 7–11 классов"

    # a webinar outside the fair: the row says so
    d.click(screen.tab_buttons["webinars"].rect.center)
    d.click(screen.add_webinar_button.rect.center)
    (row,) = screen.webinar_rows
    row["title"].set_text("Открытый урок")
    row["starts"].set_text("2021-01-15 12:00")
    row["url"].set_text("https://meet.example/alpha")
    d.click(screen.actions["save"].rect.center)
    assert "2021" in wait_for(d, lambda: screen.webinar_rows[0]["note"].text)
    (webinar,) = read(screen)["webinars"]
    assert webinar["starts"].isoformat() == "2021-01-15T12:00:00+03:00" and webinar["duration_minutes"] == 60

    # a save that fails (stand.toml cannot be replaced, as on a full or read-only disk) loses nothing typed
    toml = screen.copy.folder / "stand.toml"
    aside = toml.with_name("stand.kept")
    shutil.move(toml, aside)
    toml.mkdir()
    d.click(screen.tab_buttons["about"].rect.center)
    d.click(screen.entries["description"].rect.center)
    d.type_text(" и роботы")
    d.click(screen.actions["save"].rect.center)
    assert "Сохранить не удалось" in screen.status.html_text
    assert screen.entries["description"].get_text() == "Курсы Python для 7–11 классов и роботы"
    d.click(screen.lang_buttons["en"].rect.center)  # still kept through a change of language
    d.click(screen.lang_buttons["ru"].rect.center)
    assert screen.entries["description"].get_text().endswith("и роботы")

    toml.rmdir()
    shutil.move(aside, toml)
    d.click(screen.actions["save"].rect.center)
    assert read(screen)["description"] == "Курсы Python для 7–11 классов и роботы"

    # publishing: refused here while the webinar is outside the fair; then live, and the version history says so
    d.click(screen.actions["publish"].rect.center)
    wait_for(d, lambda: not screen.publishing)
    assert "ничего не отправлено" in screen.status.html_text and screen.webinar_rows[0]["note"].text
    d.click(screen.tab_buttons["webinars"].rect.center)
    d.click(screen.webinar_rows[0]["remove"].rect.center)
    d.click(screen.actions["publish"].rect.center)
    assert screen.progress.visible
    wait_for(d, lambda: not screen.publishing)
    assert screen.published is not None and screen.published.version.state == "live", screen.status.html_text
    visitor = ApiClient(d.app.backend.client.base_url)
    seen = visitor.exhibitor("alpha")
    assert (seen.description, seen.description_en) == ("Курсы Python для 7–11 классов и роботы",
                                                       "Python courses for years 7 to 11")
    d.click(screen.tab_buttons["versions"].rect.center)
    wait_for(d, lambda: screen.versions is not None and screen.versions.versions)
    assert "версия 1" in screen.versions_box.html_text.lower() and "Роман" in screen.versions_box.html_text
    visitor.close()


def test_the_preview_opens_on_the_working_copy_and_closes_with_the_cabinet(cabinet) -> None:  # noqa: ANN001
    d, screen, _ = cabinet
    d.click(screen.actions["preview"].rect.center)
    preview = screen.preview_process
    assert preview is not None and preview.args[3:5] == ["preview", str(screen.copy.folder)]
    screen.close()
    assert preview.wait(30) is not None  # not left running once the cabinet is closed


def test_materials_through_the_file_dialog_and_the_statistics_charts(cabinet, tmp_path):  # noqa: ANN001
    d, screen, _ = cabinet
    picked = tmp_path / "picked"
    picked.mkdir()
    (picked / "Прайс 2020.pdf").write_bytes(b"%PDF-1.4\n% price\n%%EOF\n")
    (picked / "plan.pdf").write_bytes(b"%PDF-1.4\n% plan\n%%EOF\n")
    d.click(screen.tab_buttons["files"].rect.center)
    for name in ("Прайс 2020.pdf", "plan.pdf"):
        d.click(screen.add_material_button.rect.center)
        pick(d, screen.dialog, picked / name)
    assert [m["file"] for m in read(screen)["materials"]] == ["materials/Прайс_2020.pdf", "materials/plan.pdf"]
    assert (screen.copy.folder / "materials" / "plan.pdf").read_bytes() == (picked / "plan.pdf").read_bytes()
    assert [r["title"].get_text() for r in screen.material_rows] == ["Прайс 2020", "plan"]

    screen.material_rows[1]["title"].set_text("План обучения")
    d.click(screen.material_rows[1]["up"].rect.center)  # typed text moves with its row
    assert [r["title"].get_text() for r in screen.material_rows] == ["План обучения", "Прайс 2020"]
    d.click(screen.actions["save"].rect.center)
    assert [(m["title"], m["file"]) for m in read(screen)["materials"]] == [
        ("План обучения", "materials/plan.pdf"), ("Прайс 2020", "materials/Прайс_2020.pdf")]

    d.click(screen.material_rows[1]["remove"].rect.center)
    d.click(screen.actions["save"].rect.center)
    assert [m["title"] for m in read(screen)["materials"]] == ["План обучения"]
    assert not (screen.copy.folder / "materials" / "Прайс_2020.pdf").exists()  # no file left that nothing names
    assert "materials/plan.pdf" in wait_for(d, lambda: screen.material_rows[0]["note"].text)  # not a real PDF

    # a new logo, chosen the same way: copied in, named by stand.toml, the old file gone
    from tests.conftest import logo

    logo("RGB", (10, 120, 200)).save(picked / "new logo.png")
    d.click(screen.file_buttons["logo"].rect.center)
    pick(d, screen.dialog, picked / "new logo.png")
    assert read(screen)["logo"] == "new_logo.png" and screen.file_labels["logo"].text == "new_logo.png"
    assert (screen.copy.folder / "new_logo.png").is_file() and not (screen.copy.folder / "logo.png").exists()

    # the statistics tab: the stand's charts
    visitor = ApiClient(d.app.backend.client.base_url)
    visitor.register("Вера")
    visitor.record_visit("alpha")
    d.click(screen.tab_buttons["stats"].rect.center)
    wait_for(d, lambda: screen.series is not None and screen.stats is not None and screen.leads is not None)
    assert sum(day.visits for day in screen.series.days) == 1
    layout = screen.chart_layouts["visits_per_day"]
    assert layout.chart.values[-1] == 1 and layout.bars[-1].height == layout.plot.height
    image = screen.chart_images["visits_per_day"]
    assert image.rect.width == screen.chart_size()[0]
    assert "1" in screen.totals.text
    assert set(screen.chart_images) >= {"visits_per_hour", "downloads_per_material", "leads_per_day"}
    visitor.close()


def test_a_working_copy_without_the_package_folder_is_written_from_what_the_server_gives(tmp_path):  # noqa: ANN001
    """With a remote server the cabinet starts from the stand as served: its texts, contacts, linked materials and
    webinars, written as a stand.toml that reads back the same (quotes, line breaks, any script)."""
    import datetime as dt

    from expo_hall.cabinet.working_copy import WorkingCopy
    from expo_hall.stands.package import Contacts, Exhibitor, Material, Webinar, load_package

    served = Exhibitor("omega", 'Школа "Омега"\\', tmp_path / "nowhere", name_en="Omega",
                       description="Строка 1\nСтрока 2", video="https://video.example/omega.mp4",
                       contacts=Contacts(email="a@omega.example", messengers={"telegram": "@omega_school"}),
                       materials=(Material("Сайт", "Site", url="https://omega.example/", number=1),),
                       webinars=(Webinar("Урок", dt.datetime(2020, 4, 27, 12, 0, tzinfo=dt.timezone(
                           dt.timedelta(hours=3))), 45, "https://meet.example/o", number=1),))
    copy = WorkingCopy.open(tmp_path / "data", served, None)
    assert copy.folder == tmp_path / "data" / "cabinet" / "omega"
    again, problems = load_package(copy.folder)
    assert [p.key for p in problems] == ["no_logo"]
    same = ("name", "name_en", "description", "video", "contacts", "materials", "webinars")
    assert {k: getattr(again, k) for k in same} == {k: getattr(served, k) for k in same}
    assert again.name == served.name
