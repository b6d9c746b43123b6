"""Moderated Q&A of programme events, as venueless does it: a question waits in the moderation queue, is visible
or archived (dismissed); it may be answered, pinned ("now answering": one per event) and voted for, once per user.

Who: visitors and representatives ask (optionally anonymously: their name is hidden from other visitors, never
from moderators) and vote; the organizers and the moderators of the event's hall (auth.Principal.moderates)
approve, dismiss, edit, pin and mark answered. A dismissed question is never shown to visitors: not in a history,
not in a poll (one that was visible is only named as removed, by id).

Changes travel as the chat's messages do (notify.py): every change of an event's Q&A takes the next number of
the event's counter (`programme_events.qa_seq`, its row locked first, so changes commit in number order) and
stamps it on the questions it changed; a stream (stream.py, `QuestionFeeds`) or a long poll gives the changes after
the last number seen. Long-polling visitors and moderators wait on different keys, so a change only moderators see
wakes no visitor. Votes are counted at once but announced together: at most once per `qa_vote_interval` per event
and worker, one change stamps every question voted for meanwhile, so their latest counts go out in one event.

What each audience sees of a change is decided in one place, `audience_page` (with `_out` for the author).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Hashable
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
from expo_hall.server.stream import BATCH, Page, sse

log = logging.getLogger("expo_hall.server")

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
        self._unannounced: dict[str, set[int]] = {}  # per event: questions voted for since their counts were announced
        self._announcing: dict[str, asyncio.Task[None]] = {}  # per event: the announcement of votes to come
        self._announced_at: dict[str, float] = {}  # per event: when votes were last announced (loop time)

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
        rows, more = await self.changes_after(guid, moderator, after, limit)
        page = audience_page(rows, moderator, more) if rows else None
        if page is None and more:  # a full read of changes visitors do not see: move their cursor past it
            page = QuestionPage(questions=[], removed=[], seq=rows[-1].seq, has_more=True)
        return page.model_dump_json().encode() if page is not None else None

    async def changes_after(self, guid: str, moderator: bool, after: int, limit: int) -> tuple[list[Row], bool]:
        """`_changes` off the event loop; what it finds tells this worker's notifier the newest seq it knows for
        that audience's key."""
        rows, more = await run_in_threadpool(self._changes, guid, after, limit)
        key = questions_key(guid, moderator)
        if more:
            self.notifier.forget(key)
        elif rows:
            self.notifier.seen(key, rows[-1].seq)
        return rows, more

    def newest_seq(self, guid: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(E.qa_seq).where(E.guid == guid)).scalar_one_or_none() or 0

    def _changes(self, guid: str, after: int, limit: int) -> tuple[list[Row], bool]:
        """Every question changed after `after` (what an audience hears of them: `audience_page`), in the order
        changed, and whether more follow. At most `limit`, cut between changes: the questions one change touched (a
        pin unpins another) come together."""
        query = select(*_COLUMNS).where(Q.event_guid == guid, Q.seq > after)
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
        """Count `who`'s vote for the visible question `row`, once: a second vote changes nothing (False). The new
        count is announced with the other votes of the next `qa_vote_interval` (`_announce_votes`)."""
        change = await run_in_threadpool(self._vote, row, who)
        if change.changed:
            self._unannounced.setdefault(row.event_guid, set()).add(row.id)
            if row.event_guid not in self._announcing:
                self._announce_votes_soon(row.event_guid)
        return _out(change.question, False), change.created

    def _vote(self, row: Row, who: Principal) -> Change:
        now = self.settings.clock()
        try:
            with db.writing(self.engine) as conn:
                conn.execute(insert(db.question_votes).values(question_id=row.id, user_id=who.id, at=now))
                voted = conn.execute(update(db.questions).where(Q.id == row.id, Q.state == _VISIBLE)
                                     .values(votes=Q.votes + 1).returning(*_COLUMNS)).first()
                if voted is None:  # dismissed meanwhile: the vote is rolled back
                    raise HTTPException(409, "the question is no longer shown: it takes no votes")
            return Change(voted, True, True, voted.seq, True)
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
        """Wake this worker's polls and feeds (other workers hear through NOTIFY, sent in the transaction)."""
        if change.changed:
            self._wake(guid, change.seq, change.public)

    def _wake(self, guid: str, seq: int, public: bool) -> None:
        self.notifier.publish(questions_key(guid, True), seq)
        if public:
            self.notifier.publish(questions_key(guid, False), seq)

    # --- votes, announced together ---------------------------------------------------------------------------------

    def _announce_votes_soon(self, guid: str) -> None:
        """At once when the last announcement is `qa_vote_interval` old, else when it will be."""
        loop = asyncio.get_running_loop()
        wait = self._announced_at.get(guid, float("-inf")) + self.settings.qa_vote_interval - loop.time()
        self._announcing[guid] = loop.create_task(self._announce_votes(guid, max(0.0, wait)))

    async def _announce_votes(self, guid: str, wait: float) -> None:
        await asyncio.sleep(wait)
        ids = self._unannounced.pop(guid, set())
        try:
            seq = await run_in_threadpool(self._stamp, guid, sorted(ids))
            self._wake(guid, seq, public=True)
        except Exception as exc:  # noqa: BLE001  # the database away: the counts are kept, announced next time
            log.warning("announcing the votes of %s: %s", guid, exc)
            self._unannounced.setdefault(guid, set()).update(ids)
        self._announced_at[guid] = asyncio.get_running_loop().time()
        del self._announcing[guid]
        if self._unannounced.get(guid):
            self._announce_votes_soon(guid)

    def _stamp(self, guid: str, question_ids: list[int]) -> int:
        """One change for the questions voted for: their rows (with the latest counts) are read again."""
        with db.writing(self.engine) as conn:
            seq = _next_seq(conn, guid)
            conn.execute(update(db.questions).where(Q.id.in_(question_ids)).values(seq=seq))
            _announce(conn, guid, seq, public=True)
        return seq

    async def close(self) -> None:
        """Announce the votes still waiting, now (the server stops)."""
        tasks, self._announcing = list(self._announcing.values()), {}
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for guid, ids in list(self._unannounced.items()):
            with contextlib.suppress(Exception):
                self._stamp(guid, sorted(ids))
        self._unannounced.clear()


