"""Publishing a stand (server/uploads.py, server/versions.py, net/publish.py, `expo-hall publish`): uploads judged by
their content with nothing stored when refused, names that never reach the disk, versions and their review, and
visitors' clients that see a published change. One server per module (a second one with --review)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from expo_hall.commands import publish as publish_command
from expo_hall.net import ApiClient
from expo_hall.net.expo_source import fetch_expo
from expo_hall.net.publish import NotPublishable, publish
from expo_hall.server import db
from tests.server.conftest import BACKENDS, TestServer, fresh_db_url, start_server
from tests.stands.test_validate import GOOD, docx, pdf, picture, zip_bomb

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200)
HTML = b"<!DOCTYPE html><html><head><title>logo</title></head><body><script>alert(1)</script></body></html>"
NO_VIDEO = GOOD.replace('video = "video.mp4"\n', "")


@pytest.fixture(scope="module", params=BACKENDS)
def srv(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
        expo_dirs: tuple[Path, Path]) -> Iterator[TestServer]:
    server = start_server(fresh_db_url(request.param, tmp_path_factory.mktemp("publish")), expo_dirs)
    server.expo_root = expo_dirs[0].parent
    yield server
    server.embedded.stop()


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory, expo_dirs: tuple[Path, Path]) -> Iterator[TestServer]:
    server = start_server(f"sqlite:///{tmp_path_factory.mktemp('review') / 'server.sqlite3'}", expo_dirs,
                          review=True, fair="2020-04-27")  # SQLite only: on PostgreSQL both would share one database
    yield server
    server.embedded.stop()


def content_dir(srv: TestServer) -> Path:
    """The server's content store, where start_server puts it: beside an SQLite database, else beside the expo."""
    if srv.db_url.startswith("sqlite"):
        return Path(srv.db_url.removeprefix("sqlite:///")).parent / "content"
    return srv.expo_root / "content"


def package(folder: Path, description: str = "Курсы для учителей.") -> Path:
    """A stand package without faults (logo, a PDF, a DOCX; no video), its description as given."""
    folder.mkdir(parents=True)
    (folder / "stand.toml").write_text(NO_VIDEO.replace("Курсы для учителей.", description), encoding="utf-8")
    picture(folder / "logo.png", (256, 256))
    pdf(folder / "files" / "booklet.pdf")
    docx(folder / "files" / "programme.docx")
    return folder


def content_files(srv: TestServer) -> set[str]:
    folder = content_dir(srv)
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def uploads(srv: TestServer) -> int:
    with srv.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(db.uploads)).scalar_one()


@pytest.mark.parametrize(("kind", "name", "data", "said"), [
    ("material", "brochure.pdf", ELF, "is a program (ELF)"),
    ("logo", "logo.png", HTML, "is a web page or markup (HTML)"),
    ("material", "programme.docx", None, "a zip bomb"),
])
def test_a_disguised_file_is_refused_by_its_content_and_nothing_is_stored(srv, tmp_path, kind, name, data, said):
    rep = srv.representative("alpha")
    body = data if data is not None else zip_bomb(tmp_path / name).read_bytes()
    before, count = content_files(srv), uploads(srv)
    r = rep.post(f"/stand/uploads/{kind}", params={"name": name}, data=body)
    assert r.status_code == 422, r.text
    assert name in r.json()["detail"] and said in r.json()["detail"] and "not stored" in r.json()["detail"]
    assert content_files(srv) == before and uploads(srv) == count


def test_a_path_in_an_upload_name_is_only_a_display_name(srv, tmp_path):
    rep = srv.representative("alpha")
    data = pdf(tmp_path / "x.pdf").read_bytes()
    before = content_files(srv)
    names = {}
    for given in ("../../../escape.pdf", "..\\..\\windows.pdf", "/etc/cron.d/job.pdf", "files/../../.hidden.pdf"):
        r = rep.post("/stand/uploads/material", params={"name": given}, data=data)
        assert r.status_code == 201, r.text
        names[given] = r.json()["name"]
    assert names == {"../../../escape.pdf": "escape.pdf", "..\\..\\windows.pdf": "windows.pdf",
                     "/etc/cron.d/job.pdf": "job.pdf", "files/../../.hidden.pdf": "hidden.pdf"}
    sha = r.json()["sha256"]
    assert content_files(srv) - before == {f"{sha}.pdf"}  # one copy, named by the server
    root = content_dir(srv).parent
    assert not [p for p in root.parent.rglob("*") if p.name in ("escape.pdf", "windows.pdf", "job.pdf", "hidden.pdf")]


