"""Every error answers JSON with a `detail` message (ErrorOut): HTTP errors, invalid requests, and even bugs;
and the OpenAPI schema says so, operation by operation."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from expo_hall.server.schemas import ErrorItem, ErrorOut

log = logging.getLogger("expo_hall.server")

_DESCRIPTIONS = {
    400: "The body could not be read (not UTF-8 text)", 401: "Missing, unknown or revoked token",
    403: "The token's role may not do this", 404: "No such thing", 409: "Conflict with the stored state",
    413: "The request body is over the server's limit (refused unread)",
    422: "Invalid request (each field's fault listed)",
    429: "Too many requests from this token or address: try again after `Retry-After` seconds",
}
_HEADERS = {
    401: {"WWW-Authenticate": {"description": "`Bearer`", "required": True, "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait before trying again", "required": True,
                          "schema": {"type": "integer", "minimum": 0}}},
}
_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers an endpoint gives (401, 413 and 422 are added where they apply)."""
    return {code: {"model": ErrorOut, "description": _DESCRIPTIONS[code], **_headers(code)} for code in codes}


def _headers(code: int) -> dict[str, Any]:
    return {"headers": _HEADERS[code]} if code in _HEADERS else {}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Complete FastAPI's schema with the error answers every operation can give, as ErrorOut bodies: 401
    wherever a token is taken, 400 (FastAPI's answer to an undecodable body) and 413 wherever a body is,
    and 422 wherever FastAPI validates (its own HTTPValidationError model, which this server never answers
    with, replaced)."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            answers = operation["responses"]
            codes = {422} if "422" in answers else set()
            codes |= {401} if operation.get("security") else set()
            codes |= {400, 413} if "requestBody" in operation else set()
            for code in codes:
                answers[str(code)] = {"description": _DESCRIPTIONS[code], "content": _ERROR_REF, **_headers(code)}
            operation["responses"] = dict(sorted(answers.items()))
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def unknown_token() -> JSONResponse:
    return JSONResponse({"detail": "unknown token"}, status_code=401, headers={"WWW-Authenticate": "Bearer"})


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


async def _user_gone(request: Request) -> bool:
    """Whether the request's user was deleted or revoked while their token was cached (then a write that
    refers to them fails); their token is forgotten then."""
    who = getattr(request.state, "principal", None)
    if who is None:
        return False
    try:
        return not await request.app.state.server.tokens.still_valid(who.id)
    except SQLAlchemyError:  # the database cannot say: the fault stands as it is
        return False


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    if await _user_gone(request):
        return unknown_token()
    log.exception("unexpected error in %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal server error"}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(SQLAlchemyError, _bug)  # here, not only below: answered, not re-raised to uvicorn
    app.add_exception_handler(Exception, _bug)
