"""Extraction: bad input is rejected with the right error and a one-line reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette.errors import EncryptedPDF, IngestError, NoTextLayer, NotAPDF, UnreadablePDF
from ingest.extract import extract, extract_with_pdfplumber, plain_text
from ingest.pipeline import parse_extraction, parse_file


@pytest.mark.parametrize(
    "kind, error, words",
    [
        ("empty", NotAPDF, "empty"),
        ("not_pdf", NotAPDF, "not a PDF"),
        ("truncated", UnreadablePDF, "damaged or truncated"),
        ("encrypted", EncryptedPDF, "password"),
        ("image_only", NoTextLayer, "only images"),
    ],
)
def test_bad_input(bad_files: dict[str, Path], kind: str, error: type[IngestError], words: str) -> None:
    path = bad_files[kind]
    with pytest.raises(error) as info:
        parse_file(path)
    message = str(info.value)
    assert words in message and path.name in message
    assert "\n" not in message and len(message) < 200
    assert isinstance(info.value.__cause__, Exception) or kind in ("empty", "not_pdf", "image_only")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotAPDF, match="cannot be read"):
        extract(tmp_path / "nope.pdf")


def test_lines_have_geometry_and_colour(good_pdf: Path) -> None:
    ex = extract(good_pdf)
    assert ex.page_count == len(ex.pages) >= 1 and len(ex.sha256) == 64
    first = ex.pages[0].lines[0]
    assert first.text == "静乐县人民政府文件" and first.red and first.size and first.size > 20
    assert all(ln.has_geometry for p in ex.pages for ln in p.lines)


def test_plain_text_fast_path(good_pdf: Path) -> None:
    assert "静乐县人民政府文件" in plain_text(good_pdf)[0]


def test_pdfplumber_alone_reads_what_ingest_reads(good_pdf: Path) -> None:
    """The pdfplumber-only reading (the benchmarks' reference) builds the same lines as
    the pypdfium2 reading ingest uses, and parses to the same document."""
    fast, slow = extract(good_pdf), extract_with_pdfplumber(good_pdf)
    assert [ln.text for p in slow.pages for ln in p.lines] == [ln.text for p in fast.pages for ln in p.lines]
    assert slow.sha256 == fast.sha256 and slow.page_count == fast.page_count
    assert parse_extraction(slow, good_pdf).documents[0].model_dump() == parse_file(good_pdf).documents[0].model_dump()


def test_pdfplumber_alone_rejects_what_ingest_rejects(bad_files: dict[str, Path]) -> None:
    with pytest.raises(UnreadablePDF, match="damaged or truncated"):
        extract_with_pdfplumber(bad_files["truncated"])
    with pytest.raises(NotAPDF):
        extract_with_pdfplumber(bad_files["not_pdf"])
