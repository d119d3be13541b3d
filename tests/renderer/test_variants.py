"""Issue-6 layout variants: each renders deterministically and shows its artefact to pdfplumber."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter

import pdfplumber
import pypdfium2 as pdfium
import pytest

from renderer import LAYOUTS, RenderOptions, find_ttf, render_document, render_issue
from renderer.cases import CASES, add_repeal_table
from renderer.layout import LEFT, PAGE_WIDTH
from renderer.registry import BUILTIN_LAYOUT_MODULES, register_layout
from renderer.samples import sample_documents, sample_issues
from renderer.spec import FurnitureOptions
from renderer.variants.header_footer import FURNITURE_VARIANTS, PRINTER_LINE
from renderer.variants.kangxi import fullwidth_numbers, lookalikes, to_lookalikes
from renderer.variants.tounicode import pdf_objects, rebuild_pdf
from renderer.variants.two_column import COLUMN_WIDTH, GUTTER
from renderer.plain import PlainLayout

from tests.renderer.pdf_text import page_texts, squash

DOCS = sample_documents()
ISSUE = sample_issues()[0]
TEXT_LAYOUTS = ["plain", "two_column", "two_column_mixed", "header_footer", "fake_bold", "letter_spaced"]
needs_ttf = pytest.mark.skipif(find_ttf() is None, reason="no TrueType CJK font installed (fonts-wqy-zenhei)")


def doc_pdf(spec, **options) -> tuple[bytes, object]:
    buf = io.BytesIO()
    info = render_document(spec, buf, RenderOptions(**options))
    return buf.getvalue(), info


def issue_pdf(issue=ISSUE, **options) -> tuple[bytes, object]:
    buf = io.BytesIO()
    info = render_issue(issue, buf, RenderOptions(**options))
    return buf.getvalue(), info


def column_texts(data: bytes) -> list[str]:
    """Text of each page read column by column (left half, then right half at the gutter)."""
    mid = LEFT + COLUMN_WIDTH + GUTTER / 2
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            (p.crop((0, 0, mid, p.height)).extract_text() or "") + (p.crop((mid, 0, p.width, p.height)).extract_text() or "")
            for p in pdf.pages
        ]


def chars(data: bytes, page: int) -> list[dict]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return list(pdf.pages[page - 1].chars)


# ------------------------------------------------------------------- registry
def test_builtins_are_registered_like_extensions():
    assert list(LAYOUTS)[:1] == ["plain"]
    for name in ("two_column", "two_column_mixed", "header_footer", "fake_bold", "letter_spaced", "kangxi",
                 "broken_tounicode", "scanned", "mixed"):
        assert name in LAYOUTS
    assert len(BUILTIN_LAYOUT_MODULES) >= 8


def test_a_registered_extension_is_selectable():
    @register_layout("test_shouty")
    class Shouty(PlainLayout):
        def header_text(self, issue):
            return "SHOUTY"

    try:
        _, info = issue_pdf(layout="test_shouty")
        assert info.header_text == "SHOUTY"
    finally:
        del LAYOUTS["test_shouty"]


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
def test_text_layouts_are_deterministic_and_keep_the_text(layout):
    spec = DOCS[3]
    data, info = doc_pdf(spec, layout=layout)
    assert data == doc_pdf(spec, layout=layout)[0]
    text = squash("".join(column_texts(data) if layout.startswith("two_column") else page_texts(data)))
    if layout != "fake_bold":  # doubled characters are the point there
        for para in spec.paragraphs:
            assert squash(para) in text, para
    idata, iinfo = issue_pdf(layout=layout)
    assert idata == issue_pdf(layout=layout)[0]
    assert len(iinfo.articles) == len(ISSUE.documents)


# ------------------------------------------------------------------- two columns
def test_two_column_pages_have_a_gutter():
    data, info = issue_pdf(layout="two_column")
    assert info.page_columns[: info.front_pages] == [1] * info.front_pages  # cover and 目录 single
    page = next(n for n, c in enumerate(info.page_columns, start=1) if c == 2)
    body = [c for c in chars(data, page) if 11 < c["size"] < 13]  # column text is set at 12 pt
    gutter = (LEFT + COLUMN_WIDTH, LEFT + COLUMN_WIDTH + GUTTER)
    left = [c for c in body if c["x1"] <= gutter[0] + 0.5]
    right = [c for c in body if c["x0"] >= gutter[1] - 0.5]
    assert len(left) > 100 and len(right) > 100
    assert len(left) + len(right) == len(body)  # nothing in the gutter


def test_two_column_mixed_has_both_in_one_issue():
    data, info = issue_pdf(layout="two_column_mixed")
    body_cols = set(info.page_columns[info.front_pages :])
    assert body_cols == {1, 2}
    single = info.articles[1]  # the second article stays single-column
    assert all(info.page_columns[p - 1] == 1 for p in range(single.pdf_page_start, single.pdf_page_end + 1))
    sizes = {round(c["size"]) for c in chars(data, single.pdf_page_start)}
    assert 16 in sizes


def test_two_column_standalone_document_keeps_head_and_colophon_full_width():
    spec = DOCS[0]
    data, info = doc_pdf(spec, layout="two_column")
    first = page_texts(data)[0]
    assert spec.issuer_mark in first and spec.doc_number in first
    assert squash(spec.printed_by) in squash(page_texts(data)[-1])


# ------------------------------------------------------------------ furniture
@pytest.mark.parametrize("furniture", FURNITURE_VARIANTS, ids=[f.page_number for f in FURNITURE_VARIANTS])
def test_furniture_variants_print_their_page_numbers_and_headers(furniture):
    data, info = issue_pdf(layout="header_footer", furniture=furniture.model_dump())
    pages = page_texts(data)
    total = info.page_count - info.front_pages
    forms = {
        "em_dash": "— {n} —", "hyphen": "-{n}-", "di_ye": "第{n}页", "bare": "{n}", "di_gong": "第 {n} 页 共 {t} 页",
    }
    for pdf_page in range(info.front_pages + 1, info.page_count + 1):
        n = pdf_page - info.front_pages
        label = forms[furniture.page_number].format(n=n, t=total)
        assert info.page_labels[pdf_page - 1] == label
        lines = [" ".join(ln.split()) for ln in pages[pdf_page - 1].split("\n")]
        assert lines[0] == " ".join(info.page_headers[pdf_page - 1].split())
        if furniture.footer_lines:
            assert lines[-1] == PRINTER_LINE and lines[-2] == label
        else:
            assert lines[-1] == label


def test_alternating_headers_sit_on_the_outer_edge():
    furniture = FURNITURE_VARIANTS[1]
    data, info = issue_pdf(furniture=furniture.model_dump())
    assert furniture.header_align == "alternate"
    for pdf_page in (info.front_pages + 1, info.front_pages + 2):
        n = pdf_page - info.front_pages
        header = info.page_headers[pdf_page - 1]
        top = [c for c in chars(data, pdf_page) if c["top"] < 60]
        if n % 2 == 0:
            assert header.startswith(f"{ISSUE.issue_label} · ") and min(c["x0"] for c in top) == pytest.approx(LEFT, abs=1)
        else:
            assert header.endswith(f" · {ISSUE.issue_label}") and max(c["x1"] for c in top) > PAGE_WIDTH - LEFT - 2


def test_document_header_on_later_pages_only():
    furniture = FurnitureOptions(document_header="静乐县人民政府行政规范性文件", page_number="di_ye")
    data, info = doc_pdf(DOCS[1], furniture=furniture.model_dump())
    pages = page_texts(data)
    assert info.page_count > 1
    assert not pages[0].startswith("静乐县人民政府行政规范性文件")
    assert all(p.startswith("静乐县人民政府行政规范性文件") for p in pages[1:])
    assert info.page_labels == [f"第{i}页" for i in range(1, info.page_count + 1)]


# ------------------------------------------------------------------ fake bold
def test_fake_bold_draws_titles_twice_slightly_offset():
    spec = DOCS[3]
    data, _ = doc_pdf(spec, layout="fake_bold")
    title_chars = [c for c in chars(data, 1) if c["size"] > 21 and c["size"] < 23]
    counts = Counter(c["text"] for c in title_chars)
    assert all(v % 2 == 0 for v in counts.values())
    by_line: dict = {}
    for c in title_chars:
        by_line.setdefault((round(c["top"]), c["text"]), []).append(c["x0"])
    offsets = {round(xs[1] - xs[0], 2) for xs in (sorted(v) for v in by_line.values()) if len(xs) == 2}
    assert offsets and all(0.29 <= o <= 0.61 for o in offsets)
    assert "关关于于" in page_texts(data)[0].replace("\n", "")


# --------------------------------------------------------------- letter spacing
def test_letter_spaced_lines_are_placed_per_character_or_with_char_space():
    spec = DOCS[3]
    data, _ = doc_pdf(spec, layout="letter_spaced")
    raw = b"".join(content_streams(data))
    assert b" Tc" in raw  # charSpace lines
    body = [c for c in chars(data, 1) if round(c["size"]) == 16]
    lines: dict = {}
    for c in body:
        lines.setdefault(round(c["top"]), []).append(c)
    gaps = [
        b["x0"] - a["x1"]
        for line in lines.values()
        for a, b in zip(sorted(line, key=lambda c: c["x0"]), sorted(line, key=lambda c: c["x0"])[1:])
    ]
    assert max(gaps) > 3  # characters spread beyond their natural advance
    assert re.search(r"(?:[\u4e00-\u9fff] ){6}", page_texts(data)[0])  # pdfplumber sees the gaps as spaces
    title_line = next(ln for ln in page_texts(data)[0].split("\n") if ln.startswith("静 乐 县 人"))
    assert title_line.startswith("静 乐 县 人 民政府")


def content_streams(data: bytes) -> list[bytes]:
    import zlib

    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = m.group(1)
        try:
            import base64

            out.append(zlib.decompress(base64.a85decode(raw.strip(), adobe=True)))
        except Exception:
            continue
    return out


# ------------------------------------------------------------------ kangxi
def test_lookalike_table_is_sound():
    table = lookalikes()
    assert {"行": "⾏", "文": "⽂", "长": "⻓", "见": "⻅"}.items() <= table.items()
    for ideograph, lookalike in table.items():
        assert 0x2E80 <= ord(lookalike) <= 0x2FD5
        if ord(lookalike) >= 0x2F00:
            assert unicodedata.normalize("NFKC", lookalike) == ideograph
    assert fullwidth_numbers("静政发〔2022〕8号，2022年6月10日，第3条") == "静政发〔２０２２〕８号，２０２２年６月１０日，第3条"


@needs_ttf
def test_kangxi_text_layer_has_lookalikes_and_fullwidth_digits():
    spec = DOCS[3]
    data, _ = doc_pdf(spec, layout="kangxi")
    text = "".join(page_texts(data))
    assert any(0x2F00 <= ord(c) <= 0x2FD5 for c in text)
    assert any(0x2E80 <= ord(c) <= 0x2EFF for c in text)
    assert "静政发〔２０２２〕８号" in text
    assert to_lookalikes("２０２２年６月１０日") in text
    assert "人" not in text and "⼈" in text
    folded = unicodedata.normalize("NFKC", text)
    assert "静政发〔2022〕8号" in folded


# ------------------------------------------------------------- broken ToUnicode
@needs_ttf
def test_missing_tounicode_gives_cid_codes_but_same_glyphs():
    spec = DOCS[0]
    data, _ = doc_pdf(spec, layout="broken_tounicode")
    assert b"/ToUnicode" not in data
    text = page_texts(data)[0]
    assert "(cid:" in text
    assert squash(spec.title) not in squash(text)
    reference, _ = doc_pdf(spec, font="ttf")
    assert _bitmap(data) == _bitmap(reference)  # what a reader sees is unchanged


@needs_ttf
def test_garbage_tounicode_gives_wrong_ideographs():
    spec = DOCS[0]
    data, _ = doc_pdf(spec, layout="broken_tounicode", tounicode="garbage")
    text = page_texts(data)[0]
    assert "(cid:" not in text
    assert sum("\u4e00" <= c <= "\u9fff" for c in text) > 50
    assert squash(spec.title) not in squash(text)
    assert _bitmap(data) == _bitmap(doc_pdf(spec, font="ttf")[0])
    assert data == doc_pdf(spec, layout="broken_tounicode", tounicode="garbage")[0]
    idata, info = issue_pdf(layout="broken_tounicode", tounicode="garbage")  # many subsets, many CMaps
    assert len(page_texts(idata)) == info.page_count


def test_rebuild_pdf_round_trips():
    data, _ = doc_pdf(DOCS[0])
    header, objects, _ = pdf_objects(data)
    rebuilt = rebuild_pdf(data, {})
    assert page_texts(rebuilt) == page_texts(data)
    assert pdf_objects(rebuilt)[1].keys() == objects.keys()


def _bitmap(data: bytes) -> bytes:
    doc = pdfium.PdfDocument(data)
    try:
        return doc[0].render(scale=0.5).to_pil().tobytes()
    finally:
        doc.close()


# ------------------------------------------------------------------ scanned
def test_scanned_pages_have_no_text_layer():
    spec = DOCS[0]
    data, info = doc_pdf(spec, layout="scanned", scan={"dpi": 100})
    assert info.scanned_pages == list(range(1, info.page_count + 1))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert all(not p.chars for p in pdf.pages)
        assert all(len(p.images) == 1 for p in pdf.pages)
    assert data == doc_pdf(spec, layout="scanned", scan={"dpi": 100})[0]


def test_mixed_issue_scans_every_other_article():
    data, info = issue_pdf(layout="mixed", scan={"dpi": 100})
    second = info.articles[1]
    assert info.scanned_pages[: second.pdf_page_end - second.pdf_page_start + 1] == list(
        range(second.pdf_page_start, second.pdf_page_end + 1)
    )
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            assert (not page.chars) == (n in info.scanned_pages), n
    assert 1 not in info.scanned_pages and 2 not in info.scanned_pages  # cover and 目录 stay text


# ------------------------------------------------------------------ tables
def test_tables_are_found_by_pdfplumber():
    spec = add_repeal_table(DOCS[0], [("静乐县城区临时占道经营管理办法", "静政发〔2019〕3号"),
                                       ("静乐县农村集体经营性建设用地入市管理办法（试行）", "静政发〔2022〕8号")])
    table = spec.attachments[-1].tables[0]
    data, info = doc_pdf(spec)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        found = [t.extract() for p in pdf.pages for t in p.find_tables()]
    assert len(found) == 1
    assert [[squash(c) for c in row] for row in found[0]] == [[squash(c) for c in row] for row in table.rows]


def test_tables_case_adds_a_table_in_every_layout_that_keeps_text():
    case = CASES["tables"]
    spec = case.spec_for(DOCS[0], 0, DOCS)
    data, _ = doc_pdf(spec, layout="two_column")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert any(p.find_tables() for p in pdf.pages)
