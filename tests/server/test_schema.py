"""Schemathesis over the whole OpenAPI schema, against the real server: no server errors, and every
answer (status code, content type, headers, body) as the schema documents it."""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.server.conftest import fresh_db_url, start_server

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def live(expo_dirs, tmp_path_factory):
    server = start_server(fresh_db_url("sqlite", tmp_path_factory.mktemp("schema")), expo_dirs,
                          poll_max_wait=0.05, poll_recheck=0.05)
    yield server
    server.embedded.stop()


def test_the_openapi_schema_lists_every_route_under_api_v1(live):
    schema = live.anonymous().session.get(live.url + "/openapi.json").json()
    assert schema["paths"] and all(path.startswith("/api/v1/") for path in schema["paths"])
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            ok = [code for code in operation["responses"] if code.startswith("2")]
            assert ok, f"{method} {path} documents no success answer"


def test_schemathesis_finds_no_server_error_and_no_answer_off_schema(live):
    schema = schemathesis.openapi.from_url(live.url + "/openapi.json")
    visitor, representative = live.visitor(), live.representative("alpha")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for token in (visitor.token, representative.token):
            try:
                fuzz(operation, live.url, {"Authorization": f"Bearer {token}"})
            except Exception as exc:  # noqa: BLE001  # collect every operation's failure, then report them all
                failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def fuzz(operation: schemathesis.APIOperation, base_url: str, headers: dict[str, str]) -> None:
    @hypothesis.settings(max_examples=15, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(case=operation.as_strategy())
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    check()
