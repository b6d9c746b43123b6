"""The forum floor's halls in the hall screen: each named over the floor with what is on in it at the fair's clock
("● Live: …", else "Next 14:00 · …" that day, else "No more events today"), and opened (the programme window on that
hall: the event on now, next, the hall's day and its clusters' stand webinars) when the visitor walks in.

What is on is the programme window's Now/Next (`listing.now_next_by_hall`), found again only when an event of the
floor's halls starts or ends (or the day changes); the labels are drawn once per change and zoom and blitted each
frame, and the hall screen's idle wait wakes for the next change (`next_wakeup`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from expo_hall.agenda.when import local
from expo_hall.floors.camera import Camera
from expo_hall.floors.model import Floor
from expo_hall.forum import listing
from expo_hall.forum.floor import HallSpot, hall_spots
from expo_hall.i18n import tr
from expo_hall.server.schemas import ProgrammeEventOut, ProgrammeOut
from expo_hall.text import shortened

if TYPE_CHECKING:
    from expo_hall.app import App

LABEL_BG, LABEL_FG = (34, 40, 56), (255, 255, 255)
STATUS_FG, QUIET_FG, LIVE_DOT = (214, 220, 232), (150, 158, 176), (232, 56, 64)
NAME_SIZE, STATUS_SIZE = 14, 13
PAD_X, PAD_Y = 8, 3
INSET = 6  # px between a label and its hall's sides
DOT_R, DOT_W = 4, 13  # the live dot's radius, and the room it takes before the text


@dataclass(frozen=True)
class HallLine:
    """What a hall's label says under its name: `live` with the dot, or its next event, or none."""

    text: str
    live: bool = False
    quiet: bool = False  # nothing more in this hall


def hall_line(programme: ProgrammeOut, on: ProgrammeEventOut | None, nxt: ProgrammeEventOut | None,
              now: dt.datetime, lang: str) -> HallLine:
    """The line under a hall's name, from its event on now and its next one (the programme window's Now/Next)."""
    tz = _zone(programme)

    def title(e: ProgrammeEventOut) -> str:
        return e.title_en if lang == "en" and e.title_en else e.title

    if on is not None:
        return HallLine(tr("programme.hall_live", title=title(on)), live=True)
    if nxt is not None:  # its day too when it is not today (before the fair, between its days)
        starts = local(nxt.starts, tz)
        when = f"{starts:%H:%M}" if starts.date() == local(now, tz).date() else f"{starts:%d.%m %H:%M}"
        return HallLine(tr("programme.hall_next", time=when, title=title(nxt)))
    return HallLine(tr("programme.hall_none"), quiet=True)


def _zone(programme: ProgrammeOut) -> dt.tzinfo | None:
    """The programme's own time zone (its events': the fair's days are its days)."""
    return programme.events[0].starts.tzinfo if programme.events else None


