"""Benchmark the hall on a floor of 1000 stands.

Prints one `name: value unit` line per figure:
  frame_median_ms, frame_p99_ms  a frame of the real app loop while walking with hover active (1600x900)
  frame_p99_ms_with_route        the same walk with a personal route of 100 stops drawn (floor and minimap)
  full_blit_ms                   one full-window blit and flip: the floor to compare frames against
  hit_test_us                    one hover lookup (which stand is under a point)
  nav_build_ms                   building the floor's navigation, once per floor
  path_ms                        a shortest path corner to corner
  peer_path_ms                   the same path with the `pathfinding` package's A* on an equivalent grid
  load_s                         from starting the app to an interactive hall, first start: the embedded
                                 server's import of the folders, the expo's bulk answer and the maps over HTTP;
                                 the hall opens with placeholders where logos are still coming
  load_logos_s                   the same start to the frame drawn with every logo: the logo pack fetched after
                                 the hall opened, written into the cache, decoded (load_s before 2026-12-07)
  load_again_s                   the same, started again: the expo re-imported, the cache's copy current (304)
  load_remote_s                  the same with `--server URL` (a remote expo, its server a process of its own,
                                 first start): the client's part, to an interactive hall as load_s
  load_offline_s                 the same with that server not answering: from what the cache kept of the
                                 start before
  huge_map_s, huge_map_rss_mb    a 10000 × 10000 px floor with one zlib tile layer of 2000 × 2000 tiles (the most
                                 a floor may have: MAP_MAX_TILES), opened in a fresh process: the expo read, its
                                 navigation, its decoration and the first 1600 × 1000 view drawn; peak RSS
On the demo expo with its embedded server, in the real app loop (App.run_once):
  idle_cpu_pct                   the share of one core the whole process uses over 10 s with the hall open and
                                 nothing moving (os.times(): every thread, the embedded server's too)
  idle_frames                    the frames drawn meanwhile
  rss_mb                         resident memory after walking every floor and opening 10 stands with video
                                 (then, as `rss_*` lines, what holds the most of it)

Run: python benchmarks/hall.py [--frames N] [--only idle,rss,frames,world,load,huge] [--remote]. It uses SDL's dummy
video driver unless DISPLAY is set. The demo figures run first, in a fresh process. Its temporary folders are made in
the user's cache folder (as the app's own cache): on this project's machine /tmp creates files thirty times
slower than the disk the user's folders are on.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STAND_W, STAND_H, ALLEY = 96, 64, 64
GROUP = 10  # stands in a row between two cross alleys
GROUPS = 4
PAIRS = 13  # pairs of stand rows (back to back) between boulevards
TOTAL = 1000


def build_expo(root: Path) -> tuple[Path, Path]:
    """A floor of 1000 stands in back-to-back rows between boulevards, cut by cross alleys, with logos."""
    from PIL import Image, ImageDraw

    from expo_hall.floors.tmx_writer import FloorSketch, write_package

    width = GROUPS * GROUP * STAND_W + (GROUPS + 1) * ALLEY
    height = PAIRS * 2 * STAND_H + (PAIRS + 1) * ALLEY
    sketch = FloorSketch("big", "Большой зал", width // 32, height // 32, order=1)
    for p in range(PAIRS + 1):
        sketch.alley(0, p * (2 * STAND_H + ALLEY), width, ALLEY)
    for g in range(GROUPS + 1):
        sketch.alley(g * (GROUP * STAND_W + ALLEY), 0, ALLEY, height)
    n = 0
    rng = random.Random(7)
    stands = root / "stands"
    for p in range(PAIRS):
        for row in range(2):
            y = p * (2 * STAND_H + ALLEY) + ALLEY + row * STAND_H
            for g in range(GROUPS):
                for i in range(GROUP):
                    if n == TOTAL:
                        break
                    x = ALLEY + g * (GROUP * STAND_W + ALLEY) + i * STAND_W
                    ex = f"ex{n:04d}"
                    sketch.stand(f"{chr(65 + p)}-{row * 100 + g * GROUP + i + 1:03d}", ex, x, y, STAND_W, STAND_H)
                    folder = write_package(stands / ex, f"Компания №{n} «Образование»", category="EdTech",
                                           description="Образовательные решения", logo="logo.png")
                    img = Image.new("RGB", (96, 96), tuple(rng.randrange(40, 220) for _ in range(3)))
                    ImageDraw.Draw(img).ellipse((16, 16, 80, 80), fill=(255, 255, 255))
                    img.save(folder / "logo.png")
                    n += 1
    sketch.point("spawn", ALLEY / 2, ALLEY / 2)
    maps = root / "maps"
    maps.mkdir()
    sketch.write(maps / "big.tmx")
    return maps, stands


HUGE_SIDE, HUGE_TILE = 2000, 5  # tiles a side, pixels a tile: 10000 px, MAP_MAX_TILES tiles


def build_huge(root: Path) -> Path:
    """The huge floor's folders: one map of HUGE_SIDE² tiles in a zlib layer, a four-tile tileset, no stands."""
    import base64
    import zlib

    import numpy as np
    from PIL import Image

    from expo_hall.floors.tmx_writer import FloorSketch

    maps, stands = root / "maps", root / "stands"
    maps.mkdir(parents=True)
    stands.mkdir()
    Image.new("RGB", (4 * HUGE_TILE, HUGE_TILE), (220, 210, 190)).save(maps / "ground.png")
    gids = (np.arange(HUGE_SIDE * HUGE_SIDE, dtype="<u4") % 4 + 1).tobytes()
    data = base64.b64encode(zlib.compress(gids)).decode()
    side = HUGE_SIDE * HUGE_TILE
    xml = (FloorSketch("huge", "Огромный зал", HUGE_SIDE, HUGE_SIDE, tile=HUGE_TILE)
           .alley(0, side / 2 - 50, side, 100).alley(side / 2 - 50, 0, 100, side).point("spawn", side / 2, side / 2)
           .to_xml())
    layer = (f'<tileset firstgid="1" name="ground" tilewidth="{HUGE_TILE}" tileheight="{HUGE_TILE}" tilecount="4" '
             f'columns="4"><image source="ground.png" width="{4 * HUGE_TILE}" height="{HUGE_TILE}"/></tileset>'
             f'<layer id="9" name="ground" width="{HUGE_SIDE}" height="{HUGE_SIDE}"><data encoding="base64" '
             f'compression="zlib">{data}</data></layer>')
    (maps / "huge.tmx").write_text(xml.replace('<objectgroup id="1"', layer + '<objectgroup id="1"', 1),
                                   encoding="utf-8")
    return maps


