"""One JSON error shape for every error (after datasette's tests/test_error_shape.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gazette.archive import Archive
from gazette.errors import BackendUnavailable, IntegrityError, QueryError
from search_api.app import create_app


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "status"}
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert "Traceback" not in response.text
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "code", "param"),
    [
        ("get", "/api/v1/search?size=101", {}, 400, "invalid_parameter", "size"),
        ("get", "/api/v1/search?size=0", {}, 400, "invalid_parameter", "size"),
        ("get", "/api/v1/search?page=1001", {}, 400, "invalid_parameter", "page"),
        ("get", "/api/v1/search?page=abc", {}, 400, "invalid_parameter", "page"),
        ("get", "/api/v1/search?q=" + "长" * 201, {}, 400, "invalid_parameter", "q"),
        ("get", "/api/v1/search?date_from=2023-13-01", {}, 400, "invalid_parameter", "date_from"),
        ("get", "/api/v1/search?date_to=yesterday", {}, 400, "invalid_parameter", "date_to"),
        ("get", "/api/v1/search?status=gone", {}, 400, "invalid_parameter", "status"),
        ("get", "/api/v1/search?sort=random", {}, 400, "invalid_parameter", "sort"),
        ("get", "/api/v1/search?year=99999999999999999999", {}, 400, "invalid_parameter", "year"),
        ("get", "/api/v1/documents/by-number", {}, 400, "invalid_parameter", "number"),
        ("get", "/api/v1/documents/nope?as_of=soon", {}, 400, "invalid_parameter", "as_of"),
        ("get", "/api/v1/documents/nope", {}, 404, "not_found", None),
        ("get", "/api/v1/gazettes/2023/x", {}, 400, "invalid_parameter", "issue"),
        ("get", "/api/v1/no/such/route", {}, 404, "not_found", None),
        ("post", "/api/v1/search", {}, 405, "method_not_allowed", None),
        ("post", "/api/v1/documents/check", {"json": {"items": "x"}}, 400, "invalid_parameter", "items"),
        ("post", "/api/v1/documents/check", {"json": {}}, 400, "invalid_parameter", "items"),
        ("post", "/api/v1/documents/x/status", {"json": {}}, 401, "unauthorized", None),
        ("patch", "/api/v1/documents/x", {"json": {}, "headers": {"Authorization": "Bearer no"}}, 403, "forbidden", None),
        ("get", "/api/v1/admin/review", {}, 401, "unauthorized", None),
        ("get", "/api/v1/catalogue?format=doc", {}, 400, "invalid_parameter", "format"),
        ("get", "/feeds/status.atom?status=gone", {}, 400, "invalid_parameter", "status"),
        ("post", "/api/v1/documents/check", {"content": b"x" * (2 << 20)}, 413, "payload_too_large", None),
    ],
)
def test_errors_have_one_shape(client, method, url, kwargs, status, code, param):
    error = assert_error_shape(getattr(client, method)(url, **kwargs), status, code)
    if param:
        assert param in error["message"]
        assert "参数" in error["message"]  # Chinese first, English in brackets


class _Broken:
    """A backend double whose search raises a chosen exception."""

    name = "broken"

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def search(self, query):
        raise self.exc

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (QueryError("bad query"), 400, "invalid_query"),
        (BackendUnavailable("es down at http://10.0.0.1:9200"), 503, "backend_unavailable"),
        (IntegrityError("index out of step at /secret/path"), 500, "internal_error"),
        (RuntimeError("boom at /secret/path"), 500, "internal_error"),
    ],
)
def test_backend_errors_map_to_statuses_without_leaking(tmp_path, exc, status, code):
    from gazette.settings import Settings

    archive = Archive(Settings(home=tmp_path), backend=_Broken(exc))
    with TestClient(create_app(archive=archive)) as client:
        error = assert_error_shape(client.get("/api/v1/search", params={"q": "x"}), status, code)
    if status >= 500:
        assert "/secret/path" not in error["message"] and "10.0.0.1" not in error["message"]
    archive.close()


def test_pages_answer_errors_in_html(client):
    r = client.get("/documents/nope")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "未找到" in r.text


def test_openapi_documents_the_error_shape(client):
    schema = client.get("/openapi.json").json()
    op = schema["paths"]["/api/v1/search"]["get"]
    assert "422" not in op["responses"]
    assert op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
