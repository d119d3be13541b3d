"""Schema-driven fuzzing of the JSON API: no input to any endpoint yields a 5xx.

schemathesis generates valid (positive) and invalid (negative) requests for every
operation of the OpenAPI document and runs them in-process against the ASGI app over
the shared fixture archive. Every response must be a non-5xx and conform to the
documented status codes, content types and schemas; every error must have the one
error shape. schemathesis' pytest plugin does not support pytest 9, so the cases are
drawn with hypothesis directly. ``max_examples`` is modest so the whole run stays
well under a minute; raise it locally with ``GAZETTE_TEST_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis import checks as st_checks

EXAMPLES = int(os.environ.get("GAZETTE_TEST_FUZZ_EXAMPLES", "40"))
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_schema_covers_every_route(operations):
    labels = {op.label for op in operations}
    assert {
        "GET /api/v1/search",
        "GET /api/v1/documents/{doc_id}",
        "GET /api/v1/documents/by-number",
        "POST /api/v1/documents/check",
        "GET /api/v1/gazettes",
        "GET /api/v1/gazettes/{year}/{issue}",
        "GET /api/v1/files/{sha256}.pdf",
    } <= labels


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_no_server_errors(operations, mode):
    cases_run = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            nonlocal cases_run
            cases_run += 1
            response = case.call_and_validate(checks=CHECKS)
            assert response.status_code < 500, (case.as_curl_command(), response.text)
            if response.status_code >= 400:
                body = response.json()
                assert set(body) == {"error"} and body["error"]["status"] == response.status_code

        try:
            run()
        except Unsatisfiable:
            # An operation without parameters or body has no invalid input to draw.
            assert mode is GenerationMode.NEGATIVE
    assert cases_run >= len(operations)
