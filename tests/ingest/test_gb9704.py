"""GB/T 9704 element parsing on text fixtures built in code (one paragraph per line)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gazette.model import Disclosure
from ingest import gb9704
from ingest.extract import Line
from ingest.gb9704 import (
    infer_disclosure,
    infer_doc_type,
    looks_normative,
    parse_document,
)


def lines(*texts: str) -> list[Line]:
    return [Line(t) for t in texts]


FULL = lines(
    "统一登记号：JLDR-2022-0010008",
    "静乐县人民政府文件",
    "静政发〔2022〕8号",
    "静乐县人民政府关于印发静乐县农村集体",
    "经济组织财务管理办法（试行）的通知",
    "各乡镇人民政府，县直各有关单位：",
    "现将《静乐县农村集体经济组织财务管理办法（试行）》印发给你们，请认真贯彻执行。",
    "一、总体要求",
    "本办法自2022年7月1日起施行，有效期5年。",
    "附件：1.静乐县农村集体经济组织财务管理办法（试行）",
    "2.有关表格",
    "静乐县人民政府",
    "二〇二二年六月十日",
    "（此件公开发布）",
    "附件1",
    "静乐县农村集体经济组织财务管理办法（试行）",
    "第一条 为了规范管理，制定本办法。",
    "附件2",
    "有关表格",
    "表格内容。",
    "抄送：县委办，县人大办。",
    "静乐县人民政府办公室 2022年6月11日印发",
)


def test_full_official_document() -> None:
    doc = parse_document(FULL)
    assert doc.registration_number == "JLDR-2022-0010008"
    assert doc.issuer_mark == "静乐县人民政府文件"
    assert doc.doc_number and doc.doc_number.text == "静政发〔2022〕8号"
    assert doc.title == "静乐县人民政府关于印发静乐县农村集体经济组织财务管理办法（试行）的通知"
    assert doc.addressee == "各乡镇人民政府，县直各有关单位："
    assert doc.paragraphs == [
        "现将《静乐县农村集体经济组织财务管理办法（试行）》印发给你们，请认真贯彻执行。",
        "一、总体要求",
        "本办法自2022年7月1日起施行，有效期5年。",
    ]
    assert doc.attachment_notes == ["1.静乐县农村集体经济组织财务管理办法（试行）", "2.有关表格"]
    assert doc.signatures == ["静乐县人民政府"] and doc.issuers == ["静乐县人民政府"]
    assert doc.written_date == dt.date(2022, 6, 10) and doc.written_date_text == "二〇二二年六月十日"
    assert doc.note == "（此件公开发布）" and doc.disclosure is Disclosure.public
    assert [(a.label, a.title, a.paragraphs) for a in doc.attachments] == [
        ("附件1", "静乐县农村集体经济组织财务管理办法（试行）", ["第一条 为了规范管理，制定本办法。"]),
        ("附件2", "有关表格", ["表格内容。"]),
    ]
    assert doc.cc == "县委办，县人大办。"
    assert doc.printed_by == "静乐县人民政府办公室" and doc.printed_date == dt.date(2022, 6, 11)
    assert doc.doc_type == "通知"


def test_signer_on_the_number_line() -> None:
    doc = parse_document(lines("静乐县人民政府文件", "静政发〔2022〕10号 签发人：李明华", "关于某事项的请示", "县委：", "特此请示。", "静乐县人民政府", "2022年4月12日"))
    assert doc.doc_number and doc.doc_number.serial == 10 and doc.signer == "李明华"
    assert doc.title == "关于某事项的请示" and doc.doc_type == "请示"
    assert doc.written_date == dt.date(2022, 4, 12)


def test_gazette_reprint_has_number_under_title() -> None:
    doc = parse_document(lines("静乐县人民政府关于废止部分行政规范性文件的决定", "静政发〔2022〕11号", "各乡镇人民政府：", "决定废止下列文件。", "静乐县人民政府", "2022年6月20日"))
    assert doc.issuer_mark is None
    assert doc.title == "静乐县人民政府关于废止部分行政规范性文件的决定"
    assert doc.doc_number and doc.doc_number.text == "静政发〔2022〕11号"
    assert doc.doc_type == "决定" and doc.paragraphs == ["决定废止下列文件。"]


def test_plain_document_title_first_no_number() -> None:
    doc = parse_document(lines("静乐县城区物业服务收费管理办法", "第一条 为规范物业服务收费，制定本办法。", "第二条 本办法自2022年7月1日起施行。"))
    assert doc.title == "静乐县城区物业服务收费管理办法" and doc.doc_number is None
    assert doc.doc_type == "办法" and len(doc.paragraphs) == 2 and doc.written_date is None


@pytest.mark.parametrize(
    "title, kind",
    [
        ("关于印发某办法的通知", "通知"),
        ("静乐县某某管理办法（试行）", "办法"),
        ("关于某事项的批复", "批复"),
        ("某某实施细则", "细则"),
        ("关于某事项的函", "函"),
        ("某某工作方案", "方案"),
        ("无法识别的标题", None),
    ],
)
def test_doc_type(title: str, kind: str | None) -> None:
    assert infer_doc_type(title) == kind


def test_disclosure() -> None:
    assert infer_disclosure("（此件依申请公开）") is Disclosure.on_request
    assert infer_disclosure("（此件不予公开）") is Disclosure.withheld
    assert infer_disclosure(None) is Disclosure.public


def test_normative() -> None:
    assert looks_normative("静乐县某某管理办法", "")
    assert looks_normative("关于加强管理的通知", "", has_period=True)
    assert not looks_normative("关于某事项的批复", "", has_period=True)
    assert looks_normative("关于某事项的通知", "", registration="JLDR-1")
    assert not looks_normative("关于召开会议的通知", "")


def test_garbage_never_raises() -> None:
    for texts in ([], [""], ["附件"], ["2022年6月10日"], ["抄送：", "印发"], ["（此件公开发布）"]):
        parse_document(lines(*texts))


def test_signature_centred_over_a_wider_date_in_a_narrow_column() -> None:
    """A column's signature block (GB/T 9704: 署名 centred over the 成文日期) lies left
    of the text block's centre; the date starts left of the signature."""
    geo = [
        Line("国务院关于印发某方案的通知", 1, 177, 419, 100, 122, 22.0),
        Line("各省、自治区、直辖市人民政府：", 1, 74, 278, 150, 162, 12.0),
        Line("现将《某方案》印发给你们，请认真", 1, 98, 278, 172, 184, 12.0),
        Line("贯彻执行。", 1, 74, 134, 194, 206, 12.0),
        Line("国务院", 1, 226, 262, 238, 250, 12.0),
        Line("2019年1月24日", 1, 211, 286, 260, 272, 12.0),
        Line("（此件公开发布）", 1, 98, 194, 282, 294, 12.0),
    ] + [Line("某方案的正文，一行排满了字，" * 2, 2, 74, 522, 100 + 22 * k, 112 + 22 * k, 12.0) for k in range(20)]
    geo.insert(7, Line("某方案", 2, 260, 336, 70, 92, 22.0))
    doc = parse_document(geo)
    assert doc.written_date == dt.date(2019, 1, 24)
    assert doc.signatures == ["国务院"]
    assert [a.title for a in doc.attachments] == ["某方案"]


