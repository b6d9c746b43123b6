"""The personal route in the hall, through the real app loop: planning it with the keys, the panel and the stand
window; the best order off the main thread; guidance (interrupted and resumed); visits by dwelling and opening;
--route; and keeping it in step with the real server (an offline edit merged, a conflict left to the visitor)."""

from __future__ import annotations

import pygame
import pytest

from expo_hall.notices import NoticeScreen
from expo_hall.route.ordering import plan_route
from expo_hall.stands.stand_screen import StandScreen
from tests.driver import shown_text
from tests.test_hall_backend import _free_port, _serve


def _hover(d, exhibitor_id: str) -> None:  # noqa: ANN001
    place = d.app.expo.place_of(exhibitor_id)
    r = place.rect
    d.move_mouse(d.on_screen((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2))
    assert d.hall.hovered == place


def _server_route(d):  # noqa: ANN001, ANN202
    from expo_hall.net import ApiClient

    client = ApiClient(d.app.backend.client.base_url, d.app.backend.client.token)
    try:
        return client.route()
    finally:
        client.close()


def test_stops_are_added_reordered_and_removed_through_the_hall_and_kept_on_the_server(make_app, tmp_path):
    d = make_app()
    d.settle()
    _hover(d, "alpha")
    assert d.hall.routes.stand_tag(d.hall.hovered) == "R — добавить в мой маршрут"
    d.press(pygame.K_r)
    assert d.hall.routes.stand_tag(d.hall.hovered) == "Остановка 1 вашего маршрута · R — убрать"
    _hover(d, "beta")
    d.press(pygame.K_r)
    route = d.app.route
    assert route.stops == ["alpha", "beta"]
    assert d.hall.route_button.text.endswith("0/2")
    d.press(pygame.K_p)  # the panel
    panel = d.hall.routes.panel
    assert panel is not None and panel.rows["beta"].text == "2. Школа <b>Роста</b> %{name}"  # literally
    assert panel.places["beta"].text == "Стенд A-2 · Главный зал"
    d.click(panel.rows["beta"].rect.center)
    d.press(pygame.K_PAGEUP)
    assert route.stops == ["beta", "alpha"]
    rows = d.hall.routes.panel.rows  # drag beta below alpha again
    start, end = rows["beta"].rect.center, (rows["alpha"].rect.centerx, rows["alpha"].rect.bottom + 4)
    d.post(pygame.MOUSEMOTION, pos=start, rel=(0, 0), buttons=(0, 0, 0), touch=False)
    d.post(pygame.MOUSEBUTTONDOWN, pos=start, button=1, touch=False)
    d.frames(1)
    for y in range(start[1], end[1] + 1, 6):
        d.post(pygame.MOUSEMOTION, pos=(start[0], y), rel=(0, 6), buttons=(1, 0, 0), touch=False)
        d.frames(1)
    assert d.hall.routes.panel.dragging == "beta"
    d.post(pygame.MOUSEBUTTONUP, pos=end, button=1, touch=False)
    d.frames(3)
    assert route.stops == ["alpha", "beta"] and d.hall.routes.panel.dragging is None
    d.click(d.hall.routes.panel.remove_buttons["alpha"].rect.center)
    assert route.stops == ["beta"]
    d.hall.click_stand(d.app.expo.place_of("gamma"))  # the stand window says it is not on the route, and adds it
    d.until(lambda: isinstance(d.app.stack.top, StandScreen))
    stand = d.app.stack.top
    assert stand.route_button.text == "В мой маршрут"
    d.click(stand.route_button.rect.center)
    assert route.stops == ["beta", "gamma"] and stand.route_button.text == "В маршруте: убрать"
    d.press(pygame.K_ESCAPE)
    d.click(d.hall.search.rect.center)  # a search result's "+"
    d.type_text("магистратура")
    [plus] = [b for b in d.hall.result_buttons.buttons if b.visible]
    assert plus.text == "+"
    d.click(plus.rect.center)
    assert route.stops == ["beta", "gamma", "epsilon"] and plus.text == "−"
    d.click(plus.rect.center)
    d.hall.close_search()
    d.frames(2)
    assert route.stops == ["beta", "gamma"] and not any(b.visible for b in d.hall.result_buttons.buttons)
    d.until(lambda: list(_server_route(d).planned) == ["beta", "gamma"], max_frames=300)
    assert '"stops": [\n  "beta",\n  "gamma"\n ]' in (tmp_path / "data" / "route.json").read_text(encoding="utf-8")


def test_best_order_runs_off_the_main_thread_and_keeps_the_visitors_order_until_asked(make_app):
    d = make_app("--route", "epsilon,beta,alpha,gamma")
    ctl = d.hall.routes
    assert d.app.route.stops == ["epsilon", "beta", "alpha", "gamma"]  # the visitor's order, until they ask
    d.until(lambda: not ctl.sync.busy and not d.app.route.dirty)  # the server's answer would build the panel again
    d.press(pygame.K_p)  # between the press and the release below
    at = ctl.panel.buttons["best"].rect.center
    d.post(pygame.MOUSEMOTION, pos=at, rel=(0, 0), buttons=(0, 0, 0), touch=False)
    d.post(pygame.MOUSEBUTTONDOWN, pos=at, button=1, touch=False)
    d.frames(1)
    d.post(pygame.MOUSEBUTTONUP, pos=at, button=1, touch=False)
    d.frames(1)  # the frame that took the press: it asked, and did not wait for the answer
    assert ctl.planning and d.app.route.stops[0] == "epsilon" and ctl.note == "Подбираем лучший порядок…"
    d.until(lambda: not ctl.planning)
    v = d.hall.visitor
    from expo_hall.route.costs import Spot

    expected = plan_route(d.app.expo, Spot("main", v.x, v.y), ["epsilon", "beta", "alpha", "gamma"])
    assert d.app.route.stops == expected.order and expected.order[-1] == "epsilon"  # upstairs last, by the lift
    assert " м, около " in ctl.note and ctl.panel.summary.text == ctl.note
    d.click(ctl.panel.buttons["stairs"].rect.center)  # a preference, kept with the route
    assert d.app.route.avoid_stairs and ctl.panel.buttons["stairs"].text == "Без лестниц: да"
    assert ctl.walking().avoid_stairs


def test_guidance_is_interrupted_by_the_keyboard_resumed_and_crosses_floors_to_open_each_stop(make_app):
    d = make_app("--route", "beta,epsilon")
    ctl, v = d.hall.routes, d.hall.visitor
    d.until(lambda: not d.hall.route_busy)  # the lines are worked out off the main thread
    main = ctl.overlay.floors["main"]
    assert [(m.index, m.exhibitor_id) for m in main.stops] == [(0, "beta")]
    assert [(c.to_stop, c.to_floor) for c in main.changes] == [(1, "upper")]  # the lift, marked with where it leads
    assert [m.exhibitor_id for m in ctl.overlay.floors["upper"].stops] == ["epsilon"]
    d.press(pygame.K_g)
    assert ctl.guiding and v.walking
    d.frames(10)
    d.hold(pygame.K_DOWN, 0.2)  # the keyboard takes over
    assert not ctl.guiding and not v.walking and d.hall.toast.startswith("Ведение приостановлено")
    d.frames(30)
    assert not v.walking and not isinstance(d.app.stack.top, StandScreen)
    d.press(pygame.K_g)  # resumed
    d.until(lambda: isinstance(d.app.stack.top, StandScreen))
    assert d.app.stack.top.exhibitor.exhibitor_id == "beta" and d.app.route.visited["beta"].how == "opened"
    d.press(pygame.K_ESCAPE)
    d.press(pygame.K_g)  # the next stop is upstairs: the lift, then the stand
    d.until(lambda: isinstance(d.app.stack.top, StandScreen), max_frames=2000)
    assert d.hall.floor.floor_id == "upper" and d.app.stack.top.exhibitor.exhibitor_id == "epsilon"
    assert d.app.route.progress() == (2, 2) and not ctl.guiding


def test_standing_five_seconds_at_a_stands_front_counts_as_a_visit(make_app):
    d = make_app("--route", "alpha,beta")
    front = d.hall.visitor.nav.fronts["A-1"]
    d.hall.visitor.x, d.hall.visitor.y = front.x, front.y
    d.frames(9, dt=0.5)  # 4.5 s of the app's clock
    assert "alpha" not in d.app.route.visited
    d.frames(2, dt=0.5)
    assert d.app.route.visited["alpha"].how == "dwell" and d.app.route.progress() == (1, 2)
    assert d.hall.route_button.text.endswith("1/2")
    d.until(lambda: [s.exhibitor_id for s in _server_route(d).visited] == ["alpha"], max_frames=300)


def test_route_on_the_command_line_names_unknown_ids_with_the_closest(make_app):
    d = make_app("--route", "beta,alpah,gamma")
    assert d.app.route.stops == ["beta", "gamma"]
    notice = d.app.stack.top
    assert isinstance(notice, NoticeScreen)
    text = shown_text(notice.body)
    assert "«alpah» нет на выставке" in text and "имели в виду: alpha" in text
    d.until(lambda: list(_server_route(d).planned) == ["beta", "gamma"], max_frames=300)


def test_a_route_argument_without_ids_is_refused_with_a_message(capsys):
    from expo_hall.settings import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--route", " , "])
    assert "expected exhibitor ids joined by commas" in capsys.readouterr().err


def test_an_offline_edit_is_merged_and_a_conflict_is_offered_as_a_choice(expo_dirs, tmp_path):
    from expo_hall.app import App
    from expo_hall.net import ApiClient
    from expo_hall.settings import parse_args
    from tests.driver import Driver

    maps, stands = expo_dirs
    db = tmp_path / "remote.sqlite3"
    port = _free_port()
    server = _serve(maps, stands, db, port)
    app = App(parse_args(["--server", f"http://127.0.0.1:{port}", "--data-dir", str(tmp_path / "data"),
                          "--lang", "ru", "--window", "1280x800"]))
    d = Driver(app)
    try:
        d.wait_ready()
        ctl, route = d.hall.routes, app.route
        d.until(lambda: d.hall.online is True)
        ctl.toggle("alpha")
        d.until(lambda: route.version == 1 and not route.dirty)
        server.stop()
        ctl.toggle("beta")  # offline: the edit waits, kept on disk
        d.until(lambda: d.hall.online is False, max_frames=100000)
        assert route.dirty
        server = _serve(maps, stands, db, port)
        d.until(lambda: list(_server_route(d).planned) == ["alpha", "beta"] and not route.dirty, max_frames=100000)
        assert route.version == 2

        server.stop()
        ctl.remove("alpha")  # mine: beta only
        d.until(lambda: d.hall.online is False, max_frames=100000)
        elsewhere_port = _free_port()  # meanwhile, the same visitor on another machine changes the route
        elsewhere = _serve(maps, stands, db, elsewhere_port)
        other = ApiClient(f"http://127.0.0.1:{elsewhere_port}", app.backend.client.token)
        other.put_route(["gamma", "alpha", "beta"], 2)
        other.close()
        elsewhere.stop()
        server = _serve(maps, stands, db, port)
        d.until(lambda: route.conflict is not None, max_frames=100000)
        assert route.stops == ["beta"] and list(_server_route(d).planned) == ["gamma", "alpha", "beta"]  # untouched
        assert ctl.panel is not None and d.hall.toast.startswith("Маршрут изменили и на другом устройстве")
        buttons = ctl.panel.buttons
        assert {"resolve_mine", "resolve_theirs", "resolve_merge"} <= set(buttons)
        d.click(buttons["resolve_merge"].rect.center)
        assert route.conflict is None and route.stops == ["gamma", "beta"]  # theirs, without the one I took off
        d.until(lambda: list(_server_route(d).planned) == ["gamma", "beta"] and not route.dirty, max_frames=100000)
    finally:
        app.close()
        server.stop()


def test_a_route_the_server_refuses_is_kept_here_and_the_refusal_named(make_app, expo_dirs):
    data = expo_dirs[0].parent / "data"
    data.mkdir()
    (data / "route.json").write_text('{"format": 1, "stops": ["alpha", "omega"], "dirty": true}', encoding="utf-8")
    d = make_app()  # omega was taken off the expo since this route was made
    ctl = d.hall.routes
    d.until(lambda: ctl.sync.refused is not None, max_frames=300)
    assert d.app.route.stops == ["alpha", "omega"] and '"omega"' in (data / "route.json").read_text(encoding="utf-8")
    said = ("Сервер не знает «omega»: их больше нет на выставке. Маршрут сохранён на этом компьютере; уберите их, "
            "чтобы отправить его снова.")
    assert d.hall.toast == said
    d.press(pygame.K_p)
    assert " ".join(shown_text(ctl.panel.refusal).split()) == said
    assert ctl.panel.places["omega"].text == "стенда нет на этажах"
    ctl.remove("omega")
    d.until(lambda: list(_server_route(d).planned) == ["alpha"] and not d.app.route.dirty, max_frames=300)
    assert ctl.sync.refused is None and ctl.panel.refusal is None


def test_recommended_routes_are_listed_and_copied_replacing_or_after_the_visitors_own(make_app, expo_dirs):
    routes = expo_dirs[0].parent / "routes"  # beside the maps, where the embedded server reads them
    routes.mkdir()
    (routes / "teachers.toml").write_text('title = "Учителям"\ntitle_en = "For teachers"\ndescription = "Сначала '
                                          '<b>Роста</b>"\nstops = ["beta", "alpha"]\n', encoding="utf-8")
    d = make_app()
    ctl, route = d.hall.routes, d.app.route
    d.until(lambda: not ctl.sync.busy, max_frames=300)
    assert ctl.recommended is None  # not asked for at start
    d.press(pygame.K_p)
    d.click(ctl.panel.buttons["switch"].rect.center)
    panel = ctl.panel
    assert ctl.recommended_asked  # asked for now that they are wanted
    d.until(lambda: "teachers" in panel.take_buttons and not ctl.sync.busy, max_frames=300)
    assert panel.showing_recommended and shown_text(panel.descriptions["teachers"]) == "Сначала <b>Роста</b>"
    d.click(panel.take_buttons["teachers"].rect.center)  # an empty route: taken at once
    assert route.stops == ["beta", "alpha"] and not panel.showing_recommended
    assert d.hall.toast == "Теперь ваш маршрут — «Учителям»"
    ctl.remove("alpha")
    ctl.add("gamma")
    for choice, stops in (("cancel", ["beta", "gamma"]), ("append", ["beta", "gamma", "alpha"]),
                          ("replace", ["beta", "alpha"])):
        d.until(lambda: not ctl.sync.busy and not route.dirty, max_frames=300)  # no rebuild under the clicks
        if not panel.showing_recommended:  # (after "cancel" the list stays)
            d.click(panel.buttons["switch"].rect.center)
        d.click(panel.take_buttons["teachers"].rect.center)  # not empty: replace, append or cancel?
        asked = " ".join(shown_text(panel.ask).split())
        assert asked.startswith(f"В вашем маршруте остановок: {len(route.stops)}. Заменить его маршрутом «Учителям»")
        d.click(panel.buttons[choice].rect.center)
        assert route.stops == stops and panel.offer is None
    d.until(lambda: list(_server_route(d).planned) == ["beta", "alpha"] and not route.dirty, max_frames=300)


def test_visits_off_the_route_are_marked_time_at_stands_counted_and_the_walk_sampled(make_app, expo_dirs):
    from expo_hall.route.overlay import VISITED
    from expo_hall.route.store import Route

    d = make_app("--route", "alpha")
    ctl, route, hall = d.hall.routes, d.app.route, d.hall
    d.hall.click_stand(d.app.expo.place_of("gamma"))  # not on the route
    d.until(lambda: isinstance(d.app.stack.top, StandScreen))
    walked = list(route.walked)
    assert walked and len(walked) <= 1 + max(p[3] for p in walked) - min(p[3] for p in walked)  # one a second at most
    d.frames(8, dt=0.5)  # 4 s with its window open
    d.press(pygame.K_ESCAPE)
    front = hall.visitor.nav.fronts["A-3"]
    assert (round(hall.visitor.x), round(hall.visitor.y)) == (round(front.x), round(front.y))
    d.frames(4, dt=0.5)  # and 2 s more at its front
    assert route.visited["gamma"].how == "opened" and route.stops == ["alpha"]
    assert 5.9 <= route.spent["gamma"] <= 6.6
    screen = pygame.Surface(d.app.size)
    hall.draw(screen)
    x, y = hall.camera.to_screen(hall._visited_here()[0].x1, hall._visited_here()[0].y0)
    r = max(7, round(10 * hall.camera.zoom))
    assert tuple(screen.get_at((x - r - 3, y + 4)))[:3] == VISITED  # the tick's disc, above the tick
    assert hall._route_on_minimap() is not None
    d.press(pygame.K_p)
    assert ctl.panel.places["alpha"].text == "Стенд A-1 · Главный зал"
    ctl.add("gamma")
    assert ctl.panel.places["gamma"].text.endswith(" · 6 с у стенда")
    d.frames(32, dt=0.5)  # written now and then, not every frame
    assert route.spent["gamma"] >= 21  # still at its front: the panel's line grew with it
    assert ctl.panel.places["gamma"].text.endswith(f" · {round(route.spent['gamma'])} с у стенда")
    assert 0 < ctl.place_changes_in() <= 1.01  # an idle loop wakes for its next second
    kept = Route.load(route.path)
    assert kept.spent["gamma"] >= 6 and kept.walked == route.walked and kept.visited.keys() == {"gamma"}
    d.click(ctl.panel.buttons["visit"].rect.center)  # "my visit", written off the main thread
    assert ctl.saving and ctl.panel.buttons["visit"].is_enabled is False
    d.until(lambda: not ctl.saving, max_frames=2000)
    folder = route.path.parent / "my-visit"
    assert d.hall.toast == f"Ваш визит сохранён в папку {folder}"
    assert sorted(p.name for p in folder.iterdir()) == ["main.png", "my-visit.pdf"] and ctl.saved[-1].stat().st_size
