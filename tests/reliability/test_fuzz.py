"""Hostile PDFs through the real `gazette ingest` (a short run of scripts/fuzz_ingest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.conftest import load_script

pytestmark = [pytest.mark.slow, pytest.mark.corpus, pytest.mark.timeout(300)]


def test_fuzz_short_run(corpus_dir: Path) -> None:
    fuzz = load_script("fuzz_ingest")
    report = fuzz.run(40, seed=8, timeout=10, memory_mb=1024, big_pages=300, bomb_mb=1024)
    assert report["ok"], "\n".join(report["errors"])
    assert set(report["by_kind"]) == set(fuzz.KINDS)
    assert sum(sum(c.values()) for c in report["by_kind"].values()) == 40
    assert report["internal_errors"] == 0, [o for o in report["outcomes"] if "internal error" in o["reason"]]
    assert report["orphans_of_failed_files"] == []


def test_pdf_surgery_keeps_a_valid_pdf(tmp_path: Path, corpus_dir: Path) -> None:
    """The incremental updates the fuzzer builds are themselves well-formed PDFs."""
    import pypdfium2 as pdfium

    fuzz = load_script("fuzz_ingest")
    (path,) = fuzz.render_real_pdfs(tmp_path, 1, issue_articles=0)
    parts = fuzz.PdfParts(path.read_bytes())
    pages = len(pdfium.PdfDocument(path.read_bytes()))
    body = parts.objects[parts.root]
    updated = parts.update({parts.root: fuzz.add_entries(body, b"/Lang (zh-CN)")})
    doc = pdfium.PdfDocument(updated)
    assert len(doc) == pages
    zero = parts.update({parts.pages: b"<< /Type /Pages /Kids [ ] /Count 0 >>"})
    with pytest.raises(pdfium.PdfiumError):
        assert len(pdfium.PdfDocument(zero)) == 0
