"""Planning the 目录, metadata, determinism, cover and safe writing."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile

import pytest
from PIL import Image

from epub_builder import (
    BookMeta,
    CoverFontUnavailable,
    EpubWriteError,
    build_issue_book,
    epub_bytes,
    write_book,
)
from epub_builder import cover as cover_mod
from epub_builder.book import plan_issue
from gazette.model import GazetteIssue
from tests.epub_builder.conftest import AS_OF, sample_documents, sample_issue
from tests.epub_builder.support import read_back


def test_plan_follows_the_toc(issue, docs) -> None:
    plan = plan_issue(issue, docs)
    assert [s.title for s in plan] == ["县政府文件", "县政府办公室文件", "部门文件"]
    assert [a.title for a in plan[0].articles] == [docs[0].title]
    stub = plan[2].articles[1]
    assert stub.document is None and stub.page == 11


def test_documents_missing_from_the_toc_are_appended(issue, docs) -> None:
    extra = docs[2].model_copy(update={"id": "dextra", "title": "未列入目录的文件", "section": "部门文件"})
    plan = plan_issue(issue, [*docs, extra])
    assert plan[2].articles[-1].document is extra


def test_without_a_toc_documents_are_laid_out_by_page(docs) -> None:
    placed = [d.model_copy(update={"pages": (9 - 3 * i, 10 - 3 * i), "section": "文件"}) for i, d in enumerate(docs)]
    issue = GazetteIssue(id="2022-1", gazette_name="公报", year=2022, issue=1)
    plan = plan_issue(issue, placed)
    assert [a.document.id for a in plan[0].articles] == [d.id for d in reversed(placed)]


def test_same_data_same_bytes_and_identifier(issue, docs) -> None:
    first = epub_bytes(build_issue_book(issue, docs, as_of=AS_OF))
    again = epub_bytes(build_issue_book(sample_issue(sample_documents()), sample_documents(), as_of=AS_OF))
    assert first == again
    book = build_issue_book(issue, docs, as_of=AS_OF)
    assert book.identifier == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '静乐县人民政府公报/2022/3')}"
    assert build_issue_book(sample_issue(docs, number=4), docs, as_of=AS_OF).identifier != book.identifier


def test_modified_is_the_latest_change_shown(issue, docs) -> None:
    # The latest dated change visible on 2024-01-01 is the repeal of 2023-05-01.
    assert build_issue_book(issue, docs, as_of=AS_OF).modified == dt.datetime(2023, 5, 1, tzinfo=dt.UTC)
    assert build_issue_book(issue, docs, as_of=dt.date(2022, 7, 1)).modified == dt.datetime(2022, 6, 30, tzinfo=dt.UTC)


def test_package_metadata(tmp_path, issue, docs) -> None:
    meta = BookMeta(gazette_name="静乐县人民政府公报", publisher="静乐县人民政府")
    path = write_book(build_issue_book(issue, docs, meta, as_of=AS_OF), tmp_path / "issue.epub")
    rb = read_back(path)
    assert rb.dc("title") == ["静乐县人民政府公报 2022年第3期"]
    assert rb.dc("language") == ["zh-CN"]
    assert rb.dc("publisher") == ["静乐县人民政府"]
    assert rb.dc("date") == ["2022-06-30"]
    assert rb.meta("dcterms:modified") == ["2023-05-01T00:00:00Z"]
    assert rb.meta("schema:accessMode") == ["textual", "visual"]
    assert rb.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(rb.meta("schema:accessibilityFeature"))
    assert rb.meta("schema:accessibilityHazard") == ["none"]
    assert rb.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert "文本" in rb.meta("schema:accessibilitySummary")[0]
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist()[0] == "mimetype" and zf.infolist()[0].compress_type == zipfile.ZIP_STORED
        css = zf.read("EPUB/styles/gazette.css").decode()
        cover = Image.open(io.BytesIO(zf.read("EPUB/images/cover.jpg")))
    assert cover.format == "JPEG" and cover.size == (1600, 2400)
    for rule in ("text-indent: 2em", "line-height: 1.7", "text-align: justify", "writing-mode: horizontal-tb"):
        assert rule in css
    assert "@font-face" not in css
    img = rb.pages["EPUB/text/cover.xhtml"].find(".//{http://www.w3.org/1999/xhtml}img")
    assert "2022年第3期" in img.get("alt") and "总第45期" in img.get("alt")


def test_failed_write_raises_and_keeps_the_old_file(tmp_path, issue, docs, monkeypatch) -> None:
    target = tmp_path / "issue.epub"
    target.write_bytes(b"old")
    book = build_issue_book(issue, docs, as_of=AS_OF)

    def disk_full(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ebooklib.epub.EpubWriter.write", disk_full)
    with pytest.raises(EpubWriteError, match="No space left"):
        write_book(book, target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.epub"]


def test_missing_folder_is_a_write_error(tmp_path, issue, docs) -> None:
    with pytest.raises(EpubWriteError):
        write_book(build_issue_book(issue, docs, as_of=AS_OF), tmp_path / "no" / "such" / "issue.epub")


def test_no_cjk_font_is_a_clear_error(monkeypatch) -> None:
    cover_mod.find_cjk_font.cache_clear()
    monkeypatch.setattr(cover_mod, "KNOWN_FONTS", ())
    monkeypatch.setattr(cover_mod.shutil, "which", lambda name: None)
    try:
        with pytest.raises(CoverFontUnavailable, match="fonts-"):
            cover_mod.find_cjk_font()
    finally:
        monkeypatch.undo()
        cover_mod.find_cjk_font.cache_clear()
