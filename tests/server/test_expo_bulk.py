"""The whole expo in one answer (GET /expo, ETag and 304) and every logo in one zip (GET /expo/logos)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

from tests.server.conftest import NOW


def test_the_bulk_answer_holds_every_floor_and_every_exhibitors_stand_content(server):
    api = server.anonymous()
    r = api.get("/expo")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["floors"] == api.get("/floors").json()
    assert [e["exhibitor_id"] for e in body["exhibitors"]] == ["alpha", "beta", "gamma", "delta"]
    for exhibitor in body["exhibitors"]:  # what each stand's own answer has, field for field
        assert exhibitor == api.get(f"/exhibitors/{exhibitor['exhibitor_id']}").json()
    alpha = body["exhibitors"][0]
    assert alpha["room_id"] == server.room_of("alpha")
    assert alpha["materials"][0]["size"] > 0 and alpha["materials"][0]["file_name"] == "brochure.pdf"


def test_the_bulk_answer_has_a_strong_etag_and_answers_304_to_a_current_copy(server):
    api = server.anonymous()
    plain = api.get("/expo", headers={"Accept-Encoding": "identity"})
    zipped = api.get("/expo")  # requests asks for gzip
    etag = plain.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "content-encoding" not in plain.headers and zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"] != etag and zipped.json() == plain.json()
    assert "Accept-Encoding" in plain.headers["vary"]
    for tag in (etag, zipped.headers["etag"], f'"other", {etag}'):
        again = api.get("/expo", headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert api.get("/expo", headers={"If-None-Match": '"something else"'}).status_code == 200
    assert api.get("/expo").headers["etag"] == zipped.headers["etag"]  # the same content, the same tag


def test_the_etag_moves_when_a_webinars_status_does(server):
    api = server.anonymous()
    before = api.get("/expo")
    server.clock.now = NOW + dt.timedelta(minutes=5)  # 09:05 Moscow: nothing started yet
    assert api.get("/expo", headers={"If-None-Match": before.headers["etag"]}).status_code == 304
    server.clock.now = dt.datetime(2020, 10, 1, 7, 10, tzinfo=dt.UTC)  # 10:10 Moscow: the morning one is live
    after = api.get("/expo", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    statuses = {w["title"]: w["status"] for e in after.json()["exhibitors"] for w in e["webinars"]}
    assert statuses["Утренний эфир"] == "live" and statuses["Открытый урок"] == "upcoming"


def test_files_have_their_content_hash_as_etag_and_the_bulk_answer_gives_it(server):
    api = server.anonymous()
    body = api.get("/expo").json()
    alpha = body["exhibitors"][0]
    logo = api.session.get(server.url + alpha["logo_url"])
    assert hashlib.sha256(logo.content).hexdigest() == alpha["logo_sha256"]
    assert logo.headers["etag"] == f'"{alpha["logo_sha256"]}"'
    for f in body["floors"][0]["files"]:
        got = api.session.get(server.url + f["url"])
        assert got.headers["etag"] == f'"{f["sha256"]}"' == f'"{hashlib.sha256(got.content).hexdigest()}"'
    assert body["exhibitors"][2]["logo_sha256"] is None  # gamma has no logo


def test_the_logo_pack_holds_every_logo_by_its_hash(server):
    api = server.anonymous()
    body = api.get("/expo").json()
    logos = {e["logo_sha256"]: e["logo_url"] for e in body["exhibitors"] if e["logo_sha256"]}
    r = api.get("/expo/logos")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as pack:
        assert sorted(pack.namelist()) == sorted(f"{sha}.png" for sha in logos)
        for sha, url in logos.items():
            assert pack.read(f"{sha}.png") == api.session.get(server.url + url).content
    assert api.get("/expo/logos", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
