"""Pictures from outside: refused above the pixel limit (bombs included) or when damaged, normalised logos."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from expo_hall.content import images
from tests.content.pictures import huge_png


def png_bytes(image: Image.Image, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path):
    bomb = huge_png(tmp_path / "bomb.png", 30000, 30000)
    assert bomb.stat().st_size < 1_000_000
    for attempt in (lambda: images.check(bomb), lambda: images.fit(bomb, (64, 64)), lambda: images.logo_png(bomb)):
        with pytest.raises(images.ImageRefused) as info:
            attempt()
        assert info.value.fault == "too_big" and info.value.values["size"] == "900 000 000"


def test_above_the_limit_is_refused_with_its_size(tmp_path):
    big = huge_png(tmp_path / "big.png", 16000, 10000)  # 160 M: over the limit, under Pillow's own refusal
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(images.ImageRefused) as info:
        images.check(big)
    assert info.value.fault == "too_big" and info.value.values == {"size": "16000x10000", "max": "150 000 000"}


def test_a_huge_logo_is_normalised_into_the_box(tmp_path):
    logo = images.logo_png(huge_png(tmp_path / "big.png", 12000, 12000))
    with Image.open(io.BytesIO(logo)) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (images.LOGO_BOX, images.LOGO_BOX))
        assert image.getpixel((10, 10)) == (255, 255, 255, 255) and image.getpixel((256, 256)) == (0, 0, 0, 255)
    assert len(logo) < 50_000


def test_small_logos_keep_their_size_and_colours_cmyk_and_palette_too():
    for image in (Image.new("CMYK", (96, 64), (0, 255, 255, 0)), Image.new("P", (30, 20), 3),
                  Image.new("LA", (40, 40), (128, 200))):
        fitted = images.fit(io.BytesIO(png_bytes(image, "JPEG" if image.mode == "CMYK" else "PNG")), (512, 512))
        assert fitted.mode == "RGBA" and fitted.size == image.size
        assert fitted.getpixel((5, 5)) == pytest.approx(image.convert("RGBA").getpixel((5, 5)), abs=3)


@pytest.mark.parametrize("data, fault", [
    (b"not a picture", "unreadable"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unreadable"),  # a header cut short
    (png_bytes(Image.new("RGB", (8, 8)), "GIF"), "format"),
    (png_bytes(Image.new("RGB", (8, 8)), "BMP"), "format"),
])
def test_damaged_files_and_other_formats_are_refused_as_logos(data, fault):
    with pytest.raises(images.ImageRefused) as info:
        images.logo_png(io.BytesIO(data))
    assert info.value.fault == fault


def test_a_truncated_picture_is_refused_when_decoded():
    whole = png_bytes(Image.effect_noise((200, 200), 64).convert("RGB"))
    with pytest.raises(images.ImageRefused) as info:
        images.fit(io.BytesIO(whole[: len(whole) // 2]), (64, 64))
    assert info.value.fault == "unreadable" and info.value.values["error"]
