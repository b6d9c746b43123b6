"""Typed results of the API (/api/v1): plain frozen dataclasses built from its JSON.

Every URL in them (`url`, `*_url` fields) is made absolute against the server's address, so it can
be handed to `ApiClient.download`, a video player or a browser as it is. Fields the server adds
later are ignored; a missing required field is a `BadResponse`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
import uuid
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urljoin

from expo_hall.net.errors import BadResponse

T = TypeVar("T")


@dataclass(frozen=True)
class Health:
    status: str
    version: str


# --- content --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FloorFile:
    path: str  # relative to the .tmx's folder, as the .tmx refers to it
    url: str


@dataclass(frozen=True)
class StandInfo:
    number: str
    exhibitor_id: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PointInfo:
    name: str
    x: float
    y: float
    to_floor: str | None = None
    to_point: str | None = None


@dataclass(frozen=True)
class FloorInfo:
    floor_id: str
    title: str
    title_en: str | None
    order: int
    width: int
    height: int
    tile_width: int
    tile_height: int
    map_url: str  # the .tmx; files[0] is the same file
    files: tuple[FloorFile, ...]
    stands: tuple[StandInfo, ...] = ()
    points: tuple[PointInfo, ...] = ()


@dataclass(frozen=True)
class ContactsInfo:
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None
    messengers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MaterialInfo:
    index: int
    title: str
    url: str  # this server's file, or the external URL when file_name is None
    title_en: str | None = None
    file_name: str | None = None
    content_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class VideoInfo:
    url: str
    external: bool
    content_type: str | None = None


@dataclass(frozen=True)
class WebinarInfo:
    exhibitor_id: str
    exhibitor_name: str
    title: str
    starts: dt.datetime  # timezone-aware
    ends: dt.datetime
    duration_minutes: int
    status: str  # "upcoming", "live", "ended" (by the server's clock)
    title_en: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ExhibitorSummary:
    exhibitor_id: str
    name: str
    room_id: int  # the stand's public chat room
    name_en: str | None = None
    category: str | None = None
    category_en: str | None = None
    floor_id: str | None = None
    stand_number: str | None = None
    logo_url: str | None = None


@dataclass(frozen=True)
class ExhibitorDetails(ExhibitorSummary):
    description: str = ""
    description_en: str | None = None
    away_message: str | None = None
    contacts: ContactsInfo = field(default_factory=ContactsInfo)
    video: VideoInfo | None = None
    materials: tuple[MaterialInfo, ...] = ()
    webinars: tuple[WebinarInfo, ...] = ()


# --- identity, route, visits ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Me:
    id: int
    role: str  # "visitor", "representative", "organizer"
    display_name: str
    organisation: str | None = None
    email: str | None = None
    stand_id: str | None = None  # a representative's stand
    available: bool = False


@dataclass(frozen=True)
class Registration:
    token: str  # keep it (the app's settings): it is who the visitor is, and it is shown only once
    me: Me


@dataclass(frozen=True)
class VisitedStand:
    exhibitor_id: str
    first_at: dt.datetime
    last_at: dt.datetime
    visits: int


@dataclass(frozen=True)
class Route:
    version: int
    planned: tuple[str, ...] = ()
    visited: tuple[VisitedStand, ...] = ()


@dataclass(frozen=True)
class Visit:
    exhibitor_id: str
    at: dt.datetime


@dataclass(frozen=True)
class StandStats:
    exhibitor_id: str
    visits: int
    unique_visitors: int
    conversations: int
    public_messages: int
    private_messages: int
    downloads: int = 0  # of the stand's material files (0 from a server that does not count them)

    @property
    def chat_messages(self) -> int:
        return self.public_messages + self.private_messages


# --- chat ------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Message:
    id: int
    room_id: int
    author_name: str
    author_role: str  # "visitor", "representative", "organizer", or "stand" (the automatic away answer)
    text: str
    created_at: dt.datetime
    author_id: int | None = None
    author_stand_id: str | None = None
    client_id: uuid.UUID | None = None


@dataclass(frozen=True)
class MessagePage:
    messages: tuple[Message, ...]  # oldest first
    has_more: bool = False  # history: older ones exist; poll: newer ones wait, poll again at once

    @property
    def last_id(self) -> int | None:
        return self.messages[-1].id if self.messages else None


@dataclass(frozen=True)
class Sent:
    message: Message
    created: bool  # False: a retried send, answered with the message stored before


@dataclass(frozen=True)
class Conversation:
    room_id: int
    stand_id: str
    visitor_id: int
    visitor_name: str
    message_count: int
    visitor_organisation: str | None = None
    last_message_id: int | None = None


# --- leads: a visitor's contact shared with a stand -------------------------------------------------------------------

@dataclass(frozen=True)
class Lead:
    id: int
    exhibitor_id: str
    visitor_id: int
    name: str
    created_at: dt.datetime  # first shared
    updated_at: dt.datetime  # last shared
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SharedLead:
    lead: Lead
    created: bool  # False: the visitor had shared with this stand before, and the lead was updated


# --- JSON -> dataclasses ---------------------------------------------------------------------------------------------

def parse(cls: type[T], data: Any, base_url: str = "") -> T:
    """Build `cls` from decoded JSON; URLs are resolved against `base_url`."""
    try:
        return _convert(cls, data, base_url, "")
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise BadResponse(f"unexpected answer for {cls.__name__}: {exc}") from exc


def parse_list(cls: type[T], data: Any, base_url: str = "") -> list[T]:
    if not isinstance(data, list):
        raise BadResponse(f"expected a list of {cls.__name__}, got {type(data).__name__}")
    return [parse(cls, item, base_url) for item in data]


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, value: Any, base: str, name: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if value is None else _convert(options[0], value, base, name)
    if value is None:
        raise ValueError(f"{name or tp} must not be null")
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise TypeError(f"{tp.__name__} expects an object, not {type(value).__name__}")
        hints = _hints(tp)
        kwargs = {f.name: _convert(hints[f.name], value[f.name], base, f.name)
                  for f in dataclasses.fields(tp) if f.name in value}
        return tp(**kwargs)
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(_convert(item, v, base, name) for v in value)
    if origin is dict:
        return {str(k): str(v) for k, v in dict(value).items()}
    if tp is dt.datetime:
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(f"{name}: {value!r} has no time zone")
        return parsed
    if tp is uuid.UUID:
        return uuid.UUID(str(value))
    if tp is str:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be text")
        return urljoin(base, value) if base and (name == "url" or name.endswith("_url")) else value
    if tp is bool:
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be a whole number")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{name} must be a number")
        return float(value)
    raise TypeError(f"cannot convert to {tp}")
