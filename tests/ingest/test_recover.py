"""Page recovery (ingest/recover.py) on files rendered by the project's renderer."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import ocr
from ingest.extract import extract
from ingest.pipeline import parse_file
from renderer import render_document
from renderer.cases import CASES
from tests.ingest.conftest import small_spec
from tests.ingest.test_ocr import BODY


@pytest.mark.skipif(ocr.available() is not None, reason="tesseract with chi_sim is not installed")
def test_short_page_of_a_file_with_a_wrong_unicode_map_is_ocr_read_too(tmp_path: Path) -> None:
    """A last page holding only the 署名, the 成文日期 and the 附注 has too few ideographs
    for the language score; in a file whose other pages have a wrong ToUnicode map its
    text is just as wrong and must not leak into the document."""
    spec = small_spec(paragraphs=BODY[:2] * 9 + BODY[2:])
    path = tmp_path / "garbage.pdf"
    render_document(spec, path, CASES["garbage_tounicode"].options_for(0))
    extraction = extract(path)
    assert extraction.page_count == 4
    assert [p.source for p in extraction.pages] == ["ocr"] * 4, extraction.warnings
    assert "doubtful text layer" in extraction.warnings[-1]
    doc = parse_file(path).documents[0]
    assert doc.written_date == spec.written_date
    assert doc.note == spec.note
