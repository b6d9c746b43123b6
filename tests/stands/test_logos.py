"""The client's own logo decode (--no-server, and whatever a server sends): refuses a picture too big to decode."""

from __future__ import annotations

import pytest
from PIL import Image

from expo_hall.stands.logos import LOGO_MAX, decode_logo
from expo_hall.stands.package import Exhibitor
from expo_hall.stands.preview import image_preview
from tests.content.pictures import huge_png


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_the_clients_decode_refuses_a_huge_image_it_is_handed(tmp_path, caplog):
    bomb = huge_png(tmp_path / "bomb.png", 30000, 30000)
    big = huge_png(tmp_path / "big.png", 16000, 10000)  # over the limit, under Pillow's own refusal
    for path in (bomb, big):
        assert decode_logo(Exhibitor("x", "Икс", tmp_path, logo=path)) is None  # a placeholder is drawn
        with pytest.raises(ValueError, match="too_big"):
            image_preview(path, (64, 88))
    assert "x: logo" in caplog.text and "too_big" in caplog.text


def test_the_clients_decode_shrinks_a_logo_within_the_limit(tmp_path):
    huge_png(tmp_path / "wide.png", 4000, 1000)
    Image.new("CMYK", (96, 64), (0, 255, 255, 0)).save(tmp_path / "cmyk.jpg")
    pixels, size = decode_logo(Exhibitor("x", "Икс", tmp_path, logo=tmp_path / "wide.png"))
    assert size == (LOGO_MAX, LOGO_MAX // 4) and len(pixels) == size[0] * size[1] * 4
    assert decode_logo(Exhibitor("x", "Икс", tmp_path, logo=tmp_path / "cmyk.jpg"))[1] == (96, 64)
