"""Response models of the JSON API — what ``/docs`` documents and clients rely on.

They are views of the domain model (:mod:`gazette.model`), built by the ``from_*``
constructors so that routes stay thin. Field names are snake_case English; the
``*_label`` fields carry the Chinese words shown to people (有效/废止/失效).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from gazette.backends.base import SearchHit
from gazette.model import (
    STATUS_LABELS,
    Attachment,
    Disclosure,
    Document,
    GazetteIssue,
    Status,
    StatusEvent,
)
from gazette.relations import Related, Relations
from gazette.status import StatusView, effective_expiry

API_PREFIX = "/api/v1"


def document_url(doc_id: str) -> str:
    return f"{API_PREFIX}/documents/{doc_id}"


def issue_url(year: int, issue: int) -> str:
    return f"{API_PREFIX}/gazettes/{year}/{issue}"


def file_url(sha256: str) -> str:
    return f"{API_PREFIX}/files/{sha256}.pdf"


def detail_fields(doc: Document) -> dict:
    """Fields shared by every full view of a document (public and legal-office)."""
    return {
        **DocumentSummary.from_document(doc).model_dump(),
        "registration_number": doc.registration_number,
        "signer": doc.signer,
        "addressee": doc.addressee,
        "cc": doc.cc,
        "printed_by": doc.printed_by,
        "note": doc.note,
        "validity_sentence": doc.validity_sentence,
        "section": doc.section,
        "pages": doc.pages,
        "pdf_url": file_url(doc.sha256) if doc.sha256 else None,
        "paragraphs": doc.paragraphs,
        "attachments": doc.attachments,
    }


class DocumentSummary(BaseModel):
    """A document in a list: enough to show it and its status without another call."""

    id: str
    url: str
    title: str
    doc_number: str | None = Field(default=None, description="发文字号 in normal form (or as printed).")
    issuers: list[str] = Field(default_factory=list)
    doc_type: str | None = None
    is_normative: bool = False
    written_date: dt.date | None = None
    published_date: dt.date | None = None
    effective_date: dt.date | None = None
    expiry_date: dt.date | None = Field(
        default=None, description="有效期至: the last day in force under the stated period, after any changes."
    )
    status: Status
    status_label: str = Field(description="有效 / 废止 / 失效")
    status_date: dt.date | None = Field(default=None, description="Date the current status took effect.")
    gazette_issue: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> DocumentSummary:
        return cls(
            id=doc.id,
            url=document_url(doc.id),
            title=doc.title,
            doc_number=doc.doc_number.text if doc.doc_number else doc.doc_number_raw,
            issuers=doc.issuers,
            doc_type=doc.doc_type,
            is_normative=doc.is_normative,
            written_date=doc.written_date,
            published_date=doc.published_date,
            effective_date=doc.effective_date,
            expiry_date=effective_expiry(doc),
            status=doc.status,
            status_label=doc.status_label,
            status_date=doc.status_date,
            gazette_issue=doc.gazette_issue,
        )


# -- search ------------------------------------------------------------------------


class SearchResponse(BaseModel):
    total: int = Field(description="Number of matching documents.")
    page: int
    size: int
    pages: int = Field(description="Number of pages available (capped at the page limit).")
    as_of: dt.date = Field(description="Date at which status filters, facets and labels were evaluated.")
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Counts per value of status, issuer, year and doc_type."
    )


# -- one document --------------------------------------------------------------------


class StatusNow(BaseModel):
    """A document's status on one day, with the reason and the basis."""

    as_of: dt.date
    status: Status
    status_label: str
    since: dt.date | None = None
    reason: str = ""
    basis_document_id: str | None = None
    basis_doc_number: str | None = None

    @classmethod
    def from_view(cls, view: StatusView, as_of: dt.date, basis_visible: bool) -> StatusNow:
        return cls(
            as_of=as_of,
            status=view.status,
            status_label=STATUS_LABELS[view.status],
            since=view.since,
            reason=view.reason,
            basis_document_id=view.basis_document_id if basis_visible else None,
            basis_doc_number=view.basis_doc_number,
        )


