"""Document routes: one document, lookup by 发文字号, batch check, original PDF.

The fixed paths (``by-number``, ``check``) are declared before ``/{doc_id}`` so they
are never taken for a document id.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse

from gazette.errors import QueryError
from search_api import services
from search_api.deps import ArchiveDep
from search_api.errors import ErrorResponse
from search_api.schemas import (
    CheckItem,
    CheckRequest,
    CheckResponse,
    DocumentDetail,
    DocumentSummary,
    EventOut,
    NumberLookup,
    RelationsOut,
    StatusNow,
    detail_fields,
)

router = APIRouter(prefix="/documents", tags=["documents"])

DocId = Annotated[str, Path(max_length=64, description="Document id, e.g. d3f9a0c41b2e7d8a.")]
MAX_ITEM_LENGTH = 300


@router.get("/by-number", response_model=NumberLookup, summary="Look up by 发文字号 (按文号查找)")
def by_number(
    archive: ArchiveDep,
    number: Annotated[str, Query(min_length=1, max_length=100, description="发文字号 as typed, e.g. 静政发[2022]8号.")],
) -> NumberLookup:
    """Every public document with this 发文字号, however it was typed: 〔〕 [] （） 【】 ［］
    brackets, 静政发2022年8号, full-width digits, with or without 号. An unparseable
    number is a 400; a well-formed number with no document gives an empty list."""
    normalized, docs = services.lookup_number(archive, number)
    if normalized is None and not docs:
        from gazette.docnumber import doc_number_key

        if doc_number_key(number) is None:
            raise QueryError(f"无法识别的发文字号：{number} (not a document number: {number})")
    return NumberLookup(query=number, normalized=normalized, documents=[DocumentSummary.from_document(d) for d in docs])


@router.post(
    "/check",
    response_model=CheckResponse,
    summary="Check cited documents (批量核对)",
    responses={413: {"model": ErrorResponse, "description": "Request body too large (请求体过大)"}},
)
def check(archive: ArchiveDep, body: CheckRequest) -> CheckResponse:
    """For each item (a 发文字号 or a title, e.g. every document a draft cites): the
    matching public documents with their status, or `not_found`. At most 500 items of
    at most 300 characters each."""
    for i, item in enumerate(body.items):
        if len(item) > MAX_ITEM_LENGTH:
            raise QueryError(f"第 {i + 1} 项超过 {MAX_ITEM_LENGTH} 个字符 (item {i + 1} is too long)")
    outcomes = [services.check_item(archive, item) for item in body.items]
    items = [
        CheckItem(
            input=o.input,
            kind=o.kind,
            normalized=o.normalized,
            result=o.result,
            matches=[DocumentSummary.from_document(d) for d in o.matches],
        )
        for o in outcomes
    ]
    found = sum(1 for o in outcomes if o.matches)
    return CheckResponse(items=items, found=found, not_found=len(items) - found)


@router.get("/{doc_id}", response_model=DocumentDetail, summary="One document (文件详情)")
def get_document(
    archive: ArchiveDep,
    doc_id: DocId,
    as_of: Annotated[dt.date | None, Query(description="Status at this date (default today).")] = None,
) -> DocumentDetail:
    """Metadata, text, attachments, status history, status at `as_of`, and relations
    (repeals, repealed_by, cites, cited_by). A non-public document is a 404."""
    view = services.document_view(archive, doc_id, as_of)
    doc = view.doc
    return DocumentDetail(
        **detail_fields(doc),
        status_now=StatusNow.from_view(view.status, view.as_of, view.basis_id is not None),
        events=[EventOut.from_event(ev, ev.basis_document_id in view.public_ids) for ev in doc.events],
        relations=RelationsOut.from_relations(view.relations),
    )


@router.get(
    "/{doc_id}/pdf",
    response_class=FileResponse,
    summary="Original PDF of a document (原件)",
    responses={200: {"content": {"application/pdf": {}}, "description": "The PDF file."}},
)
def document_pdf(archive: ArchiveDep, doc_id: DocId) -> FileResponse:
    """The original PDF the document was ingested from (for a gazette article, the
    whole issue; its `pages` say where the article is)."""
    path, name = services.document_pdf(archive, doc_id)
    return FileResponse(path, media_type="application/pdf", filename=name, content_disposition_type="inline")
