"""Ingest on the layouts governments really publish (issue 6), rendered by the project's renderer.

Each test renders real corpus texts (or the small fixture document) with a case of
:data:`renderer.cases.CASES` and checks what ingest recovers: columns read in order,
look-alikes folded, tables as TAB rows, OFD read like PDF, broken text layers detected,
and OCR used — or flagged when it cannot run.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from gazette.errors import NoTextLayer, UnreadablePDF
from ingest import ocr as ocr_module
from ingest.chars import page_chars
from ingest.columns import find_gutter
from ingest.lookalikes import fold
from ingest.ofd import is_ofd
from ingest.pipeline import parse_file
from ingest.quality import judge, language_score
from renderer import render_document, render_issue
from renderer.cases import CASES
from renderer.corpus import build_issue_from_records, select_documents
from tests.ingest.conftest import small_spec


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def accuracy(expected: str, actual: str) -> float:
    sm = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / max(len(expected), len(actual), 1)


def body(spec) -> str:
    parts = list(spec.paragraphs)
    for att in spec.attachments:
        parts += [att.title, *att.paragraphs, *(c for t in att.tables for c in t.cells)]
    return squash("".join(parts))


def doc_body(doc) -> str:
    parts = list(doc.paragraphs)
    for att in doc.attachments:
        parts += [att.title, *att.paragraphs]
    return squash("".join(parts))


@pytest.fixture(scope="module")
def specs(corpus_dir: Path):
    return select_documents(4, seed=0, directory=corpus_dir)


def render(case: str, spec, path: Path) -> Path:
    render_document(spec, path, CASES[case].options)
    return path


def page_chars_of(path: Path) -> list:
    """Each page's characters as ingest reads them (pypdfium2)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [page_chars(doc[i]).chars for i in range(len(doc))]
    finally:
        doc.close()


# ------------------------------------------------------------------ two columns


@pytest.mark.corpus
def test_two_column_pages_are_read_column_by_column(specs, tmp_path: Path) -> None:
    spec = specs[0]
    path = render("two_column", spec, tmp_path / "two.pdf")
    gutters = [find_gutter(chars) for chars in page_chars_of(path)]
    assert sum(g is not None for g in gutters) >= len(gutters) - 1
    doc = parse_file(path).documents[0]
    assert squash(doc.title) == squash(spec.title)
    assert accuracy(body(spec), doc_body(doc)) >= 0.99


@pytest.mark.corpus
def test_single_column_pages_have_no_gutter(specs, tmp_path: Path) -> None:
    path = render("plain", specs[0], tmp_path / "plain.pdf")
    assert all(find_gutter(chars) is None for chars in page_chars_of(path))


@pytest.mark.corpus
def test_mixed_column_issue_splits_into_its_articles(specs, tmp_path: Path) -> None:
    issue = build_issue_from_records(specs[:3], 2022, 5, 44)
    path = tmp_path / "issue.pdf"
    render_issue(issue, path, CASES["two_column_mixed"].options)
    source = parse_file(path)
    assert source.kind == "issue"
    assert [squash(d.title) for d in source.documents] == [squash(s.title) for s in issue.documents]
    for spec, doc in zip(issue.documents, source.documents):
        assert accuracy(body(spec), doc_body(doc)) >= 0.98


@pytest.mark.corpus
def test_second_pass_over_columns_reuses_each_pages_characters(specs, tmp_path: Path, monkeypatch) -> None:
    """Pages that follow the file's common gutter are read from the characters kept
    after the first pass (each page is loaded once), with the same result as when
    they are loaded again."""
    from ingest import extract as extract_module

    issue = build_issue_from_records(specs[:3], 2022, 5, 44)
    path = tmp_path / "issue.pdf"
    render_issue(issue, path, CASES["two_column_mixed"].options)
    loads = []
    real = extract_module.page_chars_at

    def counted(page):
        loads.append(1)
        return real(page)

    monkeypatch.setattr(extract_module, "page_chars_at", counted)
    kept = extract_module.extract(path)
    assert len(loads) == kept.page_count
    monkeypatch.setattr(extract_module._Reader, "KEPT_CHARS", 0)
    loads.clear()
    again = extract_module.extract(path)
    assert len(loads) > again.page_count  # this file has pages read twice
    assert again == kept


# ------------------------------------------------------------------ look-alikes


def test_fold_maps_kangxi_and_radicals_supplement() -> None:
    assert fold("⾏⽂⻓⻅⻔⻋⻢") == "行文长见门车马"
    assert fold("静政发〔２０２２〕８号，“通知”。") == "静政发〔２０２２〕８号，“通知”。"  # digits/punctuation as printed


