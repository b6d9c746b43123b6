"""Exhibitors' logos as pygame surfaces: decoded once with Pillow, scaled once per size.

Pillow reads what pygame alone does not (CMYK JPEG, WebP), through expo_hall.content.images, which
refuses a picture too big to decode. A missing, unreadable or refused logo becomes a placeholder: the
company's initials on a colour of its own.

The loader decodes logos before the hall opens, floor by floor, until PREDECODED_ROOM is used; any other logo a
frame needs is decoded on a thread (`LogoDecoder`), its placeholder drawn meanwhile and not kept. A fair of
thousands of exhibitors thus neither holds every logo decoded nor decodes one in a frame (2–8 ms each).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator

import pygame

from expo_hall.content import images
from expo_hall.stands.package import Exhibitor
from expo_hall.surface_budget import SurfaceBudget
from expo_hall.text import TextCache

log = logging.getLogger("expo_hall")
LOGO_MAX = 128  # a logo's base is decoded at most this big: the stand window's 112 px, the largest place, fits

PREDECODED_ROOM = 16 * 2**20  # bytes of logos the loader decodes before the hall opens (about 250 bases)
BATCH = 16  # logos decoded on the thread before they are handed over together

DecodedLogo = tuple[bytes, tuple[int, int]]  # RGBA pixels and size
Delivery = Callable[[dict[str, tuple[Exhibitor, "DecodedLogo | None"]]], None]
_PENDING = object()  # a base asked of the decoder, not back yet
NOT_DECODED = object()  # a logo left for the decoder (beyond PREDECODED_ROOM), in LOGOS_READY's answer


def predecoded(exhibitors: Iterable[Exhibitor], room: int | None = None,
               ) -> Iterator[tuple[Exhibitor, DecodedLogo | None]]:
    """Decode the logos in the order given (the floors' order: the first floor shown first) while the bytes
    decoded stay within `room` (PREDECODED_ROOM by default); the rest are left for LogoDecoder."""
    room = PREDECODED_ROOM if room is None else room
    for exhibitor in exhibitors:
        if room <= 0:
            return
        decoded = decode_logo(exhibitor)
        room -= len(decoded[0]) if decoded is not None else 0
        yield exhibitor, decoded


def decode_logo(exhibitor: Exhibitor, box: int = LOGO_MAX) -> DecodedLogo | None:
    """Read and shrink a logo with Pillow: plain Python, safe in a worker thread."""
    if exhibitor.logo is None:
        return None
    try:
        rgba = images.fit(exhibitor.logo, (box, box), images.LOGO_FORMATS)
    except (images.ImageRefused, OSError) as exc:
        log.warning("%s: logo %s is not shown (%s); a placeholder is", exhibitor.exhibitor_id, exhibitor.logo, exc)
        return None
    return rgba.tobytes(), rgba.size


def brand_colour(key: str) -> tuple[int, int, int]:
    """A stable, pleasant colour for a key (an exhibitor id)."""
    h = hashlib.sha1(key.encode()).digest()
    c = pygame.Color(0)
    c.hsva = (h[0] * 360 / 256, 45 + h[1] % 30, 60 + h[2] % 25, 100)
    return (c.r, c.g, c.b)


class LogoCache:
    """Each logo's base (at most LOGO_MAX) and the sizes drawn of it, kept in the hall's one surface budget: what
    the budget drops is decoded or scaled again when next drawn. A size above the base is decoded at that size."""

    def __init__(self, text: TextCache, budget: SurfaceBudget | None = None,
                 decoder: LogoDecoder | None = None) -> None:
        self.text = text
        self.budget = budget if budget is not None else SurfaceBudget()
        self.decoder = decoder  # None: a logo not decoded beforehand is decoded at once (tools, a preview)
        self._decoded: dict[str, DecodedLogo | None] = {}  # read by the loader or the decoder, not yet a surface
        self._missing: set[str] = set()  # no logo, or one that cannot be shown: a placeholder
        self._asked: set[str] = set()  # asked of the decoder, not back yet

    def add_decoded(self, decoded: dict[str, DecodedLogo | None]) -> None:
        """Logos decoded beforehand by a worker; each becomes a surface when first drawn."""
        self._decoded.update(decoded)
        self._asked -= decoded.keys()

    def not_decoded(self, exhibitor_ids: Iterable[str]) -> None:
        """The decoder's answers for these came too late (their exhibitors changed meanwhile): asked again when
        next drawn."""
        self._asked.difference_update(exhibitor_ids)

    def forget(self, exhibitor_ids: set[str]) -> None:
        """These exhibitors' logos changed (organizer mode read their packages again, or a version was published):
        drawn anew when next asked."""
        self.budget.drop(lambda key: key[0] == "logo" and key[1] in exhibitor_ids)
        for k in exhibitor_ids:
            self._decoded.pop(k, None)
        self._missing -= exhibitor_ids
        self._asked -= exhibitor_ids

    def get(self, exhibitor: Exhibitor, size: int) -> pygame.Surface:
        """The logo fitted into a size x size square, aspect kept (its placeholder while the decoder reads it)."""
        size = max(1, int(size))
        key = ("logo", exhibitor.exhibitor_id, size)
        surface = self.budget.find(key)
        if surface is None:
            made = self._make(exhibitor, size)
            if made is None:
                return self.placeholder(exhibitor, size)
            surface = made
            self.budget.put(key, surface)
        return surface

    def waiting(self, exhibitor_id: str) -> bool:
        """Its logo is being decoded on the decoder's thread (what was drawn with its placeholder is drawn again
        when it comes)."""
        return exhibitor_id in self._asked

    def _make(self, exhibitor: Exhibitor, size: int) -> pygame.Surface | None:
        """None while the decoder reads the logo."""
        base = self._base(exhibitor) if size <= LOGO_MAX else self._surface(decode_logo(exhibitor, size))
        if base is _PENDING:
            return None
        if base is None:
            return self.placeholder(exhibitor, size)
        w, h = base.get_size()
        scale = size / max(w, h)
        target = (max(1, round(w * scale)), max(1, round(h * scale)))
        surf = pygame.transform.smoothscale(base, target) if target != (w, h) else base.copy()
        return surf.convert_alpha() if pygame.display.get_surface() else surf

    def _base(self, exhibitor: Exhibitor) -> pygame.Surface | object | None:
        """The logo's base; None: a placeholder for good; _PENDING: asked of the decoder."""
        key = ("logo", exhibitor.exhibitor_id, 0)
        if exhibitor.exhibitor_id in self._missing:
            return None
        base = self.budget.find(key)
        if base is None:
            if exhibitor.exhibitor_id in self._decoded:
                decoded = self._decoded.pop(exhibitor.exhibitor_id)
            elif self.decoder is not None:  # not decoded beforehand, or dropped from the budget since
                if exhibitor.exhibitor_id not in self._asked:
                    self._asked.add(exhibitor.exhibitor_id)
                    self.decoder.ask(exhibitor)
                return _PENDING
            else:
                decoded = decode_logo(exhibitor)
            base = self._surface(decoded)
            if base is None:
                self._missing.add(exhibitor.exhibitor_id)
                return None
            self.budget.put(key, base)
        return base

    @staticmethod
    def _surface(decoded: DecodedLogo | None) -> pygame.Surface | None:
        return None if decoded is None else pygame.image.frombytes(decoded[0], decoded[1], "RGBA")

    def placeholder(self, exhibitor: Exhibitor, size: int) -> pygame.Surface:
        surf = pygame.Surface((size, size), pygame.SRCALPHA)
        pygame.draw.rect(surf, brand_colour(exhibitor.exhibitor_id), surf.get_rect(), border_radius=size // 6)
        label = self.text.render(exhibitor.initials, max(1, size // 3), (255, 255, 255), bold=True)
        surf.blit(label, label.get_rect(center=(size // 2, size // 2)))
        return surf


class LogoDecoder:
    """Decodes logos on a thread of its own, started when first asked; hands them over in batches to `deliver`
    (called on that thread: the app posts them to its loop as an event)."""

    def __init__(self, deliver: Delivery) -> None:
        self.deliver = deliver
        self._queue: queue.SimpleQueue[Exhibitor | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def ask(self, exhibitor: Exhibitor) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="expo-logo-decoder", daemon=True)
            self._thread.start()
        self._queue.put(exhibitor)

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)

    def _run(self) -> None:
        while True:
            batch: dict[str, tuple[Exhibitor, DecodedLogo | None]] = {}
            exhibitor = self._queue.get()
            while exhibitor is not None:
                batch[exhibitor.exhibitor_id] = (exhibitor, decode_logo(exhibitor))
                if len(batch) >= BATCH or self._queue.empty():
                    break
                exhibitor = self._queue.get()
            if batch:
                self.deliver(batch)
            if exhibitor is None:
                return
