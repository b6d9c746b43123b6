"""Faults in the content are named in a window, never a traceback: every problem of the catalogue, in both
languages, through the real app loop; a maps folder full of faults; ids that lead nowhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pygame
import pytest

from expo_hall.expo import Expo, load_expo
from expo_hall.floors.tmx_writer import FloorSketch, write_package
from expo_hall.i18n import TRANSLATIONS_DIR, tr
from expo_hall.notices import NoticeScreen
from expo_hall.problems import Problem, problem
from tests.driver import shown_text

CATALOGUE = {lang: json.loads((TRANSLATIONS_DIR / f"expo_hall.{lang}.json").read_text(encoding="utf-8"))[lang]
             for lang in ("ru", "en")}
PROBLEM_KEYS = sorted(CATALOGUE["en"]["problem"])
OBJECT_KINDS = sorted(CATALOGUE["en"]["object"])
# names that python-i18n and our own helpers take for themselves, and text that looks like markup or a placeholder
TRICKY = ["name", "key", "locale", "default", "count", "<b>B-12</b>", "%{name}", "50%"]


def _flat(text: str) -> str:
    return "".join(text.split())


def catalogue_problems() -> list[Problem]:
    """Every problem key twice, without an object and with one (the object kinds taken in turn), every
    placeholder filled with a value that a naive formatter would trip on."""
    found = []
    for i, key in enumerate(PROBLEM_KEYS):
        names = set(re.findall(r"%\{(\w+)\}", CATALOGUE["en"]["problem"][key]))
        values = {n: f"{TRICKY[(i + j) % len(TRICKY)]}·{n}" for j, n in enumerate(sorted(names))}
        found.append(problem(Path(f"maps/{key}.tmx"), key, None, **values))
        kind = OBJECT_KINDS[i % len(OBJECT_KINDS)]
        found.append(problem(Path(f"maps/{key}.tmx"), key, (kind, TRICKY[i % len(TRICKY)]), **values))
    return found


def test_the_catalogue_walk_covers_every_key_and_object_kind():
    kinds = {p.obj_kind for p in catalogue_problems()}
    assert kinds == set(OBJECT_KINDS) | {""}
    assert {p.key for p in catalogue_problems()} == set(CATALOGUE["ru"]["problem"]) == set(PROBLEM_KEYS)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("with_floors", [True, False], ids=["problems_window", "no_floors_window"])
def test_every_problem_of_the_catalogue_is_shown_in_the_window(make_app, expo_dirs, lang, with_floors):
    maps, stands = expo_dirs
    loaded = load_expo(maps, stands)
    expo = Expo(floors=loaded.floors if with_floors else [], exhibitors=loaded.exhibitors,
                problems=catalogue_problems())
    d = make_app("--lang", lang, expo=expo)
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen) and top.opaque is not with_floors
    shown = _flat(shown_text(top.body))
    for found in expo.problems:
        text = found.text(tr)
        assert "%{" not in text.replace("%{name}", "") and "expo_hall." not in text, text  # translated, filled
        assert _flat(text) in shown, text  # and shown literally: the markup-like values as written
    other = "en" if lang == "ru" else "ru"
    if CATALOGUE[lang]["problem"]["no_floors"] != CATALOGUE[other]["problem"]["no_floors"]:
        assert _flat(CATALOGUE[other]["problem"]["no_floors"]) not in shown  # in this language, not the other
    d.press(pygame.K_ESCAPE)
    if with_floors:
        assert d.app.stack.top is d.hall and d.app.running
    else:
        assert not d.app.running  # closing the only window ends the app, as the window says


# -- a maps folder holding many faults at once -------------------------------------------------------------
def _good(floor_id: str = "main") -> FloorSketch:
    return (FloorSketch(floor_id, "Главный зал", 30, 20, title_en="Main hall", order=1)
            .alley(0, 288, 960, 64).stand("A-1", "alpha", 64, 192, 128, 96).point("spawn", 100, 320))


def _xml(sketch: FloorSketch, old: str = "", new: str = "") -> str:
    xml = sketch.to_xml()
    assert old in xml
    return xml.replace(old, new, 1)


def faulty_maps(maps: Path, good: bool) -> dict[str, list[str]]:
    """Write a folder of broken maps (and one good floor holding object faults, if `good`); returns, per file,
    words of the English messages expected in the window."""
    maps.mkdir(parents=True, exist_ok=True)
    expected: dict[str, list[str]] = {}
    if good:
        sketch = _good().stand("A-2", "nopackage", 544, 192, 128, 96).stand("A-1", "beta", 544, 352, 96, 64)
        sketch.point("Лестница", 880, 320, to_floor="attic")
        xml = _xml(sketch, '<objectgroup id="1" name="alleys">',
                   '<objectgroup id="1" name="alleys"><object id="90" name="road" x="0" y="0">'
                   '<polyline points="0,0 100,0"/></object>'
                   '<object id="91" name="tilted" x="10" y="10" width="50" height="50" rotation="30"/>')
        xml = xml.replace('<objectgroup id="2" name="stands">', '<objectgroup id="2" name="stands">'
                          '<object id="92" name="B-9" x="300" y="400" width="64" height="64" rotation="90"/>', 1)
        (maps / "good.tmx").write_text(xml, encoding="utf-8")
        expected["good.tmx"] = ["stand A-2: exhibitor 'nopackage' has no stand package",
                                "stand A-1: the stand number is used twice",
                                "point Лестница: leads to floor 'attic', which does not exist",
                                "alley road: is a polyline", "alley tilted: rotated objects are not supported",
                                "stand B-9: must be an unrotated rectangle"]
    broken = {
        "no_floor_id.tmx": (_xml(_good("x"), 'name="floor_id"', 'name="floor"'), "missing property 'floor_id'"),
        "infinite.tmx": (_xml(_good("z"), 'infinite="0"', 'infinite="1"'), "the map is infinite"),
        "bad_xml.tmx": ("<map><objectgroup", "not a valid Tiled map (bad XML"),
        "doctype.tmx": ('<?xml version="1.0"?><!DOCTYPE map [<!ENTITY a "aaaaaaaaaa">]><map>&a;</map>',
                        "declares a DOCTYPE or entities"),
        "not_a_map.tmx": ("<tileset name='t'/>", "not a Tiled map: the document is <tileset>"),
        "isometric.tmx": (_xml(_good("w"), 'orientation="orthogonal"', 'orientation="isometric"'),
                          "map orientation is 'isometric'"),
        "no_layers.tmx": ('<map orientation="orthogonal" width="10" height="10" tilewidth="32" tileheight="32">'
                          '<properties><property name="floor_id" value="v"/><property name="title" value="V"/>'
                          '</properties></map>', "layer 'alleys': is missing"),
    }
    for name, (xml, words) in broken.items():
        (maps / name).write_text(xml, encoding="utf-8")
        expected[name] = [words]
    if good:  # a second floor with the good floor's id
        (maps / "zz_same_id.tmx").write_text(_good().to_xml(), encoding="utf-8")
        expected["zz_same_id.tmx"] = ["'main' is already used by good.tmx"]
    return expected


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_maps_folder_full_of_faults_opens_the_good_floor_and_names_each_fault(make_app, expo_dirs, tmp_path,
                                                                               lang, caplog):
    _, stands = expo_dirs
    maps = tmp_path / "faulty"
    expected = faulty_maps(maps, good=True)
    d = make_app("--lang", lang, "--no-server", maps=maps)
    assert [f.floor_id for f in d.app.expo.floors] == ["main"]
    assert d.hall is not None and d.hall.floor.floor_id == "main"
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen) and not top.opaque
    shown = _flat(shown_text(top.body))
    errors = d.app.expo.errors()
    for file, words in expected.items():
        for word in words:
            [found] = [p for p in errors if p.file.name == file and word in str(p)]
            assert _flat(found.text(tr)) in shown  # in the window, in the interface's language
    assert "Traceback" not in caplog.text
    d.press(pygame.K_ESCAPE)
    assert d.app.stack.top is d.hall
    d.hold(pygame.K_d, 0.2)
    assert d.hall.visitor.x > 100  # and the good floor is walked


def test_a_maps_folder_without_a_good_floor_opens_the_no_floors_window(make_app, expo_dirs, tmp_path, caplog):
    maps = tmp_path / "faulty"
    expected = faulty_maps(maps, good=False)
    d = make_app("--lang", "en", maps=maps)  # through the embedded server, as a visitor starts it
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen) and top.opaque and d.hall is None
    shown = _flat(shown_text(top.body))
    assert _flat(tr("problems.no_floors")) in shown
    for file, words in expected.items():
        for word in words:
            assert _flat(f"{file}: ") in shown and _flat(word) in shown, (file, word)
    assert "Traceback" not in caplog.text


# -- ids that lead nowhere ------------------------------------------------------------------------------------
@pytest.fixture
def unplaced(expo_dirs) -> str:
    """An exhibitor with a stand package but no stand on any floor."""
    write_package(expo_dirs[1] / "zeta", "Зета <i>%{name}</i>", name_en="Zeta")
    return "zeta"


@pytest.mark.parametrize("lang, words", [("ru", "У экспонента «Зета <i>%{name}</i>» нет стенда"),
                                         ("en", "“Zeta” has no stand on the expo's floors")], ids=["ru", "en"])
def test_starting_with_an_unplaced_exhibitors_stand_says_so(make_app, unplaced, lang, words):
    d = make_app("--stand", unplaced, "--lang", lang)
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen)
    assert words in shown_text(top.body)
    d.press(pygame.K_ESCAPE)
    assert d.app.stack.top is d.hall and d.hall.floor.floor_id == "main"


def test_enter_on_an_unplaced_search_result_says_so(make_app, unplaced):
    d = make_app()
    d.click(d.hall.search.rect.center)
    d.type_text("Зета")
    assert [e.exhibitor_id for e in d.hall.results] == [unplaced]
    d.press(pygame.K_RETURN)
    assert d.hall.toast == "У экспонента «Зета <i>%{name}</i>» нет стенда на этажах выставки"
    assert d.app.stack.top is d.hall and not d.hall.visitor.walking
    d.click(d.hall.search.rect.center)
    d.type_text("Зета")
    [item] = d.hall.results_list.item_list_container.elements
    d.click(item.rect.center)  # a click on the result: the same
    assert "нет стенда" in d.hall.toast and d.app.running


def test_stand_packages_that_reach_outside_or_inflate_are_named_once_in_the_window(make_app, expo_dirs, tmp_path,
                                                                                    caplog):
    """Through the embedded server, as a visitor starts it: packages whose files leave their folder or whose logo is
    a decompression bomb open with placeholders, and each fault is in the window once (the server's import and the
    client's own reading of the same map must not both be listed), with no traceback anywhere."""
    import shutil

    from tests.content.pictures import huge_png

    maps, stands = expo_dirs
    mine = tmp_path / "my_stands"
    shutil.copytree(stands, mine)
    evil = write_package(mine / "evil", "Злые пути", logo="../../../../etc/passwd", video="/etc/hostname")
    with (evil / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[materials]]\ntitle = "Пароли"\nfile = "link.txt"\n')
    (evil / "link.txt").symlink_to("/etc/passwd")
    bomb = write_package(mine / "bomb", "Бомба", logo="logo.png")
    huge_png(bomb / "logo.png", 30000, 30000)
    d = make_app("--lang", "en", stands=mine)
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen) and d.hall is not None
    shown = _flat(shown_text(top.body))
    for words in ("evil/stand.toml: logo: '../../../../etc/passwd' leads outside the package folder",
                  "evil/stand.toml: video: '/etc/hostname' is an absolute path",
                  "evil/stand.toml: materials #1: 'link.txt' is a link to a file outside the package folder",
                  "bomb/stand.toml: logo: 'logo.png' is too big"):
        assert shown.count(_flat(words)) == 1, words
    assert shown.count("no stand package") == shown.count("has no stand package")  # each listed once
    assert len(re.findall(r"•", shown)) == len({p.identity for p in d.app.expo.problems if p.severity.value != "info"})
    assert "Traceback" not in caplog.text
    assert d.app.expo.exhibitors["evil"].video is None and d.app.expo.exhibitors["evil"].materials == ()