class EventOut(BaseModel):
    """One entry of the status history (append-only)."""

    kind: str = Field(description="effective, repealed, expired, restored, expiry_set, metadata")
    date: dt.date | None = None
    cause: str = ""
    basis_document_id: str | None = None
    basis_doc_number: str | None = None
    actor: str
    recorded_at: dt.datetime | None = None

    @classmethod
    def from_event(cls, ev: StatusEvent, basis_visible: bool) -> EventOut:
        return cls(
            kind=ev.kind,
            date=ev.date,
            cause=ev.cause,
            basis_document_id=ev.basis_document_id if basis_visible else None,
            basis_doc_number=ev.basis_doc_number,
            actor=ev.actor,
            recorded_at=ev.recorded_at,
        )


class RelatedOut(BaseModel):
    """The other end of a relation; ``id`` is null when it is not in the public archive."""

    kind: str = Field(description="repealed / expired (repeal relations) or cites")
    id: str | None = None
    url: str | None = None
    title: str | None = None
    doc_number: str | None = None
    status: Status | None = None
    status_label: str | None = None
    date: dt.date | None = None
    sentence: str | None = None

    @classmethod
    def from_related(cls, r: Related) -> RelatedOut:
        return cls(
            kind=r.kind,
            id=r.document_id,
            url=document_url(r.document_id) if r.document_id else None,
            title=r.title,
            doc_number=r.doc_number,
            status=r.status,
            status_label=r.status_label,
            date=r.date,
            sentence=r.sentence,
        )


class RelationsOut(BaseModel):
    repeals: list[RelatedOut] = Field(default_factory=list, description="Documents this one repeals.")
    repealed_by: list[RelatedOut] = Field(default_factory=list, description="Documents that repeal this one.")
    cites: list[RelatedOut] = Field(default_factory=list, description="发文字号 cited in the text.")
    cited_by: list[RelatedOut] = Field(default_factory=list, description="Documents citing this one.")

    @classmethod
    def from_relations(cls, rel: Relations) -> RelationsOut:
        conv = lambda items: [RelatedOut.from_related(r) for r in items]
        return cls(
            repeals=conv(rel.repeals),
            repealed_by=conv(rel.repealed_by),
            cites=conv(rel.cites),
            cited_by=conv(rel.cited_by),
        )


class DocumentDetail(DocumentSummary):
    """A whole public document: metadata, text, attachments, status and relations."""

    registration_number: str | None = Field(default=None, description="统一登记号")
    signer: str | None = None
    addressee: str | None = None
    cc: str | None = None
    printed_by: str | None = None
    note: str | None = None
    validity_sentence: str | None = None
    section: str | None = None
    pages: tuple[int, int] | None = None
    pdf_url: str | None = Field(default=None, description="The original PDF (whole gazette issue when printed in one).")
    paragraphs: list[str]
    attachments: list[Attachment]
    status_now: StatusNow = Field(description="Status at `as_of` (default today).")
    events: list[EventOut] = Field(description="Status history, oldest first.")
    relations: RelationsOut


# -- lookups ---------------------------------------------------------------------


class NumberLookup(BaseModel):
    query: str
    normalized: str | None = Field(description="The 发文字号 in normal form, null when it did not parse.")
    documents: list[DocumentSummary]


class CheckRequest(BaseModel):
    items: list[str] = Field(
        max_length=500,
        description="发文字号 or titles (《…》 optional), e.g. every document a draft cites. At most 500.",
        examples=[["静政发〔2022〕8号", "《静乐县城市规划管理办法》"]],
    )


class CheckItem(BaseModel):
    input: str
    kind: Literal["doc_number", "title", "empty"]
    normalized: str | None = None
    result: Literal["found", "ambiguous", "not_found"]
    matches: list[DocumentSummary]


class CheckResponse(BaseModel):
    items: list[CheckItem]
    found: int
    not_found: int


# -- gazettes ----------------------------------------------------------------------


