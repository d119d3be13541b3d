"""Unit tests of the page text helpers: dates, banners, headings."""

from __future__ import annotations

import datetime as dt

from gazette.model import StatusEvent
from gazette.status import status_at
from search_api.presentation import Block, blocks, status_banner, zh_date
from tests.factories import make_doc, repeal_event

TODAY = dt.date(2024, 1, 1)


def test_blocks_keep_lead_phrase_of_numbered_paragraphs():
    out = blocks(["第一章 总则", "（一）加强组织领导。各乡镇要高度重视，落实责任。", "", "  正文。 "])
    assert out == [Block(2, "第一章 总则"), Block(0, "各乡镇要高度重视，落实责任。", "（一）加强组织领导。"), Block(0, "正文。")]


def test_blocks_levels_stay_within_what_the_page_renders():
    out = blocks(["（一）工作目标", "一、总体要求", "（一）目标", "1.建立台账", "（1）台账格式", "1.申请表；"])
    assert [b.level for b in out] == [2, 2, 3, 4, 4, 0]
    assert out[-1] == Block(0, "1.申请表；")


def test_zh_date():
    assert zh_date(dt.date(2023, 5, 1)) == "2023年5月1日"
    assert zh_date(None) == ""


def _banner(doc, day=TODAY, basis_id=None):
    return status_banner(doc, status_at(doc, day), day, basis_id, TODAY)


def test_banner_repealed_with_basis():
    doc = make_doc("办法", "x", events=[repeal_event(dt.date(2023, 5, 1))])
    b = _banner(doc, basis_id="dabc")
    assert (b.text, b.basis_text, b.basis_id, b.tail) == ("本文件已于2023年5月1日废止，废止依据：", "静政发〔2023〕4号", "dabc", "。")


def test_banner_expired_by_period_and_by_decision():
    doc = make_doc("办法", "x", expiry=dt.date(2022, 12, 31))
    assert _banner(doc).text == "本文件有效期至2022年12月31日，已于2023年1月1日失效。"
    declared = make_doc(
        "办法", "x",
        events=[StatusEvent(document_id="", kind="expired", date=dt.date(2023, 2, 1), cause="宣布失效",
                            basis_doc_number="静政发〔2023〕1号")],
    )
    b = _banner(declared)
    assert b.text == "本文件已于2023年2月1日失效，依据：" and b.basis_text == "静政发〔2023〕1号"


def test_banner_valid_as_of_and_future():
    doc = make_doc("办法", "x", expiry=dt.date(2027, 6, 30), effective=dt.date(2022, 7, 1))
    assert _banner(doc).text == "本文件现行有效，有效期至2027年6月30日。"
    assert _banner(doc, dt.date(2022, 6, 1)).text == "截至2022年6月1日，本文件将于2022年7月1日起施行，有效期至2027年6月30日。"


def test_title_markup_only_when_it_covers_the_whole_title():
    from search_api.presentation import title_markup

    assert title_markup("关于<b>的通知", "关于&lt;b&gt;的<mark>通知</mark>") == "关于&lt;b&gt;的<mark>通知</mark>"
    assert title_markup("关于很长标题的通知", "标题的<mark>通知</mark>") is None
    assert title_markup("x", None) is None
