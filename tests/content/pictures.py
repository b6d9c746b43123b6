"""Pictures made in the tests, byte by byte: a huge PNG that is small on disk (the decompression bomb), written
row by row so that making it takes no more memory than reading its header does, and damaged ones."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, idat: bytes, bit_depth: int = 8, colour_type: int = 2) -> bytes:
    """A PNG with this header and compressed data (well-formed chunks whatever the data: colour type 2 is RGB)."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def huge_png(path: Path, width: int, height: int) -> Path:
    """A valid 1-bit PNG of width x height pixels: white, with a black band across the middle third.
    30000 x 30000 is about 140 KB on disk."""
    white, black = b"\x00" + b"\xff" * ((width + 7) // 8), b"\x00" + bytes((width + 7) // 8)
    packer = zlib.compressobj(9)
    rows = []
    for band, count in ((white, height // 3), (black, height // 3), (white, height - 2 * (height // 3))):
        for done in range(0, count, 1000):
            rows.append(packer.compress(band * min(1000, count - done)))
    rows.append(packer.flush())
    path.write_bytes(png(width, height, b"".join(rows), bit_depth=1, colour_type=0))
    return path