class IssueSummary(BaseModel):
    id: str
    url: str
    gazette_name: str
    year: int
    issue: int
    overall_number: int | None = None
    published_date: dt.date | None = None
    page_count: int = 0
    pdf_url: str | None = None
    epub_url: str | None = None

    @classmethod
    def from_issue(cls, issue: GazetteIssue, epub_available: bool) -> IssueSummary:
        return cls(
            id=issue.id,
            url=issue_url(issue.year, issue.issue),
            gazette_name=issue.gazette_name,
            year=issue.year,
            issue=issue.issue,
            overall_number=issue.overall_number,
            published_date=issue.published_date,
            page_count=issue.page_count,
            pdf_url=file_url(issue.sha256) if issue.sha256 else None,
            epub_url=f"{issue_url(issue.year, issue.issue)}.epub" if epub_available else None,
        )


class YearIssues(BaseModel):
    year: int
    issues: list[IssueSummary]


class GazetteIndex(BaseModel):
    years: list[YearIssues]


class TocEntryOut(BaseModel):
    title: str
    page: int | None = None
    document_id: str | None = None
    url: str | None = None
    doc_number: str | None = None
    status: Status | None = None
    status_label: str | None = None


class TocSectionOut(BaseModel):
    section: str | None = Field(description="e.g. 县政府文件; null for entries outside any section.")
    entries: list[TocEntryOut]


class IssueDetail(IssueSummary):
    sections: list[TocSectionOut]


# -- catalogue ---------------------------------------------------------------------


class CatalogueRowOut(BaseModel):
    """One line of a validity catalogue; dates as printed (2023年5月1日)."""

    number: int = Field(description="序号 (restarts in each group)")
    title: str = Field(description="文件名称")
    doc_number: str = Field(description="发文字号")
    registration_number: str = Field(description="统一登记号")
    issuer: str = Field(description="发文机关")
    written_date: str = Field(description="成文日期")
    effective_date: str = Field(description="施行日期")
    expiry_date: str = Field(description="有效期至")
    status: str = Field(description="状态: 有效 / 废止 / 失效")
    basis: str = Field(description="废止或失效依据")
    remark: str = Field(description="备注")
    document_id: str = ""


class CatalogueGroupOut(BaseModel):
    name: str = Field(description="继续有效 / 废止 / 失效")
    rows: list[CatalogueRowOut]


class CatalogueOut(BaseModel):
    """The catalogue of public normative documents as of a date, grouped by status."""

    title: str
    as_of: dt.date
    issuer: str | None = None
    total: int
    columns: list[str]
    groups: list[CatalogueGroupOut]


# -- the legal office: writes and authenticated reads --------------------------------

_MIN_DAY, _MAX_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _plausible_day(day: dt.date) -> dt.date:
    if not _MIN_DAY <= day <= _MAX_DAY:
        raise ValueError("date must be between 1900-01-01 and 2100-12-31")
    return day


#: A date between 1900 and 2100 (anything else is a typing error in this archive).
Day = Annotated[
    dt.date,
    AfterValidator(_plausible_day),
    Field(json_schema_extra={"formatMinimum": _MIN_DAY.isoformat(), "formatMaximum": _MAX_DAY.isoformat()}),
]
Cause = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class _Basis(BaseModel):
    basis_document_id: str | None = Field(
        default=None, max_length=64, description="The archived document that decides the change."
    )
    basis_doc_number: Short | None = Field(
        default=None,
        description="发文字号 of the deciding document (resolved in the archive when it is there).",
        examples=["静政发〔2023〕4号"],
    )