def test_uploads_have_their_kind_s_limit_not_the_64_kib_body_limit(srv):
    rep = srv.representative("alpha")
    big_pdf = b"%PDF-1.4\n" + b"0" * 300_000 + b"\n%%EOF\n"  # over 64 KiB: taken
    assert rep.post("/stand/uploads/material", params={"name": "big.pdf"}, data=big_pdf).status_code == 201
    too_big = rep.post("/stand/uploads/logo", params={"name": "logo.png"}, data=b"\x89PNG" + bytes(10 * 1024 * 1024))
    assert too_big.status_code == 413 and "limit" in too_big.json()["detail"]
    chunked = rep.post("/stand/uploads/logo", params={"name": "logo.png"},
                       data=iter([b"\x89PNG" + bytes(1024 * 1024)] * 11))  # no Content-Length: counted as it comes
    assert chunked.status_code == 413 and "10 MB" in chunked.json()["detail"]
    visitor = srv.visitor()
    assert visitor.post("/stand/uploads/logo", params={"name": "a.png"}, data=b"x").status_code == 403


def test_a_publish_goes_live_and_open_clients_see_it(srv, tmp_path):
    token = srv.representative("alpha").token
    visitor = ApiClient(srv.url)
    cache = tmp_path / "cache"
    before = fetch_expo(visitor, cache)
    assert before.exhibitors["alpha"].description.startswith("Курсы\nпрограммирования")
    etag = srv.anonymous().get("/expo").headers["ETag"]
    seq = visitor.stand_changes(0, timeout=0).seq
    heard = []
    follower = threading.Thread(target=lambda: heard.append(visitor.stand_changes(seq, timeout=20)))
    follower.start()  # a visitor's client following changes, as the hall does
    steps: list[tuple[int, int]] = []
    result = publish(package(tmp_path / "alpha", "Новое описание стенда."), srv.url, token, progress=lambda s, t:
                     steps.append((s, t)))
    follower.join(30)
    assert result.version.number == 1 and result.version.state == "live"
    assert steps[-1][0] == steps[-1][1] > 0 and [s for s, _ in steps] == sorted(s for s, _ in steps)
    assert [(c.exhibitor_id, c.version) for c in heard[0].changes] == [("alpha", 1)]
    assert srv.anonymous().get("/expo").headers["ETag"] != etag
    after = fetch_expo(visitor, cache)  # a second start, or a refresh: the new description
    alpha = after.exhibitors["alpha"]
    assert alpha.description == "Новое описание стенда." and alpha.description_en == "Courses for teachers."
    assert [m.file_name for m in alpha.materials] == ["booklet.pdf", "programme.docx"]
    assert visitor.download(alpha.materials[0].url, tmp_path / "b.pdf").path.read_bytes()[:5] == b"%PDF-"
    history = ApiClient(srv.url, token).stand_versions()
    assert [(v.number, v.state, v.author) for v in history.versions] == [(1, "live", "Роман")]


def test_content_with_errors_is_refused_with_each_finding(srv):
    rep = srv.representative("beta")
    body = {"description": "Описание", "webinars": [
        {"title": "Рано", "starts": "2019-01-01T10:00:00+03:00", "duration_minutes": 60, "url": "https://a.example/1"}],
        "contacts": {"email": "not-an-address"}, "materials": [{"title": "Нет файла", "file": "0" * 64}]}
    r = rep.post("/stand/versions", json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "materials", 0, "file"]
    body["materials"] = []
    r = rep.post("/stand/versions", json=body)
    assert r.status_code == 422, r.text
    found = {(tuple(e["loc"]), e["type"]) for e in r.json()["errors"]}
    assert found == {(("body", "webinars", 0), "webinar_outside_fair"),
                     (("body", "contacts", "email"), "contact_email")}
    assert "—" in r.json()["errors"][0]["msg"]  # the fix follows the fault
    assert rep.get("/stand/versions").json()["versions"] == []


