"""Moderated Q&A of programme events, as venueless does it: a question waits in the moderation queue, is visible
or archived (dismissed); it may be answered, pinned ("now answering": one per event) and voted for, once per user.

Who: visitors and representatives ask (optionally anonymously: their name is hidden from other visitors, never
from moderators) and vote; the organizers and the moderators of the event's hall (auth.Principal.moderates)
approve, dismiss, edit, pin and mark answered. A dismissed question is never shown to visitors: not in a history,
not in a poll (one that was visible is only named as removed, by id).

Changes travel as the chat's messages do (notify.py): every change of an event's Q&A takes the next number of
the event's counter (`programme_events.qa_seq`, its row locked first, so changes commit in number order) and
stamps it on the questions it changed; a long poll asks for the changes after the last number it saw. Visitors
and moderators wait on different keys, so a change only moderators see wakes no visitor.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Engine, Row, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from expo_hall.server import db
from expo_hall.server.auth import Principal, forbid
from expo_hall.server.notify import CHANNEL, Notifier, notify_payload, questions_key
from expo_hall.server.schemas import (
    QuestionChange,
    QuestionIn,
    QuestionList,
    QuestionOut,
    QuestionPage,
    QuestionState,
    Role,
)
from expo_hall.server.settings import Settings

Q, V, E = db.questions.c, db.question_votes.c, db.programme_events.c
ASKERS = (Role.visitor, Role.representative)
_COLUMNS = (Q.id, Q.event_guid, Q.author_id, Q.author_name, Q.anonymous, Q.text, Q.state, Q.shown, Q.answered,
            Q.pinned, Q.votes, Q.seq, Q.client_id, Q.created_at, Q.edited_at)
_VISIBLE = QuestionState.visible.value
_QUEUED = QuestionState.queued.value


def check_asker(who: Principal) -> None:
    if who.role not in ASKERS:
        raise forbid("visitors and representatives ask and vote; organizers and moderators moderate")


def no_question(question_id: int) -> HTTPException:
    return HTTPException(404, f"no question {question_id}")


@dataclass(frozen=True)
class Change:
    """What a write did: the question as it is now, whether it is new, whether anything changed (a retry changes
    nothing), the seq the change took, and whether visitors hear of it."""

    question: Row
    created: bool
    changed: bool
    seq: int
    public: bool


class Questions:
    def __init__(self, engine: Engine, settings: Settings, notifier: Notifier) -> None:
        self.engine = engine
        self.settings = settings
        self.notifier = notifier
        self._inflight: dict[tuple[str, bool, int, int], asyncio.Future[bytes | None]] = {}

    # --- reading -----------------------------------------------------------------------------------------------------

    def question(self, question_id: int) -> Row | None:
        with self.engine.connect() as conn:
            return conn.execute(select(*_COLUMNS).where(Q.id == question_id)).first()

    def history(self, guid: str, who: Principal, moderator: bool, before: int | None, limit: int) -> QuestionList:
        """The newest `limit` questions below `before` that `who` may see, oldest first; `seq` is read first, so a
        change made meanwhile comes again in the next poll rather than never."""
        query = select(*_COLUMNS).where(Q.event_guid == guid)
        if not moderator:
            query = query.where(or_(Q.state == _VISIBLE, and_(Q.author_id == who.id, Q.state == _QUEUED)))
        if before is not None:
            query = query.where(Q.id < before)
        with self.engine.connect() as conn:
            seq = conn.execute(select(E.qa_seq).where(E.guid == guid)).scalar_one()
            rows = conn.execute(query.order_by(Q.id.desc()).limit(limit + 1)).all()
            ids = [r.id for r in rows[:limit]]
            voted = set(conn.execute(select(V.question_id).where(V.user_id == who.id, V.question_id.in_(ids)))
                        .scalars()) if ids else set()
        kept = list(reversed(rows[:limit]))
        return QuestionList(questions=[_out(r, moderator) for r in kept], has_more=len(rows) > limit, seq=seq,
                            mine=[r.id for r in kept if r.author_id == who.id],
                            voted=[r.id for r in kept if r.id in voted], moderator=moderator)

    async def poll(self, guid: str, moderator: bool, after: int, limit: int, timeout: float) -> bytes:
        """The changes after `after` as a QuestionPage (JSON), once there are any (an empty page at the timeout)."""
        wait = min(timeout, self.settings.poll_max_wait)
        body = await self.notifier.wait_for(questions_key(guid, moderator), after,
                                            lambda: self._shared_read(guid, moderator, after, limit), wait,
                                            self.settings.poll_recheck)
        return body or QuestionPage(questions=[], removed=[], seq=after, has_more=False).model_dump_json().encode()

    def _shared_read(self, guid: str, moderator: bool, after: int, limit: int) -> asyncio.Future[bytes | None]:
        """One database read for all the polls asking the same thing at the same moment."""
        key = (guid, moderator, after, limit)
        future = self._inflight.get(key)
        if future is None:
            future = self._inflight[key] = asyncio.ensure_future(self._read_after(guid, moderator, after, limit))
            future.add_done_callback(lambda _: self._inflight.pop(key, None))
        return asyncio.shield(future)

    async def _read_after(self, guid: str, moderator: bool, after: int, limit: int) -> bytes | None:
        rows, more = await run_in_threadpool(self._changes, guid, moderator, after, limit)
        key = questions_key(guid, moderator)
        if more:
            self.notifier.forget(key)
        elif rows:
            self.notifier.seen(key, rows[-1].seq)
        if not rows:
            return None
        shown = [r for r in rows if moderator or r.state == _VISIBLE]
        page = QuestionPage(questions=[_out(r, moderator) for r in shown],
                            removed=[] if moderator else [r.id for r in rows if r.state != _VISIBLE],
                            seq=rows[-1].seq, has_more=more)
        return page.model_dump_json().encode()

    def _changes(self, guid: str, moderator: bool, after: int, limit: int) -> tuple[list[Row], bool]:
        """The questions changed after `after` that the audience hears of (visitors: visible ones, and ones that
        were visible and are not any more), in the order changed, and whether more follow. At most `limit`, cut
        between changes: the questions one change touched (a pin unpins another) come together."""
        query = select(*_COLUMNS).where(Q.event_guid == guid, Q.seq > after)
        if not moderator:
            query = query.where(or_(Q.state == _VISIBLE, Q.shown.is_(True)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(Q.seq, Q.id).limit(limit + 1)).all()
            if len(rows) <= limit:
                return rows, False
            cut = rows[limit].seq
            kept = [r for r in rows if r.seq < cut]
            return kept or conn.execute(query.where(Q.seq == cut).order_by(Q.id)).all(), True

    # --- writing -----------------------------------------------------------------------------------------------------

    async def ask(self, guid: str, who: Principal, body: QuestionIn) -> tuple[QuestionOut, bool]:
        """Ask once: a retry with the same client_id returns the original question and False."""
        change = await run_in_threadpool(self._ask, guid, who, body)
        self._publish(guid, change)
        return _out(change.question, False), change.created

    def _ask(self, guid: str, who: Principal, body: QuestionIn) -> Change:
        try:
            with db.writing(self.engine) as conn:
                seq = _next_seq(conn, guid)
                row = conn.execute(insert(db.questions).returning(*_COLUMNS), {
                    "event_guid": guid, "author_id": who.id, "author_name": who.display_name,
                    "anonymous": body.anonymous, "text": body.text, "state": _QUEUED, "shown": False,
                    "answered": False, "pinned": False, "votes": 0, "seq": seq, "client_id": str(body.client_id),
                    "created_at": self.settings.clock(), "edited_at": None}).one()
                _announce(conn, guid, seq, public=False)
            return Change(row, True, True, seq, False)
        except IntegrityError:
            with self.engine.connect() as conn:
                row = conn.execute(select(*_COLUMNS).where(Q.author_id == who.id,
                                                           Q.client_id == str(body.client_id))).first()
            if row is None:
                raise
            if row.event_guid != guid or row.text != body.text:
                raise HTTPException(409, "this client_id was already used for a different question") from None
            return Change(row, False, False, row.seq, False)

    async def vote(self, row: Row, who: Principal) -> tuple[QuestionOut, bool]:
        """Count `who`'s vote for the visible question `row`, once: a second vote changes nothing (False)."""
        change = await run_in_threadpool(self._vote, row, who)
        self._publish(row.event_guid, change)
        return _out(change.question, False), change.created

    def _vote(self, row: Row, who: Principal) -> Change:
        now = self.settings.clock()
        try:
            with db.writing(self.engine) as conn:
                seq = _next_seq(conn, row.event_guid)
                if conn.execute(select(Q.state).where(Q.id == row.id)).scalar_one() != _VISIBLE:
                    raise HTTPException(409, "the question is no longer shown: it takes no votes")
                conn.execute(insert(db.question_votes).values(question_id=row.id, user_id=who.id, at=now))
                voted = conn.execute(update(db.questions).where(Q.id == row.id)
                                     .values(votes=Q.votes + 1, seq=seq).returning(*_COLUMNS)).one()
                _announce(conn, row.event_guid, seq, public=True)
            return Change(voted, True, True, seq, True)
        except IntegrityError:
            current = self.question(row.id)
            if current is None or not self._voted(row.id, who.id):
                raise
            return Change(current, False, False, current.seq, False)

    def _voted(self, question_id: int, user_id: int) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(V.user_id).where(V.question_id == question_id, V.user_id == user_id)
                                ).first() is not None

    async def moderate(self, row: Row, change: QuestionChange) -> QuestionOut:
        done = await run_in_threadpool(self._moderate, row.id, row.event_guid, change)
        self._publish(row.event_guid, done)
        return _out(done.question, True)

    def _moderate(self, question_id: int, guid: str, change: QuestionChange) -> Change:
        now = self.settings.clock()
        with db.writing(self.engine) as conn:
            seq = _next_seq(conn, guid)  # locks the event's Q&A first: the row read next is the latest
            row = conn.execute(select(*_COLUMNS).where(Q.id == question_id)).one()
            state = change.state.value if change.state is not None else row.state
            answered = row.answered if change.answered is None else change.answered
            pinned = row.pinned if change.pinned is None else change.pinned
            if change.pinned and state != _VISIBLE:
                raise HTTPException(409, "only a visible question can be pinned: approve it first")
            if change.answered or state != _VISIBLE:
                pinned = False  # answered or withdrawn: no longer being answered
            values: dict[str, Any] = {"state": state, "answered": answered, "pinned": pinned, "seq": seq,
                                      "shown": row.shown or state == _VISIBLE}
            if change.text is not None and change.text != row.text:
                values.update(text=change.text, edited_at=now)
            public = row.state == _VISIBLE or state == _VISIBLE
            if pinned and not row.pinned:  # one question is answered at a time
                unpinned = conn.execute(update(db.questions).where(Q.event_guid == guid, Q.pinned.is_(True),
                                                                   Q.id != question_id)
                                        .values(pinned=False, seq=seq)).rowcount
                public = public or unpinned > 0
            changed = conn.execute(update(db.questions).where(Q.id == question_id).values(**values)
                                   .returning(*_COLUMNS)).one()
            _announce(conn, guid, seq, public)
        return Change(changed, False, True, seq, public)

    def _publish(self, guid: str, change: Change) -> None:
        """Wake this worker's polls (other workers hear through NOTIFY, sent in the transaction)."""
        if not change.changed:
            return
        self.notifier.publish(questions_key(guid, True), change.seq)
        if change.public:
            self.notifier.publish(questions_key(guid, False), change.seq)


