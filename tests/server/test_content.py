"""Floors, map files, exhibitors and their files: JSON content, and files with content types,
conditional GETs (304) and byte ranges (206, 416)."""

from __future__ import annotations

import io

from expo_hall.server.schemas import WebinarStatus
from tests.server.conftest import PDF_BYTES, VIDEO_BYTES


def test_health_is_cheap_json(server):
    r = server.anonymous().get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_floors_with_their_map_files(server, expo_dirs):
    api = server.anonymous()
    floors = api.get("/floors").json()
    assert [f["floor_id"] for f in floors] == ["main", "upper"]
    main = floors[0]
    assert (main["title"], main["title_en"], main["width"], main["height"]) == ("Главный зал", "Main hall", 960, 640)
    assert [(s["number"], s["exhibitor_id"]) for s in main["stands"]] == [("A-1", "alpha"), ("A-2", "beta")]
    assert {p["name"]: p["to_floor"] for p in main["points"]} == {"spawn": None, "lift": "upper"}
    assert [f["path"] for f in main["files"]] == ["maps/main.tmx", "maps/tiles/hall.png"]  # from the expo's root
    assert [f["path"] for f in api.get("/floors/upper").json()["files"]] == [
        "maps/upper.tmx", "maps/tiles/upper.tsx", "maps/tiles/upper.png"]

    tmx = api.session.get(server.url + main["map_url"])
    assert tmx.status_code == 200 and tmx.headers["content-type"].startswith("application/xml")
    assert tmx.content == (expo_dirs[0] / "main.tmx").read_bytes()
    png = api.session.get(server.url + main["files"][1]["url"])
    assert png.headers["content-type"] == "image/png"
    assert png.content == (expo_dirs[0] / "tiles" / "hall.png").read_bytes()


def test_only_the_maps_own_files_are_served(server):
    api = server.anonymous()
    for path in ("stands/alpha/stand.toml", "../stands/alpha/stand.toml", "maps/tiles/missing.png", "maps/upper.tmx",
                 "main.tmx", "%2e%2e/%2e%2e/etc/passwd"):
        r = api.get(f"/floors/main/files/{path}")
        assert r.status_code == 404, path
        assert r.headers["content-type"] == "application/json" and r.json()["detail"]
    assert api.get("/floors/nowhere").status_code == 404


def test_exhibitors_list_and_stand_content(server):
    api = server.anonymous()
    listed = api.get("/exhibitors").json()
    assert [(e["exhibitor_id"], e["floor_id"], e["stand_number"]) for e in listed] == [
        ("alpha", "main", "A-1"), ("beta", "main", "A-2"), ("gamma", "upper", "B-1"), ("delta", None, None)]
    alpha = api.get("/exhibitors/alpha").json()
    assert alpha["name"] == "Альфа-Обучение" and alpha["description"] == "Курсы\nпрограммирования"
    assert alpha["contacts"]["email"] == "hello@alpha.example"
    assert alpha["contacts"]["messengers"] == {"telegram": "@alpha"}
    assert alpha["video"] == {"url": "/api/v1/exhibitors/alpha/video", "external": False, "content_type": "video/mp4"}
    brochure, site = alpha["materials"]
    assert (brochure["file_name"], brochure["content_type"], brochure["size"]) == (
        "brochure.pdf", "application/pdf", len(PDF_BYTES))
    assert site["url"] == "https://alpha.example/" and site["file_name"] is None
    assert api.get("/exhibitors/gamma").json()["video"] == {
        "url": "https://video.example/gamma.mp4", "external": True, "content_type": None}
    assert api.get("/exhibitors/gamma").json()["logo_url"] is None
    assert api.get("/exhibitors/gamma/logo").status_code == 404
    assert api.get("/exhibitors/nobody").status_code == 404