def test_with_review_a_version_waits_for_an_organizer(reviewed, tmp_path):
    rep, organizer, visitor = reviewed.representative("beta"), reviewed.organizer(), reviewed.visitor()
    token = rep.token
    first = publish(package(tmp_path / "v1", "Первая версия."), reviewed.url, token)
    assert (first.version.number, first.version.state) == (1, "in_review")
    assert visitor.get("/exhibitors/beta").json()["description"] != "Первая версия."
    assert [v["number"] for v in organizer.get("/reviews").json()["versions"]] == [1]
    assert rep.post("/exhibitors/beta/versions/1/approve").status_code == 403
    assert organizer.post("/exhibitors/beta/versions/1/reject", json={}).status_code == 422  # a reason is needed
    r = organizer.post("/exhibitors/beta/versions/1/reject", json={"reason": "Логотип чужой компании"})
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    mine = rep.get("/stand/versions").json()
    assert mine["review"] is True
    assert [(v["number"], v["state"], v["reason"]) for v in mine["versions"]] == [
        (1, "rejected", "Логотип чужой компании")]
    publish(package(tmp_path / "v2", "Вторая версия."), reviewed.url, token)
    assert organizer.post("/exhibitors/beta/versions/2/approve").json()["state"] == "live"
    assert visitor.get("/exhibitors/beta").json()["description"] == "Вторая версия."
    assert organizer.post("/exhibitors/beta/versions/2/approve").status_code == 409
    late = {"webinars": [{"title": "Завтра", "starts": "2020-04-28T10:00:00+03:00", "duration_minutes": 30}]}
    assert [e["type"] for e in rep.post("/stand/versions", json=late).json()["errors"]] == [
        "webinar_outside_fair"]  # this server's fair (--fair) is one day, 27 April
    assert [(v["number"], v["state"]) for v in rep.get("/stand/versions").json()["versions"]] == [
        (2, "live"), (1, "rejected")]


