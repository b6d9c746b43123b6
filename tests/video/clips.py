"""Test clips made with PyAV at test time (H.264 + AAC), and reading back which frame a picture shows.

Each frame shows its index in binary as a row of BITS big black/white blocks across the top third
(survives compression and scaling); the middle band can carry moving noise (realistic decoding work).
The sound is a 440 Hz tone.
"""

from __future__ import annotations

import math
import random
import struct
from fractions import Fraction
from pathlib import Path

import av

BITS = 8
RATE = 44100
SIZE = (320, 180)  # the test clips' frame size


def make_clip(path: Path, seconds: float = 3.0, fps: int = 25, size: tuple[int, int] = (320, 180),
              audio: bool = True, faststart: bool = True, noise: bool = False, gop: int | None = None,
              codec: str = "libx264") -> Path:
    """Write an H.264 (+ AAC tone) MP4; `faststart` puts the index first so it can stream over HTTP. Another
    `codec` (such as "mpeg4") or container (the suffix of `path`, such as .avi) makes a clip of that kind."""
    w, h = size
    frames = round(seconds * fps)
    options = {"movflags": "faststart"} if faststart and path.suffix == ".mp4" else {}
    with av.open(str(path), "w", options=options) as out:
        vs = out.add_stream(codec, rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        if codec == "libx264":
            vs.options = {"preset": "ultrafast", "g": str(gop or fps), "tune": "zerolatency"}
        astream = None
        if audio:
            astream = out.add_stream("aac", rate=RATE)
            astream.layout = "mono"
        band = h // 3
        block = w // BITS
        grey = bytes([90, 100, 110]) * w
        texture = random.Random(3).randbytes(w * 3 * 64) if noise else b""
        for i in range(frames):
            bits = [(i >> (BITS - 1 - k)) & 1 for k in range(BITS)]
            row = b"".join((b"\xff\xff\xff" if bit else b"\x00\x00\x00") * block for bit in bits)
            row += grey[: (w - block * BITS) * 3]
            rows = [row * band]
            middle = h - 2 * band
            if noise:
                offset = (i * 7 * 3) % (len(texture) - w * 3)
                line = texture[offset:] + texture[:offset]
                rows.append(b"".join(line[(k % 64) * w * 3:(k % 64 + 1) * w * 3] for k in range(middle)))
            else:
                rows.append(bytes([(i * 5) % 256, 120, 200]) * w * middle)
            rows.append(grey * band)
            frame = rgb_frame(b"".join(rows), w, h)
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            out.mux(vs.encode(frame))
        if astream is not None:
            samples, step = 0, 1024
            total = round(seconds * RATE)
            while samples < total:
                n = min(step, total - samples)
                af = av.AudioFrame(format="fltp", layout="mono", samples=n)
                af.planes[0].update(struct.pack(f"{n}f", *(0.3 * math.sin(2 * math.pi * 440 * (samples + k) / RATE)
                                                          for k in range(n))).ljust(af.planes[0].buffer_size, b"\0"))
                af.sample_rate = RATE
                af.pts = samples
                af.time_base = Fraction(1, RATE)
                samples += n
                out.mux(astream.encode(af))
            out.mux(astream.encode(None))
        out.mux(vs.encode(None))
    return path


def rgb_frame(data: bytes, w: int, h: int) -> av.VideoFrame:
    frame = av.VideoFrame(w, h, "rgb24")
    plane = frame.planes[0]
    if plane.line_size != w * 3:
        pad = bytes(plane.line_size - w * 3)
        data = b"".join(data[y * w * 3:(y + 1) * w * 3] + pad for y in range(h))
    plane.update(data.ljust(plane.buffer_size, b"\0"))
    return frame


def frame_index(surface, rect, size: tuple[int, int]) -> int:  # noqa: ANN001 - a pygame Surface and Rect
    """The index a picture of a clip of `size` shows, drawn at `rect` on `surface`."""
    w, h = size
    block = w // BITS
    index = 0
    for k in range(BITS):
        x = rect.x + int((k + 0.5) * block * rect.w / w)
        y = rect.y + int(h / 6 * rect.h / h)
        r, g, b, *_ = surface.get_at((x, y))
        index = index * 2 + (1 if (r + g + b) / 3 > 128 else 0)
    return index


def shown_index(player) -> int:  # noqa: ANN001 - a VideoPlayer showing a clip of SIZE
    return frame_index(player.view.canvas, player.frame_rect, SIZE)


def run_until(driver, condition, seconds: float, each=None) -> int:  # noqa: ANN001
    """Step the real app loop in real time until `condition()`; `each()` runs after every frame (checks)."""
    import time

    deadline = time.monotonic() + seconds
    n = 0
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {seconds} s")
        driver.frames(1)
        if each is not None:
            each()
        n += 1
        time.sleep(0.003)
    return n
