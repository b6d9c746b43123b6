"""The API client: one `requests.Session`, a timeout on every call, retries by urllib3 for idempotent calls.

Blocking: call it from a worker thread (`expo_hall.net.worker`), never from a frame. Thread-safe for
the way the network layer uses it (no cookies; urllib3's connection pool is thread-safe).

Retries: urllib3's `Retry` on the session's adapter retries GET, PUT and HEAD on connection errors,
read errors and 502/503/504 (honouring Retry-After, capped), with exponential backoff and jitter.
Nothing else is retried there: a POST is sent once (the outbox retries message sends itself, safely,
with their client_id). `/health` is never retried, so the online check answers at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar
from urllib.parse import quote, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

from expo_hall.net.errors import ApiError, BadResponse, Conflict, NetError, Offline
from expo_hall.net.models import Sent, SharedLead, parse, parse_json, parse_list
from expo_hall.net.sse import cut, events, response_socket
from expo_hall.server.schemas import (
    BookmarksOut,
    ConversationOut,
    ExhibitorOut,
    ExhibitorSummary,
    FloorOut,
    Health,
    LeadOut,
    MeOut,
    MessageOut,
    MessagePage,
    ProgrammeOut,
    PublishOut,
    QuestionList,
    QuestionOut,
    QuestionPage,
    RecommendedRouteOut,
    RemindersOut,
    ReviewList,
    RouteOut,
    StandChanges,
    StandIn,
    StandSeries,
    StandStats,
    TokenOut,
    UploadKind,
    UploadOut,
    VersionList,
    VersionOut,
    VisitOut,
    WebinarOut,
)

log = logging.getLogger("expo_hall.net")
T = TypeVar("T")

API_PREFIX = "/api/v1"
IDEMPOTENT = frozenset({"GET", "PUT", "HEAD"})
RETRY_STATUSES = (502, 503, 504)
POLL_MAX = 25.0  # the longest `timeout` the server accepts for a long poll

Observer = Callable[[BaseException | None], None]  # after every call: None on success, else the error


class IdempotentRetry(Retry):
    """urllib3's Retry that never retries a method outside `allowed_methods`, not even after a connection
    error (plain Retry retries any method then), and caps the wait a Retry-After header may ask for."""

    retry_after_max = 10.0

    def increment(self, method: str | None = None, url: str | None = None, *args: Any, **kwargs: Any) -> Retry:
        if method is not None and self.allowed_methods is not None and method.upper() not in self.allowed_methods:
            return Retry.increment(self.new(total=0), method, url, *args, **kwargs)  # raises MaxRetryError
        return super().increment(method, url, *args, **kwargs)

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), self.retry_after_max)


@dataclass(frozen=True)
class RetryPolicy:
    """How urllib3 retries idempotent calls. Waits: 0, 2b, 4b, 8b... (b = backoff_factor), each plus up to
    `backoff_jitter` seconds at random, at most `backoff_max`."""

    retries: int = 3
    backoff_factor: float = 0.3
    backoff_jitter: float = 0.2
    backoff_max: float = 5.0

    def make(self) -> Retry:
        return IdempotentRetry(
            total=self.retries, connect=self.retries, read=self.retries, status=self.retries, other=0, redirect=3,
            allowed_methods=IDEMPOTENT, status_forcelist=RETRY_STATUSES, backoff_factor=self.backoff_factor,
            backoff_jitter=self.backoff_jitter, backoff_max=self.backoff_max, respect_retry_after_header=True,
            raise_on_status=False, raise_on_redirect=False)


@dataclass(frozen=True)
class Download:
    """A file fetched to `path`; `status` 304 means the copy there was still current and was kept."""

    path: Path
    status: int
    etag: str | None
    last_modified: str | None
    content_type: str | None
    size: int | None  # bytes written (None for 304)


class ApiClient:
    """The backend's API: typed results, `Offline` when it cannot be reached, `ApiError` when it says no."""

    def __init__(self, base_url: str, token: str | None = None, *, timeout: tuple[float, float] = (3.05, 15.0),
                 poll_margin: float = 10.0, health_timeout: tuple[float, float] = (2.0, 3.0),
                 retry: RetryPolicy | None = None, pool_size: int = 16, user_agent: str = "expo_hall") -> None:
        self.base_url = base_url.rstrip("/")
        self.api = self.base_url + API_PREFIX
        self.timeout = timeout  # (connect, read) seconds, for every call but the long poll and /health
        self.poll_margin = poll_margin  # a long poll's read timeout is its `timeout` plus this
        self.health_timeout = health_timeout
        self.retry = retry or RetryPolicy()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.headers["Accept"] = "application/json"
        adapter = HTTPAdapter(max_retries=self.retry.make(), pool_connections=4, pool_maxsize=pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # the longest matching prefix wins: /health goes out once, so the online check is quick
        self.session.mount(self.api + "/health", HTTPAdapter(max_retries=0, pool_maxsize=2))
        # streams are not retried by urllib3 either: one that does not flow goes over to long polls at once
        self.streams = requests.Session()
        self.streams.headers = self.session.headers  # the same dict: the token's header is set once for both
        self.streams.mount("http://", HTTPAdapter(max_retries=0, pool_maxsize=4))
        self.streams.mount("https://", HTTPAdapter(max_retries=0, pool_maxsize=4))
        self._token: str | None = None
        self.token = token
        self._observers: list[Observer] = []
        self._lock = threading.Lock()

    # --- plumbing ----------------------------------------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        if value:
            self.session.headers["Authorization"] = f"Bearer {value}"
        else:
            self.session.headers.pop("Authorization", None)

    def add_observer(self, observer: Observer) -> None:
        """Called after every call, in the calling thread, with None or the NetError it raised."""
        with self._lock:
            self._observers.append(observer)

    def remove_observer(self, observer: Observer) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._observers.remove(observer)

    def url(self, path_or_url: str) -> str:
        """An absolute URL: API paths ("/floors") go under /api/v1; server paths ("/api/v1/...") and
        absolute URLs are resolved against the server's address."""
        if path_or_url.startswith(("http://", "https://", API_PREFIX + "/")):
            return urljoin(self.base_url + "/", path_or_url)
        return self.api + path_or_url

    def close(self) -> None:
        self.session.close()
        self.streams.close()

    def _notify(self, error: BaseException | None) -> None:
        with self._lock:
            observers = list(self._observers)
        for observer in observers:
            try:
                observer(error)
            except Exception:  # an observer's bug must not turn a good answer into a failure
                log.exception("network observer failed")

    @contextlib.contextmanager
    def _response(self, method: str, path: str, *, timeout: tuple[float, float] | None = None,
                  session: requests.Session | None = None, **kwargs: Any) -> Iterator[requests.Response]:
        """The response to a request that succeeded (2xx, 304); maps failures to NetErrors and tells the observers."""
        try:
            try:
                response = (session or self.session).request(method, self.url(path), timeout=timeout or self.timeout,
                                                             **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise Offline(f"{method} {path}: {_reason(exc)}") from exc
            except requests.RequestException as exc:
                raise BadResponse(f"{method} {path}: {exc}") from exc
            with response:
                if response.status_code >= 400:
                    raise _api_error(response)
                try:
                    yield response
                except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                    raise Offline(f"{method} {path}: the answer was cut off ({_reason(exc)})") from exc
        except NetError as exc:
            self._notify(exc)
            raise
        self._notify(None)

    def _json(self, method: str, path: str, **kwargs: Any) -> tuple[Any, int]:
        with self._response(method, path, **kwargs) as response:
            try:
                return response.json(), response.status_code
            except ValueError as exc:
                raise BadResponse(f"{method} {path}: the answer is not JSON") from exc

    def _get(self, cls: type[T], path: str, **kwargs: Any) -> T:
        return parse(cls, self._json("GET", path, **kwargs)[0], self.base_url)

    def _get_list(self, cls: type[T], path: str, **kwargs: Any) -> list[T]:
        return parse_list(cls, self._json("GET", path, **kwargs)[0], self.base_url)

    # --- content -----------------------------------------------------------------------------------------------------

    def health(self) -> Health:
        return self._get(Health, "/health", timeout=self.health_timeout)

    def floors(self) -> list[FloorOut]:
        return self._get_list(FloorOut, "/floors")

    def floor(self, floor_id: str) -> FloorOut:
        return self._get(FloorOut, f"/floors/{_seg(floor_id)}")

    def exhibitors(self) -> list[ExhibitorSummary]:
        return self._get_list(ExhibitorSummary, "/exhibitors")

    def exhibitor(self, exhibitor_id: str) -> ExhibitorOut:
        return self._get(ExhibitorOut, f"/exhibitors/{_seg(exhibitor_id)}")

    def webinars(self, exhibitor_id: str | None = None) -> list[WebinarOut]:
        """The whole programme by start time, or one exhibitor's webinars."""
        path = f"/exhibitors/{_seg(exhibitor_id)}/webinars" if exhibitor_id else "/webinars"
        return self._get_list(WebinarOut, path)

    def download(self, url: str, dest: Path, *, etag: str | None = None, last_modified: str | None = None,
                 chunk_size: int = 64 * 1024) -> Download:
        """Fetch a file into `dest` through a temporary file renamed at the end, so `dest` is always whole.

        With `etag` / `last_modified` of the copy at `dest` the request is conditional: a 304 keeps it.
        """
        dest = Path(dest)
        headers = {"Accept": "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with self._response("GET", url, headers=headers, stream=True) as r:
            new_etag, new_modified = r.headers.get("ETag"), r.headers.get("Last-Modified")
            ctype = (r.headers.get("Content-Type") or "").split(";")[0].strip() or None
            if r.status_code == 304:
                return Download(dest, 304, new_etag or etag, new_modified or last_modified, ctype, None)
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
            size = 0
            try:
                with os.fdopen(fd, "wb") as fh:
                    for chunk in r.iter_content(chunk_size):
                        fh.write(chunk)
                        size += len(chunk)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp_name, dest)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
                raise
            return Download(dest, r.status_code, new_etag, new_modified, ctype, size)

    def download_floor(self, floor: FloorOut, folder: Path,
                       fetch: Callable[[str, Path], object] | None = None) -> Path:
        """The floor's .tmx and every file it refers to, at their relative paths under `folder`; returns the
        .tmx's path. `fetch(url, dest)` does each download (default: `download`; MediaCache.fetch revalidates)."""
        fetch = fetch or self.download
        paths = [safe_join(folder, f.path) for f in floor.files]
        for f, dest in zip(floor.files, paths, strict=True):
            fetch(f.url, dest)
        return paths[0]

    # --- identity ----------------------------------------------------------------------------------------------------

    def register(self, display_name: str, organisation: str | None = None, email: str | None = None) -> TokenOut:
        """A new visitor; the client uses the new token from now on (keep `.token` for the next start)."""
        body = {"display_name": display_name, "organisation": organisation, "email": email}
        data, _ = self._json("POST", "/visitors", json={k: v for k, v in body.items() if v is not None})
        reg = parse(TokenOut, data, self.base_url)
        self.token = reg.token
        return reg

    def me(self) -> MeOut:
        return self._get(MeOut, "/me")

    def set_available(self, available: bool) -> MeOut:
        """A representative answers chats now (or not)."""
        data, _ = self._json("PUT", "/me/status", json={"available": available})
        return parse(MeOut, data, self.base_url)

    # --- route and visits --------------------------------------------------------------------------------------------

    def route(self) -> RouteOut:
        return self._get(RouteOut, "/me/route")

    def recommended_routes(self) -> list[RecommendedRouteOut]:
        """The routes the organizers recommend."""
        return self._get_list(RecommendedRouteOut, "/routes/recommended")

    def put_route(self, planned: list[str], version: int) -> RouteOut:
        """Replace the planned stands; `version` is the one last read (0 for none). `Conflict` when it moved on
        elsewhere — except when the stored route already is `planned` (our own earlier try that got through)."""
        try:
            data, _ = self._json("PUT", "/me/route", json={"version": version, "planned": list(planned)})
        except Conflict:
            current = self.route()
            if list(current.planned) == list(planned) and current.version == version + 1:
                return current
            raise
        return parse(RouteOut, data, self.base_url)

    # --- programme and agenda ----------------------------------------------------------------------------------------

    def programme(self) -> ProgrammeOut:
        """The business programme with each event's status at the server's clock (empty without one)."""
        return self._get(ProgrammeOut, "/programme")

    def bookmarks(self) -> BookmarksOut:
        return self._get(BookmarksOut, "/me/programme/bookmarks")

    def put_bookmarks(self, guids: list[str]) -> BookmarksOut:
        data, _ = self._json("PUT", "/me/programme/bookmarks", json={"events": list(guids)})
        return parse(BookmarksOut, data, self.base_url)

    def put_reminders(self, webinars: list[tuple[str, str, str]]) -> RemindersOut:
        """Replace the reminded stand webinars: (exhibitor id, start as ISO with offset, title) each."""
        body = {"webinars": [{"exhibitor_id": e, "starts": s, "title": t} for e, s, t in webinars]}
        data, _ = self._json("PUT", "/me/agenda/webinars", json=body)
        return parse(RemindersOut, data, self.base_url)

    # --- the programme's Q&A ------------------------------------------------------------------------------------------

    def questions(self, guid: str, limit: int = 200) -> QuestionList:
        """The event's questions this user may see, oldest first, and the seq to poll from."""
        return self._get(QuestionList, f"/programme/events/{_seg(guid)}/questions", params={"limit": limit})

    def question_stream(self, guid: str, after: int = 0, *, first_byte: float = 5.0, quiet: float = 40.0,
                        opened: Callable[[Callable[[], None]], None] | None = None) -> Iterator[QuestionPage]:
        """The event's Q&A changes after `after` as the server streams them (as `room_stream` does a room's)."""
        return self._event_stream(f"/programme/events/{_seg(guid)}/questions/stream", after, "questions",
                                  QuestionPage, first_byte, quiet, opened)

    def poll_questions(self, guid: str, after: int, timeout: float = 20.0) -> QuestionPage:
        """Long poll: the questions changed after `after`."""
        timeout = max(0.0, min(timeout, POLL_MAX))
        return self._get(QuestionPage, f"/programme/events/{_seg(guid)}/questions/poll",
                         params={"after": after, "timeout": timeout},
                         timeout=(self.timeout[0], timeout + self.poll_margin))

    def ask(self, guid: str, text: str, anonymous: bool = False,
            client_id: uuid.UUID | str | None = None) -> QuestionOut:
        body = {"text": text, "anonymous": anonymous, "client_id": str(client_id or uuid.uuid4())}
        data, _ = self._json("POST", f"/programme/events/{_seg(guid)}/questions", json=body)
        return parse(QuestionOut, data, self.base_url)

    def vote(self, question_id: int) -> QuestionOut:
        data, _ = self._json("POST", f"/programme/questions/{int(question_id)}/vote")
        return parse(QuestionOut, data, self.base_url)

    def moderate(self, question_id: int, **change: object) -> QuestionOut:
        """A moderator's change: state ("visible", "archived"), text, pinned, answered."""
        data, _ = self._json("PATCH", f"/programme/questions/{int(question_id)}", json=change)
        return parse(QuestionOut, data, self.base_url)

    def record_visit(self, exhibitor_id: str) -> VisitOut:
        data, _ = self._json("POST", f"/exhibitors/{_seg(exhibitor_id)}/visits")
        return parse(VisitOut, data, self.base_url)

    def stand_stats(self, exhibitor_id: str) -> StandStats:
        return self._get(StandStats, f"/exhibitors/{_seg(exhibitor_id)}/stats")

    def stand_series(self, exhibitor_id: str, utc_offset_minutes: int = 180) -> StandSeries:
        """The stand's statistics per day, per hour and per material, days and hours in that time zone."""
        return self._get(StandSeries, f"/exhibitors/{_seg(exhibitor_id)}/stats/series",
                         params={"utc_offset": utc_offset_minutes})

    # --- chat --------------------------------------------------------------------------------------------------------

    def history(self, room_id: int, before: int | None = None, limit: int = 50) -> MessagePage:
        """The newest `limit` messages below `before` (all when None), oldest first."""
        params = {"limit": limit} | ({"before": before} if before else {})
        return self._get(MessagePage, f"/rooms/{int(room_id)}/messages", params=params)

    def poll(self, room_id: int, after: int = 0, timeout: float = 20.0, limit: int = 100) -> MessagePage:
        """Long poll: messages after `after`, as soon as there are any, else an empty page after `timeout` s."""
        timeout = max(0.0, min(timeout, POLL_MAX))
        return self._get(MessagePage, f"/rooms/{int(room_id)}/poll",
                         params={"after": after, "timeout": timeout, "limit": limit},
                         timeout=(self.timeout[0], timeout + self.poll_margin))

    def room_stream(self, room_id: int, after: int = 0, *, first_byte: float = 5.0, quiet: float = 40.0,
                    opened: Callable[[Callable[[], None]], None] | None = None) -> Iterator[MessagePage]:
        """The room's messages after `after` as the server streams them (server-sent events), each page as it
        comes, until the server ends the stream. `Offline` when nothing arrives within `first_byte` seconds (a
        proxy buffering the stream) or a quiet stream stays silent `quiet` seconds (the server keeps it alive
        more often); `BadResponse` when the answer is no event stream. `opened(cut)` gets a function another thread
        may call to end the stream at once."""
        return self._event_stream(f"/rooms/{int(room_id)}/stream", after, "messages", MessagePage, first_byte, quiet,
                                  opened)

    def _event_stream(self, path: str, after: int, kind: str, model: type[T], first_byte: float, quiet: float,
                      opened: Callable[[Callable[[], None]], None] | None) -> Iterator[T]:
        """Each `kind` event's data as a `model`, read from the stream at `path` resumed after `after`."""
        headers = {"Accept": "text/event-stream", "Last-Event-ID": str(after)}
        with self._response("GET", path, params={"after": after}, headers=headers, stream=True,
                            timeout=(self.timeout[0], first_byte), session=self.streams) as response:
            media = (response.headers.get("Content-Type") or "").split(";")[0].strip()
            if media != "text/event-stream":
                raise BadResponse(f"GET {path}: the answer is {media or 'untyped'}, not an event stream")
            sock = response_socket(response)
            if opened is not None:
                opened(lambda: cut(sock))
            first = True
            for event in events(response.iter_content(None)):
                if first and sock is not None:
                    sock.settimeout(quiet)  # the stream flows: from now on only a silent one is dead
                first = False
                if event is not None and event.name == kind:
                    yield parse_json(model, event.data, self.base_url)

    def send_message(self, room_id: int, text: str, client_id: uuid.UUID | str | None = None) -> Sent:
        """Post once. Sending again with the same client_id returns the message stored the first time."""
        cid = str(client_id or uuid.uuid4())
        data, status = self._json("POST", f"/rooms/{int(room_id)}/messages", json={"text": text, "client_id": cid})
        return Sent(parse(MessageOut, data, self.base_url), created=status == 201)

    def conversation(self, exhibitor_id: str) -> ConversationOut:
        """The visitor's private conversation with the stand (created on first call); talk in its room_id."""
        data, _ = self._json("POST", f"/exhibitors/{_seg(exhibitor_id)}/conversation")
        return parse(ConversationOut, data, self.base_url)

    def conversations(self, exhibitor_id: str, limit: int = 100) -> list[ConversationOut]:
        """A representative's inbox: the stand's private conversations, most recently active first."""
        data, _ = self._json("GET", f"/exhibitors/{_seg(exhibitor_id)}/conversations", params={"limit": limit})
        return parse_list(ConversationOut, data.get("conversations") if isinstance(data, dict) else None, self.base_url)

    def poll_conversations(self, exhibitor_id: str, after: int = 0, timeout: float = 20.0,
                           limit: int = 100) -> list[ConversationOut]:
        """Long poll of the inbox: conversations with a message after `after`."""
        timeout = max(0.0, min(timeout, POLL_MAX))
        data, _ = self._json("GET", f"/exhibitors/{_seg(exhibitor_id)}/conversations/poll",
                             params={"after": after, "timeout": timeout, "limit": limit},
                             timeout=(self.timeout[0], timeout + self.poll_margin))
        return parse_list(ConversationOut, data.get("conversations") if isinstance(data, dict) else None, self.base_url)

    # --- files, streamed ---------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def stream(self, url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
               timeout: tuple[float, float] | None = None) -> Iterator[requests.Response]:
        """A file's response (2xx) with its body not read yet: read it with `iter_content` inside the `with`.
        Failures raise NetErrors as every call does (a body cut off: `Offline`). The visitor's token goes
        only to this backend, never to another host."""
        sent: dict[str, str | None] = {"Accept": "*/*", **(headers or {})}
        if not self.same_origin(url):
            sent["Authorization"] = None  # requests drops a session header set to None
        with self._response(method, url, headers=sent, stream=True, timeout=timeout) as response:
            yield response

    def same_origin(self, url: str) -> bool:
        """Whether `url` (absolute, or an API / server path) is on this backend."""
        a, b = urlsplit(self.url(url)), urlsplit(self.base_url)
        return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower())

    # --- leads -------------------------------------------------------------------------------------------------------

    def share_lead(self, exhibitor_id: str, name: str, *, organisation: str | None = None, email: str | None = None,
                   phone: str | None = None, note: str | None = None) -> SharedLead:
        """Share the visitor's contact with the stand (sent once; sharing again updates the stand's copy).
        Empty fields are not sent. The server wants an e-mail or a phone (422 otherwise)."""
        body = {"name": name, "organisation": organisation, "email": email, "phone": phone, "note": note}
        data, status = self._json("POST", f"/exhibitors/{_seg(exhibitor_id)}/leads",
                                  json={k: v for k, v in body.items() if v})
        return SharedLead(parse(LeadOut, data, self.base_url), created=status == 201)

    def leads(self, exhibitor_id: str, limit: int = 500) -> list[LeadOut]:
        """The contacts visitors shared with the stand, newest first (its representatives and organizers)."""
        data, _ = self._json("GET", f"/exhibitors/{_seg(exhibitor_id)}/leads", params={"limit": limit})
        return parse_list(LeadOut, data.get("leads") if isinstance(data, dict) else None, self.base_url)

    # --- chat: the representatives' status ----------------------------------------------------------------------------

    def presence(self, exhibitor_id: str) -> bool:
        """Whether any of the stand's representatives answers chats now (while none does, its away message
        applies: the server answers a visitor's first private message with it)."""
        data, _ = self._json("GET", f"/exhibitors/{_seg(exhibitor_id)}/presence")
        available = data.get("available") if isinstance(data, dict) else None
        if not isinstance(available, bool):
            raise BadResponse(f"GET /exhibitors/{exhibitor_id}/presence: unexpected answer")
        return available


    # --- publishing: a representative's stand ------------------------------------------------------------------------

    def upload(self, kind: UploadKind, name: str, body: Any, size: int,  # noqa: ANN401 - a file-like or bytes
               timeout: tuple[float, float] = (3.05, 120.0)) -> UploadOut:
        """Send one file of the representative's stand (`body`: bytes or a file-like read to its end; `size` its
        length). Sent once, never retried here: the server stores a file by its content, so the caller may."""
        headers = {"Content-Type": "application/octet-stream", "Content-Length": str(size)}
        data, _ = self._json("POST", f"/stand/uploads/{kind.value}", params={"name": name}, data=body,
                             headers=headers, timeout=timeout)
        return parse(UploadOut, data, self.base_url)

    def publish_stand(self, stand: StandIn, timeout: tuple[float, float] = (3.05, 300.0)) -> PublishOut:
        """A new version of the representative's stand (the server checks it: a 422 lists each fault)."""
        data, _ = self._json("POST", "/stand/versions", json=stand.model_dump(mode="json"), timeout=timeout)
        return parse(PublishOut, data, self.base_url)

    def stand_versions(self) -> VersionList:
        """The representative's stand's versions, newest first, with their review states."""
        return self._get(VersionList, "/stand/versions")

    def reviews(self) -> ReviewList:
        """Versions waiting for an organizer's review, oldest first (organizers)."""
        return self._get(ReviewList, "/reviews")

    def review(self, exhibitor_id: str, number: int, approve: bool, reason: str | None = None) -> VersionOut:
        """Approve (it goes live) or reject (with a reason) a version waiting for review (organizers)."""
        verb = "approve" if approve else "reject"
        data, _ = self._json("POST", f"/exhibitors/{_seg(exhibitor_id)}/versions/{int(number)}/{verb}",
                             json={"reason": reason})
        return parse(VersionOut, data, self.base_url)

    def stand_changes(self, after: int = 0, timeout: float = 20.0) -> StandChanges:
        """Long poll: stands whose content changed (a version went live) after `after`."""
        timeout = max(0.0, min(timeout, POLL_MAX))
        return self._get(StandChanges, "/expo/changes", params={"after": after, "timeout": timeout},
                         timeout=(self.timeout[0], timeout + self.poll_margin))


