"""pypdfium2 characters and the lines built from them (ingest/chars.py)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest.chars import Char, build_lines, page_chars
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
    second[1].top += 2.0
    second[1].bottom += 2.0
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
    for c in chars[:3]:
        c.red = True
    line = build_lines(chars)[0]
    assert (line.x0, line.x1) == (100.0, 100.0 + 3 * 22.0 + 22.0)
    assert line.size == 22.0 and line.red


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("chars")
    spec = DocSpec(
        issuer_mark="静乐县人民政府文件",
        doc_number="静政发〔2022〕8号",
        title="静乐县人民政府关于测试字符提取的通知",
        addressee="各乡镇人民政府：",
        paragraphs=["为检验字符提取，现将有关事项通知如下。"] * 3,
        signature="静乐县人民政府",
    )
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
