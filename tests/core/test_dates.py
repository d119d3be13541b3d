"""Chinese date parsing: digit and numeral forms, ISO-like forms, totality."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazette.dates import cn_number, find_dates, format_cn_date, parse_cn_date

D = dt.date(2022, 6, 10)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022年6月10日", D),
        ("2022年06月10日", D),
        ("二〇二二年六月十日", D),
        ("二零二二年六月十日", D),
        ("二○二二年六月十日", D),
        ("2022-06-10", D),
        ("2022.6.10", D),
        ("2022/6/10", D),
        ("２０２２年６月１０日", D),
        ("2022 年 6 月 10 日", D),
        ("二〇二二年十一月三十日", dt.date(2022, 11, 30)),
        ("二〇二二年十二月三十一日", dt.date(2022, 12, 31)),
        ("二〇二二年一月二十日", dt.date(2022, 1, 20)),
        ("印发日期：2022年6月10日", D),
        ("2022年2月30日", None),
        ("二〇二二年十一月三十一日", None),
        ("版本 1.2.3", None),
        ("", None),
    ],
)
def test_parse(text: str, expected: dt.date | None) -> None:
    assert parse_cn_date(text) == expected


def test_cn_number() -> None:
    assert [cn_number(s) for s in ["十", "十一", "二十", "三十一", "九", "零九"]] == [10, 11, 20, 31, 9, 9]
    assert cn_number("十十") is None and cn_number("abc") is None


def test_find_dates_in_text() -> None:
    text = "本办法自2022年7月1日起施行，有效期至二〇二七年六月三十日。"
    found = find_dates(text)
    assert [d for d, _ in found] == [dt.date(2022, 7, 1), dt.date(2027, 6, 30)]
    assert text[slice(*found[1][1])] == "二〇二七年六月三十日"


@given(st.text())
def test_total(text: str) -> None:
    parse_cn_date(text)
    find_dates(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans())
def test_round_trip(day: dt.date, chinese: bool) -> None:
    assert parse_cn_date(format_cn_date(day, chinese=chinese)) == day
