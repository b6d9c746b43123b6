"""Watching an event: its live stream (HLS or a file, played by the stand video's PyAV player) beside its moderated
Q&A. Once the event is over its recording (programme.toml's recordings URL, by the event's guid) replaces the stream,
also while the window is open.

Visitors ask (anonymously to other visitors if they wish) and upvote once; a moderator of the event's hall (or an
organizer) also sees the waiting questions and approves, dismisses, edits, pins "now answering" and marks answered.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UIScrollingContainer, UITextBox, UITextEntryLine, UIWindow

from expo_hall.agenda.when import local
from expo_hall.forum.qa import QASession
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.screens import WindowScreen
from expo_hall.server.schemas import ProgrammeEventOut, QuestionOut, QuestionState
from expo_hall.text import literal
from expo_hall.video.player import VideoPlayer

if TYPE_CHECKING:
    from expo_hall.app import App

PAD, GAP, LINE_H = 12, 8, 34
QA_W = 470
ROW_H = 126
BUTTON_W, BUTTON_H = 104, 28
SCROLLBAR_W = 20


def watch_source(event: ProgrammeEventOut, now: dt.datetime) -> tuple[str | None, str]:
    """What to play at `now`: the recording once the event is over (when there is one), else the live stream;
    with "recording", "live" or "none"."""
    if event.ends <= now and event.recording_url:
        return event.recording_url, "recording"
    if event.stream_url:
        return event.stream_url, "live"
    return None, "none"


class WatchScreen(WindowScreen):
    opaque = False

    def __init__(self, app: App, event: ProgrammeEventOut) -> None:
        super().__init__(app)
        self.talk = event
        self.lang = app.lang
        self._shade: pygame.Surface | None = None
        title = event.title_en if self.lang == "en" and event.title_en else event.title
        rect = window_rect(app.size, 1360, 800)
        self.window = UIWindow(rect, app.ui, window_display_title=title, object_id="#watch_window", resizable=False)
        w, h = self.window.get_container().get_size()
        ui = app.ui
        self.left_w = w - QA_W - 3 * PAD
        a, b = local(event.starts, event.starts.tzinfo), local(event.ends, event.starts.tzinfo)  # the fair's time
        people = ", ".join(p.name for p in event.persons)
        info = (f"<b>{a:%d.%m.%Y %H:%M}–{b:%H:%M}</b> · {literal(event.room)}"
                + (f"<br><i>{literal(people)}</i>" if people else ""))
        self.info = UITextBox(info, pygame.Rect(PAD, PAD // 2, self.left_w, 64), ui, container=self.window,
                              object_id="#agenda_message")
        self.player_rect = pygame.Rect(PAD, 64 + PAD, self.left_w, min(h - 64 - 2 * PAD - 40,
                                                                          self.left_w * 9 // 16 + 40))
        self.kind_label = UILabel(pygame.Rect(PAD, self.player_rect.bottom + GAP, self.left_w, 28), "", ui,
                                  container=self.window, object_id="#programme_counts")
        self.player: VideoPlayer | None = None
        self.kind = ""
        self._play(app.time.now())

        x = self.left_w + 2 * PAD
        UILabel(pygame.Rect(x, PAD // 2, QA_W, 30), key("watch.qa_title"), ui, container=self.window,
                object_id="#programme_heading")
        self.list_rect = pygame.Rect(x, 40, QA_W, h - 40 - 2 * LINE_H - 3 * GAP - 40)
        self.area: UIScrollingContainer | None = None
        self.rows: list[list[object]] = []
        y = self.list_rect.bottom + GAP
        self.entry = UITextEntryLine(pygame.Rect(x, y, QA_W, LINE_H), ui, container=self.window,
                                     placeholder_text=key("watch.ask_placeholder"))
        self.entry.set_text_length_limit(500)
        y += LINE_H + GAP
        self.anonymous = False
        self.anon_button = UIButton(pygame.Rect(x, y, QA_W - 150 - GAP, LINE_H), key("watch.named"), ui,
                                    container=self.window, command=self.toggle_anonymous)
        self.ask_button = UIButton(pygame.Rect(x + QA_W - 150, y, 150, LINE_H), key("watch.ask"), ui,
                                   container=self.window, command=self.ask)
        self.status = UITextBox("", pygame.Rect(x, y + LINE_H + GAP // 2, QA_W, 36), ui, container=self.window,
                                object_id="#agenda_message")
        self.editing: int | None = None  # a moderator editing this question's text in the entry
        self.qa: QASession | None = None
        self._version = -1
        if app.backend is not None:
            self.qa = QASession(app.backend.network, event.guid)
        else:
            self.status.set_text(literal(tr("watch.no_server")))
        self.ask_button.disable() if self.qa is None else None

    # -- the player --------------------------------------------------------------------------------
    def _play(self, now: dt.datetime) -> None:
        url, kind = watch_source(self.talk, now)
        if kind == self.kind:
            return
        if self.player is not None:
            self.player.close()
            self.player = None
        self.kind = kind
        self.kind_label.set_text(key(f"watch.{kind}"))
        if url is not None:
            self.player = VideoPlayer(self.player_rect, self.app.ui, self.window, url, self.app.text)

    # -- Q&A ---------------------------------------------------------------------------------------
    def toggle_anonymous(self) -> None:
        self.anonymous = not self.anonymous
        self.anon_button.set_text(key("watch.anonymous" if self.anonymous else "watch.named"))

    def ask(self) -> bool:
        text = self.entry.get_text().strip()
        if self.qa is None or not text:
            return False
        if self.editing is not None:
            self.qa.moderate(self.editing, text=text)
            self.editing = None
            self.ask_button.set_text(key("watch.ask"))
        else:
            self.qa.ask(text, self.anonymous)
            self.say(tr("watch.asked"))
        self.entry.set_text("")
        return True

    def edit(self, q: QuestionOut) -> None:
        self.editing = q.id
        self.entry.set_text(q.text)
        self.ask_button.set_text(key("watch.save_edit"))

    def say(self, text: str) -> None:
        self.status.set_text(literal(text))

    def rebuild(self) -> None:
        assert self.qa is not None
        self._version = self.qa.version
        for row in self.rows:
            for element in row:
                element.kill()  # type: ignore[attr-defined]
        if self.area is not None:
            self.area.kill()
        ui = self.app.ui
        questions = self.qa.ordered()
        self.rows = []
        self.area = UIScrollingContainer(self.list_rect, ui, container=self.window, allow_scroll_x=False)
        self.area.set_scrollable_area_dimensions((QA_W - SCROLLBAR_W,
                                                  max(self.list_rect.height - 4, len(questions) * ROW_H)))
        if self.qa.error:
            self.say(tr("watch.failed", error=self.qa.error))
        if not questions:
            self.rows.append([UITextBox(f"<i>{literal(tr('watch.no_questions'))}</i>",
                                        pygame.Rect(0, 0, QA_W - SCROLLBAR_W, 60), ui, container=self.area,
                                        object_id="#agenda_empty")])
        for i, q in enumerate(questions):
            self.rows.append(self._row(q, i * ROW_H))

    def _row(self, q: QuestionOut, y: int) -> list[object]:
        assert self.qa is not None and self.area is not None
        ui, area = self.app.ui, self.area
        moderator = self.qa.moderator
        text_w = QA_W - SCROLLBAR_W - (2 * BUTTON_W + GAP if moderator else BUTTON_W) - GAP
        tags = []
        if q.pinned:
            tags.append(tr("watch.now_answering"))
        if q.answered:
            tags.append(tr("watch.answered"))
        if q.state is QuestionState.queued:
            tags.append(tr("watch.waiting"))
        if q.state is QuestionState.archived:
            tags.append(tr("watch.dismissed"))
        who = q.author_name or tr("watch.anonymous_author")
        if q.anonymous and q.author_name:  # a moderator sees who asked, and that other visitors do not
            who = f"{q.author_name} ({tr('watch.anonymous_author')})"
        html = (f"<b>{literal(' · '.join(tags))}</b><br>" if tags else "") + literal(q.text) + \
            f"<br><i>{literal(who)} · {literal(tr('watch.votes', votes=q.votes))}</i>"
        elements: list[object] = [UITextBox(html, pygame.Rect(0, y, text_w, ROW_H - 6), ui, container=area,
                                            object_id="#webinar_text")]
        x = text_w + GAP
        vote = UIButton(pygame.Rect(x, y, BUTTON_W, BUTTON_H), tr("watch.vote", votes=q.votes), ui, container=area,
                        command=lambda: self.qa.vote(q.id))  # type: ignore[union-attr]
        if q.id in self.qa.voted or q.id in self.qa.mine or q.state is not QuestionState.visible:
            vote.disable()
        elements.append(vote)
        if moderator:
            actions = [("watch.approve", {"state": "visible"}, q.state is not QuestionState.visible),
                       ("watch.dismiss", {"state": "archived"}, q.state is not QuestionState.archived),
                       ("watch.unpin" if q.pinned else "watch.pin", {"pinned": not q.pinned}, not q.answered),
                       ("watch.mark_answered", {"answered": True}, not q.answered)]
            slots = [(x + BUTTON_W + GAP, y), (x, y + BUTTON_H + 4), (x + BUTTON_W + GAP, y + BUTTON_H + 4),
                     (x, y + 2 * (BUTTON_H + 4))]
            for (name, change, enabled), (bx, by) in zip(actions, slots, strict=True):
                button = UIButton(pygame.Rect(bx, by, BUTTON_W, BUTTON_H), key(name), ui, container=area,
                                  command=lambda c=change: self.qa.moderate(q.id, **c))  # type: ignore[union-attr]
                if not enabled:
                    button.disable()
                elements.append(button)
            elements.append(UIButton(pygame.Rect(x + BUTTON_W + GAP, y + 2 * (BUTTON_H + 4), BUTTON_W, BUTTON_H),
                                     key("watch.edit"), ui, container=area, command=lambda: self.edit(q)))
        return elements

    # -- screen ------------------------------------------------------------------------------------
    def event(self, event: pygame.event.Event) -> None:
        super().event(event)
        from expo_hall.backend import NET_EVENT

        if event.type == NET_EVENT and self.qa is not None:
            self.qa.answer(event.tag, event.result)
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry:
            self.ask()
        if self.player is not None:
            self.player.process_event(event)

    def update(self, dt_: float) -> None:
        self._play(self.app.time.now())  # the recording replaces the stream once the event is over
        if self.player is not None:
            self.player.update(dt_)
        if self.qa is not None and self.qa.loaded and self.qa.version != self._version:
            self.rebuild()

    def wants_frame(self) -> bool:
        return self.player is not None and self.player.playing

    def next_wakeup(self) -> float | None:
        """The event's end, when its recording is to replace the stream (questions come as network events)."""
        if self.kind == "recording" or not self.talk.recording_url:
            return None
        return min(60.0, max(0.0, (self.talk.ends - self.app.time.now()).total_seconds()))

    def leave(self) -> None:
        if self.player is not None:
            self.player.close()
        if self.qa is not None:
            self.qa.close()
        super().leave()

    def draw(self, surface: pygame.Surface) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((20, 24, 32, 110))
        surface.blit(self._shade, (0, 0))


def open_watch(app: App, event: ProgrammeEventOut) -> WatchScreen:
    """The event's watch window over whatever is open (one at a time)."""
    screen = app.stack.find(WatchScreen)
    if isinstance(screen, WatchScreen):
        app.stack.pop(screen)
    pushed = WatchScreen(app, event)
    app.stack.push(pushed)
    return pushed
