"""HTTP hardening (issue 8 item 4): security headers on every response, the request
body limit, and CORS for the public read API only."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gazette.archive import Archive
from gazette.settings import Settings
from search_api.app import MAX_BODY_BYTES, create_app
from search_api.middleware import PAGE_CSP
from tests.search_api.conftest import Fixture, auth
from tests.search_api.test_error_shape import _Broken, assert_error_shape

PATHS = [
    "/",
    "/gazettes",
    "/catalogue",
    "/documents/{old}",
    "/documents/nope",
    "/api/v1/search?q=城市规划",
    "/api/v1/documents/{old}",
    "/api/v1/documents/nope",
    "/api/v1/catalogue?format=csv",
    "/api/v1/catalogue?format=html",
    "/feeds/status.atom",
    "/static/site.css",
    "/openapi.json",
    "/docs",
]


def assert_security_headers(response) -> None:
    h = response.headers
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"
    assert h["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in h["content-security-policy"]


@pytest.mark.parametrize("path", PATHS)
def test_security_headers_on_every_response(client, fx: Fixture, path):
    assert_security_headers(client.get(path.format(old=fx.old.id)))


def test_pages_allow_no_script_at_all(client, fx: Fixture):
    for path in ("/", "/catalogue", f"/documents/{fx.xss.id}", "/gazettes/2023/1", "/documents/nope"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == PAGE_CSP
        assert "script-src" not in PAGE_CSP and "unsafe-inline" not in PAGE_CSP
        assert "<script" not in r.text  # nothing inline that the policy would block
        assert " style=" not in r.text and "<style" not in r.text


def test_error_responses_carry_headers_too(tmp_path, wclient):
    assert_security_headers(wclient.post("/api/v1/documents/x/status", json={}))  # 401
    archive = Archive(Settings(home=tmp_path), backend=_Broken(RuntimeError("boom")))
    with TestClient(create_app(archive=archive)) as c:
        r = c.get("/api/v1/search", params={"q": "x"})
        assert_error_shape(r, 500, "internal_error")
        assert_security_headers(r)
    archive.close()


# -- body size ------------------------------------------------------------------------------


def test_oversized_body_is_413_in_the_error_shape(client):
    big = b'{"items": ["' + b"x" * MAX_BODY_BYTES + b'"]}'
    r = client.post("/api/v1/documents/check", content=big, headers={"Content-Type": "application/json"})
    assert_error_shape(r, 413, "payload_too_large")
    assert_security_headers(r)
    # A body just under the limit is read (and judged on its content).
    ok = b'{"items": ["' + b"x" * (MAX_BODY_BYTES - 100) + b'"]}'
    r = client.post("/api/v1/documents/check", content=ok, headers={"Content-Type": "application/json"})
    assert r.status_code == 400  # the item is too long, not the body


def test_oversized_chunked_body_is_413(client):
    def chunks():
        for _ in range(20):
            yield b"x" * 100_000

    r = client.post("/api/v1/documents/check", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in r.request.headers
    assert_error_shape(r, 413, "payload_too_large")


def test_oversized_write_is_413(wclient, wfx: Fixture):
    body = b'{"status": "repealed", "date": "2024-01-01", "cause": "' + b"x" * MAX_BODY_BYTES + b'"}'
    r = wclient.post(
        f"/api/v1/documents/{wfx.old.id}/status", content=body, headers={**auth(), "Content-Type": "application/json"}
    )
    assert_error_shape(r, 413)


def test_body_limit_is_configurable(fx: Fixture):
    with TestClient(create_app(archive=fx.archive, max_body_bytes=100)) as c:
        r = c.post("/api/v1/documents/check", json={"items": ["静政发〔2019〕3号"] * 20})
        assert_error_shape(r, 413)
        assert c.post("/api/v1/documents/check", json={"items": ["静政发〔2019〕3号"]}).status_code == 200


# -- CORS ----------------------------------------------------------------------------------------

ORIGIN = {"Origin": "https://lawyer.example.com"}


@pytest.mark.parametrize(
    "path", ["/api/v1/search?q=x", "/api/v1/documents/{old}", "/api/v1/catalogue", "/feeds/documents.atom", "/api/v1/documents/nope"]
)
def test_any_origin_may_get_the_read_api(client, fx: Fixture, path):
    r = client.get(path.format(old=fx.old.id), headers=ORIGIN)
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers


def test_preflight_for_get_is_granted_without_extra_headers(client):
    r = client.options(
        "/api/v1/search",
        headers={**ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"},
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["access-control-allow-methods"] == "GET, HEAD"
    assert "access-control-allow-headers" not in r.headers  # so no Authorization cross-origin
    assert "access-control-allow-credentials" not in r.headers


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_never_open_cross_origin(wclient, wfx: Fixture, method):
    url = f"/api/v1/documents/{wfx.old.id}"
    preflight = wclient.options(url, headers={**ORIGIN, "Access-Control-Request-Method": method})
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code >= 400
    for path in (url, url + "/status", url + "/expiry"):
        r = wclient.request(method, path, json={}, headers={**ORIGIN, **auth()})
        assert "access-control-allow-origin" not in r.headers


def test_no_cors_for_the_legal_office_reads_or_pages(wclient, wfx: Fixture):
    for path in ("/api/v1/admin/review", f"/api/v1/admin/documents/{wfx.old.id}", "/", "/catalogue"):
        r = wclient.get(path, headers={**ORIGIN, **auth()})
        assert "access-control-allow-origin" not in r.headers, path
    r = wclient.options("/api/v1/admin/review", headers={**ORIGIN, "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in r.headers
    # The public POST (batch check) is not opened either.
    r = wclient.post("/api/v1/documents/check", json={"items": []}, headers=ORIGIN)
    assert "access-control-allow-origin" not in r.headers
