"""Numbered headings (gazette.headings): numbers, standalone vs run-in, levels that never skip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazette.headings import MAX_HEADING_CHARS, Numbering, classify, heading_levels


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("第一章 总则", 1),
        ("第三编 附则", 1),
        ("第二节 审核程序", 2),
        ("一、总体要求", 1),
        ("十二、附则", 1),
        ("一 、优化办事流程", 1),  # a stray space before the 、
        ("三．保障措施", 1),
        ("（一）工作目标", 2),
        ("(三)保障措施", 2),
        ("（十一）其他事项", 2),
        ("1.建立台账", 3),
        ("1. 加强领导", 3),
        ("2．明确责任", 3),
        ("12、其他", 3),
        ("（1）申请材料", 4),
        ("(2)审核", 4),
        ("  （二）加强协调配合  ", 2),
    ],
)
def test_standalone_headings_by_their_number(text, rank):
    assert classify(text) == Numbering(rank, True)


@pytest.mark.parametrize(
    "text",
    [
        "根据有关规定，现通知如下：",
        "第一条 为规范县级行政规范性文件管理，制定本办法。",  # an article is text, not a heading
        "第1章 总则",  # 章/节 take Chinese numerals
        "两、三年内完成改造。",  # 两 never numbers a heading
        "1.5亿元用于道路建设",
        "1、2号楼由县住建局负责",
        "2022年6月10日",
        "（2022）第3号",
        "一\t县司法局\t2022年12月31日",  # a table row
        "",
    ],
)
def test_paragraphs_without_a_heading_number(text):
    assert classify(text) is None


@pytest.mark.parametrize(
    ("text", "rank", "lead"),
    [
        # a lead sentence run into the paragraph
        ("（一）加强组织领导。各乡镇要高度重视，落实责任。", 2, "（一）加强组织领导。"),
        ("1.建立台账。各单位每季度更新一次。", 3, "1.建立台账。"),
        # a short paragraph ending in 。 is a lead sentence on its own, not a heading
        ("（二）统一审核标准。", 2, "（二）统一审核标准。"),
        ("5.补助标准以县财政局公布的目录为准。", 3, "5.补助标准以县财政局公布的目录为准。"),
        # list items end in a clause mark
        ("1.申请表；", 3, ""),
        ("（三）有下列情形之一的：", 2, ""),
        ("二、加快项目审批，", 1, ""),
        # a sentence end inside
        ("（四）落实责任。（县司法局负责）", 2, "（四）落实责任。"),
        ("一、" + "很长的标题" * 9, 1, ""),
    ],
)
def test_numbered_paragraphs_that_are_not_headings(text, rank, lead):
    assert classify(text) == Numbering(rank, False, lead)


def test_a_question_may_be_a_heading():
    assert classify("一、补贴对象是哪些人？") == Numbering(1, True)
    assert classify("二、怎样申请？需要哪些材料？") == Numbering(1, False)


def test_heading_length_limit():
    at_limit = "一、" + "规" * (MAX_HEADING_CHARS - 2)
    assert classify(at_limit) == Numbering(1, True)
    assert classify(at_limit + "定") == Numbering(1, False)


def test_run_in_lead_must_end_within_the_limit():
    late = "（一）" + "加" * MAX_HEADING_CHARS + "。其余正文。"
    assert classify(late) == Numbering(2, False, "")


def test_levels_follow_the_ranks():
    paras = ["第一章 总则", "第一节 一般规定", "一、适用范围", "（一）县级文件", "1.起草", "（1）征求意见", "正文。"]
    assert heading_levels(paras, top=2) == [2, 3, 2, 3, 4, 5, 0]


def test_levels_never_skip():
    paras = ["（一）第一项", "正文。", "1.细目", "一、大项", "（1）细则"]
    assert heading_levels(paras, top=2) == [2, 0, 3, 2, 3]
    assert heading_levels(["1.建立台账"], top=3) == [3]


def test_levels_stop_at_the_deepest():
    paras = ["一、总体要求", "（一）工作目标", "1.建立台账", "（1）台账格式"]
    assert heading_levels(paras, top=2, deepest=4) == [2, 3, 4, 4]


def test_run_in_paragraphs_and_table_rows_are_not_headings():
    paras = ["一、总体要求", "（一）加强领导。各部门要密切配合。", "1.审核\t县司法局", "（二）落实责任"]
    assert heading_levels(paras, top=2) == [2, 0, 0, 3]


@given(st.lists(st.text(alphabet="一二（）()1.、。；第章节 \t审核正文", max_size=30), max_size=20))
def test_levels_are_total_and_never_skip(paras):
    levels = heading_levels(paras, top=2)
    assert len(levels) == len(paras)
    previous = 1
    for level in levels:
        if level:
            assert 2 <= level <= min(previous + 1, 6)
            previous = level
