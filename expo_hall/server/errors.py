"""Every error answers JSON with a `detail` message: HTTP errors, invalid requests, and even bugs."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from expo_hall.server.schemas import ErrorItem, ErrorOut

log = logging.getLogger("expo_hall.server")

_DESCRIPTIONS = {
    401: "Missing or unknown token", 403: "The token's role may not do this",
    404: "No such thing", 409: "Conflict with the stored state", 422: "Invalid request (each field's fault listed)",
    413: "The request body is over the server's limit (refused unread)",
    429: "Too many requests from this token or address: try again after Retry-After seconds",
}


_HEADERS = {429: {"Retry-After": {"description": "Seconds to wait before trying again", "required": True,
                                   "schema": {"type": "integer", "minimum": 1}}}}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers an endpoint gives."""
    return {code: {"model": ErrorOut, "description": _DESCRIPTIONS[code], **({"headers": _HEADERS[code]}
                                                                              if code in _HEADERS else {})}
            for code in codes}


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "request"


async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
    items = [ErrorItem(loc=[p if isinstance(p, int) else str(p) for p in e.get("loc", ())], msg=str(e.get("msg", "")),
                       type=str(e.get("type", ""))) for e in exc.errors()]
    detail = "; ".join(f"{_where(tuple(i.loc))}: {i.msg}" for i in items) or "invalid request"
    return JSONResponse(ErrorOut(detail=detail, errors=items).model_dump(), status_code=422)


async def _database_down(_request: Request, exc: OperationalError) -> JSONResponse:
    log.error("database error: %s", exc)
    return JSONResponse({"detail": "the database is unavailable; try again shortly"}, status_code=503)


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error in %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal server error"}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(Exception, _bug)
