"""The ingest pipeline: a source file → complete domain objects, without touching storage.

:func:`parse_file` is a pure function of the file's path (and content): it reads the
file, runs the stages and returns a :class:`ParsedSource`; it holds no state between
calls, so a batch can run it in worker processes. Writing to the archive is the
store's job (one transaction per file, keyed by ``sha256``).

Stages and what each reads → writes:

1. :func:`read_source` — file → positioned lines per page: PDF
   (:func:`ingest.extract.extract`, with pypdfium2 and OCR fallbacks for pages without
   usable text) or OFD (:func:`ingest.ofd.extract_ofd`), chosen by magic bytes; errors
   translated to :class:`~gazette.errors.IngestError`.
2. :func:`ingest.clean.clean_pages` — pages → body lines without running headers and
   page numbers, plus the printed page number of each page.
3. segment — :func:`ingest.issue.detect_issue` / :func:`ingest.issue.split_issue` for a
   gazette issue (cover, 目录, articles); otherwise the whole file is one document.
4. :func:`ingest.gb9704.parse_document` — one document's lines → its GB/T 9704 elements.
5. :func:`build_document` — elements → :class:`~gazette.model.Document`: id, validity
   (:func:`gazette.validity.parse_validity`), normative flag, review flags, status.
6. :func:`ingest.repeal.find_repeals` — each document's repeal clauses.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from gazette import status
from gazette.ids import document_id, issue_id
from gazette.model import Document, GazetteIssue, TocEntry
from gazette.validity import parse_validity
from ingest.clean import clean_pages
from ingest.extract import Extraction, extract
from ingest.gb9704 import ParsedDocument, looks_normative, parse_document
from ingest.issue import detect_issue, split_issue
from ingest.repeal import RepealTarget, find_repeals

__all__ = ["ParsedSource", "parse_file", "parse_extraction", "build_document", "read_source", "ocr_flags"]


@dataclass
class ParsedSource:
    """Everything ingest learned from one file (nothing stored yet)."""

    path: str
    sha256: str
    page_count: int
    kind: str  # "document" | "issue"
    issue: GazetteIssue | None = None
    documents: list[Document] = field(default_factory=list)
    repeals: dict[str, list[RepealTarget]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


_ISSUER_FROM_TITLE = re.compile(r"^(?P<org>.{2,40}?(?:人民政府办公室|人民政府|办公室|委员会|局|厅|部|中心|政府))关于")


def build_document(
    parsed: ParsedDocument,
    *,
    sha256: str | None = None,
    source_file: str | None = None,
    issue: GazetteIssue | None = None,
    section: str | None = None,
    today: dt.date | None = None,
) -> Document:
    """Turn parsed elements into a complete :class:`Document` with its status.

    Dates: ``effective_date`` is the stated one, else the 成文日期 (a document without
    a stated date takes effect when issued); ``expiry_date`` only from a stated period
    or end date. ``published_date`` is the gazette issue's date for gazette articles.
    Flags: ``no_validity_period`` for a normative document without a stated period,
    ``no_title`` / ``no_written_date`` when those could not be found.
    """
    published = issue.published_date if issue else None
    text_parts = list(parsed.paragraphs)
    for att in parsed.attachments:
        text_parts.extend(att.paragraphs)
    validity = parse_validity("\n".join(text_parts), written_date=parsed.written_date, published_date=published)
    title = parsed.title or ""
    doc_number_text = parsed.doc_number.text if parsed.doc_number else None
    is_normative = looks_normative(
        title,
        "\n".join(text_parts),
        has_period=not validity.no_period,
        registration=parsed.registration_number,
    )
    issuers = parsed.issuers
    if not issuers and (m := _ISSUER_FROM_TITLE.match(title)):
        issuers = [m.group("org")]
    flags: list[str] = []
    if is_normative and validity.no_period:
        flags.append("no_validity_period")
    if not title:
        flags.append("no_title")
    if parsed.written_date is None:
        flags.append("no_written_date")
    printed_by = None
    if parsed.printed_by or parsed.printed_date:
        date = f"{parsed.printed_date.year}年{parsed.printed_date.month}月{parsed.printed_date.day}日印发" if parsed.printed_date else ""
        printed_by = " ".join(x for x in (parsed.printed_by, date) if x)
    doc = Document(
        id=document_id(title, doc_number_text, parsed.written_date),
        title=title,
        issuers=issuers,
        doc_number=parsed.doc_number,
        registration_number=parsed.registration_number,
        doc_type=parsed.doc_type,
        is_normative=is_normative,
        signer=parsed.signer,
        addressee=parsed.addressee,
        written_date=parsed.written_date,
        published_date=published,
        effective_date=validity.effective_date or parsed.written_date,
        expiry_date=validity.expiry_date,
        validity_sentence=validity.sentence,
        disclosure=parsed.disclosure,
        gazette_issue=issue.id if issue else None,
        section=section,
        pages=parsed.pages,
        source_file=source_file,
        sha256=sha256,
        paragraphs=list(parsed.paragraphs) + _attachment_note_paragraphs(parsed.attachment_notes),
        attachments=list(parsed.attachments),
        cc=parsed.cc,
        printed_by=printed_by,
        note=parsed.note,
        flags=flags,
    )
    return status.refresh(doc, today)


def parse_file(
    path: str | os.PathLike[str], *, today: dt.date | None = None, data: bytes | None = None, sha256: str | None = None
) -> ParsedSource:
    """Parse one PDF or OFD file into documents (and its issue, for a gazette);
    ``data``: the file's bytes when the caller has read them (the file is then not
    read, and ``sha256`` is theirs), with their hash (``sha256``) when the caller has
    taken it.

    Raises :class:`~gazette.errors.IngestError` subclasses for files that cannot be
    ingested at all; anything odd but survivable goes to ``warnings``.
    """
    return parse_extraction(read_source(path, data, sha256), path, today=today)


def parse_extraction(extraction: Extraction, path: str | os.PathLike[str], *, today: dt.date | None = None) -> ParsedSource:
    """Stages 2 and 3 of :func:`parse_file` — clean, then parse into documents (and
    split a gazette issue) — on a file's :class:`~ingest.extract.Extraction`."""
    path = str(path)
    cleaned = clean_pages(extraction.pages)
    source = ParsedSource(
        path=path,
        sha256=extraction.sha256,
        page_count=extraction.page_count,
        kind="document",
        warnings=list(extraction.warnings),
    )
    name = Path(path).name
    info = detect_issue(cleaned) if len(cleaned.pages) > 1 else None
    if info is not None:
        layout = split_issue(cleaned, info)
        source.warnings.extend(layout.warnings)
        gi = GazetteIssue(
            id=issue_id(info.year, info.issue),
            gazette_name=info.gazette_name,
            year=info.year,
            issue=info.issue,
            overall_number=info.overall_number,
            published_date=info.published_date,
            page_count=extraction.page_count,
            source_file=name,
            sha256=extraction.sha256,
        )
        source.kind = "issue"
        source.issue = gi
        for art in layout.articles:
            parsed = parse_document(art.lines)
            parsed.pages = art.pages
            if not parsed.title and art.toc is not None:
                parsed.title = art.toc.title
            section = art.toc.section if art.toc else None
            doc = build_document(parsed, sha256=extraction.sha256, source_file=name, issue=gi, section=section, today=today)
            doc.flags.extend(ocr_flags(extraction, art.pages))
            source.documents.append(doc)
            gi.toc.append(TocEntry(title=doc.title, section=section, page=art.toc.page if art.toc else None, document_id=doc.id))
        if not layout.articles:
            source.warnings.append(f"{name}: gazette issue {gi.id} has no articles that could be split")
    else:
        parsed = parse_document(cleaned.lines)
        doc = build_document(parsed, sha256=extraction.sha256, source_file=name, today=today)
        doc.flags.extend(ocr_flags(extraction, (1, extraction.page_count)))
        source.documents.append(doc)
    for doc in source.documents:
        targets = [t for t in find_repeals(doc.text) if not _is_self(t, doc)]
        if targets:
            source.repeals[doc.id] = targets
    return source


