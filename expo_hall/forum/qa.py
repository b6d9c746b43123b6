"""An event's moderated Q&A as the watch window holds it: the questions this user may see (a moderator sees the
queue too), kept live by the network layer's follower (the server's stream of the event's Q&A, long polls where a
proxy holds streams back: expo_hall.net.worker.LongPoller, as the chat's rooms), and the user's actions (ask, vote,
and a moderator's approve, dismiss, edit, pin, mark answered) on the network layer's workers.

Everything arrives as network events on the main thread (`answer`), which bumps `version`; the window rebuilds its
list when `version` moved.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from expo_hall.server.schemas import QuestionList, QuestionOut, QuestionPage, QuestionState

log = logging.getLogger("expo_hall.forum")
TAG = "qa"


class QASession:
    def __init__(self, network: Any, guid: str) -> None:
        self.network = network  # expo_hall.net.Network
        self.guid = guid
        self.questions: dict[int, QuestionOut] = {}
        self.mine: set[int] = set()
        self.voted: set[int] = set()
        self.moderator = False
        self.loaded = False
        self.error: str | None = None  # the last action the server refused, said to the user
        self.version = 0
        self.following = False
        network.call((TAG, guid, "list"), network.client.questions, guid)

    # -- what the window shows -----------------------------------------------------------------------------------
    def ordered(self) -> list[QuestionOut]:
        """Pinned first ("now answering"), then waiting ones (for moderators), then by votes, oldest first."""
        rank = {QuestionState.queued: 1, QuestionState.visible: 2, QuestionState.archived: 3}
        return sorted(self.questions.values(), key=lambda q: (not q.pinned, q.answered, rank[q.state], -q.votes, q.id))

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
            self.questions = {q.id: q for q in result.questions}
            self.mine, self.voted, self.moderator = set(result.mine), set(result.voted), result.moderator
            self.loaded = True
            try:
                self.network.polls.follow_questions(self.guid, (TAG, self.guid, "live"), after=result.seq)
                self.following = True
            except RuntimeError as exc:  # as many rooms followed as the network layer allows
                log.warning("Q&A of %s not followed: %s", self.guid, exc)
        elif isinstance(result, QuestionPage):
            for q in result.questions:
                self.questions[q.id] = q
            for gone in result.removed:
                self.questions.pop(gone, None)
            for question_id, votes in result.votes.items():
                if question_id in self.questions:
                    self.questions[question_id] = self.questions[question_id].model_copy(update={"votes": votes})
        elif isinstance(result, QuestionOut):
            self.questions[result.id] = result
            if tag[2] == "ask":
                self.mine.add(result.id)
            elif tag[2] == "vote":
                self.voted.add(result.id)
        self.error = None
        self.version += 1
        return True

    # -- actions ---------------------------------------------------------------------------------------------------
    def ask(self, text: str, anonymous: bool) -> None:
        self.network.call((TAG, self.guid, "ask"), self.network.client.ask, self.guid, text, anonymous, uuid.uuid4())

    def vote(self, question_id: int) -> None:
        self.network.call((TAG, self.guid, "vote"), self.network.client.vote, question_id)

    def moderate(self, question_id: int, **change: object) -> None:
        self.network.call((TAG, self.guid, "moderate"), self.network.client.moderate, question_id, **change)

    def close(self) -> None:
        if self.following:
            self.network.polls.unfollow(("qa", self.guid))
            self.following = False
