"""Parse Chinese dates: 2022年6月10日, 二〇二二年六月十日, 2022-06-10, 2022.6.10.

Dates in gazettes and normative documents are printed with Arabic digits (ASCII or
full-width), with Chinese numerals (年 digits read one by one with 〇/零/○ for zero;
月 and 日 as numbers: 十, 十一, 二十, 三十一), or in ISO-like forms with ``-``, ``.``
or ``/``. Every function here is total: it never raises on any string input and
returns ``None`` / ``[]`` when there is no valid calendar date.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_cn_date", "find_dates", "format_cn_date", "cn_number"]

_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_FW = {cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)}
_FW.update({0x3000: " ", 0xFF0E: ".", 0xFF0D: "-", 0xFF0F: "/"})

_SP = r"[ \t\u00a0]*"
_CN_YEAR = "〇零○一二三四五六七八九Ｏ"
_CN_NUM = "〇零一二三四五六七八九十两"

_ARABIC = re.compile(
    rf"(?<!\d)(?P<y>\d{{4}}){_SP}年{_SP}(?P<m>\d{{1,2}}){_SP}月{_SP}(?P<d>\d{{1,2}}){_SP}[日号](?!\d)"
)
_CHINESE = re.compile(
    rf"(?P<y>[{_CN_YEAR}]{{4}}){_SP}年{_SP}(?P<m>[{_CN_NUM}]{{1,3}}){_SP}月{_SP}(?P<d>[{_CN_NUM}]{{1,4}}){_SP}[日号]"
)
_ISO = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])")


def cn_number(text: str) -> int | None:
    """Value of a small Chinese number (0–99): 十, 十一, 二十, 三十一, 二, 零九; ``None`` if not one.

    Digit-by-digit readings (二〇 = 20) are accepted too, as some dates print them.
    """
    if not text or any(c not in _DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        if text.count("十") > 1:
            return None
        tens, _, ones = text.partition("十")
        t = _DIGITS[tens] if tens else 1
        if len(tens) > 1 or len(ones) > 1:
            return None
        o = _DIGITS[ones] if ones else 0
        return t * 10 + o
    value = 0
    for c in text:
        value = value * 10 + _DIGITS[c]
    return value if len(text) <= 2 else None


def _mk(y: int | None, m: int | None, d: int | None) -> dt.date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _from_match(m: re.Match[str], kind: str) -> dt.date | None:
    if kind == "cn":
        y = 0
        for c in m.group("y"):
            y = y * 10 + _DIGITS[c]
        return _mk(y, cn_number(m.group("m")), cn_number(m.group("d")))
    return _mk(int(m.group("y")), int(m.group("m")), int(m.group("d")))


def _prep(text: str) -> str:
    return text.translate(_FW)


def find_dates(text: str) -> list[tuple[dt.date, tuple[int, int]]]:
    """Every valid date in ``text`` with its ``(start, end)`` span, in reading order.

    Impossible dates (2022年2月30日) are skipped. Spans index the original string.
    """
    if not isinstance(text, str) or not text:
        return []
    s = _prep(text)
    out: list[tuple[dt.date, tuple[int, int]]] = []
    for rx, kind in ((_ARABIC, "ar"), (_CHINESE, "cn"), (_ISO, "iso")):
        for m in rx.finditer(s):
            if any(a < m.end() and m.start() < b for _, (a, b) in out):
                continue
            d = _from_match(m, kind)
            if d is not None:
                out.append((d, (m.start(), m.end())))
    out.sort(key=lambda item: item[1])
    return out


def parse_cn_date(text: str) -> dt.date | None:
    """The first valid date in ``text``, or ``None``. Never raises."""
    found = find_dates(text)
    return found[0][0] if found else None


def format_cn_date(day: dt.date, *, chinese: bool = False) -> str:
    """``2022年6月10日``, or with ``chinese=True`` ``二〇二二年六月十日`` (the round-trip forms)."""
    if not chinese:
        return f"{day.year}年{day.month}月{day.day}日"
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")

    return "".join(digits[int(c)] for c in f"{day.year:04d}") + f"年{small(day.month)}月{small(day.day)}日"
