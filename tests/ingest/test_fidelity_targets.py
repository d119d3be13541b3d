"""The issue-6 targets, asserted on a fixed small sample of the fidelity report.

Text layouts: character accuracy ≥ 99.5 %, every field ≥ 98 %, every gazette issue
split into exactly its articles (3 corpus documents, standalone and as one issue).
OCR: character accuracy ≥ 95 % on 2 scanned corpus documents (skipped without
Tesseract). The full report runs on demand: ``python scripts/fidelity_report.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from ingest import ocr
from renderer.cases import CASES
from renderer.corpus import select_documents
from tests.ingest.test_fidelity_report import load_report, ocr_document_row

pytestmark = pytest.mark.corpus

TEXT_LAYOUTS = [name for name, case in CASES.items() if not case.needs_ocr]


@pytest.fixture(scope="module")
def text_rows(corpus_dir: Path) -> dict[str, dict]:
    report = load_report()
    specs = select_documents(3, seed=0, directory=corpus_dir)
    cases = [CASES[n] for n in TEXT_LAYOUTS]
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = report.run_all(report.plan(cases, specs, 3, Path(tmp)), workers=2)
    return {c.name: report.summarise(c, [o for o in outcomes if o.case == c.name]) for c in cases}


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
def test_text_layout_meets_targets(text_rows: dict[str, dict], layout: str) -> None:
    row = text_rows[layout]
    assert row["found"] == row["expected"], row["errors"]
    assert row["char_accuracy"] >= 0.995, row
    assert all(v >= 0.98 for v in row["fields"].values()), row["fields"]
    assert row["issues"]["split_exactly"] == row["issues"]["count"]


@pytest.mark.skipif(ocr.available() is not None, reason="tesseract with chi_sim is not installed")
def test_ocr_character_accuracy_on_two_scanned_documents(corpus_dir: Path) -> None:
    row = ocr_document_row(corpus_dir, "scanned", 2)
    assert row["found"] == row["expected"] == 2, row["errors"]
    assert row["char_accuracy"] >= 0.95, row
