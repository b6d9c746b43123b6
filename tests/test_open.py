"""Opening the hall on a remote server: few requests at start, none again for what a stand's tabs already have,
and from the cache, read-only, when the server does not answer, with what is typed meanwhile sent once it does.

The server is the real one on loopback, with every request it gets written down (tests/net/conftest.Counted).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from expo_hall.chat import PUBLIC
from expo_hall.loading import LoadingScreen
from expo_hall.notices import NoticeScreen
from expo_hall.stands.panels.chat import ChatPanel
from expo_hall.stands.stand_screen import StandScreen
from tests.driver import shown_text
from tests.net.conftest import Server, until
from tests.stands.test_chat import texts, type_and_enter


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def remote(expo_dirs, tmp_path) -> Iterator[Server]:
    server = Server(expo_dirs, f"sqlite:///{tmp_path / 'remote.sqlite3'}", port=_free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def open_app(remote, expo_dirs, tmp_path):  # noqa: ANN201
    """Start the app on `remote` (`--server`), each time with the same data folder (identity, outbox, cache)."""
    from expo_hall.app import App
    from expo_hall.settings import parse_args
    from tests.driver import Driver, Started

    started = Started()

    def start(*argv: str, ready: bool = True) -> Driver:
        return started.drive(App(parse_args(["--server", remote.url, "--data-dir", str(tmp_path / "data"),
                                             "--lang", "ru", "--window", "1280x800", *argv])), ready)

    yield start
    started.close()


def asked(server: Server) -> list[str]:
    """The paths the server was asked for since the last call (and forget them), but the long poll that follows
    stands going live: it waits, and goes out again only when one did (or its wait is over)."""
    paths = [path for _method, path in server.requests if path != "/api/v1/expo/changes"]
    server.requests.clear()
    return paths


def test_a_start_makes_a_few_requests_and_the_next_one_fewer(open_app, remote):
    d = open_app()
    d.app.close()  # what the start asked for after the hall opened (the route's sync) counts for it, not the next
    first = asked(remote)
    assert first.count("/api/v1/expo") == 1
    stands = [p for p in first if p.startswith("/api/v1/exhibitors/") and not p.endswith("/logo")]
    assert not stands  # nothing one exhibitor at a time
    assert len(first) <= 4 + 4 + 4 + 1  # health, register, the expo, a status check; four logos; the maps' files;
    # the visitor's route

    open_app()
    again = asked(remote)
    assert again.count("/api/v1/expo") == 1  # answered 304: the cache's copy is current
    assert [p for p in again if "/files/" in p or p.endswith("/logo")] == []
    assert len(again) <= 5  # health at start and the monitor's, /me, the expo (304), the visitor's route


def test_the_stand_tabs_ask_for_no_exhibitor_data(open_app, remote):
    d = open_app("--stand", "alpha")
    stand = d.app.stack.top
    assert isinstance(stand, StandScreen)
    alpha = d.app.expo.exhibitors["alpha"]
    assert alpha.room_id is not None and alpha.room_id > 0
    asked(remote)
    for tab in ("materials", "chat", "about", "contacts", "webinars"):
        if tab in stand.tab_buttons:
            d.click(stand.tab_buttons[tab].rect.center)
    d.click(stand.tab_buttons["chat"].rect.center)
    panel = stand.panel
    assert isinstance(panel, ChatPanel)
    d.until(lambda: all(r.loaded for r in panel.chat.rooms.values()), max_frames=3000)
    assert panel.chat.rooms[PUBLIC].room_id == alpha.room_id
    paths = asked(remote)
    assert "/api/v1/exhibitors/alpha" not in paths and "/api/v1/expo" not in paths
    assert f"/api/v1/rooms/{alpha.room_id}/messages" in paths  # the tab's own live data


def test_without_the_server_the_hall_opens_from_the_cache_and_what_is_typed_goes_when_it_is_back(
        open_app, remote, tmp_path, capsys):
    from expo_hall.net.publish import publish
    from expo_hall.server.cli import main as server_cli
    from tests.server.test_publishing import package

    open_app().app.close()  # a first start fills the cache and registers the visitor
    remote.stop()

    d = open_app("--stand", "alpha")
    assert d.app.offline_copy is not None
    notice = next(s for s in d.app.stack.screens if isinstance(s, NoticeScreen))
    assert "не отвечает" in shown_text(notice.body) and remote.url in shown_text(notice.body)
    said = d.hall.net_label.text  # the copy's date where the bar has room for it (not at 1280 px)
    assert d.hall.online is False and (said.startswith("• без связи · копия ") or said == "• нет связи")
    assert d.app.expo.exhibitors["beta"].logo is not None and d.hall.floor.floor_id == "main"
    notice.close()

    stand = d.app.stack.top
    assert isinstance(stand, StandScreen)
    d.click(stand.tab_buttons["chat"].rect.center)
    panel = stand.panel
    assert isinstance(panel, ChatPanel)
    type_and_enter(d, panel, "Написано без связи")
    d.frames(2)
    assert [m.text for m in d.app.backend.network.outbox.pending()] == ["Написано без связи"]

    remote.start()  # the same port and database: the visitor's token is known there
    room = d.app.expo.exhibitors["alpha"].room_id
    client = d.app.backend.client
    until(lambda: [m.text for m in client.history(room).messages] == ["Написано без связи"], timeout=60)
    d.until(lambda: d.hall.online is True and "Написано без связи" in texts(panel, PUBLIC), max_frames=3000)
    assert "копия" not in d.hall.net_label.text
    assert d.app.backend.network.outbox.pending() == []

    # a stand published meanwhile reaches the hall opened from the copy, without a restart
    assert server_cli(["token", "--stand", "alpha", "--name", "Представитель", "--db", remote.db_url]) == 0
    token = capsys.readouterr().out.strip()
    assert publish(package(tmp_path / "alpha", "Опубликовано после копии."), remote.url, token).version.state == "live"
    d.until(lambda: d.app.expo.exhibitors["alpha"].description == "Опубликовано после копии.", max_frames=100000)


def test_without_the_server_and_without_a_cache_the_loading_screen_says_so(open_app, remote):
    remote.stop()
    d = open_app(ready=False)
    loading = d.app.stack.top
    assert isinstance(loading, LoadingScreen)
    d.until(lambda: loading.error is not None, max_frames=100000)
    assert "не отвечает" in loading.message() and not d.app.ready


def _many_logos(root, n: int = 30):  # noqa: ANN001, ANN202
    """A floor of `n` stands in one row band, each with a red logo: enough for the logos to come as a pack."""
    from PIL import Image

    from expo_hall.floors.tmx_writer import FloorSketch, write_package

    sketch = FloorSketch("row", "Ряд", 32, 12).alley(0, 0, 1024, 64).point("spawn", 32, 32)
    for i in range(n):
        ex = f"ex{i:02d}"
        sketch.stand(f"A-{i + 1}", ex, 64 * (i % 15) + 32, 96 + 96 * (i // 15), 64, 64)
        folder = write_package(root / "stands" / ex, f"Стенд {i}", logo="logo.png")
        Image.new("RGB", (48, 48), (255, 0, 0)).save(folder / "logo.png")
    (root / "maps").mkdir()
    sketch.write(root / "maps" / "row.tmx")
    return root / "maps", root / "stands"


def _red(surface) -> int:  # noqa: ANN001
    """Pixels of the logos' red (scaled: 254, 2, 2), which no placeholder's colour comes near."""
    import numpy as np
    import pygame

    rgb = pygame.surfarray.array3d(surface)
    return int(np.count_nonzero((rgb[..., 0] >= 250) & (rgb[..., 1] <= 5) & (rgb[..., 2] <= 5)))


def test_many_logos_come_after_the_hall_opens_and_are_drawn(tmp_path):
    from expo_hall.app import App
    from expo_hall.settings import parse_args
    from tests.driver import Started

    server = Server(_many_logos(tmp_path), f"sqlite:///{tmp_path / 'remote.sqlite3'}", port=_free_port()).start()
    started = Started()
    try:
        d = started.drive(App(parse_args(["--server", server.url, "--data-dir", str(tmp_path / "data"),
                                           "--lang", "ru", "--window", "1280x800"])), ready=False)
        d.wait_ready()  # the hall is up, its first frame drawn: the logos' event is handled at the next frame
        app = d.app
        assert app.logos_pending and all(ex.logo is None for ex in app.expo.exhibitors.values())
        assert _red(app.window) == 0  # placeholders
        d.until(lambda: not app.logos_pending)
        d.frames(1)
        assert all(ex.logo is not None and ex.logo.is_file() for ex in app.expo.exhibitors.values())
        assert _red(app.window) > 30 * 100  # every stand's logo, on the floor drawn anew
        app.close()

        again = started.drive(App(parse_args(["--server", server.url, "--data-dir", str(tmp_path / "data"),
                                               "--lang", "ru", "--window", "1280x800"])))
        assert not again.app.logos_pending  # all in the cache: decoded before the hall opened
        assert _red(again.app.window) > 30 * 100
    finally:
        started.close()
        server.stop()


def test_a_stand_window_and_the_route_panel_open_before_the_logos_came_show_them(tmp_path):
    from pygame_gui.elements import UIImage

    from expo_hall.app import App
    from expo_hall.settings import parse_args
    from expo_hall.stands.stand_screen import StandScreen
    from tests.driver import Started

    server = Server(_many_logos(tmp_path), f"sqlite:///{tmp_path / 'remote.sqlite3'}", port=_free_port()).start()
    started = Started()
    try:
        d = started.drive(App(parse_args(["--server", server.url, "--data-dir", str(tmp_path / "data"),
                                           "--lang", "ru", "--window", "1280x800", "--stand", "ex07",
                                           "--route", "ex01,ex02"])), ready=False)
        d.wait_ready()
        stand = d.app.stack.top
        assert isinstance(stand, StandScreen) and d.app.logos_pending and _red(stand.logo.image) == 0
        d.hall.routes.toggle_panel()  # the route panel's rows, built before the logos came

        def row_red() -> int:
            return sum(_red(e.image) for e in d.hall.routes.panel.area.get_container().elements
                       if isinstance(e, UIImage))

        assert row_red() == 0
        d.until(lambda: not d.app.logos_pending)
        assert stand.exhibitor.logo is not None and _red(stand.logo.image) > 100
        assert row_red() > 2 * 100  # the panel's rows drew them too
    finally:
        started.close()
        server.stop()