def _next_seq(conn: Connection, guid: str) -> int:
    return conn.execute(update(db.programme_events).where(E.guid == guid).values(qa_seq=E.qa_seq + 1)
                        .returning(E.qa_seq)).scalar_one()


def _announce(conn: Connection, guid: str, seq: int, public: bool) -> None:
    if db.is_postgres(conn):
        keys = [questions_key(guid, True)] + ([questions_key(guid, False)] if public else [])
        conn.execute(select(func.pg_notify(CHANNEL, notify_payload(keys, seq))))


def audience_page(rows: list[Row], moderator: bool, more: bool, counted: frozenset[int] = frozenset()
                  ) -> QuestionPage | None:
    """What a change (`rows`, in seq order) shows an audience: moderators every question as it is; visitors the
    visible ones, and by id only those no longer visible that they were shown (never one dismissed unseen), with
    anonymous authors hidden (`_out`). Questions in `counted` changed only their votes: just their counts. None when
    a visitor hears nothing of it."""
    seen = [r for r in rows if moderator or r.state == _VISIBLE]
    shown = [_out(r, moderator) for r in seen if r.id not in counted]
    votes = {r.id: r.votes for r in seen if r.id in counted}
    removed = [] if moderator else [r.id for r in rows if r.state != _VISIBLE and r.shown]
    if not shown and not removed and not votes:
        return None
    return QuestionPage(questions=shown, removed=removed, seq=rows[-1].seq, has_more=more, votes=votes)


class QuestionFeeds:
    """The Q&A's source for a stream hub (stream.py): an event's changes by seq, read once per wake-up for both
    audiences (the hub's audience is `moderator`); each event is `event: questions`, `data` a QuestionPage, vote
    counts alone as its `votes` once a listener has the question."""

    def __init__(self, questions: Questions) -> None:
        self.questions = questions
        self._sent: dict[str, dict[int, tuple[Any, ...]]] = {}  # per event and question: what the feed last sent

    def _counted(self, guid: str, rows: list[Row]) -> frozenset[int]:
        """The questions of a feed's read whose only change since the feed last sent them is their votes."""
        sent = self._sent.setdefault(guid, {})
        counted = set()
        for r in rows:
            sign = (r.state, r.shown, r.text, r.edited_at, r.pinned, r.answered, r.anonymous, r.author_name)
            if sent.get(r.id) == sign:
                counted.add(r.id)
            sent[r.id] = sign
        return frozenset(counted)

    def key(self, topic: Hashable) -> str:
        return questions_key(str(topic), True)  # every change, votes' announcements included

    async def newest(self, topic: Hashable) -> int:
        return await run_in_threadpool(self.questions.newest_seq, str(topic))

    async def read(self, topic: Hashable, after: int, live: bool) -> Page | None:
        """A feed's read sends only the counts of questions whose votes alone changed (every listener of the feed
        has the rest); a catch-up sends them whole."""
        rows, _ = await self.questions.changes_after(str(topic), True, after, BATCH)
        if not rows:
            return None
        last = rows[-1].seq
        counted = self._counted(str(topic), rows) if live else frozenset()
        frames: dict[Hashable, bytes | None] = {}
        for moderator in (True, False):
            page = audience_page(rows, moderator, False, counted)
            frames[moderator] = sse("questions", last, page.model_dump_json()) if page is not None else None
        return Page(after, last, frames)


def _out(row: Row, moderator: bool) -> QuestionOut:
    return QuestionOut(id=row.id, event_guid=row.event_guid, text=row.text, state=QuestionState(row.state),
                       answered=row.answered, pinned=row.pinned, votes=row.votes, anonymous=row.anonymous,
                       author_name=row.author_name if moderator or not row.anonymous else None,
                       author_id=row.author_id if moderator else None, created_at=db.as_utc(row.created_at),
                       edited=row.edited_at is not None)


def visible_to(row: Row, who: Principal, moderator: bool) -> bool:
    """Whether `who` may know of the question: moderators always; others when it is visible or theirs and waiting."""
    return moderator or row.state == _VISIBLE or (row.author_id == who.id and row.state == _QUEUED)
