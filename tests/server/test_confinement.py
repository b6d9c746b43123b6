"""Stand packages written by someone else: their files are confined to their folder, the server serves only
the copies it imported, and a picture too big to decode is a placeholder and a problem, never an exit."""

from __future__ import annotations

import io
import os
import shutil
import zlib
from pathlib import Path

import pytest
from PIL import Image

from expo_hall.floors.tmx_writer import write_package
from expo_hall.server.content_store import ROUTES
from tests.content.pictures import huge_png, png
from tests.server.conftest import PDF_BYTES, VIDEO_BYTES, start_server, write_expo

UP = "../" * 40  # more than enough to reach / from any test folder


def hostile(root: Path, name: str, toml: str) -> Path:
    """The demo expo of conftest plus one package `name` whose stand.toml ends with `toml`."""
    maps, stands = write_expo(root / "expo")
    folder = write_package(stands / name, "Чужой пакет")
    with (folder / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write(toml)
    return folder


def every_file_answer(api, ex_id: str) -> dict[str, int]:
    """The status of each file endpoint of the exhibitor, checked to leak nothing."""
    answers = {}
    for path in ("logo", "video", *(f"materials/{i}" for i in range(4))):
        r = api.get(f"/exhibitors/{ex_id}/{path}")
        assert b"root:" not in r.content and b"SQLite format 3" not in r.content, path
        answers[path] = r.status_code
    return answers


def keys(server, ex_id: str) -> set[str]:
    """The problems the import found in the package `ex_id` (but "no logo given")."""
    return {p.key for p in server.embedded.imported.problems if p.file.parent.name == ex_id} - {"no_logo"}


def serve(db_url: str, folder: Path):  # noqa: ANN201
    return start_server(db_url, (folder.parents[1] / "maps", folder.parent))


@pytest.fixture
def stop():
    servers = []
    yield servers.append
    for s in servers:
        s.embedded.stop()


def test_a_path_up_and_out_of_the_folder_is_not_served(db_url, tmp_path, stop):
    folder = hostile(tmp_path, "evil", f'\n[[materials]]\ntitle = "Пароли"\nfile = "{UP}etc/passwd"\n'
                                       f'\n[[materials]]\ntitle = "Тоже"\nfile = "files/../../../{UP}etc/passwd"\n')
    server = serve(db_url, folder)
    stop(server)
    api = server.anonymous()
    assert api.get("/exhibitors/evil").json()["materials"] == []
    assert set(every_file_answer(api, "evil").values()) == {404}
    assert keys(server, "evil") == {"path_outside"}
    named = [str(p) for p in server.embedded.imported.problems if p.key == "path_outside"]
    assert named[0] == (f"evil/stand.toml: materials #1: '{UP}etc/passwd' leads outside the package folder; put the "
                        "file in the folder and give its path from there; not used")


def test_an_absolute_path_is_not_served(db_url, tmp_path, stop):
    folder = hostile(tmp_path, "evil", 'video = "/etc/hostname"\n'
                                       '[[materials]]\ntitle = "Пароли"\nfile = "/etc/passwd"\n')
    server = serve(db_url, folder)
    stop(server)
    api = server.anonymous()
    evil = api.get("/exhibitors/evil").json()
    assert evil["video"] is None and evil["materials"] == []
    assert set(every_file_answer(api, "evil").values()) == {404}
    assert keys(server, "evil") == {"path_absolute"}


def test_links_out_of_the_folder_are_not_served_links_inside_it_are(db_url, tmp_path, stop):
    folder = hostile(tmp_path, "links", '\nlogo = "logo.png"\nvideo = "clip.mp4"\n'
                                        '\n[[materials]]\ntitle = "Буклет"\nfile = "brochure.pdf"\n'
                                        '\n[[materials]]\ntitle = "Секрет"\nfile = "secret.pdf"\n')
    Image.new("RGB", (40, 30), (200, 0, 0)).save(tmp_path / "outside.png")
    (tmp_path / "secret.pdf").write_bytes(b"root: a secret beside the stands folder")
    (folder / "files").mkdir()
    (folder / "files" / "real.pdf").write_bytes(PDF_BYTES)
    (folder / "logo.png").symlink_to(tmp_path / "outside.png")  # out
    (folder / "clip.mp4").symlink_to("/etc/hostname")  # out
    (folder / "secret.pdf").symlink_to("../../../secret.pdf")  # out
    (folder / "brochure.pdf").symlink_to("files/real.pdf")  # inside: fine
    server = serve(db_url, folder)
    stop(server)
    api = server.anonymous()
    links = api.get("/exhibitors/links").json()
    assert links["logo_url"] is None and links["video"] is None
    assert [(m["title"], m["file_name"]) for m in links["materials"]] == [("Буклет", "brochure.pdf")]
    assert every_file_answer(api, "links") == {"logo": 404, "video": 404, "materials/0": 200, "materials/1": 404,
                                               "materials/2": 404, "materials/3": 404}
    booklet = api.get("/exhibitors/links/materials/0")
    assert booklet.content == PDF_BYTES and booklet.headers["content-disposition"].endswith('"brochure.pdf"')
    assert keys(server, "links") == {"path_link_outside"}


def test_a_file_swapped_after_the_import_is_not_what_is_served(db_url, tmp_path, stop):
    maps, stands = write_expo(tmp_path / "expo")
    server = start_server(db_url, (maps, stands))
    stop(server)
    api = server.anonymous()
    logo = api.get("/exhibitors/alpha/logo").content
    alpha = stands / "alpha"
    (alpha / "brochure.pdf").unlink()
    (alpha / "brochure.pdf").symlink_to("/etc/passwd")  # swapped for a link out
    (alpha / "intro.mp4").unlink()  # deleted
    Image.new("RGB", (50, 50), (0, 0, 255)).save(alpha / "logo.png")  # changed
    (maps / "tiles" / "hall.png").write_bytes(b"root: swapped")
    assert api.get("/exhibitors/alpha/materials/0").content == PDF_BYTES
    assert api.get("/exhibitors/alpha/video").content == VIDEO_BYTES
    assert api.get("/exhibitors/alpha/video", headers={"Range": "bytes=10-19"}).content == VIDEO_BYTES[10:20]
    assert api.get("/exhibitors/alpha/logo").content == logo
    hall = api.get("/floors/main/files/maps/tiles/hall.png")
    assert hall.status_code == 200 and hall.content.startswith(b"\x89PNG")


def test_the_servers_database_file_is_not_reachable(tmp_path, stop):
    db = tmp_path / "server.sqlite3"
    start_server(f"sqlite:///{db}", write_expo(tmp_path / "first")).embedded.stop()  # the database is there
    folder = hostile(tmp_path, "db", f'\nvideo = "{db}"\nlogo = "db.png"\n'
                                     '\n[[materials]]\ntitle = "База"\nfile = "../../../server.sqlite3"\n'
                                     '\n[[materials]]\ntitle = "Ссылка"\nfile = "db.sqlite3"\n')
    (folder / "db.sqlite3").symlink_to(db)
    (folder / "db.png").symlink_to(db)
    server = serve(f"sqlite:///{db}", folder)
    stop(server)
    assert db.read_bytes().startswith(b"SQLite format 3")
    api = server.anonymous()
    assert set(every_file_answer(api, "db").values()) == {404}
    for floor in api.get("/floors").json():
        for f in floor["files"]:
            assert b"SQLite format 3" not in api.session.get(server.url + f["url"]).content
    assert keys(server, "db") == {"path_absolute", "path_outside", "path_link_outside"}


def test_a_decompression_bomb_logo_is_a_placeholder_and_a_problem_and_the_server_stays_up(db_url, tmp_path, stop):
    folder = hostile(tmp_path, "bomb", 'logo = "logo.png"\n')
    huge_png(folder / "logo.png", 30000, 30000)  # 900 megapixels in about 140 KB
    server = serve(db_url, folder)
    stop(server)
    api = server.anonymous()
    assert api.get("/health").status_code == 200
    assert api.get("/exhibitors/bomb").json()["logo_url"] is None  # the client draws the placeholder
    assert api.get("/exhibitors/bomb/logo").status_code == 404
    [found] = [p for p in server.embedded.imported.problems if p.file.parent.name == "bomb"]
    assert found.key == "logo_too_big" and found.obj == "logo"
    assert str(found) == ("bomb/stand.toml: logo: 'logo.png' is too big (900 000 000 pixels; at most 150 000 000 "
                          "in all); a placeholder is shown")


def test_a_huge_logo_is_served_normalised_and_small(db_url, tmp_path, stop):
    folder = hostile(tmp_path, "huge", 'logo = "logo.png"\n')
    huge_png(folder / "logo.png", 12000, 12000)
    server = serve(db_url, folder)
    stop(server)
    r = server.anonymous().get("/exhibitors/huge/logo")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and len(r.content) < 100_000
    with Image.open(io.BytesIO(r.content)) as logo:
        assert logo.size == (512, 512) and logo.mode == "RGBA"
    assert keys(server, "huge") == set()


def test_the_content_store_is_a_setting_and_a_reimport_copies_nothing_new(db_url, tmp_path, stop):
    maps, stands = write_expo(tmp_path / "expo")
    content = tmp_path / "elsewhere"
    server = start_server(db_url, (maps, stands), content_dir=content)
    server.embedded.stop()
    stored = {p.name: p.stat().st_mtime_ns for p in content.iterdir() if p.name != ROUTES}  # routes: not a copy
    assert len(stored) == 10  # 5 map files, 2 logos, a video, a brochure and what the logos were made from
    assert sum(len(Path(name).stem) == 64 for name in stored) == 9
    shutil.copy(stands / "alpha" / "brochure.pdf", stands / "beta" / "same.pdf")
    os.utime(stands / "alpha" / "intro.mp4")
    server = start_server(db_url, (maps, stands), content_dir=content)
    stop(server)
    assert {p.name: p.stat().st_mtime_ns for p in content.iterdir() if p.name != ROUTES} == stored
    assert server.anonymous().get("/exhibitors/alpha/materials/0").content == PDF_BYTES


def test_a_logo_damaged_inside_its_data_is_a_placeholder_and_a_problem(db_url, tmp_path, stop):
    """Its header and checksums are fine (the loader's check passes); decoding it at import fails."""
    folder = hostile(tmp_path, "cut", 'logo = "logo.png"\n')
    raw = b"".join(b"\x00" + os.urandom(300) for _ in range(100))  # 100 rows of 100 RGB pixels
    (folder / "logo.png").write_bytes(png(100, 100, zlib.compress(raw)[:2000]))  # the data cut short
    server = serve(db_url, folder)
    stop(server)
    assert server.anonymous().get("/exhibitors/cut").json()["logo_url"] is None
    [found] = [p for p in server.embedded.imported.problems if p.key == "logo_unreadable"]
    assert str(found).startswith("cut/stand.toml: logo: 'logo.png' is not a readable image (")
