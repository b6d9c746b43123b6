"""Organizer mode (`--organizer`) driven through the real app loop: the overlay's data, the findings panel, and
maps saved while the hall is open (read again by the file watcher)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pygame
import pytest

from expo_hall.floors.tmx_writer import FloorSketch, write_package
from expo_hall.problems import Severity


def main_floor(boulevard_y: int = 288) -> FloorSketch:
    """The small expo's main floor (tests/conftest.py), its boulevard at `boulevard_y`."""
    return (FloorSketch("main", "Главный зал", 30, 20, title_en="Main hall", order=1)
            .alley(0, boulevard_y, 960, 64).alley(448, 32, 64, 576)
            .stand("A-1", "alpha", 64, 192, 128, 96)
            .stand("A-2", "beta", 544, 192, 128, 96)
            .stand("A-3", "gamma", 192, 352, 128, 96)
            .stand("A-9", "delta", 800, 32, 96, 64)
            .point("spawn", 100, 320)
            .point("Лифт", 880, 320, to_floor="upper", to_point="Лифт"))


def save(path: Path, text: str) -> None:
    """Save as an editor does, and make sure the file's stamp moves even on a coarse-clocked file system."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def reloaded(d, count: int) -> None:  # noqa: ANN001
    d.until(lambda: d.hall.organizer.reloads >= count, max_frames=60, min_seconds=20)


def test_the_overlay_shows_navigation_and_unreachable_stands_in_red(make_app):
    d = make_app("--organizer", "--no-server")
    hall = d.hall
    overlay = hall.renderer.overlay
    assert overlay is not None and overlay.unreachable == {"A-9"}  # the corner stand no alley reaches
    assert len(overlay.pieces) >= 2 and overlay.portals  # boulevard and cross alley, joined
    front = hall.visitor.nav.fronts["A-2"]
    assert (front.x, front.y) in overlay.fronts
    d.press(pygame.K_o)
    assert hall.renderer.overlay is None and hall.organizer.overlay_on is False
    d.press(pygame.K_o)
    assert hall.renderer.overlay == overlay
    chunks = hall.renderer.chunks_rendered
    d.frames(5)  # drawn once into the chunks: frames only blit them
    assert hall.renderer.chunks_rendered == chunks


def test_a_click_on_a_finding_takes_the_camera_there_on_its_floor(make_app, expo_dirs):
    maps, stands = expo_dirs
    write_package(stands / "omega", "Омега", name_en="Omega")  # placed on no floor: a finding with no place
    (FloorSketch("upper", "Второй этаж", 20, 20, title_en="Upper floor", order=2)
     .alley(32, 160, 576, 320)
     .stand("B-1", "epsilon", 256, 256, 128, 96)
     .stand("B-9", "zeta", 500, 40, 96, 64)  # no package, and no alley leads to it
     .point("spawn", 100, 320)
     .point("Лифт", 520, 420, to_floor="main", to_point="Лифт")
     .write(maps / "upper.tmx"))
    d = make_app("--organizer", "--no-server")
    hall, panel = d.hall, d.hall.organizer.panel
    assert hall.floor.floor_id == "main"
    findings = hall.organizer.findings
    codes = {(p.code, p.obj_name) for p in findings}
    assert {("stand_no_alley", "A-9"), ("no_package_hint", "B-9")} <= codes
    target = next(n for n, p in enumerate(findings) if p.obj_name == "B-9")
    d.click(_link_position(panel.box, str(target)))
    assert hall.floor.floor_id == "upper"
    d.settle()
    assert hall.camera.view_rect().contains(548, 72)  # B-9's centre (the camera stops at the floor's edges)
    assert hall.organizer.focus.box.center == (548, 72)
    # a finding with no place on the floors is listed, not a link
    unplaced = [str(n) for n, p in enumerate(findings) if p.code == "package_unplaced"]
    assert unplaced and not set(unplaced) & set(panel.links)


def _link_position(box, target: str) -> tuple[int, int]:  # noqa: ANN001
    """Where on the screen the text box shows (a clickable part of) the link to `target`."""
    box.update(0.0)
    x, y = box.get_text_layout_top_left()
    for chunk in box.link_hover_chunks:
        if chunk.href == target:
            pos = (int(x) + chunk.x + chunk.width // 2, int(y) + chunk.y + chunk.height // 2)
            assert box.rect.collidepoint(pos), "the link is scrolled out of view"
            return pos
    raise AssertionError(f"no link {target!r} in the panel")


def test_a_saved_map_is_read_again_and_the_avatar_stays(make_app, expo_dirs):
    maps, _ = expo_dirs
    d = make_app("--organizer")  # with the embedded server: its copy follows
    hall = d.hall
    hall.visitor.x, hall.visitor.y = 300, 320
    first = hall.expo
    save(maps / "main.tmx", main_floor().stand("A-4", "delta", 640, 352, 96, 64).to_xml())
    reloaded(d, 1)
    assert hall.expo is not first and hall.floor.stand("A-4") is not None
    assert hall.visitor.pos == (300, 320)
    d.frames(1)
    assert hall.renderer.floor is hall.floor and hall.renderer.chunks_rendered > 0  # drawn anew
    server = d.app.backend.server
    d.until(lambda: any(s.number == "A-4" for s in d.app.backend.client.floor("main").stands), max_frames=30,
            min_seconds=20)  # the server imported the folders again, and serves them
    assert server.imported.floors == 2
    # the boulevard moves up: the avatar's spot is gone, it stands on the nearest walkable one (the cross alley)
    save(maps / "main.tmx", main_floor(boulevard_y=100).to_xml())
    reloaded(d, 2)
    assert hall.visitor.pos == pytest.approx((458, 320)) and hall.visitor.nav.is_free(*hall.visitor.pos)


def test_a_broken_save_keeps_the_last_good_version_and_names_the_fault(make_app, expo_dirs):
    maps, stands = expo_dirs
    d = make_app("--organizer", "--no-server")
    hall = d.hall
    upper = hall.expo.floor("upper")
    save(maps / "upper.tmx", main_floor().to_xml().replace("<map", "<map <", 1))  # not XML any more
    reloaded(d, 1)
    kept = hall.expo.floor("upper")
    assert kept is not None and [s.number for s in kept.stands] == [s.number for s in upper.stands]
    n, fault = next((n, p) for n, p in enumerate(hall.organizer.findings) if p.file.name == "upper.tmx")
    assert fault.code == "bad_xml" and fault.severity is Severity.ERROR
    assert "upper.tmx" in hall.toast and hall.organizer.panel.links[str(n)].floor_id == "upper"  # listed, a link
    good = maps / "upper.tmx.good"
    (FloorSketch("upper", "Второй этаж", 20, 20, order=2).alley(32, 160, 576, 320).point("spawn", 100, 320)
     .write(good))
    save(maps / "upper.tmx", good.read_text(encoding="utf-8"))  # mended: read, and the fault is gone
    reloaded(d, 2)
    assert hall.expo.floor("upper").stands == [] and not any(p.code == "bad_xml" for p in hall.organizer.findings)
    # a package saved: its exhibitor is read again, the others are kept as they were
    beta = hall.expo.exhibitors["beta"]
    write_package(stands / "alpha", "Альфа-2", name_en="Alpha Two", logo="logo.png")
    reloaded(d, 3)
    assert hall.expo.exhibitors["alpha"].name == "Альфа-2" and hall.expo.exhibitors["beta"] is beta
    # and a broken stand.toml keeps the last good package
    save(stands / "alpha" / "stand.toml", "name = ")
    reloaded(d, 4)
    assert hall.expo.exhibitors["alpha"].name == "Альфа-2"
    assert any(p.file == stands / "alpha" / "stand.toml" and p.severity is Severity.ERROR
               for p in hall.organizer.findings)


def test_organizer_mode_reads_this_computers_folders_so_not_with_a_remote_server(capsys):
    from expo_hall.settings import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--organizer", "--server", "http://expo.example.org:8000"])
    assert "--organizer" in capsys.readouterr().err
    assert parse_args(["--organizer", "--no-server"]).organizer


def test_a_saved_floor_is_checked_again_alone_and_the_findings_are_checks(expo_dirs):
    from expo_hall.checks import check_expo
    from expo_hall.organizer.workspace import Workspace

    maps, stands = (p.resolve() for p in expo_dirs)
    workspace = Workspace(maps, stands)
    first = workspace.read()
    assert first.floors_checked == {"main", "upper"}
    upper_nav = first.expo.nav("upper")

    def read_again(path: Path, text: str) -> object:
        save(path, text)
        reading = workspace.read({path})
        assert reading.findings == check_expo(maps, stands)[1]  # as `expo-hall check` finds them, read afresh
        return reading

    # the corner stand moved beside the boulevard: main checked again, upper's results and navigation kept
    moved = (FloorSketch("main", "Главный зал", 30, 20, title_en="Main hall", order=1)
             .alley(0, 288, 960, 64).stand("A-1", "alpha", 64, 192, 128, 96).stand("A-9", "delta", 800, 224, 96, 64)
             .point("spawn", 100, 320).point("Лифт", 880, 320, to_floor="upper", to_point="Лифт"))
    reading = read_again(maps / "main.tmx", moved.to_xml())
    assert reading.floors_checked == {"main"} and reading.expo.nav("upper").shape is upper_nav.shape
    assert not any(p.obj_name == "A-9" for p in reading.findings)
    # main's lift leads nowhere now (upper's still lands there): upper and its stand cannot be reached, found from
    # upper's kept results
    no_lift = (FloorSketch("main", "Главный зал", 30, 20, title_en="Main hall", order=1)
               .alley(0, 288, 960, 64).stand("A-1", "alpha", 64, 192, 128, 96).point("spawn", 100, 320)
               .point("Лифт", 880, 320))
    reading = read_again(maps / "main.tmx", no_lift.to_xml())
    assert reading.floors_checked == {"main"}
    assert {("floor_unreachable", ""), ("stand_unreachable", "B-1")} <= {(p.code, p.obj_name) for p in reading.findings}
    # a title changed: the floor is read again, neither navigated nor checked anew
    upper = (maps / "upper.tmx").read_text(encoding="utf-8")
    reading = read_again(maps / "upper.tmx", upper.replace("Второй этаж", "Верхний этаж"))
    assert reading.floors_checked == set() and reading.expo.nav("upper").shape is upper_nav.shape
    assert reading.expo.nav("upper").floor is reading.expo.floor("upper")  # the new reading's floor


def test_the_overlay_tints_a_slanted_alley_as_drawn_and_its_pieces_cover_it(tmp_path):
    from expo_hall.checks import check_expo
    from expo_hall.organizer.overlay import floor_overlay

    maps, stands = tmp_path / "maps", tmp_path / "stands"
    slant = ((0, 288), (128, 288), (704, 0), (576, 0))  # a walkway up and to the right, 57 px across
    (FloorSketch("slant", "Наклонный зал", 30, 20, title_en="Slanted hall", order=1)
     .alley(0, 288, 960, 64).polygon_alley(slant)
     .stand("E-1", "alpha", 700, 40, 96, 64, ellipse=True)  # no alley beside it: red, as an ellipse
     .point("spawn", 100, 320).write(maps / "slant.tmx"))
    write_package(stands / "alpha", "Альфа", name_en="Alpha")
    expo, findings = check_expo(maps, stands)
    overlay = floor_overlay(expo, "slant", findings)
    assert overlay.walkable_shapes == (slant,) and len(overlay.walkable) == 1  # the boulevard's rectangle
    assert overlay.unreachable == {"E-1"} and expo.floor("slant").stands[0].ellipse
    nav = expo.nav("slant")
    assert any(p.contains(352, 144) for p in overlay.pieces)  # the middle of the walkway
    path = nav.path((100, 320), (640, 14))
    assert path is not None and all(nav.segment_clear(a, b) for a, b in itertools.pairwise(path))
