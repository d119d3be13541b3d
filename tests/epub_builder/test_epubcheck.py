"""EPUBCheck (0 errors, 0 warnings) and read-back of every kind of book we publish.

Read-back: the text of every article page equals the archived text of its document
(paragraphs, headings, table rows and attachments, whitespace-normalised), the 目录
order survives into the navigation document and the NCX, and the reading order
follows the 目录.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from epub_builder import build_issue_book, build_year_book, write_book
from gazette.model import Document, GazetteIssue
from tests.epub_builder.conftest import AS_OF, expected_nav_titles, sample_documents, sample_issue
from tests.epub_builder.corpus import corpus_issue, corpus_sample
from tests.epub_builder.support import ReadBack, normalise, read_back, run_epubcheck

pytestmark = pytest.mark.slow


def check_issue_pages(rb: ReadBack, issue: GazetteIssue, docs: list[Document], *, depth: int = 0) -> None:
    """Nav mirrors the 目录; each article page holds its document's text."""
    by_id = {d.id: d for d in docs}
    entries = [(t, h) for t, h, d in rb.nav if d >= depth]
    assert [t for t, _ in entries] == expected_nav_titles(issue)
    hrefs = dict(entries)
    for entry in issue.toc:
        if entry.page is None and entry.document_id is None:
            continue
        page = rb.pages[hrefs[entry.title]]
        doc = by_id.get(entry.document_id)
        if doc is None:
            assert "未收录电子版全文" in "".join(page.itertext())
            continue
        assert normalise(rb.article_text(hrefs[entry.title])) == normalise(doc.text), entry.title


def check_order(rb: ReadBack) -> None:
    assert rb.ncx == rb.nav
    spine_pos = {href: i for i, href in enumerate(rb.spine)}
    nav_positions = [spine_pos[h] for _, h, _ in rb.nav]
    assert nav_positions == sorted(nav_positions)


def test_sample_issue(tmp_path: Path) -> None:
    docs = sample_documents()
    issue = sample_issue(docs)
    path = write_book(build_issue_book(issue, docs, as_of=AS_OF), tmp_path / "2022-3.epub")
    assert run_epubcheck(path) == []
    rb = read_back(path)
    check_issue_pages(rb, issue, docs)
    check_order(rb)
    text = {t: "".join(rb.pages[h].itertext()) for t, h, _ in rb.nav}
    assert "【提示】本文件已于2023年5月1日废止，废止依据：静政发〔2023〕4号。" in text[docs[1].title]
    assert "【提示】本文件已于2023年1月1日失效" in text[docs[2].title]
    assert "【提示】" not in text[docs[0].title]
    guidance = rb.pages[dict((t, h) for t, h, _ in rb.nav)[docs[0].title]]
    headings = ["".join(h.itertext()) for h in guidance.iter("{*}h2", "{*}h3", "{*}h4")]
    assert headings[:4] == ["一、总体要求", "（一）明确职责分工", "1.建立台账", "2.定期清理"]


def test_annual_volume_of_two_issues(tmp_path: Path) -> None:
    first_docs = sample_documents()
    second_docs = [d.model_copy(update={"id": d.id + "b", "title": d.title + "（续）"}) for d in sample_documents()]
    first, second = sample_issue(first_docs, number=3), sample_issue(second_docs, number=4)
    book = build_year_book([(second, second_docs), (first, first_docs)], as_of=AS_OF)
    path = write_book(book, tmp_path / "2022.epub")
    assert run_epubcheck(path) == []
    rb = read_back(path)
    assert rb.dc("title") == ["静乐县人民政府公报 2022年合订本"]
    assert [t for t, _, d in rb.nav if d == 0] == ["2022年第3期（总第45期）", "2022年第4期（总第46期）"]
    assert max(d for _, _, d in rb.nav) == 2
    check_order(rb)
    cut = [i for i, (_, _, d) in enumerate(rb.nav) if d == 0][1]
    for issue, docs, part in ((first, first_docs, rb.nav[1:cut]), (second, second_docs, rb.nav[cut + 1 :])):
        sub = ReadBack(rb.opf, part, rb.ncx, rb.spine, rb.pages)
        check_issue_pages(sub, issue, docs, depth=1)


@pytest.mark.corpus
def test_issue_of_real_documents(tmp_path: Path, corpus_dir: Path) -> None:
    docs = corpus_sample(corpus_dir, state=30, local=30)
    assert len(docs) >= 50
    issue = corpus_issue(docs)
    path = write_book(build_issue_book(issue, docs, as_of=AS_OF), tmp_path / "corpus.epub")
    assert run_epubcheck(path) == []
    rb = read_back(path)
    check_issue_pages(rb, issue, docs)
    check_order(rb)
