"""The project's synthetic sample corpus: coverage of the cases ingest must handle, stable files."""

from __future__ import annotations

import hashlib

from renderer import find_ttf
from renderer.samples import sample_documents, sample_issues, write_samples


def test_sample_documents_cover_the_required_cases():
    docs = sample_documents()
    assert len(docs) >= 6
    numbers = {d.doc_number for d in docs}
    body = {d.doc_number: "".join(d.paragraphs) for d in docs}
    repeals = [n for n, text in body.items() if "（静政发〔2019〕3号）" in text and n != "静政发〔2019〕3号"]
    assert repeals and "静政发〔2019〕3号" in numbers
    assert any(d.attachments and len(d.attachments) >= 2 for d in docs)
    assert any(d.chinese_numerals_date for d in docs)
    assert any("有效期三年" in t for t in body.values())
    assert any("有效期至2026年11月30日" in t for t in body.values())
    assert any("30日后施行" in t for t in body.values())
    assert any(d.signer for d in docs)


def test_sample_issues_have_three_sections_and_several_articles():
    for issue in sample_issues():
        assert len(issue.sections) == 3
        assert 4 <= len(issue.documents) <= 6
    all_text = "".join(p for i in sample_issues() for d in i.documents for p in d.paragraphs)
    assert "（静政发〔2019〕3号）" in all_text and "同时废止" in all_text


def test_write_samples_is_stable(tmp_path):
    first = write_samples(tmp_path / "a")
    second = write_samples(tmp_path / "b")
    rel = [p.relative_to(tmp_path / "a").as_posix() for p in first]
    assert rel == [p.relative_to(tmp_path / "b").as_posix() for p in second]
    assert "docs/jzf-2019-03.pdf" in rel and "gazettes/jingle-gazette-2022-03.pdf" in rel
    assert ("gazettes/jingle-gazette-2022-03-ttf.pdf" in rel) == (find_ttf() is not None)
    for a, b in zip(first, second, strict=True):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest(), a.name
