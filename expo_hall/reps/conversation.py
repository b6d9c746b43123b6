"""One visitor's conversation, for the stand's representative: the history, new messages as they come
(the long poller), and answers sent through the Outbox (kept on disk until the server has them)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UITextBox, UITextEntryLine, UIWindow

from expo_hall.backend import NET_EVENT
from expo_hall.content.limits import MESSAGE_MAX
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.net import OUTBOX, MessageFailed, MessageSent, NetError, PendingMessage
from expo_hall.screens import WindowScreen
from expo_hall.server.schemas import MessageOut, MessagePage
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

log = logging.getLogger("expo_hall")
GAP = 8
BUTTON_H = 36
HISTORY = 100


def when(moment: dt.datetime) -> str:
    """A message's time in the user's time zone: "14:05", with the date when it is not today."""
    local = moment.astimezone()
    today = dt.datetime.now().astimezone().date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d.%m %H:%M")


class ConversationScreen(WindowScreen):
    """Read and answer one private conversation of the stand."""

    def __init__(self, app: App, room_id: int, visitor_name: str) -> None:
        super().__init__(app)
        self.room_id = room_id
        self.visitor_name = visitor_name
        self.messages: dict[int, MessageOut] = {}
        self.pending: dict[str, PendingMessage] = {}  # client_id -> sent, not yet on the server
        self.failed: dict[str, str] = {}  # client_id -> the server's reason
        self.loaded = False
        self.tag_history = ("reps.history", room_id, id(self))
        self.tag_poll = ("reps.poll", room_id, id(self))
        self.following = False
        rect = window_rect(app.size, 760, 600)
        self.window = UIWindow(rect, app.ui, window_display_title=tr("reps.conversation_title", visitor=visitor_name),
                               object_id="#reps_conversation", resizable=False)
        iw, ih = self.window.get_container().get_size()
        self.log_box = UITextBox(literal(tr("reps.loading")), pygame.Rect(GAP, GAP, iw - 2 * GAP,
                                                                          ih - 3 * GAP - BUTTON_H),
                                 app.ui, container=self.window, object_id="#reps_messages")
        self.entry = UITextEntryLine(pygame.Rect(GAP, ih - GAP - BUTTON_H, iw - 3 * GAP - 140, BUTTON_H), app.ui,
                                     container=self.window, placeholder_text=key("reps.answer_hint"))
        self.entry.set_text_length_limit(MESSAGE_MAX)
        self.send_button = UIButton(pygame.Rect(iw - GAP - 140, ih - GAP - BUTTON_H, 140, BUTTON_H),
                                    key("reps.send"), app.ui, container=self.window, object_id="#reps_send")
        net = self.net
        if net is not None:
            self.pending = {str(p.client_id): p for p in net.outbox.pending(room_id)}
            net.call(self.tag_history, net.client.history, room_id, None, HISTORY)

    @property
    def net(self):  # noqa: ANN201 - the app's Network, or None without a backend
        return self.app.backend.network if self.app.backend is not None else None

    # -- messages --------------------------------------------------------------------------------
    def _add(self, messages: tuple[MessageOut, ...] | list[MessageOut]) -> None:
        for m in messages:
            self.messages[m.id] = m
            if m.client_id is not None:
                self.pending.pop(str(m.client_id), None)
        self._show()

    def _follow(self) -> None:
        net = self.net
        if net is None or self.following:
            return
        after = max(self.messages, default=0)
        try:
            net.polls.follow(self.room_id, self.tag_poll, after)
            self.following = True
        except RuntimeError as exc:  # too many rooms followed already: the history stays as read
            log.warning("conversation %s is not followed: %s", self.room_id, exc)

    def html(self) -> str:
        rows = []
        for m in sorted(self.messages.values(), key=lambda m: m.id):
            who = m.author_name
            if m.author_role != "visitor":
                who += f" ({tr(f'reps.role.{m.author_role}')})"
            rows.append(f"<b>{literal(who)}</b> <i>{literal(when(m.created_at))}</i><br>{literal(m.text)}")
        for cid, p in self.pending.items():
            state = tr("reps.failed", reason=self.failed[cid]) if cid in self.failed else tr("reps.sending")
            rows.append(f"<i>{literal(state)}</i><br>{literal(p.text)}")
        if not rows:
            return f"<i>{literal(tr('reps.no_messages' if self.loaded else 'reps.loading'))}</i>"
        return "<br><br>".join(rows)

    def _show(self) -> None:
        self.log_box.set_text(self.html())
        scroll = self.log_box.scroll_bar
        if scroll is not None:  # the newest at the bottom, in view
            scroll.set_scroll_from_start_percentage(1.0)

    def send(self, text: str | None = None) -> PendingMessage | None:
        """Answer the visitor: queued in the Outbox (sent now, or when the server is back)."""
        text = (self.entry.get_text() if text is None else text).strip()
        net = self.net
        if not text or net is None:
            return None
        try:
            pending = net.outbox.send(self.room_id, text)
        except (ValueError, RuntimeError) as exc:
            log.warning("the answer cannot be queued: %s", exc)
            return None
        self.pending[str(pending.client_id)] = pending
        self.entry.set_text("")
        self._show()
        return pending

    # -- screen ----------------------------------------------------------------------------------
    def leave(self) -> None:
        if self.following and self.net is not None:
            self.net.polls.unfollow(self.room_id)
        super().leave()

    def event(self, event: pygame.event.Event) -> None:
        super().event(event)
        if event.type == NET_EVENT:
            tag, result = getattr(event, "tag", None), getattr(event, "result", None)
            if tag == self.tag_history:
                self.loaded = True
                if isinstance(result, MessagePage):
                    self._add(result.messages)
                elif isinstance(result, NetError):
                    self.log_box.set_text(literal(tr("reps.load_failed", error=result)))
                self._follow()
            elif tag == self.tag_poll and isinstance(result, MessagePage):
                self._add(result.messages)
            elif tag == OUTBOX and isinstance(result, MessageSent) and result.pending.room_id == self.room_id:
                self._add([result.message])
            elif tag == OUTBOX and isinstance(result, MessageFailed) and result.pending.room_id == self.room_id:
                self.failed[str(result.pending.client_id)] = result.pending.error or str(result.error)
                self._show()
        elif event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.send_button:
            self.send()
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry:
            self.send()
