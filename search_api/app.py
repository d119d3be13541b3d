"""The FastAPI application: JSON API under ``/api/v1``, Atom feeds, web pages, static files.

:func:`create_app` is what ``gazette serve`` runs (through uvicorn) and what tests
build around their own archive. The application holds one
:class:`~gazette.archive.Archive`; the archive's store keeps one SQLite connection per
thread, so the synchronous routes FastAPI runs in its thread pool can share it.

The read API, feeds and pages are public; the legal office's routes need a token
(:mod:`search_api.auth`). Every response carries security headers, request bodies
are limited in size, and only the public read API answers cross-origin requests
(:mod:`search_api.middleware`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import gazette
from gazette.archive import Archive
from gazette.settings import Settings, get_settings
from search_api import api, feeds, pages
from search_api.errors import CatchAllMiddleware, install_error_handlers
from search_api.middleware import (
    BodySizeLimitMiddleware,
    ReadOnlyCORSMiddleware,
    SecurityHeadersMiddleware,
)
from search_api.ratelimit import SlidingWindowLimiter
from search_api.schemas import API_PREFIX

STATIC_DIR = Path(__file__).parent / "static"

#: Largest request body accepted (the API's bodies are small JSON documents).
MAX_BODY_BYTES = Settings.model_fields["max_request_bytes"].default

DESCRIPTION = """
检索静乐县人民政府公报和行政规范性文件，查看每份文件的效力状态（有效／废止／失效）。

Search the gazette and normative documents of the county government. Every error has
the shape `{"error": {"code": "...", "message": "...", "status": 400}}`. Only documents
whose disclosure is 主动公开 are served.

The legal office's routes (tag *legal office*) need `Authorization: Bearer <token>`:
401 without a token, 403 with a wrong one; writes are limited per token per minute
(429 with `Retry-After`) and each is recorded in the document's history with the
token's name. Request bodies are limited to 1 MB (413). Any origin may `GET` the read
API (CORS, without credentials); nothing else is open cross-origin.
"""


def is_public_read(path: str) -> bool:
    """Paths a script on another site may GET: the read API and the feeds."""
    if path.startswith(f"{API_PREFIX}/admin"):
        return False
    return path.startswith((f"{API_PREFIX}/", "/feeds/")) or path == "/openapi.json"



def create_app(
    settings: Settings | None = None, archive: Archive | None = None, *, max_body_bytes: int | None = None
) -> FastAPI:
    """Build the application over ``archive`` (or one opened from ``settings``).

    An archive passed in belongs to the caller and is not closed here; one opened here
    is closed when the application shuts down. ``settings`` (default: the archive's)
    supply the write tokens and the write rate.
    """
    settings = settings or (archive.settings if archive is not None else get_settings())
    owned = archive is None
    archive = archive or Archive(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.server_threads:
            # The synchronous routes run in anyio's default thread pool of this loop.
            to_thread.current_default_thread_limiter().total_tokens = settings.server_threads
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
    app.state.write_limiter = SlidingWindowLimiter(settings.write_rate_per_minute, window=60.0)

    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app, render_html=pages.render_error)
    _drop_validation_responses(app)

    # The last added is the outermost.
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes or settings.max_request_bytes)
    app.add_middleware(ReadOnlyCORSMiddleware, is_public_read=is_public_read)
    app.add_middleware(SecurityHeadersMiddleware)
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
