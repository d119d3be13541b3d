"""The domain model: gazette issues, documents, validity and status events.

These pydantic v2 models are the shared language of every layer: ingest produces
them, the archive stores them, the API and the EPUB builder read them. Field names are
snake_case English; labels shown to people are Chinese (see :data:`STATUS_LABELS`).

Validity is modelled as dated, append-only :class:`StatusEvent` records (after Indigo's
repeal events); :func:`gazette.status.status_at` computes the status at any date from
a document's expiry date and its events — nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Status(StrEnum):
    """Validity status of a document."""

    valid = "valid"
    repealed = "repealed"
    expired = "expired"


#: How statuses are shown to people.
STATUS_LABELS: dict[Status, str] = {
    Status.valid: "有效",
    Status.repealed: "废止",
    Status.expired: "失效",
}


class Disclosure(StrEnum):
    """Disclosure attribute (公开属性) of a document."""

    public = "主动公开"
    on_request = "依申请公开"
    withheld = "不予公开"


class DocNumber(BaseModel):
    """A parsed 发文字号 such as 静政发〔2022〕8号.

    ``prefix`` is the 机关代字 (静政发), ``year`` the bracketed year, ``serial`` the
    number. :attr:`text` is the normal form with 〔〕 brackets and ASCII digits.
    """

    model_config = ConfigDict(frozen=True)

    prefix: str
    year: int
    serial: int

    @property
    def text(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.serial}号"

    def __str__(self) -> str:
        return self.text


class TocEntry(BaseModel):
    """One line of a gazette issue's 目录: a section heading or an article."""

    title: str
    section: str | None = Field(default=None, description="Section the article belongs to, e.g. 县政府文件.")
    page: int | None = Field(default=None, description="Printed page number where the article starts.")
    document_id: str | None = Field(default=None, description="Archived document for this entry, once split.")


class GazetteIssue(BaseModel):
    """One issue of a government gazette (政府公报)."""

    id: str = Field(description="Stable id: '<year>-<issue>' within the archive's gazette.")
    gazette_name: str
    year: int
    issue: int = Field(description="Issue number within the year (期).")
    overall_number: int | None = Field(default=None, description="总第N期, when printed.")
    published_date: dt.date | None = None
    page_count: int = 0
    source_file: str | None = None
    sha256: str | None = None
    toc: list[TocEntry] = Field(default_factory=list)


class Attachment(BaseModel):
    """An attachment (附件) of a document: its label, title and text."""

    label: str = Field(description="e.g. 附件1")
    title: str = ""
    paragraphs: list[str] = Field(default_factory=list)


class StatusEvent(BaseModel):
    """An append-only, dated change of a document's validity or record.

    ``kind`` is one of: ``effective`` (entered into force), ``repealed``, ``expired``
    (declared invalid or the validity period ran out), ``restored`` (made valid again,
    e.g. a correction), ``expiry_set`` (validity period stated or changed), or
    ``metadata`` (an audited correction that does not change status).
    """

    id: int | None = None
    document_id: str
    kind: str
    date: dt.date | None = Field(description="Date the change takes effect.")
    cause: str = Field(default="", description="Why, in words shown to people.")
    basis_document_id: str | None = Field(default=None, description="Document that made the change.")
    basis_doc_number: str | None = Field(default=None, description="发文字号 of the basis, as printed.")
    actor: str = Field(default="ingest", description="Who recorded it: ingest, import, a token name…")
    recorded_at: dt.datetime | None = None
    data: dict = Field(default_factory=dict, description="Extra payload, e.g. corrected fields.")


class Document(BaseModel):
    """A document: a normative document, a notice, a decision, an article of a gazette."""

    id: str = Field(description="Stable id derived from content (see gazette.ids).")
    title: str
    issuers: list[str] = Field(default_factory=list)
    doc_number: DocNumber | None = None
    doc_number_raw: str | None = Field(default=None, description="发文字号 as printed when it did not parse.")
    registration_number: str | None = Field(default=None, description="统一登记号, separate from the 发文字号.")
    doc_type: str | None = Field(default=None, description="通知, 决定, 办法, 意见…")
    is_normative: bool = False
    signer: str | None = Field(default=None, description="签发人")
    addressee: str | None = Field(default=None, description="主送机关")
    written_date: dt.date | None = Field(default=None, description="成文日期")
    published_date: dt.date | None = None
    effective_date: dt.date | None = None
    expiry_date: dt.date | None = Field(default=None, description="Last day in force under its stated period.")
    validity_sentence: str | None = None
    status: Status = Field(default=Status.valid, description="Status today, derived from events.")
    status_reason: str = ""
    status_date: dt.date | None = Field(default=None, description="Date the current status took effect.")
    disclosure: Disclosure = Disclosure.public
    gazette_issue: str | None = Field(default=None, description="GazetteIssue.id")
    section: str | None = None
    pages: tuple[int, int] | None = Field(default=None, description="First and last PDF page in the source.")
    source_file: str | None = None
    sha256: str | None = Field(default=None, description="sha256 of the source file.")
    paragraphs: list[str] = Field(
        default_factory=list,
        description="Body paragraphs. A table row is one paragraph whose cells are separated by TAB"
        " characters; consecutive such paragraphs form a table, the first being its header.",
    )
    attachments: list[Attachment] = Field(default_factory=list)
    cc: str | None = Field(default=None, description="抄送")
    printed_by: str | None = Field(default=None, description="印发机关和印发日期 line")
    note: str | None = Field(default=None, description="附注")
    events: list[StatusEvent] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list, description="Review flags, e.g. no_validity_period, ocr.")

    @property
    def issuer(self) -> str | None:
        return self.issuers[0] if self.issuers else None

    @property
    def text(self) -> str:
        """Body and attachments as one string, paragraphs separated by newlines."""
        parts = list(self.paragraphs)
        for att in self.attachments:
            parts.append(att.label + (" " + att.title if att.title else ""))
            parts.extend(att.paragraphs)
        return "\n".join(parts)

    @property
    def year(self) -> int | None:
        if self.doc_number:
            return self.doc_number.year
        d = self.written_date or self.published_date
        return d.year if d else None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]