HUGE_CHILD = """
import os, resource, sys, time
os.environ["SDL_VIDEODRIVER"] = "dummy"
import pygame
start = time.perf_counter()
from expo_hall.expo import load_expo
from expo_hall.floors.camera import Camera
from expo_hall.floors.renderer import FloorRenderer
from expo_hall.floors.tiles import load_tile_layers
from expo_hall.stands.logos import LogoCache
from expo_hall.text import TextCache
pygame.init()
screen = pygame.Surface((1600, 1000))
expo = load_expo(sys.argv[1], sys.argv[2])
floor = expo.floors[0]
nav = expo.nav(floor.floor_id)
tiles = load_tile_layers(floor.source, floor.root)
text = TextCache()
camera = Camera(screen.get_size(), (floor.width, floor.height))
FloorRenderer(floor, expo.exhibitors, LogoCache(text), text, "en", tiles).draw(screen, camera, prefetch=False)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_huge(root: Path) -> tuple[float, float]:
    """(seconds, peak MB) to open the huge floor in a fresh process."""
    maps = build_huge(root)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", HUGE_CHILD, str(maps), str(root / "stands")], env=env,
                          capture_output=True, text=True, check=True)
    seconds, mb = done.stdout.split()[-2:]
    return float(seconds), float(mb)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_frames(maps: Path, stands: Path, frames: int) -> tuple[float, float, float, float, float, float, float]:
    import pygame

    from expo_hall.app import App
    from expo_hall.settings import parse_args

    started = time.perf_counter()
    argv = ["--maps", str(maps), "--stands", str(stands), "--window", "1600x900", "--lang", "ru",
            "--data-dir", str(maps.parent / "data")]
    app = start(App(parse_args(argv)))
    load_s = time.perf_counter() - started  # the hall is up (its first frame drawn): it answers input
    while app.logos_pending:  # the logo pack comes after (placeholders meanwhile)
        app.step(min(app.clock.tick(60) / 1000, 0.1))
    app.step(1 / 60)  # drawn with them
    logos_s = time.perf_counter() - started
    hall = app.hall
    for _ in range(30):  # the first frames draw the chunks in view
        app.step(1 / 60)
    times = walk(app, frames, random.Random(1))
    # the same walk with a personal route of 100 stops drawn on the floor and the minimap
    stops = [s.exhibitor_id for s in hall.floor.stands][::10][:100]
    app.route.replace(stops)
    hall.routes.changed(push=False)
    deadline = time.monotonic() + 120
    while hall.routes.overlay is None or hall.routes.overlay_pending:  # its lines are worked out off the loop
        app.step(1 / 60)
        assert time.monotonic() < deadline, "the route's overlay never came"
    with_route = walk(app, frames, random.Random(2))
    hovered = hall.hovered is not None or any(True for _ in hall.popup._cards)
    assert hovered, "the benchmark never hovered a stand"
    surf = pygame.Surface(app.size).convert()
    surf.fill((120, 130, 140))
    blits = []
    for _ in range(200):
        t0 = time.perf_counter()
        app.window.blit(surf, (0, 0))
        pygame.display.flip()
        blits.append((time.perf_counter() - t0) * 1000)
    app.close()
    started = time.perf_counter()  # the same again: the database, the content store and the cache are there
    start(App(parse_args(argv))).close()
    again_s = time.perf_counter() - started
    pygame.quit()
    return (statistics.median(times), percentile(times, 0.99), statistics.median(blits), load_s, again_s,
            percentile(with_route, 0.99), logos_s)


def walk(app, frames: int, rng: random.Random) -> list[float]:  # noqa: ANN001
    """Milliseconds per frame while the visitor walks, turning every 4 s, and the pointer hovers stands."""
    import pygame

    keys = [pygame.K_d, pygame.K_s, pygame.K_a, pygame.K_w]
    times = []
    key = keys[0]
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
    for i in range(frames):
        if i % 240 == 239:  # turn every 4 s of walking
            pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))
            key = keys[(keys.index(key) + 1) % 4]
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
        # the pointer sweeps across the window, hovering a new stand every few frames
        pos = (rng.randrange(0, 1600), rng.randrange(60, 900)) if i % 6 == 0 else app.input.mouse or (800, 450)
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False))
        t0 = time.perf_counter()
        app.step(1 / 60)
        times.append((time.perf_counter() - t0) * 1000)
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))
    return times


def bench_remote(maps: Path, stands: Path) -> tuple[float, float]:
    """Seconds from starting the app to the hall with `--server` (as a visitor of a remote expo): the first start
    (nothing in the cache), then a start while the server does not answer (from the cache of the first)."""
    import pygame

    from expo_hall.app import App
    from expo_hall.settings import parse_args

    server, url = serve_apart(maps, stands)
    argv = ["--server", url, "--window", "1600x900", "--lang", "ru", "--data-dir", str(maps.parent / "visitor")]
    try:
        started = time.perf_counter()
        app = start(App(parse_args(argv)))  # fills the cache, registers the visitor
        remote_s = time.perf_counter() - started
        app.close()
    finally:
        server.terminate()
        server.wait(10)
    started = time.perf_counter()
    app = start(App(parse_args(argv)))
    offline_s = time.perf_counter() - started
    assert app.offline_copy is not None, "the offline start did not open the cache's copy"
    app.close()
    pygame.quit()
    return remote_s, offline_s


def serve_apart(maps: Path, stands: Path, folder: Path | None = None) -> tuple[subprocess.Popen, str]:
    """The server in a process of its own, as a remote expo's is (its database in `folder`, else beside `maps`);
    returns once it answers."""
    import requests

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "expo_hall.server", "--maps", str(maps), "--stands", str(stands),
                               "--db", f"sqlite:///{(folder or maps.parent) / 'remote.sqlite3'}", "--port", str(port)],
                              cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(url + "/api/v1/health", timeout=2).ok:
                return server, url
        except requests.ConnectionError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError("the server did not start")
        time.sleep(0.1)


def start(app):  # noqa: ANN001, ANN201
    """Run the app's loop (App.run_once, as App.run does: the loading screen draws when its bar moves) until the
    hall is up."""
    while not app.ready:
        app.run_once()
    return app


def bench_world(maps: Path, stands: Path) -> dict[str, float]:
    from expo_hall.expo import load_expo
    from expo_hall.floors.navigation import NavMesh

    expo = load_expo(maps, stands)
    floor = expo.floors[0]
    t0 = time.perf_counter()
    nav = NavMesh(floor)
    build_ms = (time.perf_counter() - t0) * 1000
    rng = random.Random(3)
    points = [(rng.uniform(0, floor.width), rng.uniform(0, floor.height)) for _ in range(20000)]
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for x, y in points:
            nav.stand_at(x, y)
        runs.append((time.perf_counter() - t0) / len(points) * 1e6)
    start = (ALLEY / 2, ALLEY / 2)
    goal = (floor.width - ALLEY / 2, floor.height - ALLEY / 2)
    paths = []
    for _ in range(20):
        t0 = time.perf_counter()
        path = nav.path(start, goal)
        paths.append((time.perf_counter() - t0) * 1000)
    assert path is not None
    return {"hit_test_us": statistics.median(runs), "nav_build_ms": build_ms, "path_ms": statistics.median(paths),
            "peer_path_ms": peer_path(nav, start, goal)}


def peer_path(nav, start, goal) -> float:  # noqa: ANN001
    """The pathfinding package's A* on a grid of the same free space (cells of the avatar's half-size)."""
    from pathfinding.core.diagonal_movement import DiagonalMovement
    from pathfinding.core.grid import Grid
    from pathfinding.finder.a_star import AStarFinder

    cell = nav.radius
    cols, rows = int(nav.floor.width // cell), int(nav.floor.height // cell)
    matrix = [[1 if nav.is_free((c + 0.5) * cell, (r + 0.5) * cell) else 0 for c in range(cols)] for r in range(rows)]
    times = []
    for _ in range(3):
        grid = Grid(matrix=matrix)
        s = grid.node(int(start[0] // cell), int(start[1] // cell))
        g = grid.node(int(goal[0] // cell), int(goal[1] // cell))
        t0 = time.perf_counter()
        path, _ = AStarFinder(diagonal_movement=DiagonalMovement.only_when_no_obstacle).find_path(s, g, grid)
        times.append((time.perf_counter() - t0) * 1000)
        assert path, "the peer found no path"
    return statistics.median(times)


def rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_demo(data: Path, only: set[str], idle_seconds: float = 10.0, server: str | None = None) -> dict[str, float]:
    """The demo expo with its embedded server (or the remote `server`), as a visitor starts it: idle CPU, then
    memory after a tour."""
    from expo_hall.app import App
    from expo_hall.settings import parse_args

    remote = ["--server", server] if server else []
    app = App(parse_args(["--window", "1600x900", "--lang", "ru", "--data-dir", str(data), *remote]))
    deadline = time.monotonic() + 120
    while not app.ready:
        app.run_once(max_wait=0.05)
        assert time.monotonic() < deadline, "the demo expo did not load"
    figures: dict[str, float] = {"rss_start_mb": rss_mb()}
    settle = time.monotonic() + 3  # the first frames, the GUI's delayed rebuilds, the first status check
    while time.monotonic() < settle:
        app.run_once(max_wait=0.1)
    if "idle" in only:
        cpu0, wall0, frames0 = os.times(), time.perf_counter(), app.frames
        while time.perf_counter() - wall0 < idle_seconds:
            app.run_once(max_wait=0.25)
        cpu1, wall1 = os.times(), time.perf_counter()
        used = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
        figures["idle_cpu_pct"] = 100 * used / (wall1 - wall0)
        figures["idle_frames"] = app.frames - frames0
    if "rss" in only:
        tour(app)
        figures["rss_mb"] = rss_mb()
        figures.update(memory_holders(app))
    app.close()
    import pygame

    pygame.quit()
    return figures


def tour(app, stands_opened: int = 10) -> None:  # noqa: ANN001
    """Walk to the outermost stands of every floor, then open stands with a video and play each a second."""
    hall = app.hall
    for floor in app.expo.floors:
        hall.change_floor(floor.floor_id)
        if not floor.stands:  # the forum's floor: its halls, no stands to walk to
            for _ in range(30):
                app.step(1 / 60)
            continue
        centre = {s.number: ((s.rect.x0 + s.rect.x1) / 2, (s.rect.y0 + s.rect.y1) / 2) for s in floor.stands}
        ends = {min(floor.stands, key=lambda s: centre[s.number][axis] * sign)
                for axis in (0, 1) for sign in (1, -1)}
        for stand in sorted(ends, key=lambda s: s.number):
            if hall.visitor.walk_to_stand(stand):
                for _ in range(3000):
                    app.step(1 / 60)
                    if not hall.visitor.walking:
                        break
    server = app.backend.client.base_url if app.backend is not None else ""
    places = [app.expo.place_of(ex.exhibitor_id) for ex in app.expo.exhibitors.values()  # served videos, not others
              if ex.video and (str(ex.video).startswith(server) or "://" not in str(ex.video))]
    places = [p for p in places if p is not None]
    assert places, "no stand of the demo has a video"
    for i in range(stands_opened):
        place = places[i % len(places)]
        if place.floor_id != hall.floor.floor_id:
            hall.change_floor(place.floor_id)
        hall.open_stand(place)
        stand = app.stack.top
        player = stand.show_tab("video").player
        deadline = time.monotonic() + 30
        while player.shown_pts is None and player.failure is None:
            app.run_once(max_wait=0.05)
            assert time.monotonic() < deadline, f"the video of {place.exhibitor_id} did not start"
        for _ in range(60):  # a second of it
            app.run_once(max_wait=0.05)
        app.stack.pop(stand)
        del stand, player  # as a visitor's click leaves it: nothing here keeps the closed window from being freed
        app.run_once(max_wait=0.05)


def memory_holders(app) -> dict[str, float]:  # noqa: ANN001
    """What the app's caches hold, in MB: pygame-gui's shapes, the floors' pre-rendered chunks, logos, text."""
    def size(surfaces) -> float:  # noqa: ANN001
        return sum(s.get_width() * s.get_height() * s.get_bytesize() for s in surfaces) / 2**20

    hall = app.hall
    shapes = app.ui.get_theme().shape_cache  # pygame-gui keeps the shapes it drew, for reuse
    return {
        "rss_gui_shape_cache_mb": size([*(c["surface"] for c in shapes.cache_surfaces),
                                        *(c["surface"] for c in shapes.cache_short_term_lookup.values())]),
        "rss_floor_chunks_mb": size(app.surfaces.kept(lambda k: k[0] == "chunk").values()),
        "rss_logos_mb": size(app.surfaces.kept(lambda k: k[0] == "logo").values()),
        "rss_text_mb": size(app.text._surfaces.values()),
        "rss_popup_cards_mb": size(hall.popup._cards.values()),
    }