def read_source(path: str | os.PathLike[str], data: bytes | None = None, sha256: str | None = None) -> Extraction:
    """Stage 1 for any supported format, chosen by the file's first bytes: an OFD
    package (a zip holding ``OFD.xml``) goes to :func:`ingest.ofd.extract_ofd`,
    anything else to the PDF extractor (which rejects what is not a PDF). ``data``:
    the file's bytes when the caller has read them; ``sha256``: their hash, when the
    caller has taken it."""
    from ingest.ofd import extract_ofd, is_ofd

    if is_ofd(path, data):
        return extract_ofd(path, data, sha256)
    return extract(path, data=data, sha256=sha256)


def ocr_flags(extraction: Extraction, pages: tuple[int, int] | None) -> list[str]:
    """Review flags for a document on PDF ``pages`` (first, last): ``ocr`` and
    ``ocr_confidence:0.93`` (mean over its OCR'd pages) when some of its text was read by
    OCR; ``ocr_unavailable`` when some of its pages needed OCR that could not run."""
    if pages is None:
        return []
    first, last = pages
    mine = [p for p in extraction.pages if first <= p.number <= last]
    flags: list[str] = []
    ocr = [p for p in mine if p.source == "ocr"]
    if ocr:
        confidence = sum(p.ocr_confidence or 0.0 for p in ocr) / len(ocr)
        flags += ["ocr", f"ocr_confidence:{confidence:.2f}"]
    if any("ocr_unavailable" in p.flags for p in mine):
        flags.append("ocr_unavailable")
    return flags


def _attachment_note_paragraphs(notes: list[str]) -> list[str]:
    """The 附件说明 kept in the text as printed: 附件：1.… then one paragraph per item."""
    if not notes:
        return []
    return ["附件：" + notes[0], *notes[1:]]


def _is_self(target: RepealTarget, doc: Document) -> bool:
    return bool(doc.doc_number and target.doc_number == doc.doc_number.text)
