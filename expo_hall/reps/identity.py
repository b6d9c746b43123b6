"""Who a representative's token is: checked with GET /me before the app uses it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from expo_hall.i18n import tr
from expo_hall.net import ApiClient, ApiError
from expo_hall.server.schemas import MeOut

log = logging.getLogger("expo_hall")
STAFF_ROLES = ("representative", "organizer")  # the stand's desk is theirs
SIGNED_ROLES = (*STAFF_ROLES, "moderator")  # roles a client signs in as (a moderator moderates the programme's Q&A)


class TokenRefused(Exception):
    """The token is not a representative's or an organizer's on this server. `reason`: "unknown" (the server
    does not know it), "visitor" (a visitor's token), "empty"; str() is the sentence to show."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(tr(f"reps.token_{reason}") + (f" ({detail})" if detail else ""))


def check_token(client: ApiClient, token: str) -> MeOut:
    """Who `token` is on `client`'s server (a probe of its own: `client` is not changed). Raises TokenRefused,
    or a NetError when the server cannot say (offline, 5xx)."""
    token = token.strip()
    if not token:
        raise TokenRefused("empty")
    if any(ch.isspace() or not ch.isprintable() for ch in token) or len(token) > 500:
        raise TokenRefused("unknown")
    probe = ApiClient(client.base_url, token, timeout=client.timeout, retry=client.retry)
    try:
        me = probe.me()
    except ApiError as exc:
        if exc.status in (401, 403):
            raise TokenRefused("unknown", exc.message) from None
        raise
    finally:
        probe.close()
    if me.role not in SIGNED_ROLES:
        raise TokenRefused("visitor")
    return me


def sign_in_with_token(backend: Any, token: str, as_visitor: Callable[[], None]) -> None:
    """`connect()` with --token: the client acts as the token's representative, organizer or moderator. A refused token
    is no crash: the visitor's identity is used (`as_visitor()`), and `backend.token_error` says why, for
    the login window the app opens."""
    client = backend.network.client
    try:
        me = check_token(client, token)
    except TokenRefused as exc:
        log.error("the token given with --token is refused: %s", exc)
        backend.token_error = exc
        as_visitor()
        return
    use_staff_token(backend, token.strip(), me)


def use_staff_token(backend: Any, token: str, me: MeOut) -> None:
    """From now on the app's client acts as `me` (checked with check_token)."""
    backend.network.client.token = token
    backend.me = me
    backend.visitor_name = me.display_name
    backend.token_error = None
    log.info("signed in as %s %r%s", me.role, me.display_name, f" of stand {me.stand_id}" if me.stand_id else "")


def staff_of(backend: Any) -> MeOut | None:
    """The representative or organizer the backend's client acts as, or None (a visitor)."""
    me = getattr(backend, "me", None)
    return me if me is not None and me.role in STAFF_ROLES else None
