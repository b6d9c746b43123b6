"""The hall driven through the real app loop with synthetic input."""

from __future__ import annotations

import shutil

import pygame
import pytest

from expo_hall.floors.renderer import CHUNK
from expo_hall.i18n import key, tr
from expo_hall.notices import NoticeScreen
from expo_hall.stands.stand_screen import StandScreen
from tests.driver import shown_text


def _walk_positions(d, frames):
    seen = []
    for _ in range(frames):
        d.frames(1)
        seen.append(d.hall.visitor.pos)
    return seen


def test_the_hall_opens_on_the_first_floor(make_app):
    d = make_app()
    hall = d.hall
    assert hall.floor.floor_id == "main" and hall.title.text == "Главный зал"
    assert d.app.stack.top is hall
    assert hall.visitor.pos == (100, 320)
    assert hall.renderer.chunks_rendered > 0  # drawn from chunks


def test_keys_walk_and_the_avatar_stops_at_floor_edges_and_stands(make_app):
    d = make_app()
    d.hold(pygame.K_LEFT, 1.0)
    assert d.hall.visitor.x == pytest.approx(10, abs=0.3)
    d.hold(pygame.K_w, 0.5)
    assert d.hall.visitor.y == pytest.approx(298, abs=0.3)  # A-1 stands beyond the boulevard's edge
    d = make_app("--floor", "upper")
    d.hold(pygame.K_d, 2.0)
    assert d.hall.visitor.x == pytest.approx(246, abs=0.3)  # the island stand B-1 blocks the way
    assert d.hall.visitor.y == 320


def test_clicking_an_alley_walks_there_along_the_alleys(make_app):
    d = make_app()
    d.click(d.on_screen(480, 300))  # scroll the camera near the cross alley first
    d.settle()
    d.click(d.on_screen(480, 60))
    hall = d.hall
    assert hall.visitor.walking
    seen = _walk_positions(d, 240)
    assert hall.visitor.pos == pytest.approx((480, 60), abs=0.5)
    assert all(hall.visitor.nav.is_free(x, y) for x, y in seen)
    assert any(x == pytest.approx(480, abs=1) and y > 200 for x, y in seen)  # went round by the crossing


