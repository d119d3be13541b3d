"""The legal office's side of the API: audited writes and authenticated reads.

Writes go through :meth:`Archive.record_event` and :meth:`Archive.update_document`,
which record each change as an append-only event in the same transaction as the
change (so concurrent writes cannot lose one another); this module only validates a
request against the document and resolves the basis document. Every write names the
token's holder as its ``actor``.

Free text a write publishes (an event's ``cause``) is shown on public pages, feeds and
catalogues, so personal data in it is masked with :func:`gazette.privacy.mask` before
it is recorded — the same rule the archive applies to document text.

Reads here ignore the disclosure rule: they serve any document, with its original
(unmasked) text and the log of what was masked. Only token-holders reach them.
"""

from __future__ import annotations

import datetime as dt

from gazette import privacy
from gazette.archive import Archive
from gazette.docnumber import doc_number_key, parse_doc_number
from gazette.errors import NotFound, QueryError
from gazette.model import Document, Status, StatusEvent
from gazette.relations import relations_of
from gazette.status import effective_expiry, status_at
from search_api.errors import ApiError
from search_api.schemas import (
    API_PREFIX,
    AdminDocument,
    AdminEventOut,
    DocumentPatch,
    DocumentSummary,
    ExpiryChange,
    MaskOut,
    OriginalText,
    RelationsOut,
    ReviewDocument,
    ReviewList,
    StatusChange,
    StatusNow,
    UnresolvedRepeal,
    detail_fields,
)

#: The event kind each requested status is recorded as.
EVENT_KIND = {"repealed": "repealed", "expired": "expired", "valid": "restored"}


def admin_url(doc_id: str) -> str:
    return f"{API_PREFIX}/admin/documents/{doc_id}"


def _number_of(doc: Document) -> str | None:
    return doc.doc_number.text if doc.doc_number else doc.doc_number_raw


def _mask(archive: Archive, text: str) -> str:
    masked, _ = privacy.mask(text, official_numbers=frozenset(archive.settings.official_numbers))
    return masked


def _get(archive: Archive, doc_id: str) -> Document:
    try:
        return archive.get(doc_id)
    except NotFound:
        raise NotFound(f"没有编号为 {doc_id} 的文件 (no document {doc_id})") from None


def resolve_basis(
    archive: Archive, doc_id: str, basis_document_id: str | None, basis_doc_number: str | None
) -> tuple[str | None, str | None]:
    """``(basis_document_id, basis_doc_number)`` for an event on ``doc_id``.

    An id must name an archived document other than ``doc_id`` (its 发文字号 is taken
    from it, and must agree with a number also given). A number alone must parse; it is
    linked to the archived document carrying it when there is exactly one. A basis
    outside the archive (a provincial decision, say) is kept by number only.
    """
    if basis_document_id:
        if basis_document_id == doc_id:
            raise QueryError("文件不能作为自身的依据 (a document cannot be its own basis)")
        try:
            basis = archive.get(basis_document_id)
        except NotFound:
            raise QueryError(f"依据文件 {basis_document_id} 不存在 (no basis document {basis_document_id})") from None
        number = _number_of(basis)
        if basis_doc_number and doc_number_key(basis_doc_number) != doc_number_key(number or ""):
            raise QueryError(
                f"依据文号 {basis_doc_number} 与依据文件不符 (basis_doc_number does not match basis_document_id)"
            )
        return basis.id, number or basis_doc_number
    if basis_doc_number:
        parsed = parse_doc_number(basis_doc_number)
        if parsed is None:
            raise QueryError(f"无法识别的发文字号：{basis_doc_number} (not a document number)")
        matches = [d for d in archive.find_by_number(parsed.text) if d.id != doc_id]
        return (matches[0].id if len(matches) == 1 else None), parsed.text
    return None, None


def _not_before_written(doc: Document, day: dt.date) -> None:
    if doc.written_date and day < doc.written_date:
        raise QueryError(
            f"日期 {day} 早于成文日期 {doc.written_date} (date {day} is before the document was written)"
        )


def change_status(archive: Archive, doc_id: str, change: StatusChange, actor: str) -> Document:
    """Record a repeal, an expiry or a restoration of ``doc_id`` from ``change.date``.

    Restoring a document that is valid on that date is a 409: there is nothing to undo.
    """
    doc = _get(archive, doc_id)
    _not_before_written(doc, change.date)
    kind = EVENT_KIND[change.status]
    if kind == "restored" and status_at(doc, change.date).status is Status.valid:
        raise ApiError(409, "conflict", f"该文件在 {change.date} 本为有效，无需恢复 (already valid on {change.date})")
    basis_id, basis_number = resolve_basis(archive, doc_id, change.basis_document_id, change.basis_doc_number)
    return archive.record_event(
        StatusEvent(
            document_id=doc_id,
            kind=kind,
            date=change.date,
            cause=_mask(archive, change.cause),
            basis_document_id=basis_id,
            basis_doc_number=basis_number,
            actor=actor,
        )
    )


