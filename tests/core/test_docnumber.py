"""发文字号 parsing: every printed variant, running text, and totality."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazette.docnumber import doc_number_key, find_doc_numbers, normalize_doc_number, parse_doc_number
from gazette.model import DocNumber


@pytest.mark.parametrize(
    "text",
    [
        "静政发〔2022〕8号",
        "静政发[2022]8号",
        "静政发［2022］8号",
        "静政发（2022）8号",
        "静政发(2022)8号",
        "静政发【2022】8号",
        "静政发﹝2022﹞8号",
        "静政发〔２０２２〕８号",
        "静政发2022年8号",
        "静政发〔2022〕8",
        "静政发〔2022〕第8号",
        " 静 政 发 〔 2022 〕 8 号 ",
        "静政发〔2022〕8号。",
    ],
)
def test_variants_normalise_to_one_form(text: str) -> None:
    assert parse_doc_number(text) == DocNumber(prefix="静政发", year=2022, serial=8)
    assert normalize_doc_number(text) == "静政发〔2022〕8号"
    assert doc_number_key(text) == "静政发|2022|8"


@pytest.mark.parametrize(
    "text, prefix",
    [
        ("国办发〔2019〕6号", "国办发"),
        ("晋政办发〔2021〕12号", "晋政办发"),
        ("京建法〔2020〕3号", "京建法"),
        ("沪府规〔2018〕2号", "沪府规"),
        ("国办发明电〔2018〕15号", "国办发明电"),
        ("自然资规〔2019〕2号", "自然资规"),
        ("晋经信发〔2020〕3号", "晋经信发"),
    ],
)
def test_prefixes(text: str, prefix: str) -> None:
    dn = parse_doc_number(text)
    assert dn is not None and dn.prefix == prefix


@pytest.mark.parametrize("text", ["", "   ", "2022年8月1日", "静政发", "〔2022〕8号", "第8号", "静政发|x|y"])
def test_not_numbers(text: str) -> None:
    assert parse_doc_number(text) is None
    assert normalize_doc_number(text) is None


def test_lenient_key_forms() -> None:
    assert doc_number_key("静政发|2022|8") == "静政发|2022|8"
    assert doc_number_key("静政发 2022 8") == "静政发|2022|8"
    assert doc_number_key("说明文字") is None


def test_find_in_running_text_does_not_swallow_sentence_words() -> None:
    text = (
        "根据《国务院办公厅关于某事项的通知》（国办发〔2022〕8号）和市政府办公室印发的"
        "晋政办发〔2021〕12号文件精神，经研究，印发静政发2022年8号。自2022年8月1日起施行。"
    )
    found = find_doc_numbers(text)
    assert [dn.text for dn, _ in found] == ["国办发〔2022〕8号", "晋政办发〔2021〕12号", "静政发〔2022〕8号"]
    assert [text[a:b] for _, (a, b) in found] == ["国办发〔2022〕8号", "晋政办发〔2021〕12号", "静政发2022年8号"]


def test_find_respects_line_starts() -> None:
    text = "关于印发某办法的通知\n静政发〔2022〕8号\n"
    [(dn, (a, b))] = find_doc_numbers(text)
    assert dn.prefix == "静政发" and text[a:b] == "静政发〔2022〕8号"


_han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text())
def test_total_on_any_string(text: str) -> None:
    parse_doc_number(text)
    find_doc_numbers(text)
    normalize_doc_number(text)
    doc_number_key(text)


@given(
    prefix=st.text(_han, min_size=1, max_size=6),
    year=st.integers(1949, 2099),
    serial=st.integers(1, 99999),
    brackets=st.sampled_from(["〔〕", "[]", "［］", "（）", "()", "【】", "﹝﹞"]),
)
def test_round_trip_normal_form(prefix: str, year: int, serial: int, brackets: str) -> None:
    dn = DocNumber(prefix=prefix, year=year, serial=serial)
    printed = f"{prefix}{brackets[0]}{year}{brackets[1]}{serial}号"
    parsed = parse_doc_number(printed)
    # Single characters such as 的/和 are sentence words in running text; a prefix made
    # of them cannot be told from a sentence, so only the year/serial are pinned then.
    assert parsed is not None and parsed.year == year and parsed.serial == serial
    assert parsed.prefix == prefix or prefix.endswith(parsed.prefix)
    assert parse_doc_number(parsed.text) == parsed
    assert normalize_doc_number(dn.text) in (dn.text, parsed.text)