def test_date_in_chinese_numerals_filling_a_column() -> None:
    """Column lines are mapped onto the full text block, so a date in Chinese numerals
    under a short signature can start left of the block's centre and end at its edge."""
    geo = [
        Line("国务院关于印发某规则的通知", 1, 89, 507, 100, 122, 22.0),
        Line("各省、自治区、直辖市人民政府：", 1, 74, 509, 150, 166, 16.0),
        Line("《某规则》已经国务院常务会议修订", 1, 125, 517, 172, 188, 16.0),
        Line("通过，现予印发。", 1, 74, 279, 194, 210, 16.0),
        Line("国务院", 1, 398, 475, 238, 254, 16.0),
        Line("二〇〇四年六月二十六日", 1, 245, 526, 260, 276, 16.0),
        # the printed rules follow in the right column, without an 附件 label
        Line("某 规 则", 1, 157, 449, 100, 122, 22.0, column=2),
        Line("第一章 总 则", 1, 127, 267, 150, 166, 16.0, column=2),
        Line("第一条 为了规范工作，制定本规则。", 1, 127, 514, 172, 188, 16.0, column=2),
    ]
    for ln in geo[:6]:
        ln.column = 1
    doc = parse_document(geo)
    assert doc.written_date == dt.date(2004, 6, 26)
    assert doc.signatures == ["国务院"]
    assert "二〇〇四" not in doc.text


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(["cn", "cn_ten", "arabic", "fullwidth", "iso"]),
    st.booleans(),
)
@example(dt.date(2022, 12, 31), "cn_ten", False)  # 二〇二二年一十二月三十一日: 13 characters
@example(dt.date(2022, 12, 31), "cn_ten", True)
def test_a_date_line_is_read_at_its_longest(day: dt.date, form: str, spaced: bool) -> None:
    """Every printed form of a date alone on a line is a 成文日期 line, spaced out or not,
    the longest (一十二月, 三十一日 in numerals) included: the length cut of
    ``_date_only`` never drops one."""
    numerals = "〇一二三四五六七八九"

    def cn(n: int, ten: bool) -> str:
        tens, ones = divmod(n, 10)
        if not tens:
            return numerals[ones]
        head = ("一" if ten else "") if tens == 1 else numerals[tens]
        return head + "十" + (numerals[ones] if ones else "")

    text = {
        "cn": "".join(numerals[int(c)] for c in str(day.year)) + f"年{cn(day.month, False)}月{cn(day.day, False)}日",
        "cn_ten": "".join(numerals[int(c)] for c in str(day.year)) + f"年{cn(day.month, True)}月{cn(day.day, True)}日",
        "arabic": f"{day.year}年{day.month}月{day.day}日",
        "fullwidth": f"{day.year}年{day.month:02d}月{day.day:02d}日".translate(
            {cp - 0xFEE0: cp for cp in range(0xFF10, 0xFF1A)}
        ),
        "iso": day.isoformat(),
    }[form]
    if spaced:
        text = " ".join(text)
    assert gb9704._date_only(text) == day
    assert gb9704._date_only(text + "印发") is None