def test_hover_shows_the_right_company_inside_the_window(make_app):
    d = make_app()
    d.move_mouse(d.on_screen(608, 240))
    assert d.hall.hovered.exhibitor_id == "beta"
    assert d.hall.popup_rect is not None and d.app.window.get_rect().contains(d.hall.popup_rect)
    d.move_mouse(d.on_screen(128, 240))
    assert d.hall.hovered.exhibitor_id == "alpha"
    d.move_mouse(d.on_screen(300, 320))  # the boulevard
    assert d.hall.hovered is None and d.hall.popup_rect is None
    corner = (d.app.size[0] - 3, d.app.size[1] // 2)  # a stand near the right edge: the card stays inside
    d.hall.camera.center_on((600, 240))
    d.hall.visitor.x, d.hall.visitor.y = 600, 302
    x, _ = d.on_screen(608, 240)
    if x < corner[0]:
        d.move_mouse((d.on_screen(668, 240)[0], d.on_screen(668, 240)[1]))
        assert d.app.window.get_rect().contains(d.hall.popup_rect)


def test_clicking_a_stand_walks_to_its_front_and_opens_it(make_app):
    d = make_app()
    d.click(d.on_screen(608, 240))
    assert d.hall.pending_open.number == "A-2"
    d.until(lambda: isinstance(d.app.stack.top, StandScreen))
    stand = d.app.stack.top
    assert stand.exhibitor.exhibitor_id == "beta"
    front = d.hall.visitor.nav.fronts["A-2"]
    assert d.hall.visitor.pos == (front.x, front.y)
    d.press(pygame.K_ESCAPE)
    assert d.app.stack.top is d.hall


def test_a_stand_no_alley_reaches_says_so(make_app):
    d = make_app()
    d.hall.camera.center_on((848, 64))
    d.frames(1)
    d.click(d.on_screen(848, 64))
    assert not d.hall.visitor.walking
    assert "A-9" in d.hall.toast and "нельзя подойти" in d.hall.toast


def test_walking_into_the_lift_changes_floor_and_lands_on_to_point(make_app):
    d = make_app()
    d.key_down(pygame.K_d)
    d.until(lambda: d.hall.floor.floor_id == "upper", max_frames=400)
    d.key_up(pygame.K_d)
    d.frames(1)
    assert d.hall.title.text == "Второй этаж"
    lift = d.hall.visitor.nav.point_nodes["Лифт"]
    assert d.hall.visitor.pos == pytest.approx(lift, abs=6)  # arrived at "Лифт", one frame's step at most
    assert "Второй этаж" in d.hall.toast


def test_the_floor_selector_changes_floor(make_app):
    d = make_app()
    menu = d.hall.floor_menu
    d.click(menu.rect.center)  # open
    d.frames(2)
    option = [b for b in menu.current_state.options_selection_list.item_list_container.elements
              if "Второй" in b.text][0]
    d.click(option.rect.center)
    d.frames(2)
    assert d.hall.floor.floor_id == "upper"
    assert d.hall.visitor.pos == d.hall.visitor.nav.point_nodes["spawn"]


def test_search_finds_by_name_category_and_description_and_goes_there(make_app):
    d = make_app()
    expo = d.app.expo
    assert [e.exhibitor_id for e in expo.search("солнышко")] == ["gamma"]
    assert [e.exhibitor_id for e in expo.search("высшее")] == ["epsilon"]
    assert [e.exhibitor_id for e in expo.search("программирования")] == ["alpha"]
    assert [e.exhibitor_id for e in expo.search("epsilon university")] == ["epsilon"]
    d.click(d.hall.search.rect.center)
    d.type_text("Солнышко")
    assert [e.exhibitor_id for e in d.hall.results] == ["gamma"]
    assert d.hall.results_list is not None
    d.press(pygame.K_RETURN)
    assert d.hall.pending_open.number == "A-3" and not d.app.typing()
    d.until(lambda: isinstance(d.app.stack.top, StandScreen))
    assert d.app.stack.top.exhibitor.exhibitor_id == "gamma"


def test_search_takes_the_visitor_to_another_floor(make_app):
    d = make_app()
    d.click(d.hall.search.rect.center)
    d.type_text("магистратура")
    [label] = list(d.hall._result_items)
    item = [b for b in d.hall.results_list.item_list_container.elements if b.text == label][0]
    d.click(item.rect.center)
    assert d.hall.floor.floor_id == "upper"
    d.until(lambda: isinstance(d.app.stack.top, StandScreen))
    assert d.app.stack.top.exhibitor.exhibitor_id == "epsilon"


def test_a_focused_text_field_swallows_movement_keys(make_app):
    d = make_app()
    d.click(d.hall.search.rect.center)
    assert d.app.typing()
    start = d.hall.visitor.pos
    for code, ch in ((pygame.K_d, "d"), (pygame.K_s, "s"), (pygame.K_RIGHT, "")):
        d.key_down(code, ch)
        if ch:
            d.post(pygame.TEXTINPUT, text=ch)
        d.frames(20)
        d.key_up(code)
    d.frames(5)
    assert d.hall.visitor.pos == start
    assert d.hall.search.get_text() == "ds"
    d.press(pygame.K_ESCAPE)  # leaves the field; now keys walk again
    assert not d.app.typing()
    d.hold(pygame.K_d, 0.3)
    assert d.hall.visitor.x > start[0]


def test_wheel_zooms_and_minimap_click_walks(make_app):
    d = make_app()
    zoom = d.hall.camera.zoom
    d.wheel(1)
    assert d.hall.camera.zoom > zoom
    d.wheel(-1)
    d.wheel(-1)
    assert d.hall.camera.zoom < zoom
    mini = d.hall.minimap
    target = (480, 320)
    d.click((mini.rect.x + round(target[0] * mini.scale), mini.rect.y + round(target[1] * mini.scale)))
    d.until(lambda: not d.hall.visitor.walking)
    assert d.hall.visitor.pos == pytest.approx(target, abs=mini.scale ** -1)


def test_start_on_floor_and_with_stand_open(make_app):
    d = make_app("--floor", "upper")
    assert d.hall.floor.floor_id == "upper"
    d = make_app("--stand", "epsilon")
    assert d.hall.floor.floor_id == "upper"
    top = d.app.stack.top
    assert isinstance(top, StandScreen) and top.exhibitor.exhibitor_id == "epsilon"
    assert top.stand.number == "B-1"


@pytest.mark.parametrize("args, expected", [
    (("--stand", "alpah"), ["alpah", "alpha"]),
    (("--floor", "uper"), ["uper", "upper"]),
])
def test_an_unknown_id_gets_a_message_with_the_closest_matches(make_app, args, expected):
    d = make_app(*args)
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen)
    text = shown_text(top.body)
    assert all(word in text for word in expected)
    assert d.hall.floor.floor_id == "main"  # the hall is open beneath
    d.press(pygame.K_ESCAPE)
    assert d.app.stack.top is d.hall