def test_the_publish_command_checks_first_and_says_what_the_server_said(srv, tmp_path, capsys):
    folder = package(tmp_path / "gamma", "Гамма обновлена.")
    (folder / "files" / "booklet.pdf").write_bytes(ELF)  # a program renamed .pdf: stopped before sending
    token = srv.representative("gamma").token
    assert publish_command.main([str(folder), "--server", srv.url, "--token", token, "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "files/booklet.pdf" in out and "ELF" in out and "nothing was sent" in out
    with pytest.raises(NotPublishable):
        publish(folder, srv.url, token)
    pdf(folder / "files" / "booklet.pdf")
    assert publish_command.main([str(folder), "--server", srv.url, "--token", "exh_wrong", "--lang", "en"]) == 1
    assert "token" in capsys.readouterr().err
    assert publish_command.main([str(folder), "--server", "http://127.0.0.1:9", "--token", token,
                                 "--lang", "en"]) == 1
    assert "does not answer" in capsys.readouterr().err
    assert publish_command.main([str(folder), "--server", srv.url, "--token", token, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "version 1" in out and "live" in out
    assert srv.anonymous().get("/exhibitors/gamma").json()["description"] == "Гамма обновлена."
    assert publish_command.main(["--status", "--server", srv.url, "--token", token, "--lang", "ru"]) == 0
    assert "версия 1" in (listed := capsys.readouterr().out) and "Роман · опубликована" in listed
    assert publish_command.main(["--status", "--server", srv.url, "--token", srv.visitor().token, "--lang", "en"]) == 1
    assert "a stand representative's token" in capsys.readouterr().err  # 403, said in a sentence
    assert os.listdir(content_dir(srv) / ".incoming") == []


def test_a_material_is_served_as_what_it_is_whatever_its_name_said(srv, tmp_path):
    rep = srv.representative("delta")
    data = pdf(tmp_path / "r.pdf").read_bytes()
    sent = rep.post("/stand/uploads/material", params={"name": "report.html"}, data=data)
    assert sent.status_code == 201 and sent.json()["content_type"] == "application/pdf"
    r = rep.post("/stand/versions", json={"materials": [{"title": "Отчёт", "file": sent.json()["sha256"]}]})
    assert r.status_code == 201, r.text
    assert "file_misnamed" in [f["code"] for f in r.json()["findings"]]  # said, and not what decides the type
    material = srv.anonymous().get("/exhibitors/delta").json()["materials"][0]
    assert (material["file_name"], material["content_type"]) == ("report.pdf", "application/pdf")
    assert srv.anonymous().get(material["url"].removeprefix("/api/v1")).headers["content-type"] == "application/pdf"


def test_a_re_import_keeps_the_published_content(srv, expo_dirs):
    from expo_hall.server.catalog import Catalog
    from expo_hall.server.importer import import_folders

    rep = srv.representative("delta")
    assert rep.post("/stand/versions", json={"description": "Опубликовано, не из папки"}).status_code == 201
    content = content_dir(srv)
    import_folders(srv.engine, *expo_dirs, srv.clock(), content)  # what the next start does
    delta = Catalog.load(srv.engine, content).exhibitors["delta"]
    assert delta.doc["description"] == "Опубликовано, не из папки" and delta.name == "Дельта"


def test_a_version_gone_live_through_one_server_process_is_served_by_another(srv, expo_dirs):
    from tests.server.conftest import Api
    from tests.server.test_processes import server_process
    from tests.server.test_tokens import wait_until

    with server_process(expo_dirs, srv.db_url) as other:  # the same database, a process of its own
        seq = Api(other).get("/expo").json()["changes_seq"]
        assert srv.representative("alpha").post("/stand/versions", json={"description": "Через соседа"}).ok
        wait_until(lambda: Api(other).get("/exhibitors/alpha").json()["description"] == "Через соседа")
        changes = Api(other).get("/expo/changes", params={"after": seq, "timeout": 0}).json()
        assert [c["exhibitor_id"] for c in changes["changes"]] == ["alpha"]
        assert Api(other).get("/expo").json()["changes_seq"] == changes["seq"] > seq


def test_a_restarted_server_removes_what_a_killed_one_left_half_uploaded(expo_dirs, tmp_path):
    import os

    from expo_hall.server.uploads import ABANDONED_AFTER, INCOMING
    from tests.server.conftest import fresh_db_url, start_server

    content = tmp_path / "content"
    incoming = content / INCOMING
    (incoming / "stage-old").mkdir(parents=True)
    (incoming / "stage-old" / "price.pdf").write_bytes(b"%PDF-1.4")
    for name in ("old.part", "fresh.part"):
        (incoming / name).write_bytes(b"x" * 10)
    long_ago = os.stat(incoming / "fresh.part").st_mtime - ABANDONED_AFTER - 1
    for entry in (incoming / "old.part", incoming / "stage-old"):
        os.utime(entry, (long_ago, long_ago))
    server = start_server(fresh_db_url("sqlite", tmp_path), expo_dirs, content_dir=content)
    try:
        assert sorted(p.name for p in incoming.iterdir()) == ["fresh.part"]  # an upload under way writes on
        assert server.visitor("Вера").get("/exhibitors/alpha/logo").status_code == 200  # the store is whole
    finally:
        server.embedded.stop()


def test_a_stand_s_uploads_have_a_quota_and_those_no_version_uses_are_let_go(expo_dirs, tmp_path):
    """A stand cannot fill the disk: its uploads together stay within a quota (the same file sent again takes no
    more room, as every publish sends every file); an upload no live or waiting version uses goes after a day,
    its file too, while the live version's files stay."""
    import datetime as dt

    server = start_server(fresh_db_url("sqlite", tmp_path), expo_dirs, stand_uploads_max=200_000)
    try:
        rep = server.representative("alpha")
        assert publish(package(tmp_path / "alpha"), server.url, rep.token).version.state == "live"
        live_files = content_files(server)

        def big_pdf(n: int) -> bytes:
            return b"%PDF-1.4\n" + bytes([48 + n]) * 85_000 + b"\n%%EOF\n"

        sent = [rep.post("/stand/uploads/material", params={"name": f"{n}.pdf"}, data=big_pdf(n)) for n in (1, 2)]
        assert [r.status_code for r in sent] == [201, 201]
        before = content_files(server)
        refused = rep.post("/stand/uploads/material", params={"name": "3.pdf"}, data=big_pdf(3))
        assert refused.status_code == 413 and "3.pdf: the stand's uploads hold" in refused.json()["detail"]
        assert "of the 195 kB they may" in refused.json()["detail"] and content_files(server) == before
        again = rep.post("/stand/uploads/material", params={"name": "1.pdf"}, data=big_pdf(1))
        assert again.status_code == 201  # the same file: no more room taken

        server.clock.now += dt.timedelta(days=1, minutes=1)
        later = rep.post("/stand/uploads/material", params={"name": "3.pdf"}, data=big_pdf(3))
        assert later.status_code == 201, later.text  # the two unused ones were let go
        kept = content_files(server)
        assert not {f"{r.json()['sha256']}.pdf" for r in sent} & kept
        assert f"{later.json()['sha256']}.pdf" in kept
        live = [f for f in live_files if f.endswith((".pdf", ".docx"))]
        assert live and set(live) <= kept  # the live version's materials stay
        assert server.visitor().get("/exhibitors/alpha/logo").status_code == 200
    finally:
        server.embedded.stop()