class ForumHalls:
    def __init__(self, app: App) -> None:
        self.app = app
        self.inside: str | None = None  # the hall the visitor stands in
        self._spots: dict[str, list[HallSpot]] = {}
        self._for: object | None = None  # the listing the spots were found with
        self._asked = False
        self.lines: dict[str, HallLine] = {}  # per hall, at the clock's time between `_since` and `_until`
        self._lines_for: tuple | None = None  # (listing, language, halls) they were found for
        self._since: dt.datetime | None = None
        self._until: dt.datetime | None = None  # when a line changes next (None: never)
        self._labels: dict[tuple[str, int], pygame.Surface] = {}  # (hall, zoom index) -> its label, drawn

    def _ask(self, floor: Floor) -> None:
        """Ask for the programme once a floor has points that may be halls (the forum floor): halls are named by it."""
        if self._asked or self.app.programme is not None or self.app.programme_error is not None:
            return
        if any(p.name != "spawn" and not p.is_transfer for p in floor.points):
            self._asked = True
            listing.request(self.app)

    def spots(self, floor: Floor) -> list[HallSpot]:
        self._ask(floor)
        if self._for is not self.app.programme:
            self._for, self._spots = self.app.programme, {}
        if floor.floor_id not in self._spots:
            programme = self.app.programme
            halls = {r.hall for r in programme.rooms if r.hall} if programme else set()
            self._spots[floor.floor_id] = hall_spots(floor, halls)
        return self._spots[floor.floor_id]

    def rooms_of(self, hall: str) -> str:
        programme = self.app.programme
        return ", ".join(r.name for r in programme.rooms if r.hall == hall) if programme else hall

    def update(self, floor: Floor, pos: tuple[float, float], active: bool) -> str | None:
        """Open the hall the visitor has just walked into (when the hall screen is on top); returns it."""
        spot = next((s for s in self.spots(floor) if s.holds(*pos)), None)
        hall = spot.hall if spot else None
        if hall == self.inside:
            return None
        self.inside = hall
        if hall is None or not active:
            return None
        from expo_hall.forum.screen import open_programme

        open_programme(self.app, hall=hall)
        return hall

    # -- what is on -----------------------------------------------------------------------------
    def refresh(self, spots: list[HallSpot]) -> None:
        """Find each hall's line again when an event started or ended since (or the clock went back, or the
        programme or the language changed); else keep them."""
        programme, now = self.app.programme, self.app.time.now()
        halls = frozenset(s.hall for s in spots)
        k = (programme, self.app.lang, halls)
        if (self._lines_for is not None and self._lines_for[0] is programme and self._lines_for[1:] == k[1:]
                and (self._since is None or now >= self._since) and (self._until is None or now < self._until)):
            return
        self._lines_for, self._labels = k, {}
        if programme is None or not halls:
            self.lines, self._since, self._until = {}, None, None
            return
        by_hall = listing.now_next_by_hall(programme, now)
        self.lines = {h: hall_line(programme, *by_hall.get(h, (None, None)), now, self.app.lang) for h in halls}
        self._since = listing.last_change(programme, halls, now)
        self._until = listing.next_change(programme, halls, now)
        tz = _zone(programme)
        today = local(now, tz).replace(hour=0, minute=0, second=0, microsecond=0)
        if any(on is None and nxt is not None and local(nxt.starts, tz) >= today + dt.timedelta(days=1)
               for h, (on, nxt) in by_hall.items() if h in halls):  # a next day's event is named from its midnight
            self._since = max(self._since or today, today)
            self._until = min(self._until or today + dt.timedelta(days=1), today + dt.timedelta(days=1))

    def next_wakeup(self, floor: Floor) -> float | None:
        """Seconds until a hall's line on this floor changes (None: the floor has no hall, or nothing changes)."""
        spots = self.spots(floor)
        if not spots:
            return None
        self.refresh(spots)
        if self._until is None:
            return None
        return max(0.0, (self._until - self.app.time.now()).total_seconds())

    def label(self, spot: HallSpot, camera: Camera) -> pygame.Surface:
        """The hall's name and line, as wide as the hall lets at this zoom (drawn once per change and zoom)."""
        k = (spot.hall, camera.zoom_index)
        surface = self._labels.get(k)
        if surface is not None:
            return surface
        text = self.app.text
        room = max(60, round(spot.width * camera.zoom) - 2 * INSET - 2 * PAD_X)
        name_font, status_font = text.font(NAME_SIZE, True), text.font(STATUS_SIZE)
        name = text.render(shortened(self.rooms_of(spot.hall), room, lambda t: name_font.size(t)[0]), NAME_SIZE,
                           LABEL_FG, bold=True)
        line = self.lines.get(spot.hall)
        status: pygame.Surface | None = None
        dot = DOT_W if line is not None and line.live else 0  # the red dot before "Live: …"
        if line is not None:
            colour = LABEL_FG if line.live else QUIET_FG if line.quiet else STATUS_FG
            status = text.render(shortened(line.text, room - dot, lambda t: status_font.size(t)[0]), STATUS_SIZE,
                                 colour)
        status_w = dot + (status.get_width() if status is not None else 0)
        w = max(name.get_width(), status_w) + 2 * PAD_X
        h = name.get_height() + (status.get_height() if status is not None else 0) + 2 * PAD_Y
        surface = pygame.Surface((w, h), pygame.SRCALPHA)
        pygame.draw.rect(surface, LABEL_BG, surface.get_rect(), border_radius=4)
        surface.blit(name, name.get_rect(midtop=(w // 2, PAD_Y)))
        if status is not None:
            x, y = (w - status_w) // 2, PAD_Y + name.get_height()
            if dot:
                pygame.draw.circle(surface, LIVE_DOT, (x + DOT_R + 1, y + status.get_height() // 2 + 1), DOT_R)
            surface.blit(status, (x + dot, y))
        self._labels[k] = surface
        return surface

    def draw(self, surface: pygame.Surface, camera: Camera, floor: Floor) -> None:
        """Each hall's name and what is on in it, over its stage's front."""
        spots = self.spots(floor)
        if not spots:
            return
        self.refresh(spots)
        view = surface.get_rect()
        for spot in spots:
            label = self.label(spot, camera)
            box = label.get_rect(center=camera.to_screen(spot.x, spot.y))
            if box.colliderect(view):
                surface.blit(label, box)
