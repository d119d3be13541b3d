"""The FastAPI application: JSON API under ``/api/v1``, web pages, static files.

:func:`create_app` is what ``gazette serve`` runs (through uvicorn) and what tests
build around their own archive. The application holds one
:class:`~gazette.archive.Archive`; the archive's store keeps one SQLite connection per
thread, so the synchronous routes FastAPI runs in its thread pool can share it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

import gazette
from gazette.archive import Archive
from gazette.settings import Settings, get_settings
from search_api import api, pages
from search_api.errors import CatchAllMiddleware, install_error_handlers

STATIC_DIR = Path(__file__).parent / "static"

#: Content-Security-Policy of the web pages: no scripts at all, styles from us only.
PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

DESCRIPTION = """
检索静乐县人民政府公报和行政规范性文件，查看每份文件的效力状态（有效／废止／失效）。

Search the gazette and normative documents of the county government. Every error has
the shape `{"error": {"code": "...", "message": "...", "status": 400}}`. Only documents
whose disclosure is 主动公开 are served.
"""


def create_app(settings: Settings | None = None, archive: Archive | None = None) -> FastAPI:
    """Build the application over ``archive`` (or one opened from ``settings``).

    An archive passed in belongs to the caller and is not closed here; one opened here
    is closed when the application shuts down.
    """
    settings = settings or (archive.settings if archive is not None else get_settings())
    owned = archive is None
    archive = archive or Archive(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            archive.close()

    app = FastAPI(
        title=f"{settings.gazette_name} · 公报与规范性文件检索 API",
        version=gazette.__version__,
        description=DESCRIPTION,
        debug=False,  # tracebacks are never sent, whatever settings.debug says
        lifespan=lifespan,
    )
    app.state.archive = archive
    app.state.settings = settings

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app, render_html=pages.render_error)
    _drop_validation_responses(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.headers.get("content-type", "").startswith("text/html") and not request.url.path.startswith("/docs"):
            response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        return response

    app.add_middleware(CatchAllMiddleware)
    return app


def _drop_validation_responses(app: FastAPI) -> None:
    """Validation errors are answered as 400 with the error shape, not FastAPI's 422:
    make the OpenAPI document say so."""
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
