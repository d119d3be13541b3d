"""FastAPI dependencies shared by the API and the pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gazette.archive import Archive


async def get_archive(request: Request) -> Archive:
    """The archive this application serves (set by :func:`search_api.app.create_app`).

    ``async`` because it does not block: FastAPI runs a plain ``def`` dependency in its
    thread pool, a hop between threads on every request."""
    return request.app.state.archive


ArchiveDep = Annotated[Archive, Depends(get_archive)]
