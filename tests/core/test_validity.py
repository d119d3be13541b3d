"""Validity sentences → effective and expiry dates; agreement on the real corpus."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazette.validity import Validity, add_period, parse_validity

W = dt.date(2022, 6, 10)  # written date used to resolve 自印发之日
GOLD = Path(__file__).parent / "data" / "validity_gold.json"


def d(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


@pytest.mark.parametrize(
    "text, effective, expiry, years",
    [
        ("自2022年7月1日起施行，有效期5年", "2022-07-01", "2027-06-30", 5),
        ("本办法自2022年7月1日起施行，有效期为五年。", "2022-07-01", "2027-06-30", 5),
        ("有效期为五年", None, "2027-06-09", 5),
        ("有效期至2027年6月30日", None, "2027-06-30", None),
        ("自印发之日起施行，有效期三年", "2022-06-10", "2025-06-09", 3),
        ("自发布之日起30日后施行", "2022-07-10", None, None),
        ("本办法自2021年12月1日起施行，有效期至2026年11月30日", "2021-12-01", "2026-11-30", None),
        ("自2022年1月1日起实施", "2022-01-01", None, None),
        ("有效期两年", None, "2024-06-09", 2),
        ("本办法自2022年1月1日起试行，试行期两年。", "2022-01-01", "2023-12-31", 2),
        ("本细则自印发之日起试行，有效期1年。", "2022-06-10", "2023-06-09", 1),
        ("本通知自 2025 年 5 月 15 日起施行,有效期3年", "2025-05-15", "2028-05-14", 3),
        ("有效期为2025年4月22日至2027年4月21日", "2025-04-22", "2027-04-21", None),
        ("本政策自公布之日(2023年12月1日)起施行,有效期至2024年12月31日", "2023-12-01", "2024-12-31", None),
        ("本措施自印发之日起施行，有效期至2025年12月", "2022-06-10", "2025-12-31", None),
        ("本通知自二〇二二年七月一日起施行，有效期五年。", "2022-07-01", "2027-06-30", 5),
    ],
)
def test_sentences(text: str, effective: str | None, expiry: str | None, years: int | None) -> None:
    v = parse_validity(text, written_date=W)
    assert (v.effective_date, v.expiry_date, v.period_years) == (d(effective), d(expiry), years)
    assert v.sentence and v.no_period == (expiry is None)


def test_months_period() -> None:
    v = parse_validity("本通知自2022年1月31日起施行，有效期18个月。")
    assert v.period_months == 18 and v.expiry_date == dt.date(2023, 7, 30)


def test_published_date_resolves_fabu() -> None:
    v = parse_validity("本办法自发布之日起施行。", written_date=W, published_date=dt.date(2022, 6, 20))
    assert v.effective_date == dt.date(2022, 6, 20) and v.no_period


@pytest.mark.parametrize(
    "text",
    [
        "在租赁合同有效期内，可申请提取。",
        "购房券有效期为一年。",
        "许可证有效期届满前申请延续。",
        "消费券有效期至2023年6月30日，逾期作废。",
        "将《关于某事项的通知》（静政发〔2019〕3号）的有效期延长至2028年12月31日。",
        "",
    ],
)
def test_validity_of_other_things_is_ignored(text: str) -> None:
    v = parse_validity(text, written_date=W)
    assert v.expiry_date is None and v.period_years is None and v.no_period


def test_whole_document_picks_the_documents_own_sentence() -> None:
    text = "\n".join(
        [
            "一、购房补贴",
            "补贴券有效期为一年，逾期作废。",
            "二、其他",
            "本办法自2022年7月1日起施行，有效期5年。",
        ]
    )
    v = parse_validity(text, written_date=W)
    assert v.expiry_date == dt.date(2027, 6, 30) and v.sentence and v.sentence.startswith("本办法")


def test_add_period_rule() -> None:
    assert add_period(dt.date(2022, 7, 1), years=5) == dt.date(2027, 6, 30)
    assert add_period(dt.date(2024, 2, 29), years=1) == dt.date(2025, 2, 28)
    assert add_period(dt.date(2022, 1, 31), months=1) == dt.date(2022, 2, 28)
    assert add_period(dt.date(2022, 3, 1), months=1) == dt.date(2022, 3, 31)


@given(st.text(), st.none() | st.dates())
def test_total(text: str, written: dt.date | None) -> None:
    assert isinstance(parse_validity(text, written_date=written), Validity)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2080, 12, 31)), st.integers(1, 10))
def test_round_trip_period(day: dt.date, years: int) -> None:
    text = f"本办法自{day.year}年{day.month}月{day.day}日起施行，有效期{years}年。"
    v = parse_validity(text)
    assert v.effective_date == day and v.period_years == years
    assert v.expiry_date == add_period(day, years=years)


@pytest.mark.corpus
def test_agreement_on_real_validity_sentences(corpus_dir: Path) -> None:
    """Agreement with hand-checked labels on every validity sentence of local_policies.

    The compiler's own effective/expiry labels in local_policies.jsonl are empty for
    every record, so the reference is tests/core/data/validity_gold.json: dates read
    by hand from each sentence (null where the sentence is about something else, e.g.
    a voucher's 有效期). Also measured, not asserted tightly: reading the whole text,
    where the document's best sentence may differ from the compiler's pick.
    """
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["records"]
    rows = [json.loads(line) for line in (corpus_dir / "local_policies.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r.get("validity_sentence_in_text") not in (None, "None")]
    assert len(rows) >= 180
    agree = whole = 0
    misses = []
    for r in rows:
        written = d(r["issuance_date"]) if r.get("issuance_date") not in (None, "None") else None
        want = (d(gold[r["record_id"]]["effective_date"]), d(gold[r["record_id"]]["expiry_date"]))
        v = parse_validity(r["validity_sentence_in_text"], written_date=written)
        if (v.effective_date, v.expiry_date) == want:
            agree += 1
        else:
            misses.append(r["record_id"])
        w = parse_validity(r["text"], written_date=written)
        whole += (w.effective_date, w.expiry_date) == want
    rate = agree / len(rows)
    print(
        f"\nvalidity: sentence agreement {agree}/{len(rows)} = {rate:.1%}; "
        f"whole-text agreement with the sentence's labels {whole}/{len(rows)} = {whole / len(rows):.1%}; "
        f"misses: {misses}"
    )
    assert rate >= 0.95
