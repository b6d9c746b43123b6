"""'My visit': each floor the route or the visits touch as a PNG (the printable plan with the route, the visited
stands and the walked path drawn over it), and one PDF listing the stops in order with when they were visited and
the time spent there, each exhibitor's contacts and the materials the visitor took (the briefcase).

Drawn without a window, with caches of its own: `expo-hall visit` in its process, the hall in a process of its own
(`export_visit_apart`, waited for on a thread): pygame's fonts sit on FreeType, which two threads must not use at
once, and the hall's window keeps drawing text meanwhile. The plans are floors/plan.py's, the route's lines
route/overlay.py's: nothing is drawn twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pygame

from expo_hall.briefcase import Briefcase
from expo_hall.expo import Expo
from expo_hall.floors.geometry import Rect
from expo_hall.floors.model import Floor
from expo_hall.floors.plan import floor_tiles, new_pdf, page_surface, plan_page
from expo_hall.problems import Translate, translator
from expo_hall.route.costs import Walking
from expo_hall.route.overlay import RouteOverlay, build_overlay, draw_on_floor, draw_visited, draw_walked
from expo_hall.route.store import Route
from expo_hall.stands.logos import LogoCache
from expo_hall.stands.package import Exhibitor
from expo_hall.text import TextCache

PDF_NAME = "my-visit.pdf"
INK, GREY = (30, 32, 38), (110, 114, 122)


@dataclass(frozen=True)
class PlanView:
    """The whole floor at the plan's zoom: what the route's drawing asks of the hall's camera."""

    zoom: float
    width: float
    height: float

    def to_screen(self, x: float, y: float) -> tuple[int, int]:
        return round(x * self.zoom), round(y * self.zoom)

    def view_rect(self) -> Rect:
        return Rect(0, 0, self.width, self.height)


def touched_floors(expo: Expo, route: Route) -> list[Floor]:
    """The floors with a stop of the route or a visited stand, in the expo's order."""
    places = (expo.place_of(ex) for ex in [*route.stops, *route.visited])
    ids = {p.floor_id for p in places if p is not None}
    return [f for f in expo.floors if f.floor_id in ids]


def export_visit(expo: Expo, route: Route, briefcase: Briefcase, out: Path, lang: str, tr: Translate) -> list[Path]:
    """Write `<floor_id>.png` for each touched floor and my-visit.pdf into `out` (made if missing); the paths
    written. Raises OSError when `out` cannot be written."""
    out.mkdir(parents=True, exist_ok=True)
    pygame.font.init()
    text = TextCache()
    logos = LogoCache(text)
    overlay = build_overlay(expo, route.stops, Walking(avoid_stairs=route.avoid_stairs))
    floors = {f.floor_id: f for f in expo.floors}
    written = []
    for floor in touched_floors(expo, route):
        page = plan_page(floor, expo.exhibitors, floors, logos, text, lang, tr, floor_tiles(floor),
                         over=lambda drawing, zoom, f=floor: _draw_visit(drawing, zoom, f, expo, route, overlay,
                                                                         text, lang))
        png = out / f"{floor.floor_id}.png"
        pygame.image.save(page_surface(page, text), str(png))
        written.append(png)
    written.append(write_visit_pdf(expo, route, briefcase, out / PDF_NAME, lang, tr))
    return written


def export_visit_apart(expo: Expo, route: Route, briefcase_folder: Path, out: Path, lang: str) -> list[Path]:
    """`export_visit` in a process of its own (a fresh interpreter: nothing of the window's is shared)."""
    import multiprocessing  # here, not at the top: 3 MB resident in every client that never exports otherwise
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_export_there, expo, route, briefcase_folder, out, lang).result()


def _export_there(expo: Expo, route: Route, briefcase_folder: Path, out: Path, lang: str) -> list[Path]:
    return export_visit(expo, route, Briefcase(briefcase_folder), out, lang, translator(lang))


def walked_runs(route: Route, floor_id: str, gap: int = 3) -> list[list[tuple[float, float]]]:
    """The walked path on this floor in runs: a new run where the samples are more than `gap` seconds apart
    (the visitor stood, changed floor or started the hall again), so no line jumps across the floor."""
    runs: list[list[tuple[float, float]]] = []
    last = None
    for f, x, y, t in route.walked:
        if f != floor_id:
            last = None
            continue
        if last is None or t - last > gap:
            runs.append([])
        runs[-1].append((x, y))
        last = t
    return runs


