"""Moderated Q&A of programme events (see server/questions.py for the model and who may do what): the history, the
stream and the long poll of changes, asking, voting, and the moderators' changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Row

from expo_hall.server.auth import CurrentUser, Principal, forbid
from expo_hall.server.db import MAX_ID
from expo_hall.server.errors import responses
from expo_hall.server.questions import check_asker, no_question, visible_to
from expo_hall.server.ratelimits import limit_questions, limit_votes
from expo_hall.server.routes.chat import LastEventId, Limit, Timeout, stream_answer
from expo_hall.server.routes.programme import ProgrammeEvent, served
from expo_hall.server.schemas import QuestionChange, QuestionIn, QuestionList, QuestionOut, QuestionPage, QuestionState
from expo_hall.server.state import Server, ServerState
from expo_hall.server.stream import EventStream

router = APIRouter(tags=["questions"])

QuestionId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _moderates(server: ServerState, who: Principal, guid: str) -> bool:
    return who.moderates(served(server).hall_of(guid))


async def _question(server: ServerState, who: Principal, question_id: int) -> tuple[Row, bool]:
    """The question and whether `who` moderates it; 404 when it does not exist for them."""
    row = await run_in_threadpool(server.questions.question, question_id)
    if row is None or server.programme is None or server.programme.event(row.event_guid) is None:
        raise no_question(question_id)
    moderator = _moderates(server, who, row.event_guid)
    if not visible_to(row, who, moderator):
        raise no_question(question_id)
    return row, moderator


@router.get("/programme/events/{guid}/questions", response_model=QuestionList, responses=responses(401, 404, 422))
def history(server: Server, who: CurrentUser, event: ProgrammeEvent,
            limit: Annotated[int, Query(ge=1, le=1000)] = 200,
            before: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only ids below this")] = None,
            ) -> QuestionList:
    """The event's questions `who` may see (visitors: the visible ones and their own waiting ones; moderators:
    all), the newest `limit` below `before`, oldest first; then poll with `after` = `seq`."""
    return server.questions.history(event.guid, who, _moderates(server, who, event.guid), before, limit)


@router.get("/programme/events/{guid}/questions/poll", response_model=QuestionPage,
            responses=responses(401, 404, 422))
async def poll(server: Server, who: CurrentUser, event: ProgrammeEvent, limit: Limit = 100,
               after: Annotated[int, Query(ge=0, le=MAX_ID, description="The last `seq` seen")] = 0,
               timeout: Timeout = 25) -> Response:
    """Long poll: the questions changed after `after` (new, approved, voted, pinned, answered, edited; for
    visitors, ids of those dismissed after being shown), at once if there are any, else as soon as there are, else
    an empty page after `timeout` seconds."""
    body = await server.questions.poll(event.guid, _moderates(server, who, event.guid), after, limit, timeout)
    return Response(body, media_type="application/json")


@router.get("/programme/events/{guid}/questions/stream", response_class=Response,
            responses={**stream_answer("questions", "the seq of the last change", "QuestionPage"),
                       **responses(401, 404, 422)})
async def stream(server: Server, who: CurrentUser, event: ProgrammeEvent,
                 after: Annotated[int, Query(ge=0, le=MAX_ID, description="The last `seq` seen")] = 0,
                 last_event_id: LastEventId = None) -> EventStream:
    """The changes after `after` as a stream (as `/poll` gives them, each as it is made; vote counts at most about
    once a second), until the server closes it (after some minutes: resume with Last-Event-ID) or the token is
    revoked. Where streams cannot pass (a buffering proxy), long-poll `/poll` instead."""
    return EventStream(server.qa_hub, event.guid, _moderates(server, who, event.guid),
                       last_event_id if last_event_id is not None else after,
                       server.settings.stream_max_wait, lambda: server.tokens.holds(who.id))


@router.post("/programme/events/{guid}/questions", response_model=QuestionOut, status_code=201,
             dependencies=[Depends(limit_questions)],
             responses={200: {"model": QuestionOut, "description": "A retried question: the one asked before"},
                        **responses(401, 403, 404, 409, 413, 422, 429)})
async def ask(server: Server, who: CurrentUser, event: ProgrammeEvent, body: QuestionIn,
              response: Response) -> QuestionOut:
    """Ask (visitors and representatives); the question waits for a moderator. Idempotent by `client_id`."""
    check_asker(who)
    if server.settings.clock() >= event.ends:
        raise HTTPException(409, "the event has ended: its questions are closed")
    question, created = await server.questions.ask(event.guid, who, body)
    if not created:
        response.status_code = 200
    return question


@router.post("/programme/questions/{question_id}/vote", response_model=QuestionOut, status_code=201,
             dependencies=[Depends(limit_votes)],
             responses={200: {"model": QuestionOut, "description": "Voted before: counted once"},
                        **responses(401, 403, 404, 409, 422, 429)})
async def vote(server: Server, who: CurrentUser, question_id: QuestionId, response: Response) -> QuestionOut:
    """Vote for a visible question (visitors and representatives), once."""
    check_asker(who)
    row, _ = await _question(server, who, question_id)
    if row.state != QuestionState.visible:
        raise HTTPException(409, "the question waits for a moderator: it takes votes once shown")
    question, created = await server.questions.vote(row, who)
    if not created:
        response.status_code = 200
    return question


@router.patch("/programme/questions/{question_id}", response_model=QuestionOut,
              responses=responses(401, 403, 404, 409, 413, 422))
async def moderate(server: Server, who: CurrentUser, question_id: QuestionId, change: QuestionChange) -> QuestionOut:
    """Approve (`state` visible), dismiss (archived), edit `text`, pin or unpin, mark `answered`: the organizers and
    the moderators of the event's hall."""
    row, moderator = await _question(server, who, question_id)
    if not moderator:
        hall = served(server).hall_of(row.event_guid)
        raise forbid(f"only the organizers and the moderators of hall {hall or '(none)'} moderate these questions")
    return await server.questions.moderate(row, change)
