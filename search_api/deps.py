"""FastAPI dependencies shared by the API and the pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gazette.archive import Archive


def get_archive(request: Request) -> Archive:
    """The archive this application serves (set by :func:`search_api.app.create_app`)."""
    return request.app.state.archive


ArchiveDep = Annotated[Archive, Depends(get_archive)]
