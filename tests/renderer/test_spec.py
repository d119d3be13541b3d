"""Date formatting of printed 成文日期."""

import datetime as dt

from renderer.spec import DocSpec, format_date


def test_arabic_date():
    assert format_date(dt.date(2022, 6, 10)) == "2022年6月10日"


def test_chinese_numeral_dates():
    assert format_date(dt.date(2022, 6, 10), chinese_numerals=True) == "二〇二二年六月十日"
    assert format_date(dt.date(2020, 12, 31), chinese_numerals=True) == "二〇二〇年十二月三十一日"
    assert format_date(dt.date(2019, 1, 5), chinese_numerals=True) == "二〇一九年一月五日"
    assert format_date(dt.date(2019, 11, 20), chinese_numerals=True) == "二〇一九年十一月二十日"


def test_written_date_text_follows_option():
    spec = DocSpec(title="t", written_date=dt.date(2020, 5, 8), chinese_numerals_date=True)
    assert spec.written_date_text == "二〇二〇年五月八日"