def _next_seq(conn: Connection, guid: str) -> int:
    return conn.execute(update(db.programme_events).where(E.guid == guid).values(qa_seq=E.qa_seq + 1)
                        .returning(E.qa_seq)).scalar_one()


def _announce(conn: Connection, guid: str, seq: int, public: bool) -> None:
    if db.is_postgres(conn):
        keys = [questions_key(guid, True)] + ([questions_key(guid, False)] if public else [])
        conn.execute(select(func.pg_notify(CHANNEL, notify_payload(keys, seq))))


def _out(row: Row, moderator: bool) -> QuestionOut:
    return QuestionOut(id=row.id, event_guid=row.event_guid, text=row.text, state=QuestionState(row.state),
                       answered=row.answered, pinned=row.pinned, votes=row.votes, anonymous=row.anonymous,
                       author_name=row.author_name if moderator or not row.anonymous else None,
                       author_id=row.author_id if moderator else None, created_at=db.as_utc(row.created_at),
                       edited=row.edited_at is not None)


def visible_to(row: Row, who: Principal, moderator: bool) -> bool:
    """Whether `who` may know of the question: moderators always; others when it is visible or theirs and waiting."""
    return moderator or row.state == _VISIBLE or (row.author_id == who.id and row.state == _QUEUED)
