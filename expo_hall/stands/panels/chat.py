"""Chat: the stand's public room and the visitor's private conversation with its representatives.

Two sub-tabs, each with the count of messages that arrived while it (or the whole Chat tab) was not shown;
the representatives' status, and the stand's away message while none of them answers. History pages back as
the visitor scrolls to the top; new messages arrive live while the stand window is open. What the visitor
writes goes through the outbox: shown greyed as "sending…" until the server has it, never lost, sent once;
one the server refuses is shown as not sent, with Retry and Discard. Enter sends, Shift+Enter starts a line.

A room's text box is written again only when its messages change (`RoomLog.version`), not every frame.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UITextBox, UITextEntryBox

from expo_hall.backend import NET_EVENT
from expo_hall.chat.html import room_html
from expo_hall.chat.model import PRIVATE, PUBLIC, RoomLog
from expo_hall.chat.session import StandChat
from expo_hall.content.limits import MESSAGE_MAX
from expo_hall.i18n import key, tr
from expo_hall.net.errors import ApiError, unreachable
from expo_hall.stands.panels.base import Panel
from expo_hall.text import literal

log = logging.getLogger("expo_hall")
GAP = 6
BAR_H = 32
AWAY_H = 46
NOTE_H = 30
ENTRY_H = 64
SEND_W = 130
KINDS = (PUBLIC, PRIVATE)


class ChatEntry(UITextEntryBox):
    """A multi-line entry where Enter sends (calls `on_enter`) and Shift+Enter starts a new line."""

    on_enter: Callable[[], object] | None = None

    def process_event(self, event: pygame.event.Event) -> bool:
        if (event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
                and self.is_enabled and self.is_focused):
            if event.mod & pygame.KMOD_SHIFT:  # a new line, whichever Enter it was
                return super().process_event(pygame.event.Event(pygame.KEYDOWN, {**event.dict, "key": pygame.K_RETURN}))
            if self.on_enter is not None:
                self.on_enter()
            return True
        return super().process_event(event)


class ChatPanel(Panel):
    tab = "chat"

    def build(self) -> None:
        self.chat: StandChat | None = None
        self.kind = PUBLIC
        self.boxes: dict[str, UITextBox] = {}
        self.sub_buttons: dict[str, UIButton] = {}
        self._shown_versions: dict[str, int] = {}
        self._badges: dict[str, int] = {}
        self._tab_badge = 0
        self._chat_version = -1
        backend = self.app.backend
        w, h = self.size
        if backend is None or self.exhibitor.room_id is None:  # the folders read directly: no server, no chat
            self.body = UITextBox(f"<i>{literal(tr('chat.no_server'))}</i>", pygame.Rect((0, 0), self.size),
                                  self.app.ui, container=self.panel, object_id="#stand_body")
            return
        ui = self.app.ui
        x = 0
        for kind in KINDS:
            width = max(150, self.app.text.font(15).size(tr(f"chat.{kind}_unread", count=99))[0] + 30)
            self.sub_buttons[kind] = UIButton(pygame.Rect(x, 0, width, BAR_H), key(f"chat.{kind}"), ui,
                                              container=self.panel, object_id="#tab")
            x += width + GAP
        self.presence = UILabel(pygame.Rect(x + GAP, 0, w - x - GAP, BAR_H), "", ui, container=self.panel,
                                object_id="#chat_presence")
        self.away = UITextBox(literal(self.exhibitor.away_message or ""),
                              pygame.Rect(0, BAR_H + GAP, w, AWAY_H), ui, container=self.panel,
                              object_id="#chat_away")
        self.away.hide()
        entry_y = h - ENTRY_H
        note_y = entry_y - GAP - NOTE_H
        self._list_rect = pygame.Rect(0, BAR_H + GAP, w, note_y - GAP - BAR_H - GAP)
        for kind in KINDS:
            self.boxes[kind] = UITextBox("", self._list_rect.copy(), ui, container=self.panel,
                                         object_id="#chat_messages")
        button_w = 120
        self.note = UITextBox("", pygame.Rect(0, note_y, w - 2 * (button_w + GAP), NOTE_H), ui,
                              container=self.panel, object_id="#chat_note")
        self.retry_button = UIButton(pygame.Rect(w - 2 * button_w - GAP, note_y, button_w, NOTE_H),
                                     key("chat.retry"), ui, container=self.panel, object_id="#chat_retry")
        self.discard_button = UIButton(pygame.Rect(w - button_w, note_y, button_w, NOTE_H), key("chat.discard"),
                                       ui, container=self.panel, object_id="#chat_discard")
        self.entry = ChatEntry(pygame.Rect(0, entry_y, w - SEND_W - GAP, ENTRY_H), "", ui, container=self.panel,
                               object_id="#chat_entry")
        self.entry.on_enter = self.send
        self.send_button = UIButton(pygame.Rect(w - SEND_W, entry_y, SEND_W, ENTRY_H), key("chat.send"), ui,
                                    container=self.panel, object_id="#chat_send")
        self._note_text = ""
        self._message = ""
        self._error_note = ""
        self._failed_shown = True  # made False (and the buttons hidden) by the first _sync_note
        self.away_shown = False
        self.chat = StandChat(backend.network, self.exhibitor.exhibitor_id, self.exhibitor.room_id)
        self.chat.start()
        self.show_room(PUBLIC)

    # -- rooms -----------------------------------------------------------------------------------
    @property
    def room(self) -> RoomLog:
        assert self.chat is not None
        return self.chat.rooms[self.kind]

    def show_room(self, kind: str) -> None:
        """Show the public room or the private conversation."""
        if self.chat is None:
            return
        self.kind = kind
        for name, box in self.boxes.items():
            if name == kind:
                box.show()
            else:
                box.hide()
        for name, button in self.sub_buttons.items():
            button.select() if name == kind else button.unselect()
        self._sync_seen()
        self._refresh_room(kind)
        self._sync_note()
        self._sync_layout()

    def _sync_seen(self) -> None:
        """Which room the visitor sees now: messages arriving there are not unread."""
        if self.chat is None:
            return
        for name, room in self.chat.rooms.items():
            room.show(self.visible and name == self.kind)
        self._sync_badges()

    def _refresh_room(self, kind: str, force: bool = False) -> None:
        """Write the room's text box again if its messages changed, keeping the visitor's place in it."""
        assert self.chat is not None
        room, box = self.chat.rooms[kind], self.boxes[kind]
        if not force and self._shown_versions.get(kind) == room.version:
            return
        self._shown_versions[kind] = room.version
        bar = box.scroll_bar
        layout = box.text_box_layout
        old_h = layout.layout_rect.height if layout is not None else 0
        offset = bar.start_percentage * old_h if bar is not None else 0.0
        at_bottom = bar is None or bar.start_percentage + bar.visible_percentage >= 0.999
        if not room.loaded:
            empty = tr("chat.loading") if self.chat.error is None else ""
        else:
            empty = tr(f"chat.empty_{kind}")
        header = ""
        if room.loading_older:
            header = tr("chat.loading_older")
        elif room.has_more:
            header = tr("chat.scroll_for_more")
        box.set_text(room_html(room.lines(self.app.backend.visitor_name if self.app.backend else None),
                               header=header, empty=empty))
        prepended, room.prepended = room.prepended, 0
        bar, layout = box.scroll_bar, box.text_box_layout
        if bar is None or layout is None or layout.layout_rect.height <= 0:
            return
        new_h = layout.layout_rect.height
        if prepended and not at_bottom:
            offset += new_h - old_h  # what the visitor was reading stays in place
        elif at_bottom:
            offset = new_h
        bar.set_scroll_from_start_percentage(offset / new_h)

    def at_top(self) -> bool:
        """The shown room is scrolled to its top (or all of it fits)."""
        bar = self.boxes[self.kind].scroll_bar if self.boxes else None
        return bar is None or bar.start_percentage <= 0.001

    # -- sending -----------------------------------------------------------------------------------
    def send(self) -> bool:
        """Send what is typed; an empty message is not sent, one the server would refuse stays in the box."""
        if self.chat is None:
            return False
        text = self.entry.get_text()
        if not text.strip():
            return False
        length = len(text.strip())
        if length > MESSAGE_MAX:
            self.say(tr("chat.too_long", count=length, max=MESSAGE_MAX))
            return False
        try:
            self.chat.send(self.kind, text)
        except LookupError:
            self.say(tr("chat.not_ready"))
            return False
        except (ValueError, RuntimeError, OSError) as exc:  # the outbox could not keep it: nothing is lost
            log.error("the message could not be queued: %s", exc)
            self.say(tr("chat.not_queued"))
            return False
        self.entry.set_text("")
        self.say("")
        return True

    def say(self, text: str) -> None:
        """A note under the messages (what went wrong with the last send); "" clears it."""
        self._message = text
        self._sync_note()

    def _sync_note(self) -> None:
        """The note shows the first message of this room the server refused, with Retry and Discard, if any."""
        if self.chat is None:
            return
        failed = self.room.failed_messages
        text = tr("chat.failed_note", reason=failed[0].error or "") if failed else self._message
        if text != self._note_text:
            self._note_text = text
            self.note.set_text(literal(text))
        if bool(failed) != self._failed_shown:
            self._failed_shown = bool(failed)
            self._show_failed_buttons()

    def _show_failed_buttons(self) -> None:
        for button in (self.retry_button, self.discard_button):
            if self._failed_shown and self.visible:
                button.show()
            else:
                button.hide()

    def retry(self) -> None:
        if self.chat is not None and self.room.failed_messages:
            self.chat.retry(self.kind, self.room.failed_messages[0].client_id)
            self._sync_note()

    def discard(self) -> None:
        if self.chat is not None and self.room.failed_messages:
            self.chat.discard(self.kind, self.room.failed_messages[0].client_id)
            self._sync_note()

    # -- status and badges -------------------------------------------------------------------------
    def _sync_status(self) -> None:
        chat = self.chat
        if chat is None or chat.version == self._chat_version:
            return
        self._chat_version = chat.version
        if chat.available is True:
            self.presence.set_text(key("chat.available"))
        elif chat.available is False:
            self.presence.set_text(key("chat.away"))
        else:
            self.presence.set_text("")
        if chat.error is None:
            if self._message == self._error_note:
                self.say("")
        else:
            passing = unreachable(chat.error) or (isinstance(chat.error, ApiError) and chat.error.transient)
            self._error_note = tr("chat.connecting") if passing else tr("chat.unavailable", error=str(chat.error))
            self.say(self._error_note)
        if not chat.has_private and PRIVATE in self.sub_buttons:
            self.sub_buttons[PRIVATE].hide()
            if self.kind == PRIVATE:
                self.show_room(PUBLIC)
        self._sync_layout()
        self._shown_versions.clear()  # "loading" or not: both rooms are written again when shown

    def _sync_layout(self) -> None:
        """The away message, while no representative answers, takes the top of the message list."""
        if self.chat is None:
            return
        away = self.chat.available is False and bool((self.exhibitor.away_message or "").strip())
        rect = self._list_rect.copy()
        if away:
            rect.y += AWAY_H + GAP
            rect.height -= AWAY_H + GAP
            if self.visible:
                self.away.show()
        else:
            self.away.hide()
        self.away_shown = away
        for box in self.boxes.values():
            if box.relative_rect.topleft != rect.topleft or box.relative_rect.size != rect.size:
                box.set_relative_position(rect.topleft)
                box.set_dimensions(rect.size)

    def _sync_badges(self) -> None:
        """Unread counts on the sub-tabs, and their sum on the stand window's Chat tab."""
        if self.chat is None:
            return
        for kind, button in self.sub_buttons.items():
            count = self.chat.rooms[kind].unread
            if self._badges.get(kind) != count:
                self._badges[kind] = count
                if count:
                    button.set_text(key(f"chat.{kind}_unread"), text_kwargs={"count": str(count)})
                else:
                    button.set_text(key(f"chat.{kind}"))
        total = sum(room.unread for room in self.chat.rooms.values())
        tab_button = self.screen.tab_buttons.get(self.tab)
        if tab_button is not None and total != self._tab_badge:
            self._tab_badge = total
            if total:
                tab_button.set_text(key(f"stand.tab.{self.tab}_unread"), text_kwargs={"count": str(total)})
            else:
                tab_button.set_text(key(f"stand.tab.{self.tab}"))

    def unread(self, kind: str | None = None) -> int:
        if self.chat is None:
            return 0
        return sum(r.unread for k, r in self.chat.rooms.items() if kind is None or k == kind)

    # -- panel -----------------------------------------------------------------------------------
    def show(self) -> None:
        super().show()
        if self.chat is None:
            return
        for kind, box in self.boxes.items():
            if kind != self.kind:
                box.hide()
        if not self.away_shown:
            self.away.hide()
        if not self.chat.has_private:
            self.sub_buttons[PRIVATE].hide()
        self._show_failed_buttons()
        self._sync_seen()
        self.chat.shown_again()

    def hide(self) -> None:
        super().hide()
        self._sync_seen()

    def event(self, event: pygame.event.Event) -> None:
        if self.chat is None:
            return
        if event.type == NET_EVENT:
            self.chat.handle(event.tag, event.result)
            return
        if event.type != pygame_gui.UI_BUTTON_PRESSED:
            return
        for kind, button in self.sub_buttons.items():
            if event.ui_element is button:
                self.show_room(kind)
        if event.ui_element is self.send_button:
            self.send()
        elif event.ui_element is self.retry_button:
            self.retry()
        elif event.ui_element is self.discard_button:
            self.discard()

    def update(self, dt: float) -> None:
        chat = self.chat
        if chat is None:
            return
        chat.update(dt, shown=self.visible)
        self._sync_status()
        self._sync_badges()
        if self.visible:
            self._refresh_room(self.kind)
            self._sync_note()
            if self.at_top():
                chat.load_older(self.kind)

    def next_wakeup(self) -> float | None:
        return self.chat.next_wakeup(shown=self.visible) if self.chat is not None else None

    def close(self) -> None:
        if self.chat is not None:
            self.chat.close()
        super().close()
