"""Serving content files from the content store: Starlette's FileResponse does Range (206, 416), ETag and
Last-Modified; this adds the conditional GET (304) that only its StaticFiles does, and makes the ETag the
content's SHA-256 (the stored copy's name), which the expo's bulk answer gives too. Behind nginx
(`Settings.media_redirect`) the node answers with X-Accel-Redirect and nginx sends the file itself."""

from __future__ import annotations

import os
from email.utils import parsedate_to_datetime

from fastapi import HTTPException, Request, Response
from fastapi.responses import FileResponse

from expo_hall.server.catalog import StoredFile

CACHE_CONTROL = "no-cache"  # keep a copy, but revalidate it (cheap: 304)


def file_response(request: Request, stored: StoredFile, download_name: str | None = None) -> Response:
    """The imported copy of a file (never the package's own file), typed by the name the package gave it."""
    try:
        stat = os.stat(stored.path)
    except OSError:
        raise HTTPException(404, "the file is missing on the server") from None
    headers = {"cache-control": CACHE_CONTROL}
    if stored.sha256:  # the content's own hash: the same on every worker and node, and across imports
        headers["etag"] = f'"{stored.sha256}"'
    response = FileResponse(stored.path, media_type=stored.content_type, stat_result=stat, filename=download_name,
                            headers=headers)
    if _not_modified(request, response):
        keep = ("etag", "last-modified", "cache-control")
        return Response(status_code=304, headers={k: response.headers[k] for k in keep})
    redirect = request.app.state.server.settings.media_redirect
    if redirect:  # nginx sends the bytes (Range included) from the same content folder; the node only decides
        keep = ("content-type", "content-disposition", "etag", "cache-control")
        return Response(headers={"x-accel-redirect": redirect + stored.path.name,
                                 **{k: response.headers[k] for k in keep if k in response.headers}})
    return response


def _not_modified(request: Request, response: Response) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:  # takes precedence over If-Modified-Since (RFC 9110 13.1.3)
        return etag_matches(if_none_match, response.headers["etag"])
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(response.headers["last-modified"]) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def etag_matches(if_none_match: str, *etags: str) -> bool:
    """Whether an If-None-Match header names one of `etags` (or is "*"); weak comparison, as RFC 9110 wants here."""
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or any(etag in tags for etag in etags)
