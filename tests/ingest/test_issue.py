"""The 目录 of a gazette issue (ingest/issue.py), on pages built in code."""

from __future__ import annotations

from ingest.extract import Line, PageText
from ingest.issue import parse_toc


def page(number: int, *texts: str) -> PageText:
    return PageText(number, 595.0, 842.0, [Line(text=t, page=number) for t in texts])


def test_ocr_misread_toc_heading_is_recognised_when_entries_follow() -> None:
    toc = page(2, "目秒", "县政府文件", "静乐县人民政府关于印发静乐县测试管理办法的通知……1",
               "县政府办公室文件", "静乐县人民政府办公室关于做好春季防火工作的通知……2")
    items, pages = parse_toc([toc, page(3, "静乐县人民政府关于印发静乐县测试管理办法的通知")])
    assert pages == [2]
    assert [(i.section, i.page) for i in items] == [("县政府文件", 1), ("县政府办公室文件", 2)]
    assert items[0].title == "静乐县人民政府关于印发静乐县测试管理办法的通知"


def test_two_character_line_without_entries_is_not_a_toc() -> None:
    body = page(3, "目的", "为规范管理，制定本办法。", "第二条 本办法适用于全县。")
    assert parse_toc([body]) == ([], [])
