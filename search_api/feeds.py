"""Atom feeds for subscribers: ``/feeds/documents.atom`` and ``/feeds/status.atom``.

The feeds are written by :mod:`gazette.feeds` (public documents only); this router
passes the filters and the site's own address, taken from the request so that links
in the feed point back at whatever host serves it. Errors are answered in the JSON
error shape, as for the API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from gazette import feeds
from gazette.model import Status
from search_api.deps import ArchiveDep
from search_api.errors import ERROR_RESPONSES

ATOM = "application/atom+xml"


class AtomResponse(Response):
    media_type = ATOM


#: The error responses, documented as JSON although the routes' own type is Atom
#: (FastAPI would otherwise give an error ``model`` the route's media type).
FEED_ERROR_RESPONSES = {
    status: {
        "description": response["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
    for status, response in ERROR_RESPONSES.items()
}

router = APIRouter(prefix="/feeds", tags=["feeds"], responses=FEED_ERROR_RESPONSES)

Issuer = Annotated[str | None, Query(max_length=100, description="发文机关, exact.")]


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/documents.atom", response_class=AtomResponse, summary="Newly published documents (新发布文件)",
            responses={200: {"content": {ATOM: {}}, "description": "An Atom feed."}})
def documents_feed(
    request: Request,
    archive: ArchiveDep,
    issuer: Issuer = None,
    status: Annotated[Status | None, Query(description="Only documents with this status today.")] = None,
) -> AtomResponse:
    """The 50 newest public documents, newest first."""
    body = feeds.documents_feed(archive.store, base_url=base_url(request), issuer=issuer or None, status=status)
    return AtomResponse(body)


@router.get("/status.atom", response_class=AtomResponse, summary="Validity changes (效力变化)",
            responses={200: {"content": {ATOM: {}}, "description": "An Atom feed."}})
def status_feed(
    request: Request,
    archive: ArchiveDep,
    issuer: Issuer = None,
    status: Annotated[Status | None, Query(description="Only changes to this status: repealed or expired.")] = None,
) -> AtomResponse:
    """The 50 latest repeals, expiries, restorations and validity-period changes of
    public documents, newest first."""
    body = feeds.status_changes_feed(archive.store, base_url=base_url(request), issuer=issuer or None, status=status)
    return AtomResponse(body)
