"""The API's answers as the client reads them: the server's own pydantic models (`expo_hall.server.schemas`),
validated here with the server's address, so every URL in them (`url`, `*_url`) is absolute and can be handed
to `ApiClient.download`, a video player or a browser as it is. Fields a newer server adds are ignored; a
missing or mistyped field is a `BadResponse`.

Only two results are the client's own: a send and a shared lead also say whether the server stored something
new (201) or answered a repeat (200).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from expo_hall.net.errors import BadResponse
from expo_hall.server.schemas import LeadOut, MessageOut

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Sent:
    message: MessageOut
    created: bool  # False: a retried send, answered with the message stored before


@dataclass(frozen=True)
class SharedLead:
    lead: LeadOut
    created: bool  # False: the visitor had shared with this stand before, and the lead was updated


def parse(cls: type[M], data: Any, base_url: str = "") -> M:  # noqa: ANN401 - decoded JSON
    """`cls` validated from decoded JSON; URLs are made absolute against `base_url`."""
    try:
        return cls.model_validate(data, extra="ignore", context={"base_url": base_url} if base_url else None)
    except ValidationError as exc:
        raise BadResponse(f"unexpected answer for {cls.__name__}: {_first(exc)}") from None


def parse_json(cls: type[M], text: bytes | str, base_url: str = "") -> M:
    """`cls` validated straight from JSON text (quicker than decoding first, for the bulk answer)."""
    try:
        return cls.model_validate_json(text, extra="ignore", context={"base_url": base_url} if base_url else None)
    except ValidationError as exc:
        raise BadResponse(f"unexpected answer for {cls.__name__}: {_first(exc)}") from None


def parse_list(cls: type[M], data: Any, base_url: str = "") -> list[M]:  # noqa: ANN401 - decoded JSON
    if not isinstance(data, list):
        raise BadResponse(f"expected a list of {cls.__name__}, got {type(data).__name__}")
    return [parse(cls, item, base_url) for item in data]


def _first(exc: ValidationError) -> str:
    """The first fault, named by where it is ("materials.0.size: Input should be a valid integer")."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "answer"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {error['msg']}{more}"
