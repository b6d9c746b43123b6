"""The hall on its backend: content over HTTP from the embedded server or a remote one, online status, visits."""

from __future__ import annotations

import datetime as dt
import socket

from expo_hall.loading import LoadingScreen
from expo_hall.stands.stand_screen import StandScreen


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(maps, stands, db, port: int = 0):  # noqa: ANN001, ANN202
    from expo_hall.server.app import create_app
    from expo_hall.server.db import make_engine
    from expo_hall.server.embedded import serve_in_thread
    from expo_hall.server.importer import import_folders
    from expo_hall.server.settings import Settings

    settings = Settings(db_url=f"sqlite:///{db}")
    engine = make_engine(settings.db_url)
    import_folders(engine, maps, stands, dt.datetime.now(dt.UTC))
    return serve_in_thread(create_app(settings, engine), port=port, engine=engine)


def test_by_default_the_hall_runs_its_own_server_and_reads_content_over_http(make_app, tmp_path):
    d = make_app(fresh_database=True)  # a first start: the embedded server creates its database
    backend = d.app.backend
    assert backend is not None and backend.server is not None and backend.client.base_url.startswith("http://127.")
    alpha = d.app.expo.exhibitors["alpha"]
    assert alpha.logo is not None and (tmp_path / "data" / "cache") in alpha.logo.parents  # downloaded, cached
    assert d.hall.floor.source.is_relative_to(tmp_path / "data" / "cache")  # the map too
    d.until(lambda: d.hall.online is True, max_frames=600)
    assert d.hall.net_label.text.endswith("онлайн")


def test_opening_a_stand_records_a_visit_the_organizers_can_count(make_app, tmp_path, capsys):
    from expo_hall.net import ApiClient
    from expo_hall.server.cli import main as server_cli

    d = make_app("--stand", "alpha")
    assert isinstance(d.app.stack.top, StandScreen)
    # the organizer's token, issued by the server's own command on the client's embedded database
    assert server_cli(["token", "--admin", "--name", "Организатор", "--db",
                       f"sqlite:///{tmp_path / 'data' / 'server.sqlite3'}"]) == 0
    organizer = ApiClient(d.app.backend.client.base_url, capsys.readouterr().out.strip())
    stats = None
    for _ in range(200):  # the visit goes out on a worker thread
        d.frames(1)
        stats = organizer.stand_stats("alpha")
        if stats.visits:
            break
    assert stats is not None and stats.visits == 1 and stats.unique_visitors == 1
    organizer.close()


def test_an_unreachable_server_says_so_and_retry_connects_when_it_is_back(make_app, expo_dirs, tmp_path):
    from expo_hall.app import App
    from expo_hall.settings import parse_args
    from tests.driver import Driver

    maps, stands = expo_dirs
    port = _free_port()
    app = App(parse_args(["--server", f"http://127.0.0.1:{port}", "--data-dir", str(tmp_path / "data"),
                          "--lang", "ru", "--window", "1280x800"]))
    d = Driver(app)
    try:
        loading = app.stack.top
        assert isinstance(loading, LoadingScreen)
        d.until(lambda: loading.error is not None, max_frames=100000)
        assert "не отвечает" in loading.message() and f"127.0.0.1:{port}" in loading.message()
        assert not app.ready
        server = _serve(maps, stands, tmp_path / "remote.sqlite3", port)
        try:
            d.click(loading.retry.rect.center)
            d.wait_ready()
            assert app.backend.server is None  # a remote backend: the client started none
            assert d.hall.floor.floor_id == "main" and d.app.expo.exhibitors["beta"].name.startswith("Школа")
            d.until(lambda: app.net_status is not None and app.net_status.online, max_frames=600)
            server.stop()
            d.until(lambda: app.net_status is not None and not app.net_status.online, max_frames=100000)
            d.frames(2)
            assert d.hall.online is False and "нет связи" in d.hall.net_label.text
        finally:
            server.stop()
    finally:
        app.close()


def test_an_open_stand_shows_a_published_version_without_a_restart(make_app, tmp_path, capsys):
    from expo_hall.net.publish import publish
    from expo_hall.server.cli import main as server_cli
    from expo_hall.stands.logos import LOGO_MAX
    from tests.driver import shown_text
    from tests.server.test_publishing import package

    d = make_app("--stand", "alpha")
    window = d.app.stack.top
    assert isinstance(window, StandScreen) and "Новая версия" not in shown_text(window.panel.body)
    assert d.app.logos.get(window.exhibitor, LOGO_MAX).get_size() != (LOGO_MAX, LOGO_MAX)  # 3:2, not square
    drawn = d.hall.renderer.chunks_rendered
    assert server_cli(["token", "--stand", "alpha", "--name", "Представитель", "--db",
                       f"sqlite:///{tmp_path / 'data' / 'server.sqlite3'}"]) == 0
    token = capsys.readouterr().out.strip()
    result = publish(package(tmp_path / "alpha", "Новая версия стенда."), d.app.backend.client.base_url, token)
    assert result.version.state == "live"
    d.until(lambda: isinstance(d.app.stack.top, StandScreen) and d.app.stack.top is not window, max_frames=100000)
    fresh = d.app.stack.top
    assert fresh.exhibitor.description == "Новая версия стенда." and fresh.tab == "about"
    assert "Новая версия стенда." in shown_text(fresh.panel.body)
    assert d.app.expo.exhibitors["alpha"].description == "Новая версия стенда."
    assert d.app.expo.search("Новая версия") == [d.app.expo.exhibitors["alpha"]]
    assert d.app.logos.get(fresh.exhibitor, LOGO_MAX).get_size() == (LOGO_MAX, LOGO_MAX)  # the new one; on the floor:
    d.until(lambda: d.hall.renderer.chunks_rendered > drawn)  # the floor's pieces with the stand are drawn again
