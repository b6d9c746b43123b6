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

from expo_hall.content.limits import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    EMAIL_MAX,
    HANDLE_MAX,
    MESSAGE_MAX,
    PHONE_MAX,
    TITLE_MAX,
    URL_MAX,
)
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
    path: str = Field(description="Relative to the expo's root folder (the .tmx's own path too)")
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
    changes_seq: int = Field(0, description="The last stand change included: follow `/expo/changes` after it")


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


class RecommendedRouteOut(Model):
    route_id: str = Field(description="The file's name in the expo's routes/ folder, without .toml")
    title: str
    title_en: str | None
    description: str | None
    description_en: str | None
    stops: list[str] = Field(description="Exhibitor ids, in the order the organizers suggest walking them")


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


class DayCounts(Model):
    day: dt.date = Field(description="A day in the asked time zone")
    visits: int
    unique_visitors: int = Field(description="Visitors with a counted visit that day")
    chat_messages: int = Field(description="Messages in the stand's public room and private conversations")
    downloads: int
    leads: int = Field(description="Leads first shared that day")


class MaterialDownloads(Model):
    index: int = Field(description="The material's place in the stand's list, from 0")
    title: str
    title_en: str | None
    downloads: int


class StandSeries(Model):
    """The stand's statistics over time, for the exhibitor's charts."""

    exhibitor_id: str
    utc_offset_minutes: int = Field(description="The time zone days and hours are counted in")
    days: list[DayCounts] = Field(description="Every day from the first with activity to the last, zeros included "
                                              "(the last 366 at most)")
    hours: list[int] = Field(description="Visits by hour of the day (24 counts, 0 to 23 o'clock), over all days")
    materials: list[MaterialDownloads] = Field(description="Every material of the stand, in the stand's order")


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
    votes: dict[int, int] = Field(default_factory=dict, description="Streams only: question id -> its vote count, "
                                  "for questions whose only change since the stream last sent them is their votes")


# --- publishing: a representative's uploads and versions of their stand ------------------------------------------

UPLOAD_NAME_MAX = 200
STAND_LIST_MAX = 50  # materials, webinars or messengers in one stand


class UploadKind(StrEnum):
    logo = "logo"
    video = "video"
    material = "material"


class UploadOut(Model):
    sha256: Sha256 = Field(description="The file's content hash: what a publish refers to it by")
    kind: UploadKind
    name: str = Field(description="The name given, cleaned to a display name (never a path)")
    size: int
    content_type: str = Field(description="As its signature says (never taken from the name)")


def _optional_text(text: str | None) -> str | None:
    return None if text is None else check_text(text, multiline=True) or None


Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX, description=TEXT_RULES + "; one line"),
                  AfterValidator(_one_line)]
OptionalTitle = Annotated[str | None, Field(max_length=TITLE_MAX, description=TEXT_RULES + "; one line"),
                          AfterValidator(_optional_line)]
Link = Annotated[str | None, Field(max_length=URL_MAX, pattern=r"^https?://\S+$", description="An http(s) URL")]


class ContactsIn(Model):
    email: Annotated[str | None, Field(max_length=EMAIL_MAX), AfterValidator(_optional_line)] = None
    phone: Annotated[str | None, Field(max_length=PHONE_MAX), AfterValidator(_optional_line)] = None
    website: Annotated[str | None, Field(max_length=URL_MAX), AfterValidator(_optional_line)] = None
    address: Annotated[str | None, Field(max_length=ADDRESS_MAX), AfterValidator(_optional_text)] = None
    messengers: dict[Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_one_line)],
                     Annotated[str, Field(min_length=1, max_length=HANDLE_MAX), AfterValidator(_one_line)]] = Field(
        default_factory=dict, max_length=STAND_LIST_MAX)


