"""Cleaning: furniture removal, CJK spaces, fake bold, paragraph joining."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from ingest.clean import clean_pages, drop_cjk_spaces, join_lines, page_number_of, undouble
from ingest.extract import Line, PageText, extract


@pytest.mark.parametrize("text, n", [("— 3 —", 3), ("-3-", 3), ("- 12 -", 12), ("第3页", 3), ("3", 3), ("第 3 页 共 9 页", 3), ("3/9", 3)])
def test_page_numbers(text: str, n: int) -> None:
    assert page_number_of(text) == n


@pytest.mark.parametrize("text", ["2022年第3期", "一、总体要求", "— —", "静乐县人民政府公报"])
def test_not_page_numbers(text: str) -> None:
    assert page_number_of(text) is None


def test_cjk_spaces_dropped_ascii_kept() -> None:
    assert drop_cjk_spaces("静 乐 县　人民政府 ， 2022 年 v1 2") == "静乐县人民政府，2022 年 v1 2"


@pytest.mark.parametrize("space", [" ", "\t", "\u00a0", "\u3000", " \u3000\t"])
def test_every_kind_of_space_between_cjk_is_dropped(space: str) -> None:
    assert drop_cjk_spaces(f"静{space}乐县{space}，") == "静乐县，"


def test_a_line_without_spaces_is_unchanged() -> None:
    line = "为进一步加强行政规范性文件管理，制定本办法。"
    assert drop_cjk_spaces(line) == line


def test_undouble() -> None:
    assert undouble("静静乐乐县县人人民民政政府府") == "静乐县人民政府"
    assert undouble("看看这个") == "看看这个"


def _line(text: str, x0: float, x1: float, top: float, page: int = 1, size: float = 16.0) -> Line:
    return Line(text, page, x0, x1, top, top + size, size)


def test_headers_and_page_numbers_removed_and_labels_kept() -> None:
    pages = []
    for n in (1, 2, 3):
        lines = [
            _line(f"静乐县人民政府公报 2022年第{n}期", 220, 375, 45, n, 10.5),
            _line("正文第一行的文字内容", 106, 522, 110, n),
            _line(f"— {n + 4} —", 277, 318, 766, n, 14),
        ]
        pages.append(PageText(n, 595.3, 841.9, lines))
    cleaned = clean_pages(pages)
    assert [ln.text for ln in cleaned.lines] == ["正文第一行的文字内容"] * 3
    assert cleaned.page_labels == {1: 5, 2: 6, 3: 7}
    assert cleaned.headers == ["静乐县人民政府公报 2022年第1期"]


def test_join_lines_by_indent_and_short_lines() -> None:
    lines = [
        _line("一、总体要求", 106, 202, 100),
        _line("为规范管理，特制定本办法。本办法自2022年7月1日起施", 106, 502, 129),
        _line("行，有效期5年。同时废止原办法，原办法的规定不再适用于", 74, 522, 158),
        _line("本县。", 74, 122, 187),
        _line("二、工作要求", 106, 202, 216),
        _line("各单位要高度重视，认真组织，确保各项工作落到实处并", 106, 522, 245, page=1),
        _line("按时报送。", 74, 154, 110, page=2),
    ]
    paras = [p.text for p in join_lines(lines)]
    assert paras == [
        "一、总体要求",
        "为规范管理，特制定本办法。本办法自2022年7月1日起施行，有效期5年。同时废止原办法，原办法的规定不再适用于本县。",
        "二、工作要求",
        "各单位要高度重视，认真组织，确保各项工作落到实处并按时报送。",
    ]


def test_lines_without_geometry_are_paragraphs() -> None:
    assert [p.text for p in join_lines([Line("甲"), Line("乙")])] == ["甲", "乙"]


def test_fake_bold_is_deduplicated(tmp_path: Path) -> None:
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "bold.pdf"
    c = Canvas(str(path))
    c.setFont("STSong-Light", 16)
    for dx in (0.0, 0.4):  # fake bold: the same string painted twice, slightly offset
        c.drawString(100 + dx, 700, "静乐县人民政府关于加强管理的通知")
    c.drawString(100, 670, "静 乐 县 人 民 政 府")
    c.showPage()
    c.save()
    cleaned = clean_pages(extract(path).pages)
    assert [ln.text for ln in cleaned.lines] == ["静乐县人民政府关于加强管理的通知", "静乐县人民政府"]


def test_footer_of_a_one_page_file_is_furniture() -> None:
    """A one-page file cannot show a footer repeating: a line below the page number, or
    printed far smaller than the body, is furniture all the same; the 版记 stays."""
    lines = [
        _line("正文第一行的文字内容", 106, 522, 110),
        _line("抄送：县委办公室。", 74, 300, 690, size=14),
        _line("-1-", 289, 307, 766, size=14),
        _line("静乐县人民政府办公室印制", 244, 352, 792, size=9),
    ]
    cleaned = clean_pages([PageText(1, 595.3, 841.9, lines)])
    assert [ln.text for ln in cleaned.lines] == ["正文第一行的文字内容", "抄送：县委办公室。"]
    small = [_line("正文第一行的文字内容", 106, 522, 110), _line("内部资料 注意保存", 240, 350, 60, size=9)]
    assert [ln.text for ln in clean_pages([PageText(1, 595.3, 841.9, small)]).lines] == ["正文第一行的文字内容"]


def test_a_small_print_table_row_at_the_page_foot_is_kept() -> None:
    row = Line("1\t关于某事项的通知\t静政发〔2020〕3号", 1, 74, 522, 760, 770.5, 10.5, table_row=True)
    lines = [_line("正文第一行的文字内容", 106, 522, 110), _line("正文第二行的文字内容", 74, 522, 140), row]
    cleaned = clean_pages([PageText(1, 595.3, 841.9, lines)])
    assert cleaned.lines[-1].text == row.text
