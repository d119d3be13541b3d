"""Read-side queries shared by the JSON API and the web pages.

Both channels must give the same answers, so routes and pages call these functions
and only format the result. The disclosure rule is enforced here, once: everything
returned is 主动公开; a non-public document, or a file that only such documents come
from, raises :class:`~gazette.errors.NotFound` exactly as a missing one does, so its
existence is not revealed either.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gazette.archive import Archive
from gazette.errors import NotFound
from gazette.ids import issue_id
from gazette.model import Disclosure, Document, GazetteIssue
from gazette.relations import Relations, relations_of
from gazette.status import StatusView, status_at

_SHA256 = re.compile(r"[0-9a-f]{64}")


def is_public(doc: Document) -> bool:
    return doc.disclosure == Disclosure.public


def public_only(docs: Iterable[Document]) -> list[Document]:
    return [d for d in docs if is_public(d)]


def public_document(archive: Archive, doc_id: str) -> Document:
    """The document, if it exists and is 主动公开; else :class:`NotFound`."""
    try:
        doc = archive.get(doc_id)
    except NotFound:
        doc = None
    if doc is None or not is_public(doc):
        raise NotFound(f"没有编号为 {doc_id} 的公开文件 (no public document {doc_id})")
    return doc


def visible_id(archive: Archive, doc_id: str | None) -> str | None:
    """``doc_id`` if it names a public document, else ``None`` (never link the hidden)."""
    if not doc_id:
        return None
    try:
        return doc_id if is_public(archive.get(doc_id)) else None
    except NotFound:
        return None


@dataclass
class DocumentView:
    """Everything a document page or the API shows about one document."""

    doc: Document
    as_of: dt.date
    status: StatusView
    basis_id: str | None
    relations: Relations
    public_ids: set[str] = field(default_factory=set)


def document_view(archive: Archive, doc_id: str, as_of: dt.date | None = None) -> DocumentView:
    """A public document with its status at ``as_of`` (default today) and relations."""
    doc = public_document(archive, doc_id)
    day = as_of or dt.date.today()
    view = status_at(doc, day)
    public_ids = {i for i in (visible_id(archive, ev.basis_document_id) for ev in doc.events) if i}
    return DocumentView(
        doc=doc,
        as_of=day,
        status=view,
        basis_id=view.basis_document_id if view.basis_document_id in public_ids else None,
        relations=relations_of(archive, doc),
        public_ids=public_ids,
    )


# -- lookups ---------------------------------------------------------------------


def lookup_number(archive: Archive, number: str) -> tuple[str | None, list[Document]]:
    """Normal form of a typed 发文字号 and every public document carrying it."""
    from gazette.docnumber import normalize_doc_number

    return normalize_doc_number(number), public_only(archive.find_by_number(number))


@dataclass
class CheckOutcome:
    input: str
    kind: str  # "doc_number" | "title" | "empty"
    normalized: str | None
    matches: list[Document]

    @property
    def result(self) -> str:
        if not self.matches:
            return "not_found"
        return "found" if len(self.matches) == 1 else "ambiguous"


_TITLE_IN_MARKS = re.compile(r"《([^《》]+)》")


def check_item(archive: Archive, text: str) -> CheckOutcome:
    """Resolve one cited item: a 发文字号 if it contains one, else a title.

    ``《某某办法》（静政发〔2019〕3号）`` is looked up by its number first and by the
    title in book-title marks when the number finds nothing.
    """
    from gazette.docnumber import parse_doc_number

    item = text.strip()
    if not item:
        return CheckOutcome(text, "empty", None, [])
    number = parse_doc_number(item)
    titled = _TITLE_IN_MARKS.search(item)
    title = titled.group(1) if titled else item
    if number is not None:
        matches = public_only(archive.store.find_by_number(number.text))
        if not matches and titled:
            matches = public_only(archive.store.find_by_title(title))
        return CheckOutcome(text, "doc_number", number.text, matches)
    clean = "".join(title.split())
    return CheckOutcome(text, "title", clean, public_only(archive.store.find_by_title(clean)))


# -- gazettes ----------------------------------------------------------------------


def gazette_years(archive: Archive) -> dict[int, list[GazetteIssue]]:
    """Issues grouped by year, newest year first, issues in order."""
    years: dict[int, list[GazetteIssue]] = {}
    for issue in archive.store.issues():
        years.setdefault(issue.year, []).append(issue)
    return dict(sorted(years.items(), reverse=True))


@dataclass
class TocLine:
    title: str
    page: int | None
    doc: Document | None


@dataclass
class TocSection:
    section: str | None
    lines: list[TocLine]


def get_issue(archive: Archive, year: int, issue: int) -> GazetteIssue:
    found = archive.store.get_issue(issue_id(year, issue))
    if found.year != year or found.issue != issue:  # ids are derived, but be strict
        raise NotFound(f"没有 {year} 年第 {issue} 期公报 (no gazette issue {year}-{issue})")
    return found


def issue_toc(archive: Archive, issue: GazetteIssue) -> list[TocSection]:
    """The issue's 目录 by section, each article linked to its public document.

    Uses the printed 目录 when the issue has one, else the documents placed in the
    issue (ordered by first page). Entries whose document is not public are left out.
    """
    docs = {d.id: d for d in archive.store.documents_in_issue(issue.id)}
    lines: list[tuple[str | None, TocLine]] = []
    if issue.toc:
        for entry in issue.toc:
            doc = docs.get(entry.document_id) if entry.document_id else None
            if doc is None and entry.document_id:
                try:
                    doc = archive.get(entry.document_id)
                except NotFound:
                    doc = None
            if doc is not None and not is_public(doc):
                continue
            if entry.document_id is None and entry.section == entry.title:
                continue  # a bare section heading: sections come from grouping
            lines.append((entry.section, TocLine(entry.title, entry.page, doc)))
    else:
        ordered = sorted(public_only(docs.values()), key=lambda d: (d.pages[0] if d.pages else 0, d.title))
        lines = [(d.section, TocLine(d.title, d.pages[0] if d.pages else None, d)) for d in ordered]
    sections: list[TocSection] = []
    for section, line in lines:
        if not sections or sections[-1].section != section:
            sections.append(TocSection(section, []))
        sections[-1].lines.append(line)
    return sections


# -- files -------------------------------------------------------------------------


def public_file(archive: Archive, sha256: str) -> Path:
    """Path of a stored original PDF that a public document or a gazette issue comes
    from; :class:`NotFound` otherwise (including files of non-public documents only)."""
    sha256 = sha256.lower()
    if not _SHA256.fullmatch(sha256):
        raise NotFound("没有该文件 (no such file)")
    in_issue = any(i.sha256 == sha256 for i in archive.store.issues())
    if not in_issue:
        if not archive.store.file_has_public_document(sha256):
            raise NotFound("没有该文件 (no such file)")
    path = archive.store.file_path(sha256)
    if not path.is_file():
        raise NotFound("没有该文件 (no such file)")
    return path


def document_pdf(archive: Archive, doc_id: str) -> tuple[Path, str]:
    """The original PDF of a public document and a download file name."""
    doc = public_document(archive, doc_id)
    if not doc.sha256:
        raise NotFound("该文件没有原始PDF (no original PDF for this document)")
    path = archive.store.file_path(doc.sha256)
    if not path.is_file():
        raise NotFound("没有该文件 (no such file)")
    return path, f"{doc.title[:60]}.pdf"


# -- EPUB (provided by epub_builder once that issue lands) -------------------------


def epub_builder():
    """The ``epub_builder`` module when it is installed and offers
    ``build_issue_epub(archive, issue_id, path)``; else ``None``."""
    if importlib.util.find_spec("epub_builder") is None:
        return None
    try:
        module = importlib.import_module("epub_builder")
    except ImportError:
        return None
    return module if callable(getattr(module, "build_issue_epub", None)) else None
