"""pypdfium2 characters and the lines built from them (ingest/chars.py)."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import chars as chars_module
from ingest import extract as extract_module
from ingest import columns
from ingest.chars import (
    Y_TOLERANCE,
    Char,
    RawLine,
    build_lines,
    build_lines_compiled,
    build_lines_python,
    page_chars,
    page_objects_compiled,
    page_objects_python,
    read_chars_compiled,
    read_chars_python,
)
from renderer import DocSpec, render_document
from renderer.cases import CASES


def _row(text: str, x: float = 100.0, top: float = 50.0, step: float = 16.0, size: float = 16.0) -> list[Char]:
    out = []
    for ch in text:
        out.append(Char(ch, x, x + size, top, top + size, size))
        x += step
    return out


def test_a_row_reads_left_to_right_whatever_the_drawing_order() -> None:
    chars = _row("规范性文件")
    lines = build_lines(list(reversed(chars)))
    assert [ln.text for ln in lines] == ["规范性文件"]


def test_rows_are_split_by_top_and_ordered_top_down() -> None:
    first = _row("第二行", top=80.0)
    second = _row("第一行", top=50.0)
    # a character 2 pt lower still belongs to its row (superscript-like drift)
    second[1] = second[1]._replace(top=second[1].top + 2.0, bottom=second[1].bottom + 2.0)
    assert [ln.text for ln in build_lines(first + second)] == ["第一行", "第二行"]


def test_fake_bold_doubles_are_dropped() -> None:
    chars = _row("公告")
    doubled = [Char(c.text, c.x0 + 0.4, c.x1 + 0.4, c.top + 0.3, c.bottom + 0.3, c.size) for c in chars]
    lines = build_lines(chars + doubled)
    assert lines[0].text == "公告" and len(lines[0].chars) == 2


def test_a_repeated_character_further_on_is_kept() -> None:
    assert build_lines(_row("哈哈"))[0].text == "哈哈"


def test_gaps_and_printed_blanks_become_one_space() -> None:
    chars = _row("ab", step=16.0) + _row("cd", x=140.0)  # 8 pt gap after "b"
    assert build_lines(chars)[0].text == "ab cd"
    blank = _row("a b")
    assert build_lines(blank)[0].text == "a b"


def test_line_geometry_size_and_colour() -> None:
    chars = _row("红头文件", size=22.0, step=22.0)
    chars[:3] = [c._replace(red=True) for c in chars[:3]]
    line = build_lines(chars)[0]
    assert (line.x0, line.x1) == (100.0, 100.0 + 3 * 22.0 + 22.0)
    assert line.size == 22.0 and line.red


#: A short document of the layouts' kind: 版头 in red, 发文字号, title, body.
SPEC = DocSpec(
    issuer_mark="静乐县人民政府文件",
    doc_number="静政发〔2022〕8号",
    title="静乐县人民政府关于测试字符提取的通知",
    addressee="各乡镇人民政府：",
    paragraphs=["为检验字符提取，现将有关事项通知如下。"] * 3,
    signature="静乐县人民政府",
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("chars")
    spec = SPEC
    plain = folder / "plain.pdf"
    render_document(spec, plain)
    tables = folder / "tables.pdf"
    case = CASES["tables"]
    render_document(case.spec_for(spec, 0, [spec, spec]), tables, case.options_for(0))
    return {"plain": plain, "tables": tables}


def _pages(path: Path):
    doc = pdfium.PdfDocument(str(path))
    try:
        return [page_chars(doc[i]) for i in range(len(doc))]
    finally:
        doc.close()


def test_page_chars_of_a_rendered_document(rendered: dict[str, Path]) -> None:
    first = _pages(rendered["plain"])[0]
    lines = build_lines(first.chars)
    texts = [ln.text for ln in lines]
    assert texts[0] == "静乐县人民政府文件" and lines[0].red
    assert "静政发〔2022〕8号" in texts
    number = lines[texts.index("静政发〔2022〕8号")]
    assert not number.red and number.size == pytest.approx(16.0, abs=0.5)
    # boxes are pdfplumber's: a font-size-high box, top-left origin, inside the page
    assert all(0 <= c.x0 < c.x1 <= first.width and 0 <= c.top < c.bottom <= first.height for c in first.chars)
    assert not first.has_rules and first.image_count == 0


def test_ruled_tables_are_noticed(rendered: dict[str, Path]) -> None:
    assert not any(p.has_rules for p in _pages(rendered["plain"]))
    assert any(p.has_rules for p in _pages(rendered["tables"]))


def test_size_set_by_the_text_matrix(tmp_path: Path) -> None:
    """Word and WPS often print at ``Tf 1`` and scale the text with its matrix (or the
    graphics state's): the size is the printed one, as pdfplumber reports it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "scaled.pdf"
    canvas = Canvas(str(path))
    text = canvas.beginText()
    text.setTextTransform(16, 0, 0, 16, 100, 700)
    text.setFont("STSong-Light", 1)
    text.textOut("政府公报")
    canvas.drawText(text)
    canvas.saveState()
    canvas.translate(100, 600)
    canvas.scale(2, 2)
    canvas.setFont("STSong-Light", 11)
    canvas.drawString(0, 0, "规范性文件")
    canvas.restoreState()
    canvas.save()
    lines = build_lines(_pages(path)[0].chars)
    assert [(ln.text, round(ln.size)) for ln in lines] == [("政府公报", 16), ("规范性文件", 22)]
    assert all(round(ln.bottom - ln.top) == round(ln.size) for ln in lines)


# -- the compiled character loop ------------------------------------------------------
def _pdf(content: bytes, objects: dict[int, bytes]) -> bytes:
    """A one-page PDF (A4) whose page draws ``content``, with ``objects`` added
    (numbered from 5; the font resource F1 is object 4), cross-reference table and
    all."""
    body = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 6 0 R >>",
        6: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        **objects,
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(body):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    for number in sorted(body):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, xref)
    return bytes(out)


