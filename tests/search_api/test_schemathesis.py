"""Schema-driven fuzzing of the JSON API and feeds: no input to any endpoint yields a 5xx.

schemathesis generates valid (positive) and invalid (negative) requests for every
operation of the OpenAPI document and runs them in-process against the ASGI app.
Every response must be a non-5xx and conform to the documented status codes, content
types and schemas; every error must have the one error shape. schemathesis' pytest
plugin does not support pytest 9, so the cases are drawn with hypothesis directly.

Anonymous runs cover every operation (the legal office's answer 401). Runs with a
valid token cover the legal office's operations over an archive of their own (the
writes change it), with the document id drawn from real ids half the time so that
fuzzed bodies reach real documents. ``max_examples`` is modest so the whole run stays
well under a minute; raise it locally with ``GAZETTE_TEST_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis import checks as st_checks

from gazette.auth import hash_token
from search_api.app import create_app
from tests.search_api.conftest import build_archive

EXAMPLES = int(os.environ.get("GAZETTE_TEST_FUZZ_EXAMPLES", "40"))
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
]
TOKEN = "fuzz-token"
LEGAL_OFFICE = "legal office"


@pytest.fixture(scope="module")
def operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    """An app with a token over an archive of its own, and that archive's fixture."""
    fx = build_archive(tmp_path_factory.mktemp("fuzz"))
    settings = fx.archive.settings.model_copy(
        update={"write_tokens": {"fuzzer": hash_token(TOKEN)}, "write_rate_per_minute": 100_000}
    )
    app = create_app(settings, fx.archive)
    with TestClient(app):
        yield app, fx
    fx.archive.close()


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
        "GET /api/v1/catalogue",
        "GET /feeds/documents.atom",
        "GET /feeds/status.atom",
        "POST /api/v1/documents/{doc_id}/status",
        "POST /api/v1/documents/{doc_id}/expiry",
        "PATCH /api/v1/documents/{doc_id}",
        "PUT /api/v1/documents/{doc_id}",
        "GET /api/v1/admin/documents/{doc_id}",
        "GET /api/v1/admin/review",
    } <= labels


DATE_FIELDS = {"date", "expiry_date", "written_date", "published_date", "effective_date"}


def _plausible(value):
    """A generated date moved into 1900–2100 (the API refuses others), so that
    positive cases on real documents get past validation and write."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"20{value[2:4]}{value[4:]}" if not value.startswith(("19", "20")) else value
    return value


def _run(operations, mode, *, headers=None, doc_ids=()) -> int:
    cases_run = 0
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode), real=st.sampled_from([None, *doc_ids]))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case, real):
            nonlocal cases_run
            cases_run += 1
            if real and "doc_id" in (case.path_parameters or {}) and mode is GenerationMode.POSITIVE:
                case.path_parameters["doc_id"] = real
                if isinstance(case.body, dict):
                    case.body = {k: _plausible(v) if k in DATE_FIELDS else v for k, v in case.body.items()}
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            assert response.status_code < 500, (case.as_curl_command(), response.text)
            if response.status_code >= 400:
                body = response.json()
                assert set(body) == {"error"} and body["error"]["status"] == response.status_code

        try:
            run()
        except Unsatisfiable:
            # An operation without parameters or body has no invalid input to draw.
            assert mode is GenerationMode.NEGATIVE
    print(f"schemathesis: {cases_run} cases over {len(operations)} operations ({mode.value})")
    return cases_run


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_no_server_errors(operations, mode):
    assert _run(operations, mode) >= len(operations)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_no_server_errors_with_a_token(writable, mode):
    app, fx = writable
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    ops = [r.ok() for r in schema.get_all_operations()]
    ops = [op for op in ops if LEGAL_OFFICE in (op.definition.raw.get("tags") or [])]
    assert len(ops) == 6
    ids = [fx.old.id, fx.new.id, fx.private.id, fx.expired.id]
    assert _run(ops, mode, headers={"Authorization": f"Bearer {TOKEN}"}, doc_ids=ids) >= len(ops)
