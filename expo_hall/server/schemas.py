"""The API's request and response models: they make the OpenAPI schema, and the client reads the answers with them.

Imports pydantic and the text rules only (no FastAPI, SQLAlchemy or pygame), so the client can import it.
URLs the server gives are paths on itself (`/api/v1/...`) or external URLs; the client validates answers with
`context={"base_url": ...}` and gets them absolute (`ServerUrl`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated
from urllib.parse import urljoin
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from expo_hall.content.limits import EMAIL_MAX, MESSAGE_MAX, PHONE_MAX
from expo_hall.content.text import EMAIL_PATTERN, PHONE_CHARS, check_email, check_text, refuse_controls
from expo_hall.programme.timetable import Status as ProgrammeStatus

NAME_MAX = 80
TEXT_RULES = ("Plain text: control characters are refused, bidi embedding, override and isolate controls are "
              "removed, tabs become spaces")


def _one_line(text: str) -> str:
    text = check_text(text)
    if not text:
        raise ValueError("must not be empty")
    return text


def _optional_line(text: str | None) -> str | None:
    return None if text is None else check_text(text) or None


def _message_text(text: str) -> str:
    text = check_text(text, multiline=True)
    if not text:
        raise ValueError("the message is empty")
    return text


def _optional_lines(text: str | None) -> str | None:
    return None if text is None else check_text(text, multiline=True) or None


def _email(text: str | None) -> str | None:
    return None if text is None else check_email(text)


def _absolute(url: str, info: ValidationInfo) -> str:
    base = info.context.get("base_url") if isinstance(info.context, dict) else None
    return urljoin(base + "/", url) if base else url


ServerUrl = Annotated[str, AfterValidator(_absolute)]  # read by a client: absolute against the server's address
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]  # a file's content hash, hex; the file's ETag is it quoted


OneLine = Annotated[str, Field(min_length=1, max_length=NAME_MAX, description=TEXT_RULES + "; one line"),
                    AfterValidator(_one_line)]
OptionalLine = Annotated[str | None, Field(max_length=200, description=TEXT_RULES + "; one line"),
                         AfterValidator(_optional_line)]
Email = Annotated[str | None, Field(max_length=EMAIL_MAX, pattern=EMAIL_PATTERN), AfterValidator(_email)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorItem(Model):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Model):
    detail: str = Field(description="What was wrong, for people")
    errors: list[ErrorItem] | None = Field(None, description="Each invalid field, for 422 answers")


class Health(Model):
    status: str = "ok"
    version: str


# --- content -------------------------------------------------------------------------------------------------------

class StandOut(Model):
    number: str
    exhibitor_id: str
    x: float
    y: float
    width: float
    height: float


class MapPointOut(Model):
    name: str
    x: float
    y: float
    to_floor: str | None
    to_point: str | None


class FloorFile(Model):
    path: str = Field(description="Relative to the .tmx's folder, as the .tmx refers to it")
    url: ServerUrl
    sha256: Sha256 | None = Field(description="The file's SHA-256 (null: the file is missing on the server)")


class FloorOut(Model):
    floor_id: str
    title: str
    title_en: str | None
    order: int
    width: int
    height: int
    tile_width: int
    tile_height: int
    map_url: ServerUrl = Field(description="The .tmx; fetch `files` into one folder to open it with its tilesets")
    files: list[FloorFile]
    stands: list[StandOut]
    points: list[MapPointOut]


class ContactsOut(Model):
    email: str | None
    phone: str | None
    website: str | None
    address: str | None
    messengers: dict[str, str]


class MaterialOut(Model):
    index: int
    title: str
    title_en: str | None
    url: ServerUrl = Field(description="This server's file URL, or the external URL when `file_name` is null")
    file_name: str | None
    content_type: str | None
    size: int | None


class VideoOut(Model):
    url: ServerUrl
    external: bool = Field(description="An external http(s) URL rather than a file on this server")
    content_type: str | None


class WebinarStatus(StrEnum):
    upcoming = "upcoming"
    live = "live"
    ended = "ended"


class WebinarOut(Model):
    exhibitor_id: str
    exhibitor_name: str
    title: str
    title_en: str | None
    starts: dt.datetime
    ends: dt.datetime
    duration_minutes: int
    url: ServerUrl | None
    status: WebinarStatus


class ExhibitorSummary(Model):
    exhibitor_id: str
    name: str
    name_en: str | None
    category: str | None
    category_en: str | None
    floor_id: str | None
    stand_number: str | None
    logo_url: ServerUrl | None
    logo_sha256: Sha256 | None = Field(description="The logo's SHA-256: its ETag, quoted, and its name (with .png) "
                                                   "in the logo pack")
    room_id: int = Field(description="The stand's public chat room")
    clusters: list[str] = Field(default_factory=list, description="The business programme's clusters (ids) the "
                                                                  "stand's webinars belong to")


class ExhibitorOut(ExhibitorSummary):
    description: str
    description_en: str | None
    away_message: str | None
    contacts: ContactsOut
    video: VideoOut | None
    materials: list[MaterialOut]
    webinars: list[WebinarOut]


class ExpoOut(Model):
    """The whole expo's content in one answer: what a client needs to open the hall and every stand's tabs."""

    floors: list[FloorOut] = Field(description="In floor order")
    exhibitors: list[ExhibitorOut] = Field(description="By floor, stand number, then name")


# --- identity --------------------------------------------------------------------------------------------------------

class Role(StrEnum):
    visitor = "visitor"
    representative = "representative"
    organizer = "organizer"
    moderator = "moderator"  # moderates the Q&A of the programme events in their halls


class VisitorIn(Model):
    display_name: OneLine
    organisation: OptionalLine = None
    email: Email = None


class MeOut(Model):
    id: int
    role: Role
    display_name: str
    organisation: str | None
    email: str | None
    stand_id: str | None = Field(description="A representative's stand (exhibitor id)")
    available: bool = Field(description="A representative answering chats now")
    halls: list[str] = Field([], description="A moderator's halls of the forum floor (their events' Q&A)")


class TokenOut(Model):
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown only once")
    me: MeOut


class StatusIn(Model):
    available: bool


class UserOut(Model):
    """A user as the organizers see them (never their token, which is stored only as a hash)."""

    id: int
    role: Role
    display_name: str
    organisation: str | None
    stand_id: str | None = Field(description="A representative's stand (exhibitor id)")
    halls: list[str] = Field([], description="A moderator's halls of the forum floor")
    created_at: dt.datetime
    revoked_at: dt.datetime | None = Field(description="When the token was revoked; it opens nothing since")


class UserList(Model):
    users: list[UserOut] = Field(description="By id")
    has_more: bool = Field(description="More users follow: ask again with `after` = the last id")


# --- chat -------------------------------------------------------------------------------------------------------------

class MessageIn(Model):
    text: Annotated[str, Field(min_length=1, max_length=MESSAGE_MAX, description=TEXT_RULES + "; line breaks kept"),
                    AfterValidator(_message_text)]
    client_id: UUID = Field(description="A UUID made by the client per message; a retried send returns the original")


class AuthorRole(StrEnum):
    visitor = "visitor"
    representative = "representative"
    organizer = "organizer"
    moderator = "moderator"
    stand = "stand"  # the stand's automatic away answer


class MessageOut(Model):
    id: int
    room_id: int
    author_id: int | None
    author_name: str
    author_role: AuthorRole
    author_stand_id: str | None = Field(description="The stand a representative or an away answer speaks for")
    text: str
    created_at: dt.datetime
    client_id: UUID | None


class MessagePage(Model):
    messages: list[MessageOut] = Field(description="Oldest first")
    has_more: bool = Field(description="History: older messages exist. Poll: more newer ones, poll again at once")

    @property
    def last_id(self) -> int | None:
        return self.messages[-1].id if self.messages else None


class ConversationOut(Model):
    room_id: int
    stand_id: str
    visitor_id: int
    visitor_name: str
    visitor_organisation: str | None
    last_message_id: int | None
    message_count: int


class ConversationList(Model):
    conversations: list[ConversationOut] = Field(description="Most recently active first")


class PresenceOut(Model):
    exhibitor_id: str
    available: bool = Field(description="Some representative of the stand answers chats now; while none does, the "
                                        "stand's away message answers a visitor's first private message")


# --- route, visits, statistics -----------------------------------------------------------------------------------

class RouteIn(Model):
    version: int = Field(ge=0, le=2**31 - 1, description="The version this change is based on (0 for a new route)")
    planned: list[Annotated[str, Field(min_length=1, max_length=200), AfterValidator(refuse_controls)]] = Field(
        max_length=500)


class VisitedStand(Model):
    exhibitor_id: str
    first_at: dt.datetime
    last_at: dt.datetime
    visits: int


class RouteOut(Model):
    version: int
    planned: list[str] = Field(description="Exhibitor ids, in the order the visitor plans to go")
    visited: list[VisitedStand] = Field(description="From recorded visits, first visited first")


class VisitOut(Model):
    exhibitor_id: str
    at: dt.datetime


class StandStats(Model):
    exhibitor_id: str
    visits: int
    unique_visitors: int
    conversations: int
    public_messages: int
    private_messages: int
    downloads: int = Field(0, description="Downloads of the stand's material files (a GET answered with the file: "
                                          "200, or 206 from its first byte), once a day per visitor and material "
                                          "(per client address without a token)")

    @property
    def chat_messages(self) -> int:
        return self.public_messages + self.private_messages


# --- leads: a visitor's contact, shared with a stand ------------------------------------------------------------

LEAD_NOTE_MAX = 1000


def _phone(text: str | None) -> str | None:
    text = _optional_line(text)
    if text is None:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if not 3 <= digits <= 20:
        raise ValueError("a phone number has 3 to 20 digits")
    return text


class LeadIn(Model):
    """What the visitor chose to share; at least an e-mail or a phone number."""

    name: OneLine
    organisation: OptionalLine = None
    email: Email = None
    phone: Annotated[str | None, Field(max_length=PHONE_MAX, pattern=PHONE_CHARS,
                                       description="Digits, spaces and + ( ) - ."), AfterValidator(_phone)] = None
    note: Annotated[str | None, Field(max_length=LEAD_NOTE_MAX, description=TEXT_RULES + "; line breaks kept"),
                    AfterValidator(_optional_lines)] = None

    @model_validator(mode="after")
    def _reachable(self) -> LeadIn:
        if self.email is None and self.phone is None:
            raise ValueError("give an e-mail address or a phone number (or both)")
        return self


class LeadOut(Model):
    id: int
    exhibitor_id: str
    visitor_id: int
    name: str
    organisation: str | None
    email: str | None
    phone: str | None
    note: str | None
    created_at: dt.datetime = Field(description="When the visitor first shared their contact with the stand")
    updated_at: dt.datetime = Field(description="When they last shared it (sharing again updates the lead)")


class LeadList(Model):
    leads: list[LeadOut] = Field(description="Newest first (by the time last shared)")


# --- the business programme ----------------------------------------------------------------------------------------

GUID_PATTERN = r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$"
Guid = Annotated[str, Field(pattern=GUID_PATTERN, max_length=36, description="A programme event's frab guid")]


class ConferenceOut(Model):
    title: str
    acronym: str
    start: dt.date
    end: dt.date
    time_zone_name: str | None


class ClusterOut(Model):
    cluster_id: str
    title: str
    title_en: str | None
    tracks: list[str] = Field(description="The schedule's tracks in this cluster")


class ProgrammeRoomOut(Model):
    name: str
    hall: str | None = Field(description="Its hall on the forum floor")
    stream_url: str | None


class PersonOut(Model):
    name: str
    moderator: bool = Field(description="The event's moderator (else a speaker)")


class LinkOut(Model):
    url: str
    title: str
    type: str | None


class ProgrammeEventOut(Model):
    guid: str
    id: int
    title: str
    title_en: str | None = Field(description="The English title (a Russian event's frab subtitle)")
    subtitle: str
    language: str | None
    type: str
    abstract: str
    description: str
    track: str | None
    cluster_id: str | None
    room: str
    hall: str | None
    starts: dt.datetime
    ends: dt.datetime
    duration_minutes: int
    persons: list[PersonOut]
    links: list[LinkOut] = Field(description="The schedule's links (slides, related pages...)")
    url: str | None = Field(description="The event's page, when the schedule gives one")
    stream_url: str | None = Field(description="The room's live stream (HLS or a file)")
    recording_url: str | None = Field(description="Where the recording is once the event has ended")
    status: ProgrammeStatus = Field(description="At the server's clock: ended, now (under way), next (the next to "
                                                "start in its room) or later")


class ProgrammeOut(Model):
    conference: ConferenceOut | None = Field(description="None: this expo has no programme")
    now: dt.datetime = Field(description="The server's clock, which `status` is computed at")
    clusters: list[ClusterOut]
    rooms: list[ProgrammeRoomOut]
    events: list[ProgrammeEventOut] = Field(description="By start, then room")


class BookmarksIn(Model):
    events: list[Guid] = Field(max_length=500, description="The guids of the events to keep (replaces the set)")


class ConflictOut(Model):
    first: str = Field(description="The guid of the earlier event")
    second: str
    overlap_minutes: int


class BookmarksOut(Model):
    events: list[str] = Field(description="Guids of the bookmarked events in the programme, by start")
    conflicts: list[ConflictOut] = Field(description="Bookmarked events that overlap in time")


class CalendarFeedOut(Model):
    url: str = Field(description="The feed of the user's agenda (.ics): the bookmarked events and the reminded "
                                 "webinars, without a token: keep it secret. A new one replaces the last, which "
                                 "stops working")


class ReminderIn(Model):
    """A stand webinar, as its exhibitor's package names it."""

    exhibitor_id: str = Field(min_length=1, max_length=200)
    starts: AwareDatetime = Field(description="The webinar's start, with its offset")
    title: str = Field(min_length=1, max_length=500)