@pytest.fixture(scope="module")
def odd_characters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Helvetica with a ToUnicode map that reads A as U+20000 (beyond the BMP: two
    halves in pdfium), B as a printed blank, C as the katakana middle dot pdfium
    reports for 间隔号; one line black at Tf 12, one red at Tf 1 scaled by Tm."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CMapName /Odd def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"3 beginbfchar <41> <D840DC00> <42> <0020> <43> <30FB> endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    content = (
        b"BT /F1 12 Tf 1 0 0 1 72 700 Tm (ABCA) Tj ET\n"
        b"1 0 0 rg BT /F1 1 Tf 20 0 0 20 72 650 Tm (ACBA) Tj ET"
    )
    objects = {
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>",
        5: b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    }
    path = tmp_path_factory.mktemp("odd") / "odd.pdf"
    path.write_bytes(_pdf(content, objects))
    return path


def _both_loops(path: Path) -> list[tuple[list[Char], list[Char]]]:
    """Each page's characters read by the Python loop and by the compiled one."""
    doc = pdfium.PdfDocument(str(path))
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            handle = ctypes.cast(tp.raw, ctypes.c_void_p).value
            height = page.get_size()[1]
            out.append((read_chars_python(handle, tp.count_chars(), height),
                        read_chars_compiled(handle, tp.count_chars(), height)))
            tp.close()
            page.close()
    finally:
        doc.close()
    return out


def _both_object_passes(path: Path) -> list[tuple[tuple[int, bool], tuple[int, bool]]]:
    """Each page's images and ruled-table verdict by the Python pass and the compiled one."""
    doc = pdfium.PdfDocument(str(path))
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            handle = ctypes.cast(page.raw, ctypes.c_void_p).value
            compiled = page_objects_compiled(handle) if chars_module._compiled is not None else None
            out.append((page_objects_python(handle), compiled))
            page.close()
    finally:
        doc.close()
    return out


def _exact(chars: list[Char]) -> list[tuple]:
    """Characters with the types of their fields: equal means identical."""
    return [tuple((type(v).__name__, v) for v in c) + (type(c).__name__,) for c in chars]


def _python_only(path: Path) -> list[Char]:
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        tp = page.get_textpage()
        return read_chars_python(ctypes.cast(tp.raw, ctypes.c_void_p).value, tp.count_chars(), page.get_size()[1])
    finally:
        doc.close()


def test_the_python_loop_reads_characters_beyond_the_bmp_blanks_and_red_scaled_text(odd_characters: Path) -> None:
    chars = _python_only(odd_characters)
    assert "".join(c.text for c in chars) == "\U00020000 \u00b7\U00020000\U00020000\u00b7 \U00020000"
    black, red = chars[:4], chars[4:]
    assert not any(c.red for c in black) and all(c.red for c in red)
    assert {c.size for c in black} == {12.0} and {round(c.size, 3) for c in red} == {20.0}


needs_compiled = pytest.mark.skipif(chars_module._compiled is None, reason="ingest._chars was not built (no C compiler)")


