"""``GET /api/v1/search`` — full-text search with filters and facets."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from gazette.backends.base import SearchQuery
from gazette.model import Status
from search_api.deps import ArchiveDep, run_blocking
from search_api.schemas import SearchResponse

router = APIRouter(tags=["search"])

MAX_PAGE = 1000


async def search_query(
    q: Annotated[str, Query(max_length=200, description="检索词; quoted parts are phrases. Never engine syntax.")] = "",
    status: Annotated[Status | None, Query(description="valid (有效) / repealed (废止) / expired (失效), as of `as_of`.")] = None,
    issuer: Annotated[str | None, Query(max_length=100, description="发文机关, exact.")] = None,
    doc_type: Annotated[str | None, Query(max_length=50, description="文种, e.g. 通知, 办法.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Year of the 发文字号 (else 成文日期).")] = None,
    date_from: Annotated[dt.date | None, Query(description="Earliest 成文日期, YYYY-MM-DD.")] = None,
    date_to: Annotated[dt.date | None, Query(description="Latest 成文日期, YYYY-MM-DD.")] = None,
    doc_number_prefix: Annotated[str | None, Query(max_length=30, description="机关代字, e.g. 静政发.")] = None,
    normative_only: Annotated[bool, Query(description="Only 行政规范性文件.")] = False,
    sort: Annotated[Literal["relevance", "date"], Query(description="relevance or date (newest first).")] = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 10,
    as_of: Annotated[dt.date | None, Query(description="Evaluate status at this date (default today).")] = None,
) -> SearchQuery:
    """Map query parameters onto :class:`SearchQuery`, which validates them again
    (its constraints are the contract every backend relies on). Public searches never
    set ``include_private``. ``async`` because it does not block (see
    :func:`search_api.deps.get_archive`)."""
    try:
        return SearchQuery(
            q=q,
            status=status,
            issuer=issuer or None,
            doc_type=doc_type or None,
            year=year,
            date_from=date_from,
            date_to=date_to,
            doc_number_prefix=doc_number_prefix or None,
            normative_only=normative_only,
            sort=sort,
            page=page,
            size=size,
            as_of=as_of,
        )
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]) from exc


SearchQueryDep = Annotated[SearchQuery, Depends(search_query)]


def page_count(total: int, size: int) -> int:
    return min(MAX_PAGE, math.ceil(total / size)) if total else 0


@router.get("/search", response_model=SearchResponse, summary="Search documents (检索)")
async def search(request: Request, archive: ArchiveDep, query: SearchQueryDep) -> SearchResponse:
    """Full-text search over public documents, with status evaluated as of `as_of`.

    Highlights (`highlights`, `title_highlight`) are HTML-escaped text with matches in
    `<mark>`. Facets count all matches, per status, issuer, year and doc_type.
    """
    result = await run_blocking(request, archive.search, query)
    return SearchResponse(
        total=result.total,
        page=query.page,
        size=query.size,
        pages=page_count(result.total, query.size),
        as_of=query.effective_as_of,
        hits=result.hits,
        facets=result.facets,
    )
