"""Render the project's samples, ingest them, and get back what was printed."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from gazette.model import Status
from gazette.validity import parse_validity
from ingest.pipeline import parse_file
from renderer import render_issue
from renderer.samples import issue_file_name, sample_documents, sample_issues

TODAY = dt.date(2024, 1, 1)


def ws(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _sample_paths(root: Path) -> list[Path]:
    return sorted((root / "docs").glob("*.pdf"))


@pytest.mark.parametrize("index", range(len(sample_documents())))
def test_standalone_document(samples_dir: Path, index: int) -> None:
    from renderer.samples import _DOCUMENTS  # the key → spec registry (file names)

    key = list(_DOCUMENTS)[index]
    spec = sample_documents()[index]
    source = parse_file(samples_dir / "docs" / f"{key}.pdf", today=TODAY)
    assert source.kind == "document" and len(source.documents) == 1
    doc = source.documents[0]
    assert ws(doc.title) == ws(spec.title)
    assert (doc.doc_number.text if doc.doc_number else None) == spec.doc_number
    assert doc.written_date == spec.written_date
    assert doc.registration_number == spec.registration_number and doc.signer == spec.signer
    notes = len(spec.attachment_notes)
    body = doc.paragraphs[: len(doc.paragraphs) - notes] if notes else doc.paragraphs
    assert [ws(p) for p in body] == [ws(p) for p in spec.paragraphs]
    assert [ws(a.title) for a in doc.attachments] == [ws(a.title) for a in spec.attachments]
    # validity read from the PDF equals validity read from the source text
    text = "\n".join(spec.paragraphs + [p for a in spec.attachments for p in a.paragraphs])
    v = parse_validity(text, written_date=spec.written_date)
    assert doc.expiry_date == v.expiry_date
    assert doc.effective_date == (v.effective_date or spec.written_date)
    assert doc.sha256 == source.sha256 and doc.pages == (1, source.page_count)
    assert doc.status in (Status.valid, Status.expired)


def test_known_validity_and_repeal(samples_dir: Path) -> None:
    doc = parse_file(samples_dir / "docs" / "jzf-2022-08.pdf", today=TODAY).documents[0]
    assert (doc.effective_date, doc.expiry_date) == (dt.date(2022, 7, 1), dt.date(2027, 6, 30))
    assert doc.is_normative and "no_validity_period" not in doc.flags
    source = parse_file(samples_dir / "docs" / "jzf-2022-11.pdf", today=TODAY)
    targets = source.repeals[source.documents[0].id]
    assert "静政发〔2019〕3号" in [t.doc_number for t in targets]


@pytest.mark.parametrize("index", range(len(sample_issues())))
def test_gazette_issue(samples_dir: Path, index: int) -> None:
    spec = sample_issues()[index]
    rendered = render_issue(spec, io.BytesIO())
    source = parse_file(samples_dir / "gazettes" / issue_file_name(spec), today=TODAY)
    assert source.kind == "issue" and source.issue is not None
    issue = source.issue
    assert (issue.year, issue.issue, issue.overall_number, issue.published_date) == (
        spec.year,
        spec.issue,
        spec.overall_number,
        spec.published_date,
    )
    assert issue.gazette_name == spec.gazette_name and issue.page_count == rendered.page_count
    assert [ws(d.title) for d in source.documents] == [ws(d.title) for d in spec.documents]
    assert [d.doc_number.text if d.doc_number else None for d in source.documents] == [d.doc_number for d in spec.documents]
    assert [d.written_date for d in source.documents] == [d.written_date for d in spec.documents]
    assert [d.pages for d in source.documents] == [(a.pdf_page_start, a.pdf_page_end) for a in rendered.articles]
    assert [d.section for d in source.documents] == [a.section for a in rendered.articles]
    assert [t.page for t in issue.toc] == [a.printed_page_start for a in rendered.articles]
    assert all(d.gazette_issue == issue.id and d.published_date == spec.published_date for d in source.documents)
    header = ws(f"{spec.gazette_name}{spec.issue_label}")
    assert not any(header in ws(d.text) for d in source.documents)  # running headers removed
    assert not any(re.search(r"—\s*\d+\s*—", d.text) for d in source.documents)  # page numbers removed


def test_same_document_same_id_in_issue_and_standalone(samples_dir: Path) -> None:
    standalone = parse_file(samples_dir / "docs" / "jzf-2022-08.pdf").documents[0]
    issue = parse_file(samples_dir / "gazettes" / issue_file_name(sample_issues()[0]))
    assert standalone.id in [d.id for d in issue.documents]