UNITS = {"idle_cpu_pct": "%", "idle_frames": "frames"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1800)
    parser.add_argument("--only", default="idle,rss,frames,world,load,huge",
                        help="which figures: idle, rss (the demo expo), frames, world (the floor of 1000 stands)")
    parser.add_argument("--remote", action="store_true",
                        help="idle and rss with the demo's server in a process of its own (a visitor of a remote "
                             "fair): rss_remote_* and idle_remote_* lines, the client's process alone")
    args = parser.parse_args()
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    unknown = only - {"idle", "rss", "frames", "world", "load", "huge"}
    if unknown:
        parser.error(f"--only takes idle, rss, frames, world, load and huge, not {', '.join(sorted(unknown))}")
    logging.basicConfig(level=logging.ERROR)
    from platformdirs import user_cache_dir

    Path(user_cache_dir()).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=user_cache_dir(), prefix="expo_hall-bench-") as tmp:
        if only & {"idle", "rss"} and args.remote:  # the demo's server a process of its own: the client alone
            from expo_hall import DEMO_MAPS_DIR, DEMO_STANDS_DIR

            Path(tmp, "demo-server").mkdir()
            server, url = serve_apart(DEMO_MAPS_DIR, DEMO_STANDS_DIR, Path(tmp) / "demo-server")
            try:
                figures = bench_demo(Path(tmp) / "demo", only, server=url)
            finally:
                server.terminate()
                server.wait(30)
            for name, value in figures.items():
                if name.startswith("rss") or name.startswith("idle"):
                    unit = UNITS.get(name, "MB" if name.endswith("_mb") else "")
                    remote_name = name.replace("rss", "rss_remote", 1).replace("idle", "idle_remote", 1)
                    print(f"{remote_name}: {value:.1f} {unit}".rstrip())
        elif only & {"idle", "rss"}:
            for name, value in bench_demo(Path(tmp) / "demo", only).items():
                unit = UNITS.get(name, "MB" if name.endswith("_mb") else "")
                print(f"{name}: {value:.1f} {unit}".rstrip())
        if "huge" in only:
            huge_s, huge_mb = bench_huge(Path(tmp) / "huge")
            print(f"huge_map_s: {huge_s:.2f} s")
            print(f"huge_map_rss_mb: {huge_mb:.0f} MB")
        if not only & {"frames", "world", "load"}:
            return
        maps, stands = build_expo(Path(tmp))
        if "world" in only:
            world = bench_world(maps, stands)
            print(f"hit_test_us: {world['hit_test_us']:.2f} us")
            print(f"nav_build_ms: {world['nav_build_ms']:.1f} ms")
            print(f"path_ms: {world['path_ms']:.3f} ms")
            print(f"peer_path_ms: {world['peer_path_ms']:.1f} ms")
        if only & {"frames", "load"}:
            median, p99, blit, load_s, load_again_s, p99_route, logos_s = bench_frames(maps, stands, args.frames)
            print(f"frame_median_ms: {median:.3f} ms")
            print(f"frame_p99_ms: {p99:.3f} ms")
            print(f"frame_p99_ms_with_route: {p99_route:.3f} ms")
            print(f"full_blit_ms: {blit:.3f} ms")
            print(f"load_s: {load_s:.2f} s")
            print(f"load_logos_s: {logos_s:.2f} s")
            print(f"load_again_s: {load_again_s:.2f} s")
        if "load" in only:
            load_remote_s, load_offline_s = bench_remote(maps, stands)
            print(f"load_remote_s: {load_remote_s:.2f} s")
            print(f"load_offline_s: {load_offline_s:.2f} s")


if __name__ == "__main__":
    main()
