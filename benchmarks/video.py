"""Benchmark a 720p H.264 clip with sound playing in the stand window over the hall.

Prints one `name: value unit` line per figure:
  video_frame_median_ms            the main thread's cost per video frame shown: upload of the decoded, already
                                   scaled picture into the player's canvas, plus the canvas's blit to the window
  hall_frame_p99_ms_without_video  a frame of the real app loop (hall, walking), stand window closed
  hall_frame_p99_ms_with_video     the same with the stand window open on the playing video
  hall_frame_cpu_p99_ms_*          the same frames' CPU time in the main thread: their own cost, without the
                                   time lost to other processes and threads on a busy machine
  video_frames_shown               pictures shown / pictures in the clip while it played (the rest were late)

The loop is paced at 60 FPS as the app runs (sleeping the rest of each 1/60 s), so the decoder thread gets
the CPU the real app leaves it. Run: python benchmarks/video.py [--seconds 10].
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FPS = 25


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def paced_frames(app, frames: int, keys: list[int], cpu: list[float] | None = None) -> list[float]:  # noqa: ANN001
    """Step the app `frames` times at 60 FPS, walking (a key held, turning every 2 s); each step's ms.
    `cpu` gets each step's CPU time in the main thread (ms): what the step costs, whatever else runs."""
    import pygame

    times = []
    key = keys[0]
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
    for i in range(frames):
        if i % 120 == 119:
            pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))
            key = keys[(keys.index(key) + 1) % len(keys)]
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
        start, start_cpu = time.perf_counter(), time.thread_time()
        app.step(1 / 60)
        took = time.perf_counter() - start
        times.append(took * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - start_cpu) * 1000)
        time.sleep(max(0.0, 1 / 60 - took))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))
    return times


def open_video_stand(app, source: Path):  # noqa: ANN001, ANN201
    """The real stand window on its Video tab, for an exhibitor whose video is the clip."""
    import dataclasses

    from expo_hall.stands.stand_screen import StandScreen

    exhibitor = dataclasses.replace(next(iter(app.expo.exhibitors.values())), video=str(source))
    screen = StandScreen(app, exhibitor, None)
    app.stack.push(screen)
    return screen, screen.show_tab("video").player


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    import pygame

    from expo_hall.app import App
    from expo_hall.settings import parse_args
    from expo_hall.video.player import Status
    from tests.conftest import small_expo
    from tests.video.clips import make_clip

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        clip = make_clip(root / "clip720.mp4", seconds=args.seconds, fps=FPS, size=(1280, 720), noise=True)
        maps, stands = small_expo(root / "expo")
        app = App(parse_args(["--maps", str(maps), "--stands", str(stands), "--window", "1600x900", "--lang", "ru",
                              "--data-dir", str(root / "data")]))
        while not app.ready:  # as the app's own loop does, leave the loader threads the processor between frames
            app.step(1 / 60)
            time.sleep(0.005)
        for _ in range(30):
            app.step(1 / 60)
        keys = [pygame.K_d, pygame.K_a]
        frames = int(args.seconds * 60 * 0.8)
        cpu_without: list[float] = []
        cpu_with: list[float] = []
        without = paced_frames(app, frames, keys, cpu_without)

        screen, player = open_video_stand(app, clip)
        deadline = time.monotonic() + 10
        while player.status is Status.LOADING or player.shown_pts is None:
            assert time.monotonic() < deadline, "the clip did not start"
            app.step(1 / 60)
            time.sleep(1 / 60)
        player.frame_ms.clear()
        first = player.shown_pts
        shown = 0
        last = None
        with_video = []
        while player.status is Status.PLAYING and len(with_video) < frames:
            with_video += paced_frames(app, 1, keys, cpu_with)
            if player.shown_pts != last:
                shown, last = shown + 1, player.shown_pts
        expected = round((player.position - first) * FPS)
        upload = statistics.median(player.frame_ms)
        view = player.view
        blits = []
        for _ in range(200):
            start = time.perf_counter()
            app.window.blit(view.image, view.rect)
            blits.append((time.perf_counter() - start) * 1000)
        print(f"video_frame_median_ms: {upload + statistics.median(blits):.2f} ms")
        print(f"hall_frame_p99_ms_without_video: {percentile(without, 0.99):.2f} ms")
        print(f"hall_frame_p99_ms_with_video: {percentile(with_video, 0.99):.2f} ms")
        print(f"hall_frame_cpu_p99_ms_without_video: {percentile(cpu_without, 0.99):.2f} ms")
        print(f"hall_frame_cpu_p99_ms_with_video: {percentile(cpu_with, 0.99):.2f} ms")
        print(f"hall_frame_median_ms_with_video: {statistics.median(with_video):.2f} ms")
        print(f"video_frames_shown: {shown}/{expected} frames")
        print(f"video_picture_size: {view.rect.w}x{view.rect.h} px")
        screen.close()
        pygame.quit()


if __name__ == "__main__":
    main()