@needs_compiled
def test_the_compiled_loop_reads_what_the_python_loop_reads(odd_characters: Path, rendered: dict[str, Path]) -> None:
    for path in (odd_characters, rendered["plain"], rendered["tables"]):
        for python, compiled in _both_loops(path):
            assert _exact(compiled) == _exact(python)


@needs_compiled
def test_the_compiled_loop_shares_equal_values(rendered: dict[str, Path]) -> None:
    """A repeated ideograph is one string object, and a line's characters share their
    top, bottom and size: equal values are made (and freed) once, not per character."""
    chars = _both_loops(rendered["plain"])[0][1]
    by_text: dict[str, list[Char]] = {}
    for c in chars:
        by_text.setdefault(c.text, []).append(c)
    repeated = [group for text, group in by_text.items() if len(group) > 1 and ord(text) > 0xFF]
    assert repeated and all(c.text is group[0].text for group in repeated for c in group)
    pairs = [(a, b) for a, b in zip(chars, chars[1:]) if a.top == b.top and a.size == b.size]
    assert len(pairs) > len(chars) // 2
    assert all(a.top is b.top and a.bottom is b.bottom and a.size is b.size for a, b in pairs)


@needs_compiled
@pytest.mark.parametrize("case", sorted(n for n in CASES if n not in ("ofd",)))
def test_the_compiled_loop_reads_every_layout_as_the_python_loop(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case}.pdf"
    render_document(CASES[case].spec_for(SPEC, 0, [SPEC, SPEC]), path, CASES[case].options_for(0))
    pages = _both_loops(path)
    assert pages
    for python, compiled in pages:
        assert _exact(compiled) == _exact(python)
        # and the lines built from them, in C and in Python
        assert _lines(build_lines_compiled(compiled)) == _lines(build_lines_python(python))
        # and the extractor's Lines made of those, in C and in Python
        raws = build_lines_python(python)
        assert extract_module._lines_of(raws, 7) == [extract_module._line_of(raw, 7) for raw in raws]
        # and the rows' cover the columns are found from
        assert columns._cover_compiled(compiled) == columns._cover_python(python)
    # the object pass: images and the ruled-table verdict
    for python, compiled in _both_object_passes(path):
        assert compiled == python
        assert type(compiled[0]) is int and type(compiled[1]) is bool


#: Filled rectangles (width, height) and the verdict on a page of them: a box both
#: sides at least 10 pt is a frame; a rule at most 3 pt wide and at least 8 pt tall is
#: a vertical, and two verticals make a table. Each side of each bound.
_RULED = [
    ([(10, 10)], True),
    ([(9.9, 10)], False),
    ([(10, 9.9)], False),
    ([(3, 8)], False),
    ([(3, 8), (3, 8)], True),
    ([(3.1, 8), (3, 8)], False),
    ([(3, 7.9), (3, 8)], False),
    ([(300, 1), (300, 1), (1, 5)], False),
]


@needs_compiled
def test_lines_made_in_c_are_the_lines_python_makes() -> None:
    """The compiled Lines: folded look-alikes, sizes rounded as Python rounds them
    (halves included), red and page carried, ordinary dataclass instances that compare,
    print, copy and collect like those Python makes."""
    import dataclasses
    import gc

    raws = [
        RawLine("⾏政规范性⽂件", [], 90.0, 500.5, 100.25, 116.25, 10.25, False),
        RawLine("静乐县人民政府", [], 120.0, 300.0, 40.0, 62.0, 21.95, True),
        RawLine("plain ascii 2022", [], 1.0, 2.0, 3.0, 4.0, 15.999, False),
        RawLine("", [], 0.0, 0.0, 0.0, 0.0, 0.05, False),
    ]
    made = extract_module._lines_of(raws, 3)
    python = [extract_module._line_of(raw, 3) for raw in raws]
    assert made == python and [repr(m) for m in made] == [repr(p) for p in python]
    assert made[0].text == "行政规范性文件" and made[1].red and made[1].page == 3
    assert all(type(m) is extract_module.Line for m in made)
    assert dataclasses.replace(made[0], text="x").size == made[0].size
    made[2].text = "edited"  # mutable, as Python's are
    assert made[2].text == "edited"
    del made, python
    gc.collect()
    with pytest.raises(TypeError):
        chars_module._compiled.make_lines([("not", "a", "line")], 1, extract_module.Line, extract_module._LINE_SLOTS, str, round)
    with pytest.raises(TypeError):
        chars_module._compiled.make_lines([], 1, extract_module.Line, (RawLine.text,) * 10, str, round)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_fold_changes_only_the_range_the_compiled_lines_check(text: str) -> None:
    """The compiled Lines call fold only for a text holding a code point of
    U+2E80–U+2FD5: fold must leave every other code point as it is."""
    from ingest.lookalikes import fold

    outside = "".join(c for c in text if not 0x2E80 <= ord(c) <= 0x2FD5)
    assert fold(outside) == outside