class StatusChange(_Basis):
    """Set a document's status from a date: repealed (废止), expired (失效) or valid again."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["repealed", "expired", "valid"] = Field(
        description="repealed / expired, or valid to restore (recorded as a `restored` event)."
    )
    date: Day = Field(description="Date the change takes effect (inclusive).")
    cause: Cause = Field(description="Why, shown to the public with the history (personal data is masked).")


class ExpiryChange(_Basis):
    """State or change the validity period (有效期至); recorded as an `expiry_set` event."""

    model_config = ConfigDict(extra="forbid")

    expiry_date: Day | None = Field(
        description="Last day in force (it expires at the end of that day); null: no stated period."
    )
    date: Day | None = Field(
        default=None,
        description="Date from which the new period applies (status `as_of` earlier dates is unchanged); default today.",
    )
    cause: Cause = Field(description="Why, shown to the public with the history (personal data is masked).")


class DocumentPatch(BaseModel):
    """Corrections of a document's record. Only the fields sent are changed; the old
    and new values are kept in an audited `metadata` event. Fields that every
    document has (title, disclosure, doc_type, is_normative, issuers) cannot be null."""

    model_config = ConfigDict(extra="forbid")

    registration_number: Short | None = Field(default=None, description="统一登记号; null or empty clears it.")
    # Defaults of None stand for "not sent"; an explicit null is refused by the type.
    disclosure: Disclosure = Field(default=None, description="公开属性: 主动公开 / 依申请公开 / 不予公开.")
    title: Line = None
    doc_type: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)] = Field(
        default=None, description="文种, e.g. 通知, 办法."
    )
    is_normative: bool = Field(default=None, description="行政规范性文件")
    doc_number: Short | None = Field(default=None, description="发文字号 as printed; null or empty clears it.")
    issuers: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]] = Field(
        default=None, min_length=1, max_length=10, description="发文机关, the lead issuer first."
    )
    written_date: Day | None = Field(default=None, description="成文日期")
    published_date: Day | None = None
    effective_date: Day | None = Field(default=None, description="施行日期")
    section: Short | None = None
    cause: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = Field(
        default="", description="Why (recorded with the event)."
    )

    def changes(self) -> dict[str, Any]:
        """The fields sent, ``cause`` excluded; empty strings clear optional fields."""
        out = self.model_dump(exclude_unset=True, exclude={"cause"})
        return {k: (None if v == "" else v) for k, v in out.items()}


class AdminEventOut(EventOut):
    """A history entry as the legal office sees it: with its id and payload."""

    id: int | None = None
    data: dict[str, Any] = Field(default_factory=dict, description="e.g. the corrected fields (from/to).")

    @classmethod
    def from_event(cls, ev: StatusEvent, basis_visible: bool = True) -> AdminEventOut:
        base = EventOut.from_event(ev, basis_visible).model_dump()
        return cls(**base, id=ev.id, data=ev.data)


class MaskOut(BaseModel):
    """One masked span of personal data (what the public text shows in its place)."""

    kind: str = Field(description="id_card, mobile, landline, car_plate, bank_card, address")
    location: str = Field(description="p<i> (paragraph i) or a<j>p<i> (attachment j, paragraph i)")
    masked: str
    recorded_at: str


class OriginalText(BaseModel):
    """The unmasked text, kept for authorised users only."""

    paragraphs: list[str] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)


class AdminDocument(DocumentDetail):
    """A document of any disclosure as the legal office sees it: the public record plus
    disclosure, review flags, the full history, the original text and the mask log."""

    disclosure: Disclosure
    flags: list[str] = Field(default_factory=list)
    events: list[AdminEventOut] = Field(description="Status and correction history, oldest first.")
    original: OriginalText | None = Field(
        default=None, description="Unmasked text; null when nothing was masked (the text is the original)."
    )
    masks: list[MaskOut] = Field(default_factory=list)


class ReviewDocument(DocumentSummary):
    disclosure: Disclosure
    flags: list[str] = Field(default_factory=list)


class UnresolvedRepeal(BaseModel):
    """A repeal clause whose target is not (or not unambiguously) in the archive."""

    basis_document_id: str
    basis_title: str | None = None
    basis_url: str | None = Field(default=None, description="The basis document in the admin API.")
    doc_number: str | None = Field(default=None, description="发文字号 named by the clause.")
    title: str | None = Field(default=None, description="Title named by the clause.")
    kind: str = Field(description="repealed or expired")
    sentence: str


class ReviewList(BaseModel):
    """What waits for the legal office's review."""

    no_validity_period: list[ReviewDocument] = Field(
        description="Normative documents without a stated validity period and no expiry decision yet."
    )
    unresolved_repeals: list[UnresolvedRepeal]
