"""Gazette issues: cover, 目录 with right page numbers, articles on their pages."""

from __future__ import annotations

import io
import re

import pytest

from renderer import render_issue
from renderer.samples import sample_issues

from tests.renderer.pdf_text import page_texts, spec_strings, squash

ISSUES = sample_issues()
TOC_LINE = re.compile(r"^(.*?)…{2,}(\d+)$")


@pytest.fixture(scope="module", params=range(len(ISSUES)), ids=[i.issue_label for i in ISSUES])
def rendered(request):
    issue = ISSUES[request.param]
    buf = io.BytesIO()
    info = render_issue(issue, buf)
    return issue, info, page_texts(buf.getvalue())


def toc_entries(pages: list[str], toc_pdf_pages: list[int]) -> list[tuple[str, int]]:
    """(title, printed page) pairs read back from the 目录 pages, wrapped titles re-joined."""
    entries, pending = [], ""
    for n in toc_pdf_pages:
        for line in pages[n - 1].split("\n")[1:]:
            if m := TOC_LINE.match(line.strip()):
                entries.append((pending + m.group(1), int(m.group(2))))
                pending = ""
            elif line.startswith("静乐县"):
                pending += line.strip()
    return entries


def test_cover(rendered):
    issue, info, pages = rendered
    cover = pages[0]
    assert issue.gazette_name in cover
    assert f"{issue.year}年第{issue.issue}期（总第{issue.overall_number}期）" in cover
    assert info.page_labels[0] is None


def test_toc_lists_every_article_with_its_printed_page(rendered):
    issue, info, pages = rendered
    assert pages[1].startswith("目录")
    found = toc_entries(pages, info.toc_pdf_pages)
    assert found == [(a.title, a.printed_page_start) for a in info.articles]
    assert [a.title for a in info.articles] == [d.title for d in issue.documents]
    for section in issue.sections:
        assert section.name in pages[1]


def test_articles_start_where_announced(rendered):
    issue, info, pages = rendered
    assert len(pages) == info.page_count
    for article in info.articles:
        assert article.printed_page_start == article.pdf_page_start - info.front_pages
        lines = pages[article.pdf_page_start - 1].split("\n")
        assert lines[0] == info.header_text == f"{issue.gazette_name} {issue.issue_label}"
        assert lines[-1] == f"— {article.printed_page_start} —"
        assert squash(article.title) in squash("".join(lines[1:6]))


def test_article_text_is_complete_without_issuer_mark(rendered):
    issue, info, pages = rendered
    for article, spec in zip(info.articles, issue.documents, strict=True):
        chunk = pages[article.pdf_page_start - 1 : article.pdf_page_end]
        furniture = {info.header_text, *(x for x in info.page_labels if x)}
        text = squash("\n".join(ln for p in chunk for ln in p.split("\n") if ln not in furniture))
        for s in spec_strings(spec):
            assert squash(s) in text, s
        assert squash(spec.issuer_mark) not in text
