"""The published editions, built from the archive: one issue, or a year's volume.

Entry points for the CLI (``gazette epub``) and the API
(``GET /api/v1/gazettes/{year}/{issue}.epub``). Both read through
:class:`~gazette.archive.Archive` ``.store`` only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gazette.archive import Archive
from gazette.errors import NotFound
from gazette.model import Document, GazetteIssue

from .book import GazetteBook, build_issue_book, build_year_book
from .metadata import BookMeta
from .write import write_book


def _issue_documents(archive: Archive, issue: GazetteIssue) -> list[Document]:
    """Documents placed in the issue, plus those its 目录 names that are archived
    under another placement (a reprint)."""
    docs = archive.store.documents_in_issue(issue.id)
    have = {d.id for d in docs}
    for entry in issue.toc:
        if entry.document_id and entry.document_id not in have:
            try:
                docs.append(archive.store.get_document(entry.document_id))
            except NotFound:
                continue  # shown as a stub page
            have.add(entry.document_id)
    return docs


def issue_book(archive: Archive, issue_id: str, *, as_of: dt.date | None = None) -> GazetteBook:
    """The book of one issue (raises :class:`NotFound` for an unknown issue)."""
    issue = archive.store.get_issue(issue_id)
    meta = BookMeta.from_settings(archive.settings)
    return build_issue_book(issue, _issue_documents(archive, issue), meta, as_of=as_of)


def year_book(archive: Archive, year: int, *, as_of: dt.date | None = None) -> GazetteBook:
    """The annual volume of ``year`` (raises :class:`NotFound` when it has no issue)."""
    issues = archive.store.issues(year)
    if not issues:
        raise NotFound(f"no gazette issues in {year}")
    pairs = [(i, _issue_documents(archive, i)) for i in issues]
    return build_year_book(pairs, BookMeta.from_settings(archive.settings), as_of=as_of)


def build_issue_epub(archive: Archive, issue_id: str, path: Path, *, as_of: dt.date | None = None) -> Path:
    """Write the EPUB of issue ``issue_id`` (e.g. ``2022-3``) to ``path``; returns ``path``."""
    return write_book(issue_book(archive, issue_id, as_of=as_of), path)


def build_year_epub(archive: Archive, year: int, path: Path, *, as_of: dt.date | None = None) -> Path:
    """Write the annual volume of ``year`` to ``path``; returns ``path``."""
    return write_book(year_book(archive, year, as_of=as_of), path)
