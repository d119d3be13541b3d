"""FastAPI dependencies shared by the API and the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from gazette.archive import Archive


async def get_archive(request: Request) -> Archive:
    """The archive this application serves (set by :func:`search_api.app.create_app`).

    ``async`` because it does not block: FastAPI runs a plain ``def`` dependency in its
    thread pool, a hop between threads on every request."""
    return request.app.state.archive


ArchiveDep = Annotated[Archive, Depends(get_archive)]

T = TypeVar("T")


async def run_blocking(request: Request, fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` where a synchronous route would run it: in the request thread pool,
    or, when a server process has one request thread (``server_threads`` = 1), on the
    event loop itself. One thread runs one request at a time either way; handing it
    over costs about 0.4 ms of CPU a request (two wake-ups across threads), a tenth of
    an uncached search at 100,000 documents. The loop then waits for ``fn`` as the
    other requests waited for the one thread."""
    if request.app.state.settings.server_threads == 1:
        return fn(*args)
    return await run_in_threadpool(fn, *args)
