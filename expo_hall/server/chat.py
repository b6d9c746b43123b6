"""Chat: a public room per stand and private conversations between one visitor and the stand's
representatives. Rows are the truth; the notifier only wakes long polls.

Posting locks the room's row first (the UPDATE of its counters), so within a room message ids
are committed in id order and a poller that saw id N never later misses a row below N.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Engine, Row, bindparam, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from expo_hall.content.text import clean_text
from expo_hall.server import db
from expo_hall.server.auth import Principal, forbid
from expo_hall.server.catalog import Catalog
from expo_hall.server.notify import CHANNEL, Notifier, inbox_key, notify_payload, room_key
from expo_hall.server.schemas import ConversationOut, MessageOut, MessagePage, Role
from expo_hall.server.settings import Settings

M, R, U = db.messages.c, db.rooms.c, db.users.c


@dataclass(frozen=True)
class RoomInfo:
    id: int
    stand_id: str
    visitor_id: int | None  # None: the stand's public room

    @property
    def private(self) -> bool:
        return self.visitor_id is not None


def no_room(room_id: int) -> HTTPException:
    return HTTPException(404, f"no chat room {room_id}")


def check_read(who: Principal, room: RoomInfo) -> None:
    """Another visitor's conversation is answered as a room that does not exist, so its id tells nothing."""
    if room.private and who.id != room.visitor_id and not who.represents(room.stand_id):
        raise no_room(room.id)


def check_post(who: Principal, room: RoomInfo) -> None:
    """As `check_read`; besides, representatives speak only for their own stand (its public room is public
    knowledge: 403 there)."""
    check_read(who, room)
    if who.role is Role.representative and not who.represents(room.stand_id):
        raise forbid("representatives speak only in their own stand's rooms")