class MaterialIn(Model):
    title: Title
    title_en: OptionalTitle = None
    file: Sha256 | None = Field(None, description="An uploaded material's sha256 (or give `url`)")
    url: Link = Field(None, description="An external link instead of a file")

    @model_validator(mode="after")
    def _one_source(self) -> MaterialIn:
        if (self.file is None) == (self.url is None):
            raise ValueError("a material has either a file or a url")
        return self


class WebinarIn(Model):
    title: Title
    title_en: OptionalTitle = None
    starts: dt.datetime = Field(description="With its time zone")
    duration_minutes: int = Field(ge=1, le=7 * 24 * 60)
    url: Link = None

    @model_validator(mode="after")
    def _zoned(self) -> WebinarIn:
        if self.starts.tzinfo is None:
            raise ValueError("starts needs a time zone (e.g. +03:00)")
        return self


class StandIn(Model):
    """A stand's content as its representative publishes it. The name, category and place stay the organizers';
    files are referred to by the sha256 their upload answered."""

    description: Annotated[str, Field(max_length=DESCRIPTION_MAX, description=TEXT_RULES + "; line breaks kept"),
                           AfterValidator(lambda t: check_text(t, multiline=True))] = ""
    description_en: Annotated[str | None, Field(max_length=DESCRIPTION_MAX), AfterValidator(_optional_text)] = None
    away_message: Annotated[str | None, Field(max_length=MESSAGE_MAX), AfterValidator(_optional_text)] = None
    logo: Sha256 | None = Field(None, description="An uploaded logo's sha256; none: a placeholder is drawn")
    video: Sha256 | None = Field(None, description="An uploaded video's sha256")
    video_url: Link = Field(None, description="An external video instead of an uploaded one")
    contacts: ContactsIn = Field(default_factory=ContactsIn)
    materials: list[MaterialIn] = Field(default_factory=list, max_length=STAND_LIST_MAX)
    webinars: list[WebinarIn] = Field(default_factory=list, max_length=STAND_LIST_MAX)

    @model_validator(mode="after")
    def _one_video(self) -> StandIn:
        if self.video is not None and self.video_url is not None:
            raise ValueError("a stand has either an uploaded video or a video_url, not both")
        return self


class VersionState(StrEnum):
    in_review = "in_review"  # waits for an organizer (the server runs with --review)
    live = "live"  # what visitors see
    rejected = "rejected"  # an organizer said no, with a reason
    replaced = "replaced"  # was live, or waited, until a newer version took its place


class VersionOut(Model):
    exhibitor_id: str
    number: int = Field(description="1 for the stand's first published version")
    author: str = Field(description="The representative who published it")
    created_at: dt.datetime
    state: VersionState
    reason: str | None = Field(description="Why an organizer rejected it")
    decided_at: dt.datetime | None = Field(description="When an organizer approved or rejected it")


class FindingOut(Model):
    severity: str = Field(description="error, warning or info")
    field: str | None = Field(description="Where in the stand: `description`, `materials[2].file`...")
    code: str = Field(description="Explained in docs/checks.md")
    message: str
    fix: str | None


class PublishOut(Model):
    version: VersionOut
    findings: list[FindingOut] = Field(description="What the checks said that does not stop a publish (warnings, "
                                                   "notes); errors answer 422")


class VersionList(Model):
    exhibitor_id: str
    review: bool = Field(description="New versions wait for an organizer's review before they go live")
    versions: list[VersionOut] = Field(description="Newest first")


class ReviewIn(Model):
    reason: Annotated[str | None, Field(max_length=MESSAGE_MAX, description="Why (required to reject)"),
                      AfterValidator(_optional_text)] = None


class ReviewList(Model):
    versions: list[VersionOut] = Field(description="Waiting for review, oldest first")


class StandChange(Model):
    exhibitor_id: str
    version: int
    seq: int


class StandChanges(Model):
    changes: list[StandChange] = Field(description="Stands whose content changed after `after`, in order")
    seq: int = Field(description="Poll again with `after` = this")
