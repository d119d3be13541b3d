"""HTTP hardening as pure ASGI middleware: security headers, a request body limit,
and CORS for the public read API only.

Pure ASGI (not ``@app.middleware``) so that they also wrap the responses produced
outside the routes — the catch-all 500, a 413 answered before the app runs — and
add no task switching per request. :func:`search_api.app.create_app` stacks them:
security headers outermost, then CORS, then the body limit, then the catch-all.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.errors import ApiError, error_payload

#: Content-Security-Policy of the web pages: no scripts at all, styles from us only.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
#: Content-Security-Policy of everything that is not a page (JSON, feeds, files).
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
#: The interactive API docs load FastAPI's bundled script from a CDN: only framing and
#: base/plugin injection are restricted there.
DOCS_CSP = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
_DOCS = ("/docs", "/redoc")

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeadersMiddleware:
    """Add :data:`BASE_HEADERS` and a Content-Security-Policy to every response.

    A response that sets its own CSP (the standalone catalogue page, whose inline
    style is allowed by hash) keeps it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in BASE_HEADERS.items():
                    headers.setdefault(name, value)
                if "content-security-policy" not in headers:
                    if path in _DOCS or path.startswith("/docs/"):
                        csp = DOCS_CSP
                    elif headers.get("content-type", "").startswith("text/html"):
                        csp = PAGE_CSP
                    else:
                        csp = DATA_CSP
                    headers["Content-Security-Policy"] = csp
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "payload_too_large",
        f"请求体超过 {limit} 字节的上限 (request body larger than {limit} bytes)",
    )


class BodySizeLimitMiddleware:
    """Refuse request bodies larger than ``max_bytes`` with 413 in the error shape.

    A declared ``Content-Length`` over the limit is refused before the app runs; a
    body without one (chunked; a malformed one is the server's to refuse) is counted as it is read, and the read that crosses
    the limit raises :class:`~search_api.errors.ApiError`, which the app's handlers
    answer. (Starlette's own limit answers in plain text when a route never reads
    the body, hence this one.)
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            error = _too_large(self.max_bytes)
            response = JSONResponse(
                error_payload(413, error.code, error.detail), status_code=413, headers={"Connection": "close"}
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _too_large(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)


#: Methods a cross-origin script may use, on public read paths only.
_READ_METHODS = ("GET", "HEAD")


class ReadOnlyCORSMiddleware:
    """CORS for the public read API: any origin may GET, nobody may write.

    On paths where ``is_public_read(path)`` holds, GET/HEAD responses carry
    ``Access-Control-Allow-Origin: *`` (never with credentials) and a preflight for
    GET/HEAD is granted without extra request headers (so no ``Authorization``).
    Everything else — writes, the legal office's reads, pages — gets no CORS headers,
    and its preflights fall through to the app, which refuses them.
    """

    def __init__(self, app: ASGIApp, is_public_read: Callable[[str], bool], max_age: int = 86400) -> None:
        self.app = app
        self.is_public_read = is_public_read
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "origin" not in headers or not self.is_public_read(scope["path"]):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        requested = headers.get("access-control-request-method", "").upper()
        if method == "OPTIONS" and requested:
            if requested in _READ_METHODS:
                response = Response(
                    status_code=204,
                    headers={
                        "Access-Control-Allow-Origin": "*",
                        "Access-Control-Allow-Methods": ", ".join(_READ_METHODS),
                        "Access-Control-Max-Age": str(self.max_age),
                    },
                )
                await response(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        if method not in _READ_METHODS:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Access-Control-Allow-Origin"] = "*"
            await send(message)

        await self.app(scope, receive, send_with_cors)
