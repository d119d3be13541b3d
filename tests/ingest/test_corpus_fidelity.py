"""Fidelity on real texts: render ≥ 200 corpus documents to PDF, ingest them, compare.

Ground truth is the renderer's :class:`~renderer.DocSpec` built from each record (what
was printed), not the raw record. Measured and printed (``pytest -s``):

* character accuracy — characters of the printed text (title, 主送机关, body, 附件说明,
  attachments; whitespace ignored) found in order in the recovered text, over all
  documents (difflib matching blocks);
* per-field accuracy — 发文字号, title and 成文日期, over the documents that carry them;
* for a gazette issue reprinting corpus documents: articles found vs printed.

Skips with a reason when ../shared/corpus is absent; fails instead under ``CI``
(the ``corpus_dir`` fixture). Runs in two worker processes.
"""

from __future__ import annotations

import difflib
import io
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from gazette.docnumber import normalize_doc_number
from gazette.model import Document
from ingest.pipeline import parse_file
from renderer import DocSpec, render_document, render_issue

N_DOCUMENTS = 200
WORKERS = 2

pytestmark = pytest.mark.corpus


def ws(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def spec_text(spec: DocSpec) -> str:
    parts = [spec.title, spec.addressee or "", *spec.paragraphs]
    if spec.attachment_notes:
        parts += ["附件：", *spec.attachment_notes]
    for att in spec.attachments:
        parts += [att.title, *att.paragraphs]
    return ws("".join(parts))


def doc_text(doc: Document) -> str:
    parts = [doc.title, doc.addressee or "", *doc.paragraphs]
    for att in doc.attachments:
        parts += [att.title, *att.paragraphs]
    return ws("".join(parts))


def matched_chars(source: str, got: str) -> int:
    sm = difflib.SequenceMatcher(None, source, got, autojunk=False)
    return sum(block.size for block in sm.get_matching_blocks())


def _measure(job: tuple[int, DocSpec, str]) -> dict:
    """Worker: render one spec, ingest it, compare. Pure function of its input."""
    index, spec, directory = job
    path = Path(directory) / f"doc{index:04d}.pdf"
    render_document(spec, path)
    docs = parse_file(path).documents
    doc = docs[0]
    source = spec_text(spec)
    got = doc_text(doc)
    return {
        "source_id": spec.source_id,
        "documents": len(docs),
        "chars": len(source),
        "matched": matched_chars(source, got),
        "title": (ws(spec.title), ws(doc.title)),
        "number": (normalize_doc_number(spec.doc_number) if spec.doc_number else None, doc.doc_number.text if doc.doc_number else None),
        "date": (spec.written_date, doc.written_date),
    }


@pytest.fixture(scope="module")
def specs(corpus_dir: Path) -> list[DocSpec]:
    from renderer.corpus import select_documents

    picked = select_documents(N_DOCUMENTS, seed=0, directory=corpus_dir)
    assert len(picked) >= N_DOCUMENTS, "the corpus must yield at least 200 usable documents"
    return picked


def test_documents_fidelity(specs: list[DocSpec]) -> None:
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(WORKERS) as pool:
        results = list(pool.map(_measure, [(i, s, tmp) for i, s in enumerate(specs)], chunksize=8))
    chars = sum(r["chars"] for r in results)
    matched = sum(r["matched"] for r in results)
    char_accuracy = matched / chars
    fields = {}
    for name in ("number", "title", "date"):
        carrying = [r for r in results if r[name][0]]
        right = [r for r in carrying if r[name][0] == r[name][1]]
        fields[name] = (len(right), len(carrying))
    wrong = {name: [r["source_id"] for r in results if r[name][0] and r[name][0] != r[name][1]] for name in fields}
    print(
        f"\nfidelity on {len(results)} real documents: character accuracy {matched}/{chars} = {char_accuracy:.4%}; "
        + "; ".join(f"{k} {a}/{b} = {a / b:.1%}" for k, (a, b) in fields.items())
        + f"; wrong: {wrong}"
    )
    assert all(r["documents"] == 1 for r in results)
    assert char_accuracy >= 0.99
    for name, (right, carrying) in fields.items():
        assert carrying == 0 or right / carrying >= 0.97, (name, wrong[name])


def test_issue_of_real_documents_splits_into_its_articles(specs: list[DocSpec]) -> None:
    from renderer.corpus import build_issue_from_records

    chosen = [s for s in specs if len(spec_text(s)) < 6000][:12]
    issue = build_issue_from_records(chosen, 2022, 3, 27)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "issue.pdf"
        buf = io.BytesIO()
        rendered = render_issue(issue, buf)
        path.write_bytes(buf.getvalue())
        source = parse_file(path)
    printed = issue.documents
    got = source.documents
    titles = sum(ws(a.title) == ws(b.title) for a, b in zip(printed, got))
    numbers = sum(
        (normalize_doc_number(a.doc_number) if a.doc_number else None) == (b.doc_number.text if b.doc_number else None)
        for a, b in zip(printed, got)
    )
    chars = sum(len(spec_text(s)) for s in printed)
    matched = sum(matched_chars(spec_text(a), doc_text(b)) for a, b in zip(printed, got))
    print(
        f"\nissue of real documents: articles {len(got)}/{len(printed)}, titles {titles}, numbers {numbers}, "
        f"character accuracy {matched / chars:.4%}"
    )
    assert source.kind == "issue" and len(got) == len(printed)
    assert [d.pages for d in got] == [(a.pdf_page_start, a.pdf_page_end) for a in rendered.articles]
    assert titles == len(printed) and matched / chars >= 0.99