def test_logo_content_type_etag_and_last_modified(server, expo_dirs):
    """Logos are served as imported: normalised to an RGBA PNG (a JPEG one too), the same picture."""
    from PIL import Image

    api = server.anonymous()
    r = api.get("/exhibitors/alpha/logo")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(r.content)) as served, Image.open(expo_dirs[1] / "alpha" / "logo.png") as original:
        assert (served.format, served.mode, served.size) == ("PNG", "RGBA", original.size)
        assert served.getpixel((0, 0))[:3] == original.getpixel((0, 0))
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    again = api.get("/exhibitors/alpha/logo", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert api.get("/exhibitors/alpha/logo", headers={"If-Modified-Since": modified}).status_code == 304
    assert api.get("/exhibitors/alpha/logo", headers={"If-None-Match": '"stale"'}).status_code == 200
    assert api.get("/exhibitors/alpha/logo", headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}
                   ).status_code == 200
    assert api.get("/exhibitors/beta/logo").headers["content-type"] == "image/png"


def test_byte_ranges_seek_in_the_video(server):
    api = server.anonymous()
    r = api.get("/exhibitors/alpha/video", headers={"Range": "bytes=1000-1999"})
    assert r.status_code == 206 and r.content == VIDEO_BYTES[1000:2000]
    assert r.headers["content-range"] == f"bytes 1000-1999/{len(VIDEO_BYTES)}"
    assert r.headers["content-type"] == "video/mp4"
    tail = api.get("/exhibitors/alpha/video", headers={"Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.content == VIDEO_BYTES[-100:]
    rest = api.get("/exhibitors/alpha/video", headers={"Range": f"bytes={len(VIDEO_BYTES) - 10}-"})
    assert rest.content == VIDEO_BYTES[-10:]
    outside = api.get("/exhibitors/alpha/video", headers={"Range": f"bytes={len(VIDEO_BYTES)}-"})
    assert outside.status_code == 416 and outside.headers["content-range"] == f"bytes */{len(VIDEO_BYTES)}"
    whole = api.get("/exhibitors/alpha/video")
    assert whole.status_code == 200 and whole.content == VIDEO_BYTES and whole.headers["accept-ranges"] == "bytes"
    logo = api.get("/exhibitors/alpha/logo", headers={"Range": "bytes=0-7"})
    assert logo.status_code == 206 and logo.content == b"\x89PNG\r\n\x1a\n"


def test_material_downloads_under_its_name(server):
    api = server.anonymous()
    r = api.get("/exhibitors/alpha/materials/0")
    assert r.status_code == 200 and r.content == PDF_BYTES and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="brochure.pdf"'
    assert api.get("/exhibitors/alpha/materials/1").status_code == 404  # external: only a URL
    assert api.get("/exhibitors/alpha/materials/7").status_code == 404


def test_webinar_status_follows_the_servers_clock(server):
    api = server.anonymous()
    programme = api.get("/webinars").json()
    assert [(w["exhibitor_id"], w["title"]) for w in programme] == [
        ("alpha", "Утренний эфир"), ("beta", "Вебинар Роста"), ("alpha", "Открытый урок")]
    assert {w["status"] for w in programme} == {WebinarStatus.upcoming}

    def status(title: str) -> str:
        return next(w["status"] for w in api.get("/exhibitors/alpha/webinars").json() if w["title"] == title)

    server.clock.now = server.clock.now.replace(hour=9)  # 12:00 in Moscow: the open lesson starts
    assert status("Открытый урок") == "live" and status("Утренний эфир") == "ended"
    server.clock.now = server.clock.now.replace(minute=59, second=59)
    assert status("Открытый урок") == "live"
    server.clock.now = server.clock.now.replace(hour=10, minute=0, second=0)
    assert status("Открытый урок") == "ended"
    lesson = next(w for w in api.get("/exhibitors/alpha").json()["webinars"] if w["title"] == "Открытый урок")
    assert lesson["url"] == "https://meet.example/alpha" and lesson["ends"].startswith("2020-10-01T13:00:00+03:00")