class RemindersIn(Model):
    webinars: list[ReminderIn] = Field(max_length=500, description="The webinars to remind of (replaces the set)")


class RemindersOut(Model):
    webinars: list[WebinarOut] = Field(description="The reminded webinars that stands hold, by start")


QUESTION_MAX = 500


class QuestionState(StrEnum):
    queued = "queued"  # waiting for a moderator
    visible = "visible"
    archived = "archived"  # dismissed or put away: never shown to visitors


def _question_text(text: str) -> str:
    text = check_text(text, multiline=True)
    if not text:
        raise ValueError("the question is empty")
    return text


QuestionText = Annotated[str, Field(min_length=1, max_length=QUESTION_MAX,
                                    description=TEXT_RULES + "; line breaks kept"), AfterValidator(_question_text)]


class QuestionIn(Model):
    text: QuestionText
    anonymous: bool = Field(False, description="Hide the asker's name from other visitors (moderators see it)")
    client_id: UUID = Field(description="A UUID made by the client per question; a retry returns the original")


class QuestionChange(Model):
    """A moderator's change: approve (state visible), dismiss (archived), edit the text, pin ("now answering": one
    per event) or unpin, mark answered (which unpins)."""

    state: QuestionState | None = None
    text: QuestionText | None = None
    pinned: bool | None = None
    answered: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> QuestionChange:
        if self.state is None and self.text is None and self.pinned is None and self.answered is None:
            raise ValueError("give at least one of state, text, pinned, answered")
        return self


class QuestionOut(Model):
    id: int
    event_guid: str
    text: str
    state: QuestionState
    answered: bool
    pinned: bool = Field(description="Being answered now")
    votes: int
    anonymous: bool
    author_name: str | None = Field(description="None when anonymous, except for moderators")
    author_id: int | None = Field(description="For moderators only")
    created_at: dt.datetime
    edited: bool = Field(description="A moderator changed the text")


class QuestionList(Model):
    questions: list[QuestionOut] = Field(description="Oldest first: visible ones and your own waiting ones (for "
                                                     "moderators: all)")
    has_more: bool = Field(description="Older questions exist (ask with `before`)")
    seq: int = Field(description="Poll with `after` = this to hear of changes from now on")
    mine: list[int] = Field(description="Ids of your own questions among these")
    voted: list[int] = Field(description="Ids of the questions among these you voted for")
    moderator: bool = Field(description="You moderate this event's Q&A")


class QuestionPage(Model):
    questions: list[QuestionOut] = Field(description="Questions new or changed since `after`, in the order changed")
    removed: list[int] = Field(description="Ids of questions no longer shown (dismissed after being visible)")
    seq: int = Field(description="Poll again with `after` = this")
    has_more: bool = Field(description="More changes follow: poll again at once")
