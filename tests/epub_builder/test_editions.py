"""The editions built from an archive: what the CLI and the API call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from epub_builder import build_issue_epub, build_year_epub
from gazette.archive import Archive
from gazette.errors import NotFound
from gazette.settings import Settings
from tests.epub_builder.conftest import AS_OF, expected_nav_titles, sample_documents, sample_issue
from tests.epub_builder.support import normalise, read_back


@pytest.fixture
def archive(tmp_path: Path):
    a = Archive(Settings(home=tmp_path / "archive", publisher="静乐县人民政府办公室"))
    docs = sample_documents()
    for number, batch in ((3, docs[:2]), (4, docs[2:])):
        issue = sample_issue(docs, number=number)
        issue.toc = [e for e in issue.toc if e.document_id in {d.id for d in batch} or not e.document_id]
        a.store.put_issue(issue)
        for d in batch:
            a.store.put_document(d.model_copy(update={"gazette_issue": issue.id, "events": []}))
            for ev in d.events:
                a.store.add_event(ev.model_copy(update={"recorded_at": dt.datetime(2023, 5, 2, tzinfo=dt.UTC)}))
    yield a
    a.close()


def test_issue_from_the_archive(archive: Archive, tmp_path: Path) -> None:
    out = build_issue_epub(archive, "2022-3", tmp_path / "2022-3.epub", as_of=AS_OF)
    rb = read_back(out)
    issue = archive.store.get_issue("2022-3")
    assert [t for t, _, _ in rb.nav] == expected_nav_titles(issue)
    assert rb.dc("publisher") == ["静乐县人民政府办公室"]
    assert rb.meta("dcterms:modified") == ["2023-05-02T00:00:00Z"]  # when the repeal was recorded
    repealed = sample_documents()[1]
    href = dict((t, h) for t, h, _ in rb.nav)[repealed.title]
    assert "废止依据：静政发〔2023〕4号" in "".join(rb.pages[href].itertext())
    assert normalise(rb.article_text(href)) == normalise(repealed.text)


def test_year_from_the_archive(archive: Archive, tmp_path: Path) -> None:
    rb = read_back(build_year_epub(archive, 2022, tmp_path / "2022.epub", as_of=AS_OF))
    assert [t for t, _, d in rb.nav if d == 0] == ["2022年第3期（总第45期）", "2022年第4期（总第46期）"]


def test_unknown_issue_or_year(archive: Archive, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        build_issue_epub(archive, "2022-9", tmp_path / "x.epub")
    with pytest.raises(NotFound):
        build_year_epub(archive, 2019, tmp_path / "x.epub")
    assert not list(tmp_path.glob("*.epub"))
