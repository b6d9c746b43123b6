"""Previews of materials: a PDF's first page (pypdfium2) or a picture (Pillow), scaled to fit a box.

Decoding and rendering run on the previewer's threads and hand back plain RGBA pixels; the main thread
only turns them into a Surface (`Pixels.surface`). PDFium is not thread-safe, so one lock serialises it.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("expo_hall")

PDF, IMAGE = "pdf", "image"
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff"})
_pdfium_lock = threading.Lock()


@dataclass(frozen=True)
class Pixels:
    size: tuple[int, int]
    data: bytes  # RGBA, row by row

    def surface(self):  # noqa: ANN201 - a pygame.Surface (pygame is imported only where one is made)
        import pygame

        surface = pygame.image.frombytes(self.data, self.size, "RGBA")
        return surface.convert_alpha() if pygame.display.get_surface() is not None else surface


def preview_kind(name: str | None = None, content_type: str | None = None) -> str | None:
    """PDF, IMAGE or None (nothing to preview), from a content type or else a file name."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if not ctype or ctype == "application/octet-stream":
        ctype = (mimetypes.guess_type(name or "")[0] or "").lower()
    if ctype == "application/pdf":
        return PDF
    if ctype in IMAGE_TYPES:
        return IMAGE
    return None


def _fit(size: tuple[float, float], box: tuple[int, int]) -> float:
    return min(box[0] / max(1.0, size[0]), box[1] / max(1.0, size[1]))


def _pixels(image) -> Pixels:  # noqa: ANN001 - a PIL image
    image = image.convert("RGBA")
    return Pixels(image.size, image.tobytes())


def pdf_thumbnail(path: Path | str, box: tuple[int, int]) -> Pixels:
    """The first page of a PDF, rendered to fit `box` (on white). Raises ValueError for a file that is not
    a readable PDF (or has no pages)."""
    import pypdfium2 as pdfium

    with _pdfium_lock:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise ValueError(f"{path}: not a readable PDF ({exc})") from exc
        try:
            if len(pdf) == 0:
                raise ValueError(f"{path}: the PDF has no pages")
            page = pdf[0]
            try:
                scale = _fit(page.get_size(), box)
                bitmap = page.render(scale=max(scale, 0.01), fill_color=(255, 255, 255, 255))
                try:
                    image = bitmap.to_pil()
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            pdf.close()
    image.thumbnail(box)  # the page's size in points is rounded up: never spill out of the box
    return _pixels(image)


def image_preview(path: Path | str, box: tuple[int, int]) -> Pixels:
    """A picture scaled down to fit `box` (never up). Raises ValueError (images.ImageRefused) for one that
    cannot be read or is too big to decode (see expo_hall.content.images)."""
    from expo_hall.content import images

    return _pixels(images.fit(path, box))


def make_preview(path: Path | str, kind: str, box: tuple[int, int]) -> Pixels:
    if kind == PDF:
        return pdf_thumbnail(path, box)
    if kind == IMAGE:
        return image_preview(path, box)
    raise ValueError(f"no preview for {kind!r}")


class Previewer:
    """Makes previews on its own threads; `request` answers at once with a Future of the Pixels."""

    def __init__(self, threads: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="expo-preview")

    def request(self, path: Path | str, kind: str, box: tuple[int, int]) -> Future[Pixels]:
        return self._pool.submit(make_preview, Path(path), kind, box)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
