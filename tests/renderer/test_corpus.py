"""Real records of ../shared/corpus: cleaning into specs, and rendering that extracts faithfully."""

from __future__ import annotations

import io

import pytest

from renderer import render_document, render_issue
from renderer.corpus import build_issue_from_records, load_records, record_to_spec, select_documents

from tests.renderer.pdf_text import content_text, page_texts, spec_strings, squash

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def selection(corpus_dir):
    return select_documents(200, seed=0, directory=corpus_dir)


def test_selection_is_large_and_deterministic(selection, corpus_dir):
    assert len(selection) >= 200
    assert len({s.source_id for s in selection}) == len(selection)
    assert sum(s.source_id.startswith("govcn-") for s in selection) == 51
    again = select_documents(200, seed=0, directory=corpus_dir)
    assert [s.source_id for s in again] == [s.source_id for s in selection]


def test_state_council_record_is_cleaned(corpus_dir):
    record = load_records("state_council", limit=1, directory=corpus_dir)[0]
    spec = record_to_spec(record)
    assert spec.title == record["title"]
    assert spec.doc_number == record["doc_number"]
    assert spec.signature == record["issuer"]
    assert spec.written_date_text == "2019年1月27日"
    assert spec.note == "（此件公开发布）"
    assert spec.addressee.endswith("：")
    body = "".join(spec.paragraphs)
    assert record["doc_number"] not in body and "（此件公开发布）" not in body
    assert not spec.paragraphs[0].startswith("国务院关于")


def _sample(selection, k=30):
    """Every n-th spec of the selection, limited in size to keep the run fast."""
    small = [s for s in selection if sum(map(len, s.paragraphs)) < 6000]
    step = max(1, len(small) // k)
    return small[::step][:k]


def test_thirty_corpus_documents_round_trip(selection):
    missing = []
    for spec in _sample(selection):
        buf = io.BytesIO()
        info = render_document(spec, buf)
        text = squash(content_text(page_texts(buf.getvalue()), set(info.page_labels)))
        assert "(cid:" not in text, spec.source_id
        missing += [(spec.source_id, s[:30]) for s in spec_strings(spec) if squash(s) not in text]
    assert missing == []


def test_issue_from_records(selection):
    specs = _sample(selection, 6)
    issue = build_issue_from_records(specs, 2024, 2)
    buf = io.BytesIO()
    info = render_issue(issue, buf)
    pages = page_texts(buf.getvalue())
    assert [a.source_id for a in info.articles] == [d.source_id for d in issue.documents]
    for article in info.articles:
        assert pages[article.pdf_page_start - 1].split("\n")[-1] == f"— {article.printed_page_start} —"