def safe_join(folder: Path, relative: str) -> Path:
    """`folder / relative` for a relative POSIX path from the server, refusing anything that would leave `folder`."""
    rel = PurePosixPath(relative)
    bad = (not relative or rel.is_absolute() or "\\" in relative
           or any(part in ("", ".", "..") or ":" in part for part in rel.parts))
    if bad:
        raise BadResponse(f"unsafe file path from the server: {relative!r}")
    return Path(folder).joinpath(*rel.parts)


def _seg(text: str) -> str:
    return quote(text, safe="")


def _reason(exc: BaseException) -> str:
    """The innermost cause, which says what happened (refused, timed out, name not known)."""
    while exc.__context__ is not None and not isinstance(exc, OSError | TimeoutError):
        exc = exc.__context__
    inner = exc.args[0] if exc.args else exc
    while hasattr(inner, "reason") and inner.reason is not None and inner.reason is not inner:
        inner = inner.reason
    return str(inner) or type(inner).__name__


def _api_error(response: requests.Response) -> ApiError:
    message, errors = response.reason or "error", None
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        if text:
            message = text[:300]
    else:
        if isinstance(body, dict) and isinstance(body.get("detail"), str):
            message = body["detail"]
            errors = body.get("errors") if isinstance(body.get("errors"), list) else None
    cls = Conflict if response.status_code == 409 else ApiError
    return cls(response.status_code, message, errors, _retry_after(response))


def _retry_after(response: requests.Response) -> float | None:
    """The wait a Retry-After header asks for (seconds or an HTTP date), None when absent or unreadable."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return Retry().parse_retry_after(value)
    except InvalidHeader:
        return None
