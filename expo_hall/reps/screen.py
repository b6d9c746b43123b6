"""The stand's desk for its representative (or an organizer), a window over the hall: the inbox of visitors'
private conversations, the available/away switch, the leads visitors shared, and the stand's statistics."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UIPanel, UIScrollingContainer, UITextBox, UIWindow

from expo_hall import system
from expo_hall.backend import NET_EVENT
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.net import ApiError, NetError, Offline
from expo_hall.reps.conversation import ConversationScreen, when
from expo_hall.reps.identity import staff_of
from expo_hall.reps.inbox import InboxFollower, InboxRow, InboxUpdate
from expo_hall.screens import WindowScreen
from expo_hall.server.schemas import LeadOut, MeOut, StandStats
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

log = logging.getLogger("expo_hall")
GAP = 8
BUTTON_H = 34
ROW_H = 76
SCROLLBAR_W = 22
TABS = ("inbox", "leads", "stats")
STATS_EVERY = 30.0  # seconds between refreshes of the statistics while they are shown
PREVIEW = 160  # characters of the last message shown in the inbox


def lead_text(lead: LeadOut) -> str:
    """A lead as plain text for the clipboard: one line per field the visitor gave, then the note."""
    lines = [lead.name, lead.organisation, lead.email, lead.phone]
    text = "\n".join(line for line in lines if line)
    return text + (f"\n\n{lead.note}" if lead.note else "")


def one_line(text: str, limit: int = PREVIEW) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RepresentativeScreen(WindowScreen):
    def __init__(self, app: App) -> None:
        super().__init__(app)
        assert app.backend is not None
        self.net = app.backend.network
        self.me: MeOut | None = staff_of(app.backend)
        self.lang = app.lang
        self.organizer = self.me is not None and self.me.role == "organizer"
        expo_ids = list(app.expo.exhibitors) if app.expo is not None else []
        self.stand_id: str | None = self.me.stand_id if self.me and self.me.stand_id else (expo_ids or [None])[0]
        self.inbox: dict[int, InboxRow] = {}
        self.leads: list[LeadOut] = []
        self.stats: StandStats | None = None
        self.follower: InboxFollower | None = None
        self.tab = ""
        self._stats_age = 0.0
        self._tag = id(self)
        rect = window_rect(app.size, 1000, 680)
        self.window = UIWindow(rect, app.ui, window_display_title=key("reps.title"), object_id="#reps_window",
                               resizable=False)
        ui = app.ui
        self.iw, self.ih = iw, ih = self.window.get_container().get_size()
        right = iw - GAP
        self.status_button: UIButton | None = None
        if not self.organizer:
            self.status_button = UIButton(pygame.Rect(right - 200, GAP, 200, BUTTON_H), "", ui,
                                          container=self.window, object_id="#reps_status")
            right -= 200 + GAP
        self.stand_menu: UIDropDownMenu | None = None
        if self.organizer and expo_ids:
            options = [(app.expo.exhibitors[ex].name_for(self.lang), ex) for ex in expo_ids]
            current = next(o for o in options if o[1] == self.stand_id)
            self.stand_menu = UIDropDownMenu(options, current, pygame.Rect(right - 320, GAP, 320, BUTTON_H), ui,
                                             container=self.window)
            right -= 320 + GAP
        self.who = UILabel(pygame.Rect(GAP, GAP, right - GAP, BUTTON_H), self._who_line(), ui, container=self.window,
                           object_id="#reps_who")
        self.tab_buttons: dict[str, UIButton] = {}
        x = GAP
        for tab in TABS:
            width = max(130, app.text.font(15).size(tr(f"reps.tab.{tab}"))[0] + 36)
            self.tab_buttons[tab] = UIButton(pygame.Rect(x, 2 * GAP + BUTTON_H, width, BUTTON_H),
                                             key(f"reps.tab.{tab}"), ui, container=self.window, object_id="#tab")
            x += width + 6
        self.refresh_button = UIButton(pygame.Rect(iw - GAP - 140, 2 * GAP + BUTTON_H, 140, BUTTON_H),
                                       key("reps.refresh"), ui, container=self.window)
        self.cabinet_button = UIButton(pygame.Rect(iw - 2 * GAP - 300, 2 * GAP + BUTTON_H, 160, BUTTON_H),
                                       key("reps.cabinet"), ui, container=self.window, object_id="#reps_cabinet")
        top = 3 * GAP + 2 * BUTTON_H
        self.status = UITextBox("", pygame.Rect(GAP, ih - GAP - 50, iw - 2 * GAP, 50), ui, container=self.window,
                                object_id="#reps_status_line")
        panel_rect = pygame.Rect(GAP, top, iw - 2 * GAP, ih - top - 2 * GAP - 50)
        self.panels = {tab: UIPanel(panel_rect, manager=ui, container=self.window, object_id="#tab_panel")
                       for tab in TABS}
        self.pw, self.ph = self.panels["inbox"].get_container().get_size()
        self.inbox_scroller: UIScrollingContainer | None = None
        self.inbox_boxes: dict[int, UITextBox] = {}
        self.open_buttons: dict[int, UIButton] = {}
        self.leads_scroller: UIScrollingContainer | None = None
        self.lead_boxes: list[UITextBox] = []
        self.copy_buttons: list[UIButton] = []
        self.copy_all = UIButton(pygame.Rect(0, 0, 200, BUTTON_H), key("reps.copy_all"), ui,
                                 container=self.panels["leads"])
        self.stats_box = UITextBox("", pygame.Rect(0, 0, self.pw, self.ph), ui, container=self.panels["stats"],
                                   object_id="#reps_stats")
        self._show_status_button()
        self._empty_inbox()
        self.show_tab("inbox")
        self._start_stand()

    # -- what is shown ---------------------------------------------------------------------------
    def _who_line(self) -> str:
        if self.me is None:
            return ""
        stand = self.app.expo.exhibitors.get(self.stand_id) if self.app.expo and self.stand_id else None
        name = stand.name_for(self.lang) if stand is not None else (self.stand_id or "")
        return tr(f"reps.who.{self.me.role}", person=self.me.display_name, stand=name)

    def _show_status_button(self) -> None:
        if self.status_button is not None and self.me is not None:
            self.status_button.set_text(key("reps.available" if self.me.available else "reps.away"))
            self.status_button.change_object_id("#reps_available" if self.me.available else "#reps_away")

    @contextlib.contextmanager
    def _building(self, tab: str) -> Iterator[None]:
        """Build inside a tab's panel as shown (pygame-gui's scrolling container cannot be made hidden)."""
        panel = self.panels[tab]
        hidden = not panel.visible
        if hidden:
            panel.show()
        try:
            yield
        finally:
            if hidden and self.tab != tab:
                panel.hide()

    def say(self, text: str, detail: str = "") -> None:
        self.status.set_text(literal(text) + (f"<br>{literal(detail)}" if detail else ""))

    def show_tab(self, tab: str) -> None:
        self.tab = tab
        for name, panel in self.panels.items():
            panel.show() if name == tab else panel.hide()
        for name, button in self.tab_buttons.items():
            button.select() if name == tab else button.unselect()
        if tab == "leads":
            self.load_leads()
        elif tab == "stats":
            self.load_stats()

    # -- the stand ---------------------------------------------------------------------------------
    def _start_stand(self) -> None:
        if self.follower is not None:
            self.follower.stop()
            self.follower = None
        self.inbox.clear()
        self._empty_inbox()
        if self.stand_id is None:
            return
        if self.organizer:
            self._inbox_note(tr("reps.organizer_no_inbox"))
        else:
            self.follower = InboxFollower(self.net.client, self.stand_id, self.net.deliver, self._t("inbox"),
                                          timeout=20.0)
        self.load_stats()
        if self.tab == "leads":
            self.load_leads()

    def _t(self, what: str) -> tuple[str, str, int]:
        return ("reps", what, self._tag)

    def load_leads(self) -> None:
        if self.stand_id is not None:
            self.net.call(self._t("leads"), self.net.client.leads, self.stand_id)

    def load_stats(self) -> None:
        self._stats_age = 0.0
        if self.stand_id is not None:
            self.net.call(self._t("stats"), self.net.client.stand_stats, self.stand_id)

    def set_available(self, available: bool) -> None:
        self.net.call(self._t("status"), self.net.client.set_available, available)
        if self.status_button is not None:
            self.status_button.disable()

    def toggle_available(self) -> None:
        if self.me is not None:
            self.set_available(not self.me.available)

    def refresh(self) -> None:
        if self.follower is not None:
            self.follower.refresh()
        self.load_leads() if self.tab == "leads" else None
        self.load_stats()

    def open_cabinet(self):  # noqa: ANN201 - the CabinetScreen, or None without a stand
        """The cabinet of the stand shown: its editor and its statistics as charts."""
        from expo_hall.cabinet.screen import CabinetScreen

        stand = self.app.expo.exhibitors.get(self.stand_id) if self.app.expo and self.stand_id else None
        if stand is None:
            return None
        for screen in self.app.stack.screens:
            if isinstance(screen, CabinetScreen) and screen.stand_id == self.stand_id:
                return screen
        return self.app.stack.push(CabinetScreen(self.app, stand))

    # -- inbox -------------------------------------------------------------------------------------
    def rows(self) -> list[InboxRow]:
        """The conversations, most recently active first."""
        return sorted(self.inbox.values(), key=lambda r: r.order, reverse=True)

    def _empty_inbox(self) -> None:
        with self._building("inbox"):
            self._new_inbox_scroller()

    def _new_inbox_scroller(self) -> None:
        if self.inbox_scroller is not None:
            self.inbox_scroller.kill()
        self.inbox_scroller = UIScrollingContainer(pygame.Rect(0, 0, self.pw, self.ph), self.app.ui,
                                                   container=self.panels["inbox"], allow_scroll_x=False)
        self.inbox_boxes, self.open_buttons = {}, {}

    def _inbox_note(self, text: str) -> None:
        with self._building("inbox"):
            self._new_inbox_scroller()
            UITextBox(f"<i>{literal(text)}</i>", pygame.Rect(0, 0, self.pw - SCROLLBAR_W, 60), self.app.ui,
                      container=self.inbox_scroller)

    def row_html(self, row: InboxRow) -> str:
        c = row.conversation
        who = c.visitor_name + (f" · {c.visitor_organisation}" if c.visitor_organisation else "")
        html = f"<b>{literal(who)}</b>"
        if row.last is not None:
            author = row.last.author_name if row.last.author_role == "visitor" else tr("reps.you_or_stand")
            html += (f"  <i>{literal(when(row.last.created_at))}</i><br>"
                     f"{literal(author)}: {literal(one_line(row.last.text))}")
        return html

    def _show_inbox(self) -> None:
        rows = self.rows()
        if not rows:
            self._inbox_note(tr("reps.inbox_empty"))
            return
        with self._building("inbox"):
            self._new_inbox_scroller()
            self._inbox_rows(rows)

    def _inbox_rows(self, rows: list[InboxRow]) -> None:
        text_w = self.pw - SCROLLBAR_W - 130 - GAP
        y = 0
        for row in rows:
            self.inbox_boxes[row.room_id] = UITextBox(self.row_html(row), pygame.Rect(0, y, text_w, ROW_H),
                                                      self.app.ui, container=self.inbox_scroller,
                                                      object_id="#reps_inbox_row")
            self.open_buttons[row.room_id] = UIButton(pygame.Rect(text_w + GAP, y, 130, BUTTON_H), key("reps.open"),
                                                      self.app.ui, container=self.inbox_scroller)
            y += ROW_H + GAP
        self.inbox_scroller.set_scrollable_area_dimensions((self.pw - SCROLLBAR_W, max(1, y - GAP)))

    def open_conversation(self, room_id: int) -> ConversationScreen | None:
        row = self.inbox.get(room_id)
        if row is None:
            return None
        for screen in self.app.stack.screens:
            if isinstance(screen, ConversationScreen) and screen.room_id == room_id:
                return screen
        return self.app.stack.push(ConversationScreen(self.app, room_id, row.conversation.visitor_name))

    # -- leads -------------------------------------------------------------------------------------
    def lead_html(self, lead: LeadOut) -> str:
        head = f"<b>{literal(lead.name)}</b>" + (f" · {literal(lead.organisation)}" if lead.organisation else "")
        head += f"  <i>{literal(when(lead.updated_at))}</i>"
        reach = " · ".join(literal(v) for v in (lead.email, lead.phone) if v)
        note = f"<br>{literal(lead.note)}" if lead.note else ""
        return f"{head}<br>{reach}{note}"

    def _show_leads(self) -> None:
        with self._building("leads"):
            self._lead_rows()

    def _lead_rows(self) -> None:
        if self.leads_scroller is not None:
            self.leads_scroller.kill()
        top = BUTTON_H + GAP
        self.leads_scroller = UIScrollingContainer(pygame.Rect(0, top, self.pw, self.ph - top), self.app.ui,
                                                   container=self.panels["leads"], allow_scroll_x=False)
        self.lead_boxes, self.copy_buttons = [], []
        text_w = self.pw - SCROLLBAR_W - 130 - GAP
        y = 0
        if not self.leads:
            UITextBox(f"<i>{literal(tr('reps.no_leads'))}</i>", pygame.Rect(0, 0, text_w, 60), self.app.ui,
                      container=self.leads_scroller)
        for lead in self.leads:
            box = UITextBox(self.lead_html(lead), pygame.Rect(0, y, text_w, -1), self.app.ui,
                            container=self.leads_scroller, object_id="#reps_lead")
            if box.rect.height > 160:  # a long note scrolls inside its row
                box.kill()
                box = UITextBox(self.lead_html(lead), pygame.Rect(0, y, text_w, 160), self.app.ui,
                                container=self.leads_scroller, object_id="#reps_lead")
            self.lead_boxes.append(box)
            self.copy_buttons.append(UIButton(pygame.Rect(text_w + GAP, y, 130, BUTTON_H), key("reps.copy"),
                                              self.app.ui, container=self.leads_scroller))
            y += max(box.rect.height, BUTTON_H) + GAP
        self.leads_scroller.set_scrollable_area_dimensions((self.pw - SCROLLBAR_W, max(1, y - GAP)))

    def copy_lead(self, index: int) -> bool:
        lead = self.leads[index]
        if system.copy_text(lead_text(lead)):
            self.say(tr("reps.copied"), lead.name)
            return True
        self.say(tr("reps.copy_failed"))
        return False

    def copy_all_leads(self) -> bool:
        if not self.leads:
            return False
        if system.copy_text("\n\n---\n\n".join(lead_text(lead) for lead in self.leads)):
            self.say(tr("reps.copied_all", count=len(self.leads)))
            return True
        self.say(tr("reps.copy_failed"))
        return False

    # -- statistics --------------------------------------------------------------------------------
    def stats_html(self, stats: StandStats) -> str:
        rows = [("visits", stats.visits), ("unique_visitors", stats.unique_visitors),
                ("chat_messages", stats.chat_messages), ("conversations", stats.conversations),
                ("downloads", stats.downloads)]
        return "<br>".join(f"{literal(tr(f'reps.stats.{name}'))}: <b>{value}</b>" for name, value in rows)

    # -- answers from the network ----------------------------------------------------------------
    def _answer(self, what: str, result: object) -> None:
        if isinstance(result, BaseException):
            if what == "status" and self.status_button is not None:
                self.status_button.enable()
            if isinstance(result, Offline):
                self.say(tr("reps.offline"))
            elif isinstance(result, ApiError):
                self.say(tr(f"reps.failed_{what}"), result.message)
            elif isinstance(result, NetError):
                self.say(tr(f"reps.failed_{what}"), str(result))
            else:
                log.error("the desk's %s failed: %r", what, result)
            return
        if what == "inbox" and isinstance(result, InboxUpdate):
            if result.full:
                self.inbox.clear()
            self.inbox.update({row.room_id: row for row in result.rows})
            self._show_inbox()
        elif what == "leads" and isinstance(result, list):
            self.leads = result
            self._show_leads()
        elif what == "stats" and isinstance(result, StandStats):
            if result.exhibitor_id == self.stand_id:
                self.stats = result
                self.stats_box.set_text(self.stats_html(result))
        elif what == "status" and isinstance(result, MeOut):
            self.me = result
            if self.app.backend is not None:
                self.app.backend.me = result
            if self.status_button is not None:
                self.status_button.enable()
            self._show_status_button()

    # -- screen ------------------------------------------------------------------------------------
    def leave(self) -> None:
        if self.follower is not None:
            self.follower.stop()
            self.follower = None
        if self.stand_menu is not None:
            self.stand_menu.kill()
        super().leave()

    def update(self, dt: float) -> None:
        if self.tab == "stats":
            self._stats_age += dt
            if self._stats_age >= STATS_EVERY:
                self.load_stats()

    def next_wakeup(self) -> float | None:
        return STATS_EVERY - self._stats_age if self.tab == "stats" else None

    def event(self, event: pygame.event.Event) -> None:
        super().event(event)
        if event.type == NET_EVENT:
            tag = getattr(event, "tag", None)
            if isinstance(tag, tuple) and len(tag) == 3 and tag[0] == "reps" and tag[2] == self._tag:
                self._answer(tag[1], event.result)
            return
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.stand_menu:
            self.stand_id = event.selected_option_id
            self.who.set_text(self._who_line())
            self.leads, self.stats = [], None
            self.stats_box.set_text("")
            self._start_stand()
            return
        if event.type != pygame_gui.UI_BUTTON_PRESSED:
            return
        element = event.ui_element
        for tab, button in self.tab_buttons.items():
            if element is button:
                self.show_tab(tab)
                return
        if element is self.status_button:
            self.toggle_available()
        elif element is self.refresh_button:
            self.refresh()
        elif element is self.cabinet_button:
            self.open_cabinet()
        elif element is self.copy_all:
            self.copy_all_leads()
        for room_id, button in self.open_buttons.items():
            if element is button:
                self.open_conversation(room_id)
                return
        for index, button in enumerate(self.copy_buttons):
            if element is button:
                self.copy_lead(index)
                return