def test_content_is_shown_literally_never_as_markup(make_app):
    d = make_app("--stand", "beta")
    stand = d.app.stack.top
    assert shown_text(stand.name_box) == "Школа <b>Роста</b> %{name}"
    assert "<font size=9>русский</font>" in shown_text(stand.panel.body)
    d.press(pygame.K_ESCAPE)
    card = d.hall.popup.card(d.hall.floor.stand("A-2"))
    assert card.get_width() > 0


def test_stand_window_tabs_show_contacts_materials_and_webinars(make_app):
    d = make_app("--stand", "alpha")
    stand = d.app.stack.top
    d.click(stand.tab_buttons["contacts"].rect.center)
    assert stand.tab == "contacts"
    d.click(stand.tab_buttons["webinars"].rect.center)
    assert "Вебинары не запланированы" in shown_text(stand.panel.body)


def test_english_interface_and_names(make_app):
    d = make_app("--lang", "en")
    assert d.hall.title.text == "Main hall"
    d.click(d.on_screen(128, 240))
    d.until(lambda: isinstance(d.app.stack.top, StandScreen))
    assert shown_text(d.app.stack.top.name_box) == "Alpha Learning"
    assert tr("stand.tab.about") == "About" and d.app.stack.top.tab_buttons["about"].text == key("stand.tab.about")


def test_a_broken_map_shows_its_message_and_the_other_floors_open(make_app, expo_dirs):
    maps, _ = expo_dirs
    (maps / "broken.tmx").write_text("<map><objectgroup", encoding="utf-8")
    d = make_app()
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen)
    assert "maps/broken.tmx: это не карта Tiled (ошибка XML" in shown_text(top.body)  # in the user's language
    assert [f.floor_id for f in d.app.expo.floors] == ["main", "upper"]
    d.press(pygame.K_ESCAPE)
    d.hold(pygame.K_d, 0.2)
    assert d.hall.visitor.x > 100


def test_a_problem_on_a_named_object_is_shown_with_its_name(make_app, expo_dirs):
    _, stands = expo_dirs
    shutil.rmtree(stands / "beta")  # stand A-2 names a package that is gone
    d = make_app()
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen)
    assert "main.tmx: стенд A-2: у экспонента «beta» нет пакета стенда" in shown_text(top.body)


def test_no_floor_at_all_shows_a_message_not_a_black_screen(make_app, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    d = make_app(maps=empty)
    top = d.app.stack.top
    assert isinstance(top, NoticeScreen) and top.opaque
    assert "в папке нет этажей" in shown_text(top.body)
    d.frames(3)
    assert d.app.window.get_at((5, 5))[:3] != (0, 0, 0)


def test_the_top_bar_opens_the_briefcase(make_app):
    from expo_hall.briefcase.screen import BriefcaseScreen

    d = make_app()
    d.click(d.hall.briefcase_button.rect.center)
    assert isinstance(d.app.stack.top, BriefcaseScreen)
    assert d.app.briefcase.folder.parent.name == "data"  # the test's --data-dir, never the user's folder
    d.press(pygame.K_ESCAPE)
    assert d.app.stack.top is d.hall


def test_floor_surfaces_stay_within_one_budget_and_a_revisited_floor_draws_the_same_pixels(make_app):
    d = make_app()
    hall, budget = d.hall, d.app.surfaces
    main = hall.renderer
    d.frames(10)
    before = {k: pygame.image.tobytes(s, "RGB") for k, s in main.kept_chunks().items()}
    assert before and any(k[0] == "logo" for k in budget.kept(lambda k: True))  # the logos are in it too
    budget.rooms["chunk"] = 3 * CHUNK * CHUNK * 4  # three chunks
    hall.change_floor("upper")
    d.frames(10)
    assert budget.evicted > 0 and budget.used("chunk") <= budget.rooms["chunk"]
    assert not main.kept_chunks()  # the floor left went first
    rendered = main.chunks_rendered
    hall.change_floor("main")
    d.frames(10)
    after = {k: pygame.image.tobytes(s, "RGB") for k, s in main.kept_chunks().items()}
    assert main.chunks_rendered > rendered and after.keys() & before.keys()
    assert all(after[k] == before[k] for k in after.keys() & before.keys())
