"""Pictures from outside (logos, pictures among the materials): opened with a limit, decoded safely.

A picture's size is in its header, and a small file can claim a huge one: a 30000x30000 PNG of one colour
is under a megabyte on disk and 900 megapixels in memory. So the header is read first and a picture above
MAX_PIXELS is refused before anything is decoded; whatever a damaged file makes Pillow raise becomes a
refusal too. A logo is normalised once, on the server's import (`logo_png`): fitted into LOGO_BOX, as an
RGBA PNG, so no client ever decodes a big one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from PIL import (  # the plugins of PICTURE_FORMATS, registered here: Pillow imports all its forty otherwise (4 MB)
    BmpImagePlugin,  # noqa: F401
    GifImagePlugin,  # noqa: F401
    Image,
    ImageOps,
    JpegImagePlugin,  # noqa: F401
    PngImagePlugin,  # noqa: F401
    TiffImagePlugin,  # noqa: F401
    WebPImagePlugin,  # noqa: F401
)

MAX_PIXELS = 150_000_000  # the most a picture may have to be decoded at all (12000 x 12000 = 144 M is in)
LOGO_BOX = 512  # a logo is kept fitted into this square: bigger than any place the client draws it
LOGO_RECIPE = f"logo-1-{LOGO_BOX}-{MAX_PIXELS}"  # names what logo_png makes: change it whenever its output would
LOGO_FORMATS = frozenset({"PNG", "JPEG", "WEBP"})
PICTURE_FORMATS = LOGO_FORMATS | {"GIF", "BMP", "TIFF"}  # what a material may be to be previewed
_DIRECT_MODES = ("RGB", "RGBA", "L", "LA")  # shrunk well (by averaging) in their own mode
# Pillow's own guard at the same limit: it warns above it (such a picture is refused here anyway) and refuses
# by itself at twice it, before the header is even returned. Every picture the expo reads comes through here.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
Source = Path | str | BinaryIO


class ImageRefused(ValueError):
    """A picture that is not used: `fault` is "unreadable" (values: error), "format" (kind) or "too_big"
    (size, max); the values fill the problem's text."""

    def __init__(self, fault: str, **values: object) -> None:
        super().__init__(f"{fault}: " + ", ".join(f"{k}={v}" for k, v in values.items()))
        self.fault = fault
        self.values = values


def grouped(n: int) -> str:
    """12 345 678: digits in groups of three, read the same in English and Russian."""
    return f"{n:,}".replace(",", " ")


def too_big(size: str) -> ImageRefused:
    return ImageRefused("too_big", size=size, max=grouped(MAX_PIXELS))


@contextmanager
def opened(source: Source, formats: Collection[str] = PICTURE_FORMATS) -> Iterator[Image.Image]:
    """The picture with only its header read. Raises ImageRefused: not a readable picture, not one of
    `formats` (JPEG includes its multi-picture variant MPO), or more than MAX_PIXELS."""
    try:
        image = Image.open(source, formats=sorted(PICTURE_FORMATS))  # never exotic plugins (EPS runs Ghostscript)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # the warning: if made an error
        raise _bomb(exc) from None
    except Exception as exc:  # whatever a damaged header makes a decoder raise
        raise ImageRefused("unreadable", error=_reason(exc)) from None
    with image:
        kind = "JPEG" if image.format == "MPO" else str(image.format)
        if kind not in formats:
            raise ImageRefused("format", kind=kind)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise too_big(f"{width}x{height}")
        yield image


def check(source: Source, formats: Collection[str] = PICTURE_FORMATS) -> str:
    """The picture's format once its header and, where the format allows, its data's checksums are read;
    nothing is decoded. Raises ImageRefused."""
    with opened(source, formats) as image:
        kind = "JPEG" if image.format == "MPO" else str(image.format)
        try:
            image.verify()
        except Exception as exc:
            raise ImageRefused("unreadable", error=_reason(exc)) from None
    return kind


def fit(source: Source, box: tuple[int, int], formats: Collection[str] = PICTURE_FORMATS) -> Image.Image:
    """The picture decoded, turned by its EXIF orientation and shrunk to fit `box` (never enlarged), as RGBA.
    Raises ImageRefused (a truncated or damaged file, a mode that cannot be shown, a bomb)."""
    with opened(source, formats) as image:
        try:
            image.draft("RGB", box)  # JPEG: decode at 1/2 .. 1/8 of the size when that still covers the box
            image.load()
            if image.mode not in _DIRECT_MODES:  # palette, 1-bit, CMYK, 16-bit...: shrink roughly first, so the
                if image.width > 4 * box[0] or image.height > 4 * box[1]:  # RGBA copy is small
                    image.thumbnail((4 * box[0], 4 * box[1]), Image.Resampling.NEAREST)
                image = image.convert("RGBA")
            image.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=2.0)
            return ImageOps.exif_transpose(image).convert("RGBA")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # a frame bigger than the header
            raise _bomb(exc) from None
        except Exception as exc:
            raise ImageRefused("unreadable", error=_reason(exc)) from None


def logo_png(source: Source) -> bytes:
    """A logo normalised: fitted into LOGO_BOX x LOGO_BOX, RGBA, as PNG bytes. Raises ImageRefused."""
    out = io.BytesIO()
    fit(source, (LOGO_BOX, LOGO_BOX), LOGO_FORMATS).save(out, "PNG", compress_level=6)
    return out.getvalue()


def logo_as_is(source: BinaryIO) -> bool:
    """Whether a logo may be served as the file it is, what logo_png would make of it anyway: an RGBA PNG already
    inside LOGO_BOX, with no EXIF turn, that decodes whole. Nothing is resized or encoded; rewinds `source`."""
    try:
        with opened(source, {"PNG"}) as image:
            plain = max(image.size) <= LOGO_BOX and image.mode == "RGBA"
            if plain:
                image.load()  # damage inside the data shows here; an eXIf after the pixels is read too
                plain = "exif" not in image.info
    except Exception:  # not one: logo_png decodes it again and says what is wrong
        plain = False
    source.seek(0)
    return plain


def _bomb(exc: Exception) -> ImageRefused:
    """Pillow's own refusal (above twice its limit): it gives the pixel count, not the size."""
    found = re.search(r"\((\d+) pixels\)", str(exc))
    return too_big(grouped(int(found.group(1))) if found else f"> {grouped(MAX_PIXELS)}")


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