def test_kangxi_layer_is_folded_and_fullwidth_numbers_understood(tmp_path: Path) -> None:
    spec = small_spec(title="静乐县人民政府关于印发长门车马见行文管理办法的通知")
    doc = parse_file(render("kangxi", spec, tmp_path / "kangxi.pdf")).documents[0]
    assert doc.title == spec.title
    assert doc.doc_number and doc.doc_number.text == "静政发〔2022〕8号"
    assert doc.written_date == spec.written_date
    assert not re.search(r"[\u2e80-\u2fdf]", doc.text)


# ------------------------------------------------------------------ tables


@pytest.mark.corpus
def test_tables_become_tab_separated_rows(specs, tmp_path: Path) -> None:
    spec = CASES["tables"].spec_for(specs[1], 1, specs)
    doc = parse_file(render("tables", spec, tmp_path / "tables.pdf")).documents[0]
    table = spec.attachments[-1].tables[0]
    att = next(a for a in doc.attachments if "拟废止" in a.title)
    rows = [p for p in att.paragraphs if "\t" in p]
    assert [r.split("\t") for r in rows] == [[squash(c) for c in row] for row in table.rows]


# ------------------------------------------------------------------ OFD


def test_ofd_is_ingested_like_pdf(tmp_path: Path) -> None:
    spec = small_spec()
    ofd = render("ofd", spec, tmp_path / "doc.ofd")
    pdf = render("plain", spec, tmp_path / "doc.pdf")
    assert is_ofd(ofd) and not is_ofd(pdf)
    a, b = parse_file(ofd).documents[0], parse_file(pdf).documents[0]
    assert (a.title, a.doc_number, a.written_date, a.paragraphs) == (b.title, b.doc_number, b.written_date, b.paragraphs)


def test_bytes_read_once_are_parsed_not_the_file_as_it_is_now(tmp_path: Path) -> None:
    """Ingest's workers read a file once and parse those bytes (``data=``), PDF or OFD:
    what the file holds by the time they parse does not matter."""
    spec = small_spec()
    for case, name in (("ofd", "doc.ofd"), ("plain", "doc.pdf")):
        path = render(case, spec, tmp_path / name)
        data = path.read_bytes()
        expected = parse_file(path)
        path.write_bytes(b"replaced since it was read")
        assert is_ofd(path, data) == (case == "ofd")
        parsed = parse_file(path, data=data)
        assert parsed.sha256 == expected.sha256
        assert [d.model_dump() for d in parsed.documents] == [d.model_dump() for d in expected.documents]


def test_damaged_ofd_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "bad.ofd"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody>")
    with pytest.raises(UnreadablePDF, match="OFD"):
        parse_file(path)


# ------------------------------------------------------------------ broken text layers


def test_language_score_tells_text_from_shuffled_characters() -> None:
    text = "为进一步深化公立医院改革，推进现代医院管理制度建设，经国务院同意，现就加强三级公立医院绩效考核工作提出以下意见。"
    shuffled = "".join(sorted(text, key=lambda c: (ord(c) * 7919) % 101))
    assert language_score(text * 2) > 0.75
    assert language_score(shuffled * 2) < 0.6
    assert judge("(cid:12)(cid:13)").reason == "cid"
    assert judge("ÄÅÇÉÑÖÜáàâäãåçéèêëíìîï" * 3).reason == "not_chinese"


@pytest.mark.parametrize("case", ["broken_tounicode", "garbage_tounicode"])
def test_unusable_text_layer_without_ocr_fails_clearly(case: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ocr_module, "available", lambda: "tesseract is not installed (test)")
    path = render(case, small_spec(), tmp_path / f"{case}.pdf")
    with pytest.raises(NoTextLayer, match="not available"):
        parse_file(path)


# ------------------------------------------------------------------ scans and OCR


def test_mixed_document_flags_pages_when_ocr_is_unavailable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ocr_module, "available", lambda: "tesseract is not installed (test)")
    spec = small_spec(paragraphs=small_spec().paragraphs * 30)
    source = parse_file(render("mixed", spec, tmp_path / "mixed.pdf"))
    doc = source.documents[0]
    assert "ocr_unavailable" in doc.flags and "ocr" not in doc.flags
    assert any("OCR unavailable" in w for w in source.warnings)
    assert doc.title == spec.title


@pytest.mark.skipif(ocr_module.available() is not None, reason="tesseract with chi_sim is not installed")
def test_scanned_document_is_ocr_read_and_flagged(tmp_path: Path) -> None:
    spec = small_spec()
    doc = parse_file(render("scanned", spec, tmp_path / "scan.pdf")).documents[0]
    assert "ocr" in doc.flags
    confidence = [f for f in doc.flags if f.startswith("ocr_confidence:")]
    assert confidence and 0.5 < float(confidence[0].split(":")[1]) <= 1.0
    expected = squash("".join(spec.paragraphs))
    matched = difflib.SequenceMatcher(None, expected, squash(doc.text), autojunk=False).get_matching_blocks()
    assert sum(b.size for b in matched) / len(expected) >= 0.9  # the body text is recovered
