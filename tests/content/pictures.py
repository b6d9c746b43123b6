"""Pictures made in the tests: a huge PNG that is small on disk (the decompression bomb), written row by row
so that making it takes no more memory than reading its header does."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def huge_png(path: Path, width: int, height: int) -> Path:
    """A valid 1-bit PNG of width x height pixels: white, with a black band across the middle third.
    30000 x 30000 is about 110 KB on disk."""
    white, black = b"\x00" + b"\xff" * ((width + 7) // 8), b"\x00" + bytes((width + 7) // 8)
    packer = zlib.compressobj(9)
    rows = []
    for band, count in ((white, height // 3), (black, height // 3), (white, height - 2 * (height // 3))):
        done = 0
        while done < count:
            n = min(1000, count - done)
            rows.append(packer.compress(band * n))
            done += n
    rows.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    path.write_bytes(SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(rows)) + _chunk(b"IEND", b""))
    return path
