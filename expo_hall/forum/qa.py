"""An event's moderated Q&A as the watch window holds it: the questions this user may see (a moderator sees the
queue too), kept live by the chat's long poll (expo_hall.net.follow) on a thread of its own, and the user's
actions (ask, vote, and a moderator's approve, dismiss, edit, pin, mark answered) on the network layer's workers.

The follow thread and the workers only change `questions` under the lock and bump `version`; the window rebuilds
its list on the main thread when `version` moved.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

from expo_hall.net.follow import Follow
from expo_hall.server.schemas import QuestionList, QuestionOut, QuestionPage, QuestionState

log = logging.getLogger("expo_hall.forum")
TAG = "qa"


class QASession:
    def __init__(self, network: Any, guid: str) -> None:
        self.network = network  # expo_hall.net.Network
        self.guid = guid
        self.lock = threading.Lock()
        self.questions: dict[int, QuestionOut] = {}
        self.mine: set[int] = set()
        self.voted: set[int] = set()
        self.moderator = False
        self.loaded = False
        self.error: str | None = None  # the last action the server refused, said to the user
        self.version = 0
        self._seq = 0
        self._follow: Follow[QuestionPage] | None = None
        network.call((TAG, guid, "list"), network.client.questions, guid)

    # -- what the window shows -----------------------------------------------------------------------------------
    def ordered(self) -> list[QuestionOut]:
        """Pinned first ("now answering"), then waiting ones (for moderators), then by votes, oldest first."""
        with self.lock:
            items = list(self.questions.values())
        rank = {QuestionState.queued: 1, QuestionState.visible: 2, QuestionState.archived: 3}
        return sorted(items, key=lambda q: (not q.pinned, q.answered, rank[q.state], -q.votes, q.id))

    # -- answers ---------------------------------------------------------------------------------------------------
    def answer(self, tag: object, result: object) -> bool:
        """A network answer (on the main thread); False when it is not this session's."""
        if not (isinstance(tag, tuple) and len(tag) == 3 and tag[0] == TAG and tag[1] == self.guid):
            return False
        if isinstance(result, BaseException):
            log.info("Q&A of %s: %s", self.guid, result)
            self.error = str(result)
            self.version += 1
            return True
        if isinstance(result, QuestionList):
            with self.lock:
                self.questions = {q.id: q for q in result.questions}
                self.mine, self.voted, self.moderator = set(result.mine), set(result.voted), result.moderator
                self._seq, self.loaded = result.seq, True
            self._follow = Follow(f"expo-qa-{self.guid[:8]}", self._poll, self._take, self._fail).start()
        elif isinstance(result, QuestionOut):
            with self.lock:
                self.questions[result.id] = result
                if tag[2] == "ask":
                    self.mine.add(result.id)
                elif tag[2] == "vote":
                    self.voted.add(result.id)
        self.error = None
        self.version += 1
        return True

    def _poll(self) -> QuestionPage:
        return self.network.client.poll_questions(self.guid, self._seq)

    def _take(self, page: QuestionPage) -> None:
        with self.lock:
            for q in page.questions:
                self.questions[q.id] = q
            for gone in page.removed:
                self.questions.pop(gone, None)
            self._seq = page.seq
        self.version += 1

    def _fail(self, error: BaseException) -> None:
        self.error = str(error)
        self.version += 1

    # -- actions ---------------------------------------------------------------------------------------------------
    def ask(self, text: str, anonymous: bool) -> None:
        self.network.call((TAG, self.guid, "ask"), self.network.client.ask, self.guid, text, anonymous, uuid.uuid4())

    def vote(self, question_id: int) -> None:
        self.network.call((TAG, self.guid, "vote"), self.network.client.vote, question_id)

    def moderate(self, question_id: int, **change: object) -> None:
        self.network.call((TAG, self.guid, "moderate"), self.network.client.moderate, question_id, **change)

    def close(self) -> None:
        if self._follow is not None:
            self._follow.stop()
