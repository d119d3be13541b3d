"""The one error shape of the API, and the handlers that produce it.

Every error answered under ``/api/`` (and every non-page path) is JSON of this shape,
whatever raised it — a route, FastAPI's validation, Starlette's routing, the archive,
or a bug::

    {"error": {"code": "invalid_parameter", "message": "参数 size 无效：…", "status": 400}}

``code`` is stable and machine-readable (the ``code`` of :mod:`gazette.errors` classes,
or one of ``invalid_parameter``, ``not_found``, ``method_not_allowed``,
``unauthorized``, ``forbidden``, ``conflict``, ``payload_too_large``,
``too_many_requests``, ``internal_error``…); ``message`` is for people, Chinese first with the English in
brackets; ``status`` repeats the HTTP status. Web pages get the same information as an
HTML page (see :func:`install_error_handlers`).

Errors the API itself decides (authentication, rate limits, body size) are raised as
:class:`ApiError`, an HTTP exception that names its ``code``; their headers
(``WWW-Authenticate``, ``Retry-After``) are kept.

Mapping of the project's exceptions: :class:`~gazette.errors.NotFound` → 404,
:class:`~gazette.errors.QueryError` and :class:`~gazette.errors.ParseError` → 400,
:class:`~gazette.errors.BackendUnavailable` → 503; any other error → 500 with a generic
message. Request validation errors are 400 (never 422) and name the bad parameter.
Tracebacks and internal messages are logged, never sent.
"""

from __future__ import annotations

import http
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gazette.errors import (
    BackendUnavailable,
    GazetteError,
    NotFound,
    ParseError,
    QueryError,
)

log = logging.getLogger("search_api")

VALIDATION_STATUS = 400


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. invalid_parameter, not_found.")
    message: str = Field(description="Human-readable message (Chinese, with English in brackets).")
    status: int = Field(description="The HTTP status code of the response.")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


#: OpenAPI ``responses`` declared on every API route.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid parameter or query (参数错误)"},
    404: {"model": ErrorResponse, "description": "Not found, or not public (未找到)"},
    500: {"model": ErrorResponse, "description": "Internal error (服务器内部错误)"},
    503: {"model": ErrorResponse, "description": "Search backend unavailable (检索服务暂不可用)"},
}

#: OpenAPI ``responses`` of routes that need a token.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No bearer token (缺少令牌); see WWW-Authenticate"},
    403: {"model": ErrorResponse, "description": "Token not accepted (令牌无效)"},
}

#: OpenAPI ``responses`` of routes that change the archive.
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **AUTH_RESPONSES,
    413: {"model": ErrorResponse, "description": "Request body too large (请求体过大)"},
    429: {"model": ErrorResponse, "description": "Too many writes with this token (写入过于频繁); see Retry-After"},
}


class ApiError(StarletteHTTPException):
    """An HTTP error decided by the API, with its stable ``code`` for the error shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code

_STATUS_OF: tuple[tuple[type[GazetteError], int], ...] = (
    (NotFound, 404),
    (QueryError, 400),
    (ParseError, 400),
    (BackendUnavailable, 503),
)

_GENERIC = {
    400: "请求无效 (bad request)",
    401: "需要令牌 (authentication required)",
    403: "无权执行此操作 (forbidden)",
    404: "未找到 (not found)",
    405: "不支持该请求方法 (method not allowed)",
    413: "请求体过大 (request body too large)",
    429: "请求过于频繁，请稍后再试 (too many requests)",
    500: "服务器内部错误 (internal server error)",
    503: "服务暂不可用，请稍后再试 (service unavailable)",
}


def error_payload(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}


def status_for(exc: GazetteError) -> int:
    for cls, status in _STATUS_OF:
        if isinstance(exc, cls):
            return status
    return 500


def _code_for_status(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


# -- validation messages ---------------------------------------------------------

_ZH_REASONS: dict[str, str] = {
    "missing": "缺少此参数",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_inexact": "应为 YYYY-MM-DD 格式的日期",
    "date_type": "应为 YYYY-MM-DD 格式的日期",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "json_invalid": "请求体不是合法的 JSON",
    "model_attributes_type": "请求体格式不正确",
    "dict_type": "请求体格式不正确",
    "extra_forbidden": "不支持此参数",
}


def _zh_reason(err: dict[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "string_too_long":
        return f"长度不能超过 {ctx.get('max_length')} 个字符"
    if kind == "string_too_short":
        return f"长度不能少于 {ctx.get('min_length')} 个字符"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    if kind == "too_short":
        return f"至少 {ctx.get('min_length')} 项"
    if kind in ("enum", "literal_error") and ctx.get("expected"):
        return f"取值应为 {ctx['expected']}"
    return _ZH_REASONS.get(kind, "取值无效")


def _param_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header", "cookie")]
    return ".".join(parts) or "body"


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One readable line naming the first bad parameter, in Chinese and English."""
    if not errors:
        return "参数无效 (invalid parameter)"
    err = errors[0]
    name = _param_name(err.get("loc", ()))
    english = str(err.get("msg", "invalid value"))
    more = f"（另有 {len(errors) - 1} 处错误）" if len(errors) > 1 else ""
    return f"参数 {name} 无效：{_zh_reason(err)}{more} (invalid parameter {name}: {english})"


# -- handlers ----------------------------------------------------------------------

#: Renders an error as an HTML page for people: (request, status, code, message).
HtmlRenderer = Callable[[Request, int, str, str], Response]


def is_page_request(request: Request) -> bool:
    """Web pages answer errors in HTML; the API, feeds, files and docs answer in JSON."""
    path = request.url.path
    return not (
        path.startswith(("/api/", "/feeds/", "/docs/")) or path in ("/openapi.json", "/docs", "/redoc")
    )


def install_error_handlers(app: FastAPI, render_html: HtmlRenderer | None = None) -> None:
    """Register the handlers that give every error the one shape (see module docstring)."""

    def respond(request: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        if render_html is not None and is_page_request(request):
            try:
                return render_html(request, status, code, message)
            except Exception:  # the error page itself must not turn a 404 into a 500
                log.exception("error page failed to render")
        return JSONResponse(error_payload(status, code, message), status_code=status, headers=headers)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, VALIDATION_STATUS, "invalid_parameter", validation_message(list(exc.errors())))

    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != http.HTTPStatus(status).phrase else None
        message = detail or _GENERIC.get(status) or http.HTTPStatus(status).phrase
        headers = getattr(exc, "headers", None)
        code = exc.code if isinstance(exc, ApiError) else _code_for_status(status)
        return respond(request, status, code, message, headers)

    async def on_gazette(request: Request, exc: GazetteError) -> Response:
        status = status_for(exc)
        if status >= 500:
            log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
            return respond(request, status, exc.code if status == 503 else "internal_error", _GENERIC[status])
        return respond(request, status, exc.code, exc.message)

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(GazetteError, on_gazette)


class CatchAllMiddleware:
    """Turn any unhandled exception into the 500 error shape, without a traceback.

    Starlette's own catch-all re-raises after answering (so servers log it twice and
    test clients crash); this pure ASGI middleware answers and logs once. If the
    response has already started nothing can be sent, and the error is re-raised.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = JSONResponse(error_payload(500, "internal_error", _GENERIC[500]), status_code=500)
            await response(scope, receive, send)
