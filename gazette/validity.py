"""Parse validity sentences (施行日期 and 有效期) into effective and expiry dates.

Normative documents end with a sentence such as 本办法自2022年7月1日起施行，有效期5年
or 本通知自印发之日起施行，有效期至2027年6月30日. :func:`parse_validity` finds the
sentence that speaks about the document itself and returns a :class:`Validity`.

Rules (the contract the tests pin):

* effective date: an explicit date before 起施行/实施/执行/试行/生效 (自2022年7月1日起施行,
  于4月15日起施行 with the year of the written date), or a relative one: 自印发之日 /
  签发之日 / 即日 → ``written_date``; 自发布之日 / 公布之日 → ``published_date`` (else
  ``written_date``); …起30日后施行 adds the days;
* expiry date: 有效期至 / 有效期到 / 有效期截至 DATE (a month without a day means its last
  day), or a range 有效期为DATE至DATE; or a period 有效期N年 / N个月 / 试行期N年 counted
  from the effective date (else the written date, else the published date): the
  last day in force is ``start + N years − 1 day`` (2022-07-01 + 5 years → 2027-06-30);
* 有效期 of something else (合同有效期内, 购房券有效期为一年, 许可证有效期届满) is ignored;
* ``no_period`` is true when no expiry date or period was found — the signal ingest uses
  to flag normative documents for review.

Nothing here raises on any string input.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from gazette.dates import cn_number, find_dates
from gazette.docnumber import find_doc_numbers

__all__ = ["Validity", "parse_validity", "add_period"]


@dataclass(frozen=True)
class Validity:
    """What a document says about when it is in force.

    ``sentence`` is the sentence the values were read from (``None`` when the text
    says nothing about it). ``period_years``/``period_months`` record a stated period
    (有效期5年 → 5, None; 有效期18个月 → None, 18). ``trial`` marks 试行.
    """

    effective_date: dt.date | None = None
    expiry_date: dt.date | None = None
    period_years: int | None = None
    period_months: int | None = None
    sentence: str | None = None
    no_period: bool = True
    trial: bool = False

    @property
    def found(self) -> bool:
        """Whether any validity statement was found."""
        return self.sentence is not None


def add_period(start: dt.date, *, years: int = 0, months: int = 0) -> dt.date:
    """Last day in force of a period starting on ``start``: start + period − 1 day.

    2022-07-01 + 5 years → 2027-06-30. When the anniversary does not exist (a period
    from 01-31 by months, or from 02-29 by years) the period ends on the last day of
    that month, as the Civil Code counts periods (art. 203: 没有对应日的，月末日为期间的
    最后一日).
    """
    total = start.month - 1 + months + 12 * years
    year, month = start.year + total // 12, total % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


_FW = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F) if chr(cp - 0xFEE0).isalnum()}
_FW.update({0x3000: " ", 0xFF08: "(", 0xFF09: ")", 0xFF0C: ",", 0xFF1B: ";", 0xFF1A: ":", 0xFF0D: "-"})

_NUM = r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})"
_VERB = r"(?:正式|开始|起)?(?:施行|实施|执行|试行|生效|实行)"
_DATE_ANY = r"(?:(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*)?[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*[日号])?"

_SENT_SPLIT = re.compile(r"(?<=[。;；!！?？\n])")
#: A sentence that may state a validity: one of these words is in it.
_CANDIDATE = re.compile(r"有效期|施行|实施|执行|试行|生效|实行|试行期")
_EXPLICIT_START = re.compile(
    r"(?:自|从|于|由|在)?\s*(?P<date>" + _DATE_ANY + r")\s*(?:\([^)]{0,12}\))?\s*(?P<tail>起|开始|正式|施行|实施|执行|试行|生效|实行)"
)
_RANGE_END_BEFORE = re.compile(r"(?:至|到)\s*$")
_START_VERB = re.compile(r"(?:起|开始)?\s*(?:正式)?\s*(?:施行|实施|执行|试行|生效|实行)")
_PERIOD_WORD = re.compile(r"有效期|执行期限|实施期限|执行期|实施期")
_CLAUSE_BOUNDARY = re.compile(r"[,，;；。:：\n]")

_REL_WORDS = r"印发|发布|公布|发文|签发|下发|颁布|公告|发出|出台|即日"
_REL_BASE = re.compile(
    r"(?:自|从|于)?\s*(?P<pre>" + _DATE_ANY + r")?\s*(?P<what>" + _REL_WORDS + r")\s*(?:之日?)?"
    r"\s*(?:\((?P<paren>[^)]{4,16})\))?\s*(?:起|开始)?"
    r"(?:\s*(?:满)?\s*(?P<ndays>" + _NUM + r")\s*(?:日|天)(?:后|以后)?)?\s*(?:起)?\s*" + _VERB
)
_REL_BASE_BARE = re.compile(r"(?:自|从)\s*(?P<pre>" + _DATE_ANY + r")?\s*(?P<what>" + _REL_WORDS + r")之日起")
_PERIOD = re.compile(
    r"(?:有效期|试行期|实施期|执行期)(?:限)?\s*(?:为|是|均为|仍为|暂定为?|定为)?\s*(?:期)?\s*(?P<n>" + _NUM + r")\s*(?P<unit>年|个月|月)"
    r"|(?P<trialverb>试行|执行|实施)\s*(?:期)?\s*(?P<n2>" + _NUM + r")\s*(?P<unit2>年|个月)"
)
_UNTIL = re.compile(
    r"(?:有效期|执行期|实施期|试行期|有效时间)(?:限)?\s*(?:为|是|均为|暂定为?)?\s*"
    r"(?:至|到|截至|截止到|截止至|截止|延长\s*[,，]?\s*至|延续至|延长到|自[^,;。]{0,30}?起至)\s*(?P<date>" + _DATE_ANY + r")"
    r"|(?:执行|实施|施行|有效)(?:期限)?\s*(?:至|到|截至)\s*(?P<date2>" + _DATE_ANY + r")\s*(?:止|为止)?"
    r"|起\s*[,，]?\s*(?:至|到)\s*(?P<date3>" + _DATE_ANY + r")\s*止"
)
_RANGE = re.compile(
    r"(?P<a>" + _DATE_ANY + r")\s*(?:起)?\s*(?:至|到|-|—|–|~|～)\s*(?P<b>" + _DATE_ANY + r")\s*(?:止)?"
)
# 有效期 of an object, not of the document.
_FOREIGN = re.compile(r"券|房票|证|合同|协议|评估|价格|认定书|许可|资格|凭证|贷款|存单|保函|证明|额度|备案|签约|预售|指标|期房|车位")
_NOT_PERIOD_AFTER = re.compile(r"\s*(?:内|届满|期满|满|的|截止日期|延续|延长\d)")
_SELF = re.compile(r"本(?:《)?(?:办法|通知|意见|规定|细则|方案|措施|决定|文件|政策|规则|公告|通告|实施|条例|行动)")
_OWN_SUBJECT = re.compile(r"本(?:办法|通知|意见|规定|细则|方案|措施|决定|文件|政策|规则|公告|通告|实施)|政策|措施|文件|条款|新政")


def _prep(text: str) -> str:
    return text.translate(_FW)


def _partial_date(text: str, ref: dt.date | None) -> tuple[dt.date | None, bool]:
    """A date that may lack its year (ref's year) or its day (→ last day of month).

    Returns ``(date, day_missing)``.
    """
    found = find_dates(text)
    if found:
        return found[0][0], False
    m = re.search(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])?", text)
    if not m:
        return None, False
    year = int(m.group("y")) if m.group("y") else (ref.year if ref else None)
    month = int(m.group("m")) if m.group("m").isdigit() else cn_number(m.group("m"))
    if year is None or month is None or not 1 <= month <= 12:
        return None, False
    if m.group("d"):
        day = int(m.group("d")) if m.group("d").isdigit() else cn_number(m.group("d"))
        try:
            return dt.date(year, month, day or 0), False
        except (ValueError, TypeError):
            return None, False
    return dt.date(year, month, calendar.monthrange(year, month)[1]), True


def _num(s: str) -> int | None:
    return int(s) if s.isdigit() else cn_number(s)


def _clause_before(s: str, pos: int) -> str:
    """The clause of ``s`` that ends at ``pos`` (back to the previous comma/stop)."""
    start = 0
    for m in _CLAUSE_BOUNDARY.finditer(s, 0, pos):
        start = m.end()
    return s[start:pos]


def _about_document(s: str, pos: int) -> bool:
    """Whether the 有效期 at ``pos`` is the document's, not an object's (券, 合同…)."""
    subject = _clause_before(s, pos)
    if _FOREIGN.search(subject) and not _OWN_SUBJECT.search(subject):
        return False
    if "《" in subject and "将" in subject:  # 将《…》的有效期延长至: another document's
        return False
    if subject.lstrip().startswith("除"):
        return False
    return True


@dataclass
class _Found:
    effective: dt.date | None = None
    expiry: dt.date | None = None
    years: int | None = None
    months: int | None = None
    trial: bool = False
    score: int = 0


def _scan(sentence: str, written: dt.date | None, published: dt.date | None) -> _Found:
    s = _prep(sentence)
    f = _Found()
    ref = written or published
    f.trial = "试行" in s

    # Effective date: explicit.
    explicit_effective = False
    for m in _EXPLICIT_START.finditer(s):
        # a date that is the end of a range (…至DATE起) is not a start
        if _RANGE_END_BEFORE.search(s[max(0, m.start() - 3) : m.start("date")]):
            continue
        after = s[m.end("tail") - len(m.group("tail")) : m.end("tail") + 12]
        before = s[max(0, m.start() - 2) : m.start()]
        has_verb = _START_VERB.match(after) or (
            m.group(0).lstrip().startswith(("自", "从")) and re.search(_VERB, s[m.end() :])
        )
        if not has_verb or "有效期" in before:
            continue
        d, _ = _partial_date(m.group("date"), ref)
        if d is not None:
            f.effective = d
            explicit_effective = True
            f.score += 2
            break
    if f.effective is None:
        m = _REL_BASE.search(s) or _REL_BASE_BARE.search(s)
        if m:
            what = m.group("what")
            base = None
            for given in (m.groupdict().get("paren"), m.groupdict().get("pre")):
                if given and base is None:
                    base = _partial_date(given, ref)[0]
            if base is None:
                base = (published or written) if what in ("发布", "公布", "颁布", "公告") else (written or published)
            ndays = m.groupdict().get("ndays")
            if base is not None and ndays and _num(ndays) is not None:
                base = base + dt.timedelta(days=_num(ndays))
            f.effective = base
            f.score += 2

    # Expiry: a range, an end date, or a period.
    relative_effective = f.effective is not None and f.score == 2 and not explicit_effective
    for m in _PERIOD_WORD.finditer(s):
        if _NOT_PERIOD_AFTER.match(s, m.end()) or not _about_document(s, m.start()):
            continue
        r = _RANGE.search(s[m.end() : m.end() + 40])
        if r:
            a, _ = _partial_date(r.group("a"), ref)
            b, _ = _partial_date(r.group("b"), a or ref)
            if a and b and b >= a:
                if f.effective is None or relative_effective:
                    f.effective = a
                f.expiry = b
                f.score += 3
                break
    if f.expiry is None:
        # Several end dates (第一至第五项…至2023年, 其他措施…至2026年): the document is
        # in force until its last part expires.
        for m in _UNTIL.finditer(s):
            if not _about_document(s, m.start()):
                continue
            d, _ = _partial_date(m.group("date") or m.group("date2") or m.group("date3"), f.effective or ref)
            if d is not None and (f.expiry is None or d > f.expiry):
                if f.expiry is None:
                    f.score += 3
                f.expiry = d
    if f.expiry is None:
        for m in _PERIOD.finditer(s):
            if not _about_document(s, m.start()) or s[m.end() : m.end() + 1] == "的":
                continue
            n = _num(m.group("n") or m.group("n2"))
            unit = m.group("unit") or m.group("unit2")
            if not n:
                continue
            if unit == "年":
                f.years = n
            else:
                f.months = n
            f.score += 3
            start = f.effective or written or published
            if start is not None:
                try:
                    f.expiry = add_period(start, years=f.years or 0, months=f.months or 0)
                except (ValueError, OverflowError):
                    f.expiry = None
            break
    own = _SELF.search(s)
    if f.score and own:
        f.score += 2
    # A sentence that cites another document by its 发文字号 and does not speak of
    # itself (…的通知》(榕政综〔2022〕33号)要求(自…起施行,有效期3年)) describes that one.
    if f.score and not own and find_doc_numbers(s):
        return _Found()
    return f


def _candidates(text: str) -> list[str]:
    parts = [p.strip() for p in _SENT_SPLIT.split(text)]
    return [p for p in parts if p and _CANDIDATE.search(p)]


def parse_validity(
    text: str,
    *,
    written_date: dt.date | None = None,
    published_date: dt.date | None = None,
) -> Validity:
    """Find the document's validity statement in ``text`` and read its dates.

    ``text`` may be one sentence or a whole document (paragraphs separated by
    newlines); the best sentence wins — one with both an effective date and a period,
    about 本办法/本通知…, later in the text on ties. ``written_date`` (成文日期) and
    ``published_date`` resolve 自印发之日 / 自发布之日 and periods without a start.
    Always returns a :class:`Validity`; never raises.
    """
    try:
        if not isinstance(text, str) or not text.strip():
            return Validity()
        best: tuple[int, int, _Found, str] | None = None
        for i, sent in enumerate(_candidates(text)):
            if len(sent) > 400:  # a whole paragraph without stops: look at its clauses' tail
                sent = sent[-400:]
            f = _scan(sent, written_date, published_date)
            if not f.score:
                continue
            key = (f.score, i)
            if best is None or key >= best[:2]:
                best = (f.score, i, f, sent)
        if best is None:
            return Validity()
        f, sent = best[2], best[3]
        return Validity(
            effective_date=f.effective,
            expiry_date=f.expiry,
            period_years=f.years,
            period_months=f.months,
            sentence=sent,
            no_period=f.expiry is None and f.years is None and f.months is None,
            trial=f.trial,
        )
    except Exception:  # pragma: no cover - the contract is total; a bug must not abort ingest
        return Validity()
