"""Floors with their map files, exhibitors and their stand content, webinars; all public."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.types import Message, Receive, Scope, Send

from expo_hall.server.auth import Principal
from expo_hall.server.bulk import gzip_etag
from expo_hall.server.catalog import ExhibitorEntry, FloorEntry
from expo_hall.server.errors import responses
from expo_hall.server.files import CACHE_CONTROL, etag_matches, file_response
from expo_hall.server.ratelimits import client_address, limit_downloads
from expo_hall.server.schemas import ExhibitorOut, ExhibitorSummary, ExpoOut, FloorOut, Health, WebinarOut
from expo_hall.server.state import VERSION, Server
from expo_hall.server.visits import record_download

router = APIRouter(tags=["content"])

ExhibitorId = Annotated[str, Path(max_length=200, description="The stand package's folder name")]
FILE_RESPONSES = {
    200: {"description": "The file", "content": {"*/*": {}}},
    206: {"description": "The requested byte range (Range: bytes=...)", "content": {"*/*": {}}},
    304: {"description": "Not modified since the If-None-Match / If-Modified-Since given"},
    416: {"description": "The range is outside the file", "content": {"text/plain": {}}},
    **responses(404),
}


async def exhibitor(server: Server, exhibitor_id: ExhibitorId) -> ExhibitorEntry:
    entry = server.catalog.exhibitors.get(exhibitor_id)
    if entry is None:
        raise HTTPException(404, f"no exhibitor {exhibitor_id!r}")
    return entry


async def floor(server: Server, floor_id: Annotated[str, Path(max_length=200)]) -> FloorEntry:
    entry = server.catalog.floors.get(floor_id)
    if entry is None:
        raise HTTPException(404, f"no floor {floor_id!r}")
    return entry


Exhibitor = Annotated[ExhibitorEntry, Depends(exhibitor)]
Floor = Annotated[FloorEntry, Depends(floor)]


@router.get("/health", response_model=Health)
async def health() -> Health:
    """Cheap liveness check: touches no database."""
    return Health(version=VERSION)


@router.get("/expo", response_class=Response, responses={
    200: {"model": ExpoOut, "description": "Every floor and every exhibitor's content (gzip when asked for)"},
    304: {"description": "Not modified since the If-None-Match given"}})
async def expo(request: Request, server: Server) -> Response:
    """The whole expo in one answer: every floor and every exhibitor with all its stand's content, as
    `/floors` and `/exhibitors/{id}` give them (webinar status by the server's clock). Its ETag changes when
    the content does or a webinar starts or ends: ask with If-None-Match to get 304 for a copy still current."""
    await run_in_threadpool(server.versions.sync)  # stands gone live through another worker
    now = server.settings.clock()
    headers = {"cache-control": CACHE_CONTROL, "vary": "Accept-Encoding"}
    if_none_match = request.headers.get("if-none-match")
    etag = server.expo.etag(now)
    if if_none_match is not None and etag_matches(if_none_match, etag, gzip_etag(etag)):
        return Response(status_code=304, headers={**headers, "etag": etag})
    answer = await run_in_threadpool(server.expo.render, now)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(answer.gzipped, media_type="application/json",
                        headers={**headers, "etag": answer.gzip_etag, "content-encoding": "gzip"})
    return Response(answer.body, media_type="application/json", headers={**headers, "etag": answer.etag})


@router.get("/expo/logos", response_class=Response, responses=FILE_RESPONSES)
async def logo_pack(request: Request, server: Server) -> Response:
    """Every exhibitor's logo in one zip, each named `<logo_sha256>.png`: for a client that has few of them."""
    pack = await run_in_threadpool(server.expo.logo_pack)
    if pack is None:
        raise HTTPException(404, "no exhibitor has a logo")
    return file_response(request, pack)


@router.get("/floors", response_model=list[FloorOut])
async def list_floors(server: Server) -> list[FloorOut]:
    """Every floor in order, with its stands, points and the URLs of its map files."""
    return [f.out for f in server.catalog.floors.values()]


@router.get("/floors/{floor_id}", response_model=FloorOut, responses=responses(404, 422))
async def get_floor(entry: Floor) -> FloorOut:
    return entry.out


@router.get("/floors/{floor_id}/files/{path:path}", response_class=Response, responses=FILE_RESPONSES)
async def floor_file(request: Request, entry: Floor, path: str) -> Response:
    """The .tmx or a file it references (tileset, image), at its path relative to the .tmx."""
    stored = entry.files.get(path)
    if stored is None:
        raise HTTPException(404, f"{path!r} is not a file of this floor's map")
    return file_response(request, stored)


@router.get("/exhibitors", response_model=list[ExhibitorSummary])
async def list_exhibitors(server: Server) -> list[ExhibitorSummary]:
    """Every exhibitor, by floor and stand number."""
    return [e.summary for e in server.catalog.exhibitors.values()]


@router.get("/exhibitors/{exhibitor_id}", response_model=ExhibitorOut, responses=responses(404, 422))
async def get_exhibitor(server: Server, entry: Exhibitor) -> ExhibitorOut:
    """The stand's content: description, contacts, video, materials, webinars (status by the server's clock)."""
    return entry.out(server.settings.clock())


@router.get("/exhibitors/{exhibitor_id}/logo", response_class=Response, responses=FILE_RESPONSES)
async def logo(request: Request, entry: Exhibitor) -> Response:
    if entry.logo is None:
        raise HTTPException(404, "this exhibitor has no logo")
    return file_response(request, entry.logo)


@router.get("/exhibitors/{exhibitor_id}/video", response_class=Response, responses=FILE_RESPONSES)
async def video(request: Request, entry: Exhibitor) -> Response:
    """The stand's video file; it streams and seeks with Range requests."""
    if entry.video is None:
        raise HTTPException(404, "this exhibitor has no video file (see `video.url` for an external one)")
    return file_response(request, entry.video)


@router.get("/exhibitors/{exhibitor_id}/materials/{index}", response_class=Response,
            responses={**FILE_RESPONSES, **responses(429)})
async def material(request: Request, server: Server, entry: Exhibitor, index: Annotated[int, Path(ge=0, le=10_000)],
                   who: Annotated[Principal | None, Depends(limit_downloads)]) -> Response:
    """A material file. A GET answered with its content (200, or 206 from the first byte) counts as a download in
    the stand's statistics, once a day per visitor (a request with their token) or else per client address."""
    if index >= len(entry.materials) or entry.materials[index] is None:
        raise HTTPException(404, f"no material file #{index} (an external material has only its URL)")
    stored = entry.materials[index]
    response = file_response(request, stored, download_name=stored.name)
    if request.method != "GET" or response.status_code != 200:  # 304: the client's copy is current
        return response
    stand_id, engine, now = entry.summary.exhibitor_id, server.engine, server.settings.clock()
    user_id, address = (who.id if who else None), client_address(request)
    return CountedResponse(response, lambda: run_in_threadpool(record_download, engine, stand_id, index, now, user_id,
                                                               address))


@router.get("/exhibitors/{exhibitor_id}/webinars", response_model=list[WebinarOut], responses=responses(404, 422))
async def exhibitor_webinars(server: Server, entry: Exhibitor) -> list[WebinarOut]:
    return entry.webinars_out(server.settings.clock())


@router.get("/webinars", response_model=list[WebinarOut])
async def programme(server: Server) -> list[WebinarOut]:
    """The whole expo's programme, sorted by start time."""
    return server.catalog.programme(server.settings.clock())


# --- counting downloads of materials -------------------------------------------------------------------------------

class CountedResponse(Response):
    """Sends `inner` as it is; when the answer it starts is the file's content (200, or a 206 from byte 0: a
    download's first request, not a resumed or seeking one), `count()` runs first, so the download is counted
    by the time the client sees it begin."""

    def __init__(self, inner: Response, count: Callable[[], Awaitable[object]]) -> None:
        self.inner = inner
        self.count = count
        self.status_code = inner.status_code
        self.background = inner.background
        self.raw_headers = inner.raw_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and _is_content(message):
                await self.count()
            await send(message)

        await self.inner(scope, receive, watch)


def _is_content(start: Message) -> bool:
    status = start.get("status")
    if status == 200:
        return True
    if status != 206:
        return False
    headers = {k.lower(): v for k, v in start.get("headers", ())}
    return headers.get(b"content-range", b"").startswith(b"bytes 0-")
