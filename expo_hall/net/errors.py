"""What a network call can raise: all are `NetError`s, so a caller may catch that one."""

from __future__ import annotations


class NetError(Exception):
    """Any failure of a call to the backend."""


class Offline(NetError):
    """The backend could not be reached: connection refused or reset, timeout, DNS failure."""


class ApiError(NetError):
    """The backend answered with an HTTP error (4xx, 5xx); `message` is the server's own `detail`."""

    def __init__(self, status: int, message: str, errors: list[dict] | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.errors = errors or []  # each invalid field of a 422 answer: {"loc": [...], "msg": ..., "type": ...}
        self.retry_after = retry_after  # seconds the server asked us to wait (its Retry-After), if it did

    @property
    def transient(self) -> bool:
        """Worth trying again later (the server is overloaded, restarting or behind a failing proxy)."""
        return self.status in (408, 429) or self.status >= 500


class Conflict(ApiError):
    """409: the stored state moved on (a route saved elsewhere; a client_id reused for another text)."""


class BadResponse(NetError):
    """The backend answered something this client cannot use (not JSON, a missing field, an unsafe path)."""


class Busy(NetError):
    """The worker's queue is full: the call was not started."""


def unreachable(error: BaseException) -> bool:
    """Whether an error means the backend is not there for us (what the online indicator shows)."""
    return isinstance(error, Offline) or (isinstance(error, ApiError) and error.status in (502, 503, 504))
