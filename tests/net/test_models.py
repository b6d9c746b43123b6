"""The client reads the API's answers with the server's own models: URLs made absolute, fields a newer server
adds ignored, a broken answer named; and importing those models brings no server framework or pygame along."""

from __future__ import annotations

import subprocess
import sys

import pytest

from expo_hall.net.errors import BadResponse
from expo_hall.net.follow import Backoff
from expo_hall.net.models import parse
from expo_hall.server.schemas import ExhibitorOut


def test_the_models_import_without_the_server_frameworks_or_pygame():
    code = ("import sys, expo_hall.net.models, expo_hall.server.schemas; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'starlette', 'uvicorn', 'sqlalchemy', "
            "'pygame', 'pygame_gui'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_field_is_kept_urls_made_absolute_and_new_fields_ignored(make_client, net_dirs):
    raw = make_client()._json("GET", "/exhibitors/alpha")[0]
    alpha = parse(ExhibitorOut, {**raw, "added_later": 1}, "http://host:8080")
    assert alpha.logo_url == "http://host:8080/api/v1/exhibitors/alpha/logo"
    assert alpha.materials[0].url == "http://host:8080/api/v1/exhibitors/alpha/materials/0"
    assert alpha.materials[1].url == "https://alpha.example/"  # external: as it is
    assert alpha.model_dump(exclude={"logo_url", "materials", "video"}) == {
        k: v for k, v in ExhibitorOut.model_validate(raw).model_dump().items()
        if k not in ("logo_url", "materials", "video")}
    size = (net_dirs[1] / "alpha" / "brochure.pdf").stat().st_size
    assert (alpha.materials[0].file_name, alpha.materials[0].size) == ("brochure.pdf", size)
    assert isinstance(alpha.room_id, int)


def test_a_broken_answer_names_the_field(make_client):
    raw = make_client()._json("GET", "/exhibitors/alpha")[0]
    raw["materials"][0]["size"] = "big"
    with pytest.raises(BadResponse, match=r"materials\.0\.size"):
        parse(ExhibitorOut, raw, "http://host")
    del raw["room_id"]
    with pytest.raises(BadResponse, match="room_id"):
        parse(ExhibitorOut, raw, "http://host")


def test_the_backoff_grows_to_its_limit_with_jitter():
    backoff = Backoff(first=0.5, most=4.0, jitter=0.2)
    for failures, base in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)):
        delays = {backoff.delay(failures) for _ in range(50)}
        assert all(base * 0.8 <= d <= base * 1.2 for d in delays) and len(delays) > 1
