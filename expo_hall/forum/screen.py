"""The programme window over the hall: the forum's events by day, by cluster and by hall, what is on now and next,
a search, bookmarks (kept in the one agenda, with a warning when one overlaps what is already there), how long
before the start reminders come, and the stand webinars of the chosen cluster beside its events.

Opened on one hall (walking into it on the forum floor), it is that hall's window: the event on now and the next
one named at the top, the hall's day below, and the stand webinars of the clusters its events belong to."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UITextBox, UITextEntryLine, UIWindow

from expo_hall.agenda import browser
from expo_hall.agenda.reminders import until_change
from expo_hall.agenda.rows import ROW_H, WebinarRow, row_width, scrolling_list
from expo_hall.agenda.store import REMIND_BEFORE_CHOICES, Entry
from expo_hall.agenda.when import local
from expo_hall.forum import listing
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.programme.timetable import Status
from expo_hall.screens import WindowScreen
from expo_hall.server.schemas import ProgrammeEventOut, ProgrammeOut
from expo_hall.stands.package import Exhibitor, Webinar
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

CHECK_SECONDS = 1.0
ALL = "*"
SHOWN_AT_MOST = 80  # rows built at once; a longer list asks to narrow it (building rows costs frames)
PAD, GAP, LINE_H = 12, 8, 36


class ProgrammeScreen(WindowScreen):
    opaque = False

    def __init__(self, app: App, hall: str | None = None) -> None:
        super().__init__(app)
        self.opened_on = hall
        self.lang = app.lang
        self.agenda = app.agenda
        self.clock = app.time
        self.day: dt.date | None = None
        self.cluster, self.hall, self.query, self.now_next = ALL, hall or ALL, "", False
        self.recordings = False  # the recordings library: ended events with a recording, every day
        self.listing: ProgrammeOut | None = None
        self.rows: list[WebinarRow] = []
        self.row_events: list[ProgrammeEventOut | None] = []  # per row: its event (None: a stand webinar)
        self.body: object | None = None
        self.filters: list[object] = []
        self.message_html = ""
        self._shade: pygame.Surface | None = None
        self._wait = 0.0
        self._built_for: tuple | None = None
        self._waiting = True  # the programme is on its way from the server
        rect = window_rect(app.size, 1180, 760)
        title = tr("programme.hall_title", rooms=self._rooms(hall)) if hall else tr("programme.title")
        self.window = UIWindow(rect, app.ui, window_display_title=title,
                               object_id="#programme_window", resizable=False)
        w, h = self.window.get_container().get_size()
        self.inner = (w, h)
        self.message = UITextBox("", pygame.Rect(PAD, h - 44, w - 2 * PAD, 40), app.ui, container=self.window,
                                 object_id="#agenda_message")
        self.list_rect = pygame.Rect(PAD, 2 * LINE_H + 3 * GAP, w - 2 * PAD, h - (2 * LINE_H + 3 * GAP) - 50)
        if app.programme is None:
            listing.request(app)
        self._take_listing()

    # -- the listing ---------------------------------------------------------------------------
    def _take_listing(self) -> None:
        """Build the filters on the app's programme once it is there (else say it is on its way, or why not)."""
        self.listing = self.app.programme
        self._waiting = self.listing is None and self.app.programme_error is None
        if self.listing is None or self.listing.conference is None:
            if self._waiting:
                text = tr("programme.loading")
            elif self.listing is None:
                text = tr("programme.failed", error=self.app.programme_error)
            else:
                text = tr("programme.none")
            self._set_body(UITextBox(f"<i>{literal(text)}</i>", self.list_rect, self.app.ui,
                                     container=self.window, object_id="#agenda_empty"))
            return
        days = self.days()
        today = local(self.clock.now(), self.tz).date()
        self.day = today if today in days else days[0] if days else None
        self._build_filters()
        self.rebuild()

    @property
    def tz(self) -> dt.tzinfo | None:
        """The programme's own time zone (its events' offset): days are the fair's days."""
        events = self.listing.events if self.listing else []
        return events[0].starts.tzinfo if events else None

    def days(self) -> list[dt.date]:
        return sorted({e.starts.date() for e in self.listing.events}) if self.listing else []

    def _build_filters(self) -> None:
        for element in self.filters:
            element.kill()  # type: ignore[attr-defined]
        ui, w = self.app.ui, self.inner[0]
        assert self.listing is not None
        day_options = [(f"{d:%d.%m.%Y}", d.isoformat()) for d in self.days()]
        clusters = [(tr("programme.all_clusters"), ALL)] + [
            ((c.title_en if self.lang == "en" and c.title_en else c.title), c.cluster_id)
            for c in self.listing.clusters]
        halls = [(tr("programme.all_halls"), ALL)] + [(self._rooms(h), h) for h in dict.fromkeys(
            r.hall for r in self.listing.rooms if r.hall)]
        remind = [(tr("programme.remind_at_start") if m == 0 else tr("programme.remind_before", minutes=m), str(m))
                  for m in REMIND_BEFORE_CHOICES]
        y1, y2 = PAD // 2, PAD // 2 + LINE_H + GAP
        x = PAD
        self.day_menu = UIDropDownMenu(day_options, next(o for o in day_options if o[1] == self.day.isoformat()),
                                       pygame.Rect(x, y1, 150, LINE_H), ui, container=self.window)
        x += 150 + GAP
        self.cluster_menu = UIDropDownMenu(clusters, clusters[0], pygame.Rect(x, y1, 420, LINE_H), ui,
                                           container=self.window)
        x += 420 + GAP
        self.hall_menu = UIDropDownMenu(halls, next((o for o in halls if o[1] == self.hall), halls[0]),
                                        pygame.Rect(x, y1, 200, LINE_H), ui, container=self.window)
        x += 200 + GAP
        self.search = UITextEntryLine(pygame.Rect(x, y1, w - PAD - x, LINE_H), ui, container=self.window,
                                      placeholder_text=key("programme.search"))
        self.now_button = UIButton(pygame.Rect(PAD, y2, 220, LINE_H), key("programme.now_next"), ui,
                                   container=self.window, object_id="#programme_now_next",
                                   command=self.toggle_now_next)
        label_w = 120
        self.remind_label = UILabel(pygame.Rect(w - PAD - 250 - GAP - label_w, y2, label_w, LINE_H),
                                    key("programme.remind_label"), ui, container=self.window)
        current = next(o for o in remind if o[1] == str(self.agenda.remind_before))
        self.remind_menu = UIDropDownMenu(remind, current, pygame.Rect(w - PAD - 250, y2, 250, LINE_H), ui,
                                          container=self.window)
        self.recordings_button = UIButton(pygame.Rect(PAD + 220 + GAP, y2, 220, LINE_H), key("programme.recordings"),
                                          ui, container=self.window, object_id="#programme_recordings",
                                          command=self.toggle_recordings)
        left = PAD + 2 * (220 + GAP)
        self.counts = UILabel(pygame.Rect(left, y2, w - PAD - 250 - 2 * GAP - label_w - left, LINE_H), "", ui,
                              container=self.window, object_id="#programme_counts")
        self.filters = [self.day_menu, self.cluster_menu, self.hall_menu, self.search, self.now_button,
                        self.recordings_button, self.remind_label, self.remind_menu, self.counts]

    def shown_events(self, status: dict[str, Status]) -> list[ProgrammeEventOut]:
        """The events the filters let through: of the day (or every day's now and next), cluster, hall, words."""
        assert self.listing is not None
        words = self.query.casefold().split()
        found = []
        for e in self.listing.events:
            if self.recordings:
                if status[e.guid] is not Status.ended or not e.recording_url:
                    continue
            elif self.now_next:
                if status[e.guid] not in (Status.now, Status.next):
                    continue
            elif e.starts.date() != self.day:
                continue
            if self.cluster != ALL and e.cluster_id != self.cluster:
                continue
            if self.hall != ALL and e.hall != self.hall:
                continue
            if words:
                hay = " ".join([e.title, e.title_en or "", e.room, e.hall or "", e.track or "", e.abstract,
                                *(p.name for p in e.persons)]).casefold()
                if not all(word in hay for word in words):
                    continue
            found.append(e)
        return found

    def shown_webinars(self, events: list[ProgrammeEventOut]) -> list[tuple[Exhibitor, Webinar]]:
        """The chosen cluster's stand webinars (of the chosen day), beside its events; in a hall's window, those of
        the clusters of the hall's events shown."""
        if self.cluster != ALL:
            clusters = [self.cluster]
        elif self.hall != ALL:
            clusters = list(dict.fromkeys(e.cluster_id for e in events if e.cluster_id))
        else:
            return []
        if self.recordings:
            return []
        day = None if self.now_next else self.day
        found = {(ex.exhibitor_id, w.starts, w.title): (ex, w) for c in clusters
                 for ex, w in listing.cluster_webinars(self.app, c, day, self.tz)}
        pairs = sorted(found.values(), key=lambda pair: (pair[1].starts, pair[0].exhibitor_id))
        if self.now_next:
            now = self.clock.now()
            pairs = [(ex, w) for ex, w in pairs if w.ends > now][:3]
        words = self.query.casefold().split()
        return [(ex, w) for ex, w in pairs
                if all(word in f"{w.title} {w.title_en or ''} {ex.name} {ex.name_en or ''}".casefold()
                       for word in words)]

    def rebuild(self) -> None:
        if self.listing is None or self.listing.conference is None:
            return
        for row in self.rows:
            row.kill()
        ui, now = self.app.ui, self.clock.now()
        status = listing.status_at(self.listing, now)
        events = self.shown_events(status)
        webinars = self.shown_webinars(events)
        self._built_for = (self.agenda.version,)
        self.rows, self.row_events = [], []
        total = len(events) + len(webinars)
        if not total:
            self._set_body(UITextBox(f"<i>{literal(tr('programme.nothing'))}</i>", self.list_rect, ui,
                                     container=self.window, object_id="#agenda_empty"))
            self._sync_actions()
            return
        shown = min(total, SHOWN_AT_MOST)
        self._set_body(area := scrolling_list(ui, self.list_rect, self.window, shown + (1 if webinars else 0)))
        width, y = row_width(self.list_rect), 0
        for event in events[:shown]:
            row = WebinarRow(ui, area, y, width, self.event_html(event), event.starts, event.ends,
                             event.stream_url or event.recording_url or event.url, self.bookmark_key(event),
                             on_join=lambda e=event: self.watch(e), on_action=lambda e=event: self.toggle(e))
            row.join_button.set_text(key("programme.watch"))
            row.join_button.enable()  # the watch window says what there is (the stream, the recording, the Q&A)
            self.rows.append(row)
            self.row_events.append(event)
            y += ROW_H
        if webinars and len(self.rows) < shown:
            heading = UILabel(pygame.Rect(0, y, width, ROW_H // 2), key("programme.webinars_heading"), ui,
                              container=area, object_id="#programme_heading")
            self.rows.append(_Heading(heading))
            self.row_events.append(None)
            y += ROW_H // 2
            for ex, webinar in webinars[:shown - len(events)]:
                entry = Entry.of(ex, webinar)
                row = WebinarRow(ui, area, y, width, self.webinar_html(ex, webinar), webinar.starts, webinar.ends,
                                 webinar.url, self.remind_key(entry), on_join=lambda w=webinar: browser.join(w.url),
                                 on_action=lambda e=entry: self.toggle_webinar(e))
                row.entry = entry  # type: ignore[attr-defined]
                self.rows.append(row)
                self.row_events.append(None)
                y += ROW_H
        if total > shown:
            self.say(tr("programme.too_many", shown=shown, total=total))
        self._sync_actions()
        self._show_status(status)

    def _set_body(self, body: object) -> None:
        if self.body is not None:
            self.body.kill()  # type: ignore[attr-defined]
        self.body = body

    def event_html(self, e: ProgrammeEventOut) -> str:
        a, b = local(e.starts, self.tz), local(e.ends, self.tz)
        clusters = self.listing.clusters if self.listing else []
        cluster = next((c for c in clusters if c.cluster_id == e.cluster_id), None)
        cluster_name = ""
        if cluster is not None:
            cluster_name = cluster.title_en if self.lang == "en" and cluster.title_en else cluster.title
        where = " · ".join(part for part in (e.room, cluster_name) if part)
        title = e.title_en if self.lang == "en" and e.title_en else e.title
        people = ", ".join(p.name for p in e.persons)
        day = f"{a:%d.%m} " if self.now_next or self.recordings else ""
        return (f"<b>{day}{a:%H:%M}–{b:%H:%M}  {literal(title)}</b><br>{literal(where)}"
                + (f"<br><i>{literal(people)}</i>" if people else ""))

    def webinar_html(self, ex: Exhibitor, w: Webinar) -> str:
        a, b = local(w.starts, self.tz), local(w.ends, self.tz)
        return (f"<b>{a:%H:%M}–{b:%H:%M}  {literal(w.title_for(self.lang))}</b><br>"
                f"{literal(tr('programme.stand_webinar', name=ex.name_for(self.lang)))}")

    def bookmark_key(self, event: ProgrammeEventOut) -> str:
        return "programme.unbookmark" if self.agenda.event_entry(event.guid) else "programme.bookmark"

    def remind_key(self, entry: Entry) -> str:
        return "webinar.unremind" if entry.key in self.agenda else "webinar.remind"

    # -- actions -------------------------------------------------------------------------------
    def toggle(self, event: ProgrammeEventOut) -> bool:
        """Bookmark the event or take the bookmark away; a new bookmark that overlaps the agenda is warned of."""
        entry = listing.entry_of(event)
        marked = self.agenda.toggle_event(entry)
        if marked:
            self._say_added(entry, "programme.bookmarked")
        else:
            self.say(tr("programme.unbookmarked"))
        if self.agenda.save_error is not None:
            self.say(tr("agenda.not_saved"), warn=True)
        return marked

    def toggle_webinar(self, entry: Entry) -> bool:
        if entry.key in self.agenda:
            self.agenda.remove(entry.key)
            self.say(tr("webinar.reminder_removed"))
            return False
        self.agenda.add(entry)
        self._say_added(entry, "webinar.reminder_set")
        return True

    def _say_added(self, entry: Entry, done: str) -> None:
        """An entry just put in the agenda: the agenda entries it overlaps (three at most), else `done`."""
        clashes = listing.overlaps(entry, self.agenda.entries())
        if clashes:
            names = "; ".join(tr("programme.overlap_item", title=o.title_for(self.lang), minutes=m)
                              for o, m in clashes[:3])
            self.say(tr("programme.overlaps", titles=names), warn=True)
        else:
            self.say(tr(done))

    def watch(self, event: ProgrammeEventOut) -> bool:
        """The event's watch window: its stream (its recording once it is over) beside its Q&A."""
        from expo_hall.forum.watch import open_watch, watch_source

        if watch_source(event, self.clock.now())[0] is None and self.app.backend is None:
            self.say(tr("watch.none"))
            return False
        open_watch(self.app, event)
        return True

    def toggle_now_next(self) -> None:
        self.now_next, self.recordings = not self.now_next, False
        self._sync_modes()
        self.rebuild()

    def toggle_recordings(self) -> None:
        self.recordings, self.now_next = not self.recordings, False
        self._sync_modes()
        self.rebuild()

    def _sync_modes(self) -> None:
        self.now_button.set_text(key("programme.all_of_day" if self.now_next else "programme.now_next"))
        self.recordings_button.set_text(key("programme.all_of_day" if self.recordings else "programme.recordings"))

    def set_remind_before(self, minutes: int) -> None:
        self.agenda.set_remind_before(minutes)
        self.say(tr("programme.remind_set") if minutes else tr("programme.remind_set_start"))

    def say(self, text: str, warn: bool = False) -> None:
        html = literal(text)
        self.message_html = f"<font color='#ffb347'>{html}</font>" if warn else html
        self.message.set_text(self.message_html)

    # -- screen --------------------------------------------------------------------------------
    def _show_status(self, status: dict[str, Status] | None = None) -> None:
        self._wait = CHECK_SECONDS
        if self.listing is None or self.listing.conference is None:
            return
        status = status or listing.status_at(self.listing, self.clock.now())
        for row, event in zip(self.rows, self.row_events, strict=True):
            if event is not None:
                state = status[event.guid]
                text = key(f"programme.status_{state}") if state in (Status.now, Status.next, Status.ended) else ""
                if row.status != state:
                    row.status = state
                    row.status_label.set_text(text)
            elif isinstance(row, WebinarRow):
                row.set_status(self.clock.now())

    def _sync_actions(self) -> None:
        self._built_for = (self.agenda.version,)
        shown = sum(1 for e in self.row_events if e is not None)
        self.counts.set_text(tr("programme.counts", shown=shown, bookmarked=len(self.agenda.bookmarked())))
        for row, event in zip(self.rows, self.row_events, strict=True):
            if event is not None:
                row.set_action(self.bookmark_key(event))
            elif isinstance(row, WebinarRow):
                row.set_action(self.remind_key(row.entry))  # type: ignore[attr-defined]
        if self.opened_on and self.listing is not None and not self.message_html:
            self.say(self.now_and_next(self.opened_on))

    def now_and_next(self, hall: str) -> str:
        """"Now: … · Next: …" in the hall, at the app's clock."""
        assert self.listing is not None
        on, nxt = listing.now_next_by_hall(self.listing, self.clock.now()).get(hall, (None, None))

        def name(e: ProgrammeEventOut | None) -> str:
            if e is None:
                return "—"
            a = local(e.starts, self.tz)
            return f"{a:%d.%m %H:%M} {e.title_en if self.lang == 'en' and e.title_en else e.title}"

        return tr("programme.hall_now_next", now=name(on), next=name(nxt))

    def _rooms(self, hall: str | None) -> str:
        programme = self.app.programme
        rooms = [r.name for r in programme.rooms if r.hall == hall] if programme and hall else []
        return ", ".join(rooms) or hall or ""

    def event(self, event: pygame.event.Event) -> None:
        super().event(event)
        t = event.type
        if self.listing is None or self.listing.conference is None:
            return
        if t == pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            chosen = getattr(event, "selected_option_id", None)
            if event.ui_element is self.day_menu and chosen:
                self.day = dt.date.fromisoformat(chosen)
                self.rebuild()
            elif event.ui_element is self.cluster_menu and chosen:
                self.cluster = chosen
                self.rebuild()
            elif event.ui_element is self.hall_menu and chosen:
                self.hall = chosen
                self.rebuild()
            elif event.ui_element is self.remind_menu and chosen:
                self.set_remind_before(int(chosen))
        elif t == pygame_gui.UI_TEXT_ENTRY_CHANGED and event.ui_element is self.search:
            self.query = event.text
            self.rebuild()

    def update(self, dt_: float) -> None:
        if self.listing is None:
            if self._waiting and (self.app.programme is not None or self.app.programme_error is not None):
                self._take_listing()
            return
        if self._built_for != (self.agenda.version,):
            self._sync_actions()
        self._wait -= dt_
        if self._wait <= 0:
            self._show_status()

    def next_wakeup(self) -> float | None:
        if self.listing is None:
            return CHECK_SECONDS if self._waiting else None  # the programme is on its way
        return until_change(((row.starts, row.ends) for row in self.rows if isinstance(row, WebinarRow)),
                            self.clock.now(), self._wait)

    def draw(self, surface: pygame.Surface) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((20, 24, 32, 110))
        surface.blit(self._shade, (0, 0))


class _Heading:
    """A heading between rows of the list (the stand webinars of the cluster)."""

    def __init__(self, label: UILabel) -> None:
        self.label = label
        self.status = ""

    def kill(self) -> None:
        self.label.kill()


def open_programme(app: App, hall: str | None = None) -> ProgrammeScreen:
    """Show the programme window, or one hall's (or bring the open one to the top)."""
    screen = app.stack.find(ProgrammeScreen)
    if isinstance(screen, ProgrammeScreen):
        if app.stack.top is not screen or screen.opened_on != hall:
            app.stack.pop(screen)
            app.stack.push(screen := ProgrammeScreen(app, hall))
        return screen
    pushed = ProgrammeScreen(app, hall)
    app.stack.push(pushed)
    return pushed
