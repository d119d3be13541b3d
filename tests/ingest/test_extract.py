"""Extraction: bad input is rejected with the right error and a one-line reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette.errors import EncryptedPDF, IngestError, NoTextLayer, NotAPDF, UnreadablePDF
from ingest.extract import extract, plain_text
from ingest.pipeline import parse_file


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
