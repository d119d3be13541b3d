"""Property tests the parser suites in tests/core do not have yet: normal forms found
again inside running text (with their spans), and validity end dates in both numeral
styles. The totality and plain round-trip properties live in tests/core."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from gazette.dates import find_dates, format_cn_date, parse_cn_date
from gazette.docnumber import DocNumber, find_doc_numbers, parse_doc_number
from gazette.validity import add_period, parse_validity

_prefixes = st.sampled_from(["静政发", "静政办发", "静建发", "国发", "国办发", "晋政办发", "忻政发", "静人社发"])
_days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


@given(_prefixes, st.integers(1949, 2099), st.integers(1, 9999))
def test_doc_number_found_in_running_text(prefix: str, year: int, serial: int) -> None:
    number = DocNumber(prefix=prefix, year=year, serial=serial)
    before, after = "根据《关于加强管理的通知》（", "）规定，现通知如下。"
    text = before + number.text + after
    found = find_doc_numbers(text)
    assert [dn for dn, _ in found] == [number]
    start, end = found[0][1]
    assert text[start:end] == number.text
    assert parse_doc_number(number.text) == number


@given(_days, st.booleans())
def test_dates_found_in_running_text(day: dt.date, chinese: bool) -> None:
    printed = format_cn_date(day, chinese=chinese)
    text = f"本办法自{printed}起施行。"
    found = find_dates(text)
    assert [d for d, _ in found] == [day]
    start, end = found[0][1]
    assert parse_cn_date(text[start:end]) == day


@given(_days, st.integers(1, 3650), st.booleans())
def test_validity_end_date_round_trip(effective: dt.date, days: int, chinese: bool) -> None:
    expiry = effective + dt.timedelta(days=days)
    text = f"本办法自{format_cn_date(effective)}起施行，有效期至{format_cn_date(expiry, chinese=chinese)}。"
    v = parse_validity(text)
    assert (v.effective_date, v.expiry_date) == (effective, expiry)


@given(_days, st.integers(1, 10))
def test_validity_period_in_chinese_numerals(written: dt.date, years: int) -> None:
    numeral = "一二三四五六七八九十"[years - 1]
    v = parse_validity(f"本规定自印发之日起施行，有效期{numeral}年。", written_date=written)
    assert v.effective_date == written and v.period_years == years
    assert v.expiry_date == add_period(written, years=years)
