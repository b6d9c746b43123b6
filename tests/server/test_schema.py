"""Schemathesis over the whole OpenAPI schema, against the real server, as a visitor, a representative and an
organizer, with valid and invalid requests: no server errors, and every answer (status code, content type,
headers, body) as the schema documents it."""

from __future__ import annotations

import os
import re
import uuid
from collections import defaultdict

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from expo_hall.server.auth import create_user
from expo_hall.server.schemas import Role
from tests.programme.sample import OPENING, TEACHER
from tests.server.conftest import fresh_db_url, start_server

# Examples per operation and generation mode: the organizer, who gets furthest (and alone gets invalid input), gets
# the most; the other roles' answers turn mostly on the role and the ids in the path, which a few examples reach.
# EXPO_HALL_SCHEMA_EXAMPLES=N fuzzes N as every role (a deeper run, outside the suite's time budget).
EXAMPLES = int(os.environ.get("EXPO_HALL_SCHEMA_EXAMPLES", "12"))
OTHER_ROLES_EXAMPLES = int(os.environ.get("EXPO_HALL_SCHEMA_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
ERROR_OUT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
RATE_LIMITED = {("post", "/api/v1/visitors"), ("post", "/api/v1/rooms/{room_id}/messages"),
                ("post", "/api/v1/exhibitors/{exhibitor_id}/visits"),
                ("get", "/api/v1/exhibitors/{exhibitor_id}/materials/{index}"),
                ("post", "/api/v1/programme/events/{guid}/questions"),
                ("post", "/api/v1/programme/questions/{question_id}/vote")}


@pytest.fixture(scope="module")
def live(expo_dirs, tmp_path_factory):
    server = start_server(fresh_db_url("sqlite", tmp_path_factory.mktemp("schema")), expo_dirs,
                          poll_max_wait=0.05, poll_recheck=0.05, stream_max_wait=0.05, review=True)
    yield server
    server.embedded.stop()


def test_the_openapi_schema_documents_every_answer(live):
    schema = live.anonymous().session.get(live.url + "/openapi.json").json()
    assert schema["paths"] and all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "HTTPValidationError" not in str(schema) and "ValidationError" not in schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            where, answers = f"{method} {path}", operation["responses"]
            assert [code for code in answers if code.startswith("2")], f"{where} documents no success answer"
            for code, answer in answers.items():
                if code.startswith("4") and code != "416":
                    assert answer["content"] == ERROR_OUT, f"{where}: {code} is not an ErrorOut"
            expected = {"401"} if operation.get("security") else set()
            expected |= {"400", "413", "422"} if "requestBody" in operation else set()
            expected |= {"422"} if operation.get("parameters") else set()
            expected |= {"429"} if (method, path) in RATE_LIMITED else set()
            assert expected <= set(answers), f"{where} lacks {expected - set(answers)}"
            if "429" in answers:
                assert answers["429"]["headers"]["Retry-After"]["required"] is True
            if "401" in answers:
                assert answers["401"]["headers"]["WWW-Authenticate"]["required"] is True


def test_schemathesis_finds_no_server_error_and_no_answer_off_schema(live):
    """Each operation is fuzzed by fresh users of each role (an organizer may revoke a token on the way), with
    path parameters generated or taken from the expo's real ids, so the fuzz goes past 401, 403 and 404."""
    public_room, owner = live.room_of("alpha"), live.visitor("Хозяйка")
    private_room = owner.post("/exhibitors/alpha/conversation").json()["room_id"]
    owner.send(private_room, "личное")
    question = owner.post(f"/programme/events/{OPENING}/questions",
                          json={"text": "Вопрос", "client_id": str(uuid.uuid4())}).json()["id"]
    live.organizer().patch(f"/programme/questions/{question}", json={"state": "visible"})
    subscriber = live.visitor("Подписчица")  # not the owner, whom an organizer's fuzz may revoke first
    feed = subscriber.post("/me/programme/calendar").json()["url"].rsplit("/", 1)[1].removesuffix(".ics")
    for stand in ("beta", "gamma", "delta"):  # versions waiting for review, for the organizers' approve and reject
        assert live.representative(stand).post("/stand/versions", json={}).status_code == 201
    statuses: dict[str, set[int]] = defaultdict(set)
    uploaded = live.representative("alpha").post("/stand/uploads/material", params={"name": "a.pdf"},
                                                 data=b"%PDF-1.4\n%%EOF\n")  # fuzzed bytes are never a real file
    statuses["POST /api/v1/stand/uploads/{kind}"].add(uploaded.status_code)
    lead = live.visitor("Лида").post("/exhibitors/alpha/leads", json={"name": "Лида", "email": "lida@example.org"})
    statuses["POST /api/v1/exhibitors/{exhibitor_id}/leads"].add(lead.status_code)  # needs an e-mail or a phone
    # approve is fuzzed first and approves every version waiting: one is rejected here, by hand
    rejected = live.organizer().post("/exhibitors/beta/versions/1/reject", json={"reason": "Проба"})
    statuses["POST /api/v1/exhibitors/{exhibitor_id}/versions/{number}/reject"].add(rejected.status_code)
    known = {"exhibitor_id": ["alpha", "beta", "gamma", "delta"], "floor_id": ["main", "upper"],
             "path": ["maps/main.tmx", "maps/tiles/hall.png", "maps/tiles/upper.tsx"],
             "room_id": [public_room, private_room],
             "index": [0, 1], "user_id": [owner.get("/me").json()["id"]], "guid": [OPENING, TEACHER],
             "question_id": [question], "secret": [feed], "kind": ["logo", "video", "material"], "number": [1]}
    schema = schemathesis.openapi.from_url(live.url + "/openapi.json")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        takes_input = bool(operation.definition.raw.keys() & {"parameters", "requestBody"})
        for role in Role:
            token, _ = create_user(live.engine, role, f"Пробный {role.value}", live.clock(),
                                   stand_id="alpha" if role is Role.representative else None)
            headers = {"Authorization": f"Bearer {token}"}
            # Invalid input is refused before the role matters: it is fuzzed once, as the organizer, who gets
            # furthest; valid input as every role.
            invalid = takes_input and role is Role.organizer
            for mode in GenerationMode if invalid else [GenerationMode.POSITIVE]:
                try:
                    fuzz(cases(operation, mode, known), live.url, headers, statuses[operation.label],
                         EXAMPLES if role is Role.organizer else OTHER_ROLES_EXAMPLES)
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  # collect all failures, report them
                    failures.append(f"{operation.label} as {role.value}, {mode.value}: {exc}")
    assert not failures, "\n\n".join(failures)
    never_ok = sorted(label for label, seen in statuses.items() if not any(200 <= code < 300 for code in seen))
    assert not never_ok, f"never answered with success: {never_ok}"


def cases(operation: schemathesis.APIOperation, mode: GenerationMode, known: dict[str, list]) -> st.SearchStrategy:
    """Requests with every path parameter generated, or with the expo's real ids in the path."""
    generated = operation.as_strategy(mode)
    names = re.findall(r"{(\w+)}", operation.path)
    if not names:
        return generated
    real_ids = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
    return generated | real_ids.flatmap(lambda ids: operation.as_strategy(mode, path_parameters=ids))


def fuzz(strategy: st.SearchStrategy, base_url: str, headers: dict[str, str], statuses: set[int],
         examples: int) -> None:
    @hypothesis.settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(case=strategy)
    def check(case: schemathesis.Case) -> None:
        statuses.add(case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS).status_code)

    check()