@pytest.mark.parametrize("rects, ruled", _RULED)
def test_the_object_pass_judges_rules_at_their_bounds(rects, ruled, tmp_path: Path) -> None:
    content = b"0 g\n" + b"".join(b"%d 100 %s %s re f\n" % (50 + 40 * k, str(w).encode(), str(h).encode())
                                  for k, (w, h) in enumerate(rects))
    path = tmp_path / "rects.pdf"
    path.write_bytes(_pdf(content, {4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", 5: b"<< >>"}))
    passes = _both_object_passes(path)
    assert passes[0][0] == (0, ruled)
    if chars_module._compiled is not None:
        assert passes[0][1] == passes[0][0]


@needs_compiled
def test_the_compiled_object_pass_sees_images_and_rules(tmp_path: Path) -> None:
    """The layouts that print images (scanned pages) and ruled tables give the compiled
    pass what the Python pass gives, and neither is all zero."""
    seen = {}
    for case in ("scanned", "tables", "plain"):
        path = tmp_path / f"{case}.pdf"
        render_document(CASES[case].spec_for(SPEC, 0, [SPEC, SPEC]), path, CASES[case].options_for(0))
        passes = _both_object_passes(path)
        assert [c for _, c in passes] == [p for p, _ in passes]
        seen[case] = [c for _, c in passes]
    assert all(images >= 1 for images, _ in seen["scanned"])
    assert any(ruled for _, ruled in seen["tables"])
    assert seen["plain"] and not any(images or ruled for images, ruled in seen["plain"])


def _lines(lines: list[RawLine]) -> list[tuple]:
    """Lines with the types of their fields and their characters: equal means identical."""
    return [
        (type(ln).__name__, ln.text, _exact(ln.chars))
        + tuple((type(v).__name__, v) for v in (ln.x0, ln.x1, ln.top, ln.bottom, ln.size, ln.red))
        for ln in lines
    ]


#: Characters of awkward rows: ties in top and x0, rows drifting by less than the
#: tolerance, printed blanks, fake-bold doubles, several characters per record.
_texts = st.sampled_from(["规", "范", "性", "a", "fi", " ", "\u3000", "", "·"])
#: positions a tolerance apart (1.5 pt across, 3 pt down), so gaps and drifts land on
#: the tolerances exactly as well as either side of them
_xs = st.sampled_from([0.0, 1.4, 1.5, 3.0, 4.5, 16.0, 17.5, 19.1])
_widths = st.sampled_from([0.0, 1.5, 3.0, 16.0])
_tops = st.sampled_from([0.0, 1.5, 2.9, 3.0, 3.1, 6.0, 16.0])
_rows_of_chars = st.lists(
    st.tuples(_texts, _xs, _widths, _tops, st.sampled_from([10.0, 12.0, 16.0, 22.0]), st.booleans()).map(
        lambda spec: Char(spec[0], spec[1], spec[1] + spec[2], spec[3], spec[3] + spec[4], spec[4], spec[5])
    ),
    max_size=40,
)


@needs_compiled
@settings(max_examples=500, deadline=None)
@given(_rows_of_chars)
def test_compiled_lines_equal_python_lines(chars) -> None:
    assert _lines(build_lines_compiled(chars)) == _lines(build_lines_python(chars))
    assert _lines(build_lines(chars)) == _lines(build_lines_python(chars))


@settings(max_examples=500, deadline=None)
@given(_rows_of_chars)
def test_lines_come_top_down_more_than_the_tolerance_apart(chars) -> None:
    """ingest.extract takes the lines of a page without columns or tables in the order
    they are built, without sorting them by top: that order must be top-down, each
    line's top more than Y_TOLERANCE below the one before (so no rounding of the tops
    can change it)."""
    for lines in (build_lines(chars), build_lines_python(chars)):
        tops = [ln.top for ln in lines]
        assert all(below - above > Y_TOLERANCE for above, below in zip(tops, tops[1:]))
        assert [round(t) for t in tops] == sorted({round(t) for t in tops})


@needs_compiled
def test_lines_of_other_records_are_built_in_python() -> None:
    chars = _row("规范")
    odd = chars + [chars[0]._replace(x0=300)]  # an int coordinate: not a Char of floats
    with pytest.raises(TypeError):
        build_lines_compiled(odd)
    assert _lines(build_lines(odd)) == _lines(build_lines_python(odd))
