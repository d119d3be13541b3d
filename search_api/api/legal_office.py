"""The legal office's routes (法制机构): audited writes and authenticated reads.

Every route here needs ``Authorization: Bearer <token>`` (see :mod:`search_api.auth`):
401 without one, 403 with one that is not configured. Writes are rate-limited per
token and answer with the updated document as :class:`AdminDocument`, history
included; each is recorded as an event whose ``actor`` is the token's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from search_api import legal_office
from search_api.auth import ActorDep, TokenRoute, WriteRoute
from search_api.deps import ArchiveDep
from search_api.errors import AUTH_RESPONSES, WRITE_RESPONSES, ErrorResponse
from search_api.schemas import (
    AdminDocument,
    DocumentPatch,
    ExpiryChange,
    ReviewList,
    StatusChange,
)

DocId = Annotated[str, Path(max_length=64, description="Document id, e.g. d3f9a0c41b2e7d8a.")]

writes = APIRouter(prefix="/documents", tags=["legal office"], route_class=WriteRoute, responses=WRITE_RESPONSES)
reads = APIRouter(prefix="/admin", tags=["legal office"], route_class=TokenRoute, responses=AUTH_RESPONSES)


@writes.post("/{doc_id}/status", response_model=AdminDocument, summary="Set status (废止／失效／恢复有效)",
             responses={409: {"model": ErrorResponse, "description": "Already valid (无需恢复)"}})
def set_status(archive: ArchiveDep, actor: ActorDep, doc_id: DocId, body: StatusChange) -> AdminDocument:
    """Repeal, declare expired, or restore (`valid`) a document from `date`, with the
    cause and the basis (`basis_document_id`, or `basis_doc_number` for a document
    that may not be archived). Appends an event; earlier history is never changed, so
    `as_of` dates before `date` keep their status."""
    doc = legal_office.change_status(archive, doc_id, body, actor)
    return legal_office.admin_view(archive, doc)


@writes.post("/{doc_id}/expiry", response_model=AdminDocument, summary="Set validity period (设定有效期)")
def set_expiry(archive: ArchiveDep, actor: ActorDep, doc_id: DocId, body: ExpiryChange) -> AdminDocument:
    """State or change the last day in force (`expiry_date`; null: no stated period),
    applying from `date`. Recorded as an `expiry_set` event; the document expires at
    the end of `expiry_date`. Takes the document off the review list."""
    doc = legal_office.set_expiry(archive, doc_id, body, actor)
    return legal_office.admin_view(archive, doc)


def _correct(archive, actor: str, doc_id: str, body: DocumentPatch) -> AdminDocument:
    doc = legal_office.correct_document(archive, doc_id, body, actor)
    return legal_office.admin_view(archive, doc)


@writes.patch("/{doc_id}", response_model=AdminDocument, summary="Correct a document's record (更正文件信息)")
def patch_document(archive: ArchiveDep, actor: ActorDep, doc_id: DocId, body: DocumentPatch) -> AdminDocument:
    """Change only the fields sent: 统一登记号, disclosure (公开属性), title, doc_type,
    dates, issuers, 发文字号… The old and new values are kept in a `metadata` event.
    Fields equal to the record are ignored; when none differs nothing is recorded."""
    return _correct(archive, actor, doc_id, body)


@writes.put("/{doc_id}", response_model=AdminDocument, summary="Correct a document's record (same as PATCH)")
def put_document(archive: ArchiveDep, actor: ActorDep, doc_id: DocId, body: DocumentPatch) -> AdminDocument:
    """The same partial correction as PATCH, for clients that cannot send PATCH. The
    text and the history cannot be replaced: fields not sent are left as they are."""
    return _correct(archive, actor, doc_id, body)


@reads.get("/documents/{doc_id}", response_model=AdminDocument, summary="Any document, unmasked (内部查阅)")
def admin_document(
    archive: ArchiveDep,
    actor: ActorDep,
    doc_id: DocId,
    as_of: Annotated[dt.date | None, Query(description="Status at this date (default today).")] = None,
) -> AdminDocument:
    """A document whatever its disclosure (依申请公开 and 不予公开 included), with the
    original text before personal data was masked (`original`) and the mask log."""
    return legal_office.admin_document(archive, doc_id, as_of)


@reads.get("/review", response_model=ReviewList, summary="Awaiting review (待审查)")
def review(archive: ArchiveDep, actor: ActorDep) -> ReviewList:
    """Normative documents without a stated validity period (flag
    `no_validity_period`) and repeal clauses whose target was not found."""
    return legal_office.review_list(archive)