class Chat:
    def __init__(self, engine: Engine, settings: Settings, catalog: Catalog, notifier: Notifier) -> None:
        self.engine = engine
        self.settings = settings
        self.catalog = catalog
        self.notifier = notifier
        self._rooms: dict[int, RoomInfo] = {}
        self._inflight: dict[tuple[int, int, int], asyncio.Future[bytes | None]] = {}
        # SQLite writes one transaction at a time: sends queue for one thread instead of many threads
        # queueing on the write lock, where each hand-over also waits for the GIL (a convoy).
        self._writer = None if db.is_postgres(engine) else ThreadPoolExecutor(1, thread_name_prefix="chat-writer")

    # --- rooms -------------------------------------------------------------------------------------------------------

    def cached_room(self, room_id: int) -> RoomInfo | None:
        return self._rooms.get(room_id)

    async def room(self, room_id: int) -> RoomInfo:
        info = self._rooms.get(room_id)
        if info is None:
            info = await run_in_threadpool(self._load_room, room_id)
            if info is None or info.stand_id not in self.catalog.exhibitors:
                raise no_room(room_id)
            self._rooms[room_id] = info
        return info

    def _load_room(self, room_id: int) -> RoomInfo | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(R.id, R.stand_id, R.visitor_id).where(R.id == room_id)).first()
        return None if row is None else RoomInfo(row.id, row.stand_id, row.visitor_id)

    def conversation(self, stand_id: str, visitor: Principal) -> ConversationOut:
        """The visitor's conversation with the stand, created on first use (the unique key settles races)."""
        key = f"private:{stand_id}:{visitor.id}"
        found = self._conversations(select_key=key)
        if not found:
            try:
                with db.writing(self.engine) as conn:
                    conn.execute(insert(db.rooms).values(key=key, stand_id=stand_id, visitor_id=visitor.id,
                                                         created_at=self.settings.clock(), message_count=0))
            except IntegrityError:
                pass  # created meanwhile by the same visitor's other request
            found = self._conversations(select_key=key)
        return found[0]

    def inbox(self, stand_id: str, after: int | None, limit: int) -> list[ConversationOut]:
        return self._conversations(stand_id=stand_id, after=after, limit=limit)

    def _conversations(self, *, select_key: str | None = None, stand_id: str | None = None, after: int | None = None,
                       limit: int = 1) -> list[ConversationOut]:
        query = (select(R.id, R.stand_id, R.visitor_id, R.last_message_id, R.message_count, U.display_name,
                        U.organisation)
                 .join(db.users, U.id == R.visitor_id))
        if select_key is not None:
            query = query.where(R.key == select_key)
        else:
            query = query.where(R.stand_id == stand_id, R.visitor_id.is_not(None))
            if after is not None:
                query = query.where(R.last_message_id > after)
            query = query.order_by(R.last_message_id.desc().nulls_last(), R.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [ConversationOut(room_id=r.id, stand_id=r.stand_id, visitor_id=r.visitor_id, visitor_name=r.display_name,
                                visitor_organisation=r.organisation, last_message_id=r.last_message_id,
                                message_count=r.message_count) for r in rows]

    # --- reading -----------------------------------------------------------------------------------------------------

    def history(self, room: RoomInfo, before: int | None, limit: int) -> MessagePage:
        query = select(*_COLUMNS).where(M.room_id == room.id)
        if before is not None:
            query = query.where(M.id < before)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(M.id.desc()).limit(limit + 1)).all()
        return MessagePage(messages=[_message(r) for r in reversed(rows[:limit])], has_more=len(rows) > limit)

    async def poll(self, room: RoomInfo, after: int, limit: int, timeout: float) -> bytes:
        """The page of messages after `after` as JSON, once there is one (or an empty page at the timeout)."""
        wait = min(timeout, self.settings.poll_max_wait)
        body = await self.notifier.wait_for(room_key(room.id), after, lambda: self._shared_read(room.id, after, limit),
                                            wait, self.settings.poll_recheck)
        return body or _EMPTY_PAGE

    def _shared_read(self, room_id: int, after: int, limit: int) -> asyncio.Future[bytes | None]:
        """One database read for all the polls asking the same thing at the same moment."""
        key = (room_id, after, limit)
        future = self._inflight.get(key)
        if future is None:
            future = self._inflight[key] = asyncio.ensure_future(self._read_after(room_id, after, limit))
            future.add_done_callback(lambda _: self._inflight.pop(key, None))
        return asyncio.shield(future)

    async def _read_after(self, room_id: int, after: int, limit: int) -> bytes | None:
        messages, more = await self.messages_after(room_id, after, limit)
        return MessagePage(messages=messages, has_more=more).model_dump_json().encode() if messages else None

    async def messages_after(self, room_id: int, after: int, limit: int) -> tuple[list[MessageOut], bool]:
        """The room's messages after `after`, oldest first, at most `limit`, and whether more follow; what it finds
        tells this worker's notifier the newest id it knows."""
        query = select(*_COLUMNS).where(M.room_id == room_id, M.id > after).order_by(M.id).limit(limit + 1)
        rows = await run_in_threadpool(self._all, query)
        key = room_key(room_id)
        if len(rows) > limit:
            self.notifier.forget(key)
        elif rows:
            self.notifier.seen(key, rows[-1].id)
        return [_message(r) for r in rows[:limit]], len(rows) > limit

    async def newest_id(self, room_id: int) -> int:
        """The id of the room's last message (0 for none)."""
        rows = await run_in_threadpool(self._all, select(R.last_message_id).where(R.id == room_id))
        return (rows[0].last_message_id or 0) if rows else 0

    def _all(self, query: Any) -> list[Row]:
        with self.engine.connect() as conn:
            return conn.execute(query).all()

    # --- posting -----------------------------------------------------------------------------------------------------

    async def post(self, room: RoomInfo, who: Principal, text: str, client_id: uuid.UUID) -> tuple[MessageOut, bool]:
        """Post once: a retry with the same client_id returns the original message and False."""
        if self._writer is None:
            new, created = await run_in_threadpool(self._post, room, who, text, str(client_id))
        else:
            loop = asyncio.get_running_loop()
            new, created = await loop.run_in_executor(self._writer, self._post, room, who, text, str(client_id))
        if created:
            self.notifier.publish(room_key(room.id), new[-1].id)
            if room.private:
                self.notifier.publish(inbox_key(room.stand_id), new[-1].id)
        return new[0], created

    def _post(self, room: RoomInfo, who: Principal, text: str, client_id: str) -> tuple[list[MessageOut], bool]:
        now = self.settings.clock()
        try:
            with db.writing(self.engine) as conn:
                count = conn.execute(_COUNT_ONE, {"room": room.id}).scalar_one()
                new = [self._insert(conn, room, now, who.id, who.display_name, who.role.value, who.stand_id, text,
                                    client_id)]
                away = self._away_answer(conn, room, who, count)
                if away:
                    stand = self.catalog.exhibitors[room.stand_id]
                    new.append(self._insert(conn, room, now, None, stand.name, "stand", room.stand_id, away, None))
                conn.execute(_SET_LAST, {"room": room.id, "last": new[-1].id, "more": len(new) - 1})
                if db.is_postgres(conn):
                    keys = [room_key(room.id)] + ([inbox_key(room.stand_id)] if room.private else [])
                    conn.execute(select(func.pg_notify(CHANNEL, notify_payload(keys, new[-1].id))))
            return new, True
        except IntegrityError:
            with self.engine.connect() as conn:
                row = conn.execute(select(*_COLUMNS).where(M.author_id == who.id, M.client_id == client_id)).first()
            if row is None:
                raise
            if row.room_id != room.id or row.text != text:
                raise HTTPException(409, "this client_id was already used for a different message") from None
            return [_message(row)], False

    def _away_answer(self, conn: Connection, room: RoomInfo, who: Principal, count: int) -> str | None:
        """The stand's away message, for a visitor's first private message when no representative is available."""
        if not room.private or who.role is not Role.visitor or count != 1:
            return None
        away = clean_text(self.catalog.exhibitors[room.stand_id].away_message or "", multiline=True)
        if not away:
            return None
        someone_in = conn.execute(select(exists().where(U.stand_id == room.stand_id, U.available.is_(True),
                                                        U.role == Role.representative.value))).scalar()
        return None if someone_in else away

    @staticmethod
    def _insert(conn: Connection, room: RoomInfo, now: dt.datetime, author_id: int | None, name: str, role: str,
                stand_id: str | None, text: str, client_id: str | None) -> MessageOut:
        row = conn.execute(_INSERT, {
            "room_id": room.id, "author_id": author_id, "author_name": name, "author_role": role,
            "author_stand_id": stand_id, "text": text, "client_id": client_id, "created_at": now}).one()
        return _message(row)


_COLUMNS = (M.id, M.room_id, M.author_id, M.author_name, M.author_role, M.author_stand_id, M.text, M.created_at,
            M.client_id)
# Built once: a send is the server's most frequent write.
_COUNT_ONE = (update(db.rooms).where(R.id == bindparam("room")).values(message_count=R.message_count + 1)
              .returning(R.message_count))
_SET_LAST = (update(db.rooms).where(R.id == bindparam("room"))
             .values(last_message_id=bindparam("last"), message_count=R.message_count + bindparam("more")))
_INSERT = insert(db.messages).returning(*_COLUMNS)
_EMPTY_PAGE = MessagePage(messages=[], has_more=False).model_dump_json().encode()


def _message(row: Row) -> MessageOut:
    return MessageOut(id=row.id, room_id=row.room_id, author_id=row.author_id, author_name=row.author_name,
                      author_role=row.author_role, author_stand_id=row.author_stand_id, text=row.text,
                      created_at=db.as_utc(row.created_at), client_id=row.client_id)
