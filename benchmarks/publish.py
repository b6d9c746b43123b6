"""Benchmark publishing a stand to a local server, and checking the demo's largest package.

Prints:
  publish_s: <median> s    `expo_hall.net.publish.publish` of a package with a 50 MB H.264 video and 10 materials
                           (PDFs and DOCX) to the server on loopback: checked here, uploaded, checked again by the
                           server (the video probed and played at its start and end, every material opened), live
  validate_ms: <median> ms the demo's largest package checked as `expo-hall preview --check` does
Run: python benchmarks/publish.py [--runs 3] [--video-mb 50].
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VIDEO_MB_PER_S = 1.6  # what the noisy 1280x720 test clip takes a second


def make_package(folder: Path, video_mb: int) -> Path:
    from tests.server.test_publishing import package
    from tests.stands.test_validate import docx, pdf
    from tests.video.clips import make_clip

    package(folder)
    toml = folder / "stand.toml"
    text = toml.read_text(encoding="utf-8").replace('logo = "logo.png"', 'logo = "logo.png"\nvideo = "video.mp4"')
    for i in range(3, 11):  # ten materials in all
        name = f"files/extra-{i}.{'pdf' if i % 2 else 'docx'}"
        (pdf if i % 2 else docx)(folder / name)
        text += f'\n[[materials]]\ntitle = "Материал {i}"\ntitle_en = "Material {i}"\nfile = "{name}"\n'
    toml.write_text(text, encoding="utf-8")
    make_clip(folder / "video.mp4", seconds=video_mb / VIDEO_MB_PER_S, size=(1280, 720), noise=True)
    return folder


def main() -> None:
    from validate import main as validate_main

    from expo_hall.net.publish import publish
    from tests.server.conftest import start_server, write_expo

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--video-mb", type=int, default=50)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        root = Path(tmp)
        folder = make_package(root / "alpha", args.video_mb)
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        server = start_server(f"sqlite:///{root / 'server.sqlite3'}", write_expo(root / "expo"))
        try:
            token = server.representative("alpha").token
            times = []
            for _ in range(args.runs):  # each run a new version; the server stores each file once
                start = time.perf_counter()
                result = publish(folder, server.url, token)
                times.append(time.perf_counter() - start)
                assert result.version.state == "live", result
        finally:
            server.embedded.stop()
    print(f"# a {size / 1048576:.1f} MB package, {result.sent_bytes / 1048576:.1f} MB sent a run, "
          f"{os.cpu_count()} cores", file=sys.stderr)
    print(f"publish_s: {statistics.median(times):.2f} s")
    sys.argv = [sys.argv[0], "--runs", "5"]
    validate_main()


if __name__ == "__main__":
    main()