def _draw_visit(drawing: pygame.Surface, zoom: float, floor: Floor, expo: Expo, route: Route,
                overlay: RouteOverlay, text: TextCache, lang: str) -> None:
    view = PlanView(zoom, floor.width, floor.height)
    for run in walked_runs(route, floor.floor_id):
        draw_walked(drawing, view, run)
    here = overlay.floors.get(floor.floor_id)
    if here is not None:
        nxt = route.next_stop()
        visited = {i for i, s in enumerate(route.stops) if s in route.visited}
        titles = {f.floor_id: f.title_for(lang) for f in expo.floors}
        draw_on_floor(drawing, view, here, route.stops.index(nxt) if nxt else None, visited, titles, text)
    places = (expo.place_of(ex) for ex in route.visited)
    draw_visited(drawing, view, [p.inner_rect for p in places if p is not None and p.floor_id == floor.floor_id])


def duration(seconds: float, tr: Translate) -> str:
    """"45 s", "3 min"."""
    if seconds < 60:
        return tr("route.seconds", seconds=max(1, round(seconds)))
    return tr("route.minutes", minutes=round(seconds / 60))


def visit_line(route: Route, exhibitor_id: str, tr: Translate, unvisited: bool = True) -> str:
    """"visited 10:42 · 3 min at the stand"; "not visited" (with `unvisited`, else "")."""
    seen, spent = route.visited.get(exhibitor_id), route.spent.get(exhibitor_id, 0.0)
    parts = [tr("route.visited_at", time=seen.at.astimezone().strftime("%H:%M"))] if seen else []
    if not seen and unvisited:
        parts.append(tr("visit.not_visited"))
    if spent >= 1:
        parts.append(tr("route.spent", time=duration(spent, tr)))
    return " · ".join(parts)


def write_visit_pdf(expo: Expo, route: Route, briefcase: Briefcase, path: Path, lang: str, tr: Translate) -> Path:
    """The stops in order, then the other stands visited: each with its place, the visit, contacts and materials."""
    pdf = new_pdf("expo-hall visit")
    pdf.set_auto_page_break(True, margin=40)
    pdf.set_margins(48, 48, 48)
    pdf.add_page(format="A4")

    def say(line: str, size: float = 10.5, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        pdf.set_font("Noto", "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 1.4, line, new_x="LMARGIN", new_y="NEXT")

    days = sorted({v.at.astimezone().date() for v in route.visited.values()}) or [dt.date.today()]
    say(tr("visit.title", date=", ".join(d.strftime("%d.%m.%Y") for d in days)), 20, bold=True)
    done, total = route.progress()
    say(tr("visit.progress", done=done, total=total), 11, colour=GREY)
    taken = {}
    for item in briefcase.items():
        if item.kind == "material":
            taken.setdefault(item.exhibitor_id, []).append(item.title or item.file_name)
    others = [ex for ex in route.visited if ex not in route.stops]
    for heading, ids in ((tr("visit.route"), route.stops), (tr("visit.others"), others)):
        if not ids:
            continue
        pdf.ln(10)
        say(heading, 14, bold=True)
        for n, exhibitor_id in enumerate(ids, 1):
            pdf.ln(6)
            ex = expo.exhibitors.get(exhibitor_id)
            number = f"{n}. " if ids is route.stops else ""
            say(number + (ex.name_for(lang) if ex else exhibitor_id), 12, bold=True)
            place = expo.place_of(exhibitor_id)
            floor = expo.floor(place.floor_id) if place else None
            where = (f"{tr('popup.stand', number=place.number)} · {floor.title_for(lang) if floor else place.floor_id}"
                     if place else tr("route.not_placed"))
            say(f"{where} · {visit_line(route, exhibitor_id, tr)}", colour=GREY)
            for line in _contacts(ex, tr) if ex else ():
                say(line)
            if exhibitor_id in taken:
                say(tr("visit.materials", titles=", ".join(taken[exhibitor_id])))
    pdf.output(str(path))
    return path


def _contacts(ex: Exhibitor, tr: Translate) -> list[str]:
    c = ex.contacts
    lines = [f"{tr(f'contacts.{key}')}: {value}" for key, value in
             (("email", c.email), ("phone", c.phone), ("website", c.website), ("address", c.address)) if value]
    return lines + [f"{name}: {handle}" for name, handle in c.messengers.items()]