def set_expiry(archive: Archive, doc_id: str, change: ExpiryChange, actor: str) -> Document:
    """Record an ``expiry_set`` event: the stated period ends on ``change.expiry_date``
    (null: no stated period), applying from ``change.date`` (default today)."""
    doc = _get(archive, doc_id)
    start = doc.effective_date or doc.written_date
    if change.expiry_date and start and change.expiry_date < start:
        raise QueryError(
            f"有效期至 {change.expiry_date} 早于施行日期 {start} (expiry_date is before the document took effect)"
        )
    basis_id, basis_number = resolve_basis(archive, doc_id, change.basis_document_id, change.basis_doc_number)
    return archive.record_event(
        StatusEvent(
            document_id=doc_id,
            kind="expiry_set",
            date=change.date or dt.date.today(),
            cause=_mask(archive, change.cause),
            basis_document_id=basis_id,
            basis_doc_number=basis_number,
            actor=actor,
            data={"expiry_date": change.expiry_date.isoformat() if change.expiry_date else None},
        )
    )


def _current(doc: Document, field: str):
    if field == "doc_number":
        return _number_of(doc)
    value = getattr(doc, field)
    return list(value) if isinstance(value, list) else value


def correct_document(archive: Archive, doc_id: str, patch: DocumentPatch, actor: str) -> Document:
    """Apply the fields of ``patch`` that differ from the record, as one audited
    ``metadata`` event. Nothing differing: the document is returned, nothing recorded."""
    doc = _get(archive, doc_id)
    changes = patch.changes()
    if not changes:
        raise QueryError("请求体中没有要更正的字段 (no field to change)")
    if changes.get("doc_number"):
        parsed = parse_doc_number(changes["doc_number"])
        if parsed is None:
            raise QueryError(f"无法识别的发文字号：{changes['doc_number']} (not a document number)")
        changes["doc_number"] = parsed.text
    changed = {k: v for k, v in changes.items() if _current(doc, k) != v}
    if not changed:
        return doc
    return archive.update_document(doc_id, changed, actor=actor, cause=_mask(archive, patch.cause))


# -- authenticated reads -------------------------------------------------------------


def admin_document(archive: Archive, doc_id: str, as_of: dt.date | None = None) -> AdminDocument:
    """Any document, whatever its disclosure, with original text and mask log."""
    return admin_view(archive, _get(archive, doc_id), as_of)


def admin_view(archive: Archive, doc: Document, as_of: dt.date | None = None) -> AdminDocument:
    day = as_of or dt.date.today()
    view = status_at(doc, day)
    original = archive.store.original_text(doc.id)
    return AdminDocument(
        **detail_fields(doc),
        status_now=StatusNow.from_view(view, day, True),
        events=[AdminEventOut.from_event(ev) for ev in doc.events],
        relations=RelationsOut.from_relations(relations_of(archive, doc, include_private=True)),
        disclosure=doc.disclosure,
        flags=doc.flags,
        original=OriginalText.model_validate(original) if original else None,
        masks=[MaskOut.model_validate(m) for m in archive.store.masks(doc.id)],
    )


def review_list(archive: Archive) -> ReviewList:
    """Normative documents flagged ``no_validity_period`` that have no stated expiry and
    no expiry decision yet, and repeal clauses whose target is unresolved."""
    flagged = [
        ReviewDocument(**DocumentSummary.from_document(d).model_dump(), disclosure=d.disclosure, flags=d.flags)
        for d in archive.store.iter_documents()
        if d.is_normative
        and "no_validity_period" in d.flags
        and effective_expiry(d) is None
        and not any(ev.kind == "expiry_set" for ev in d.events)
    ]
    titles: dict[str, str | None] = {}
    unresolved = []
    for row in archive.unresolved_repeals():
        basis_id = row["basis_document_id"]
        if basis_id not in titles:
            try:
                titles[basis_id] = archive.get(basis_id).title
            except NotFound:
                titles[basis_id] = None
        unresolved.append(
            UnresolvedRepeal(
                **row,
                basis_title=titles[basis_id],
                basis_url=admin_url(basis_id) if titles[basis_id] is not None else None,
            )
        )
    return ReviewList(no_validity_period=flagged, unresolved_repeals=unresolved)
