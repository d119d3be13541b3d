"""Parse 发文字号 (document numbers) such as 静政发〔2022〕8号.

A 发文字号 is 机关代字 + bracketed year + serial + 号. Printed and scraped texts vary:
brackets 〔〕 [] ［］ （） () 【】 ﹝﹞ 〖〗, full-width digits, spaces anywhere, a missing
号, a 第 before the serial, or no brackets at all (静政发2022年8号). Every function
here is total: it never raises on any string input, it returns ``None`` (or an empty
list) when there is nothing to parse.

The 机关代字 is the run of Han characters (rarely ASCII letters) right before the
year. In running text that run can start with words that belong to the sentence
(根据静政发〔2022〕8号, 印发的国办发〔2019〕6号); :func:`_trim_prefix` cuts such
leading words off. :class:`~gazette.model.DocNumber.text` is the normal form.
"""

from __future__ import annotations

import re

from gazette.analysis import fold_lookalikes
from gazette.model import DocNumber

__all__ = ["parse_doc_number", "find_doc_numbers", "normalize_doc_number", "doc_number_key"]

_OPEN = "〔[［（(【﹝〖｛{"
_CLOSE = "〕]］）)】﹞〗｝}"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SP = r"[ \t\u3000\u00a0]*"

# Full-width digits/letters → ASCII, ideographic/nbsp spaces → space; one char to one
# char so spans found in the translated text are spans of the original text.
_FW = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F) if chr(cp - 0xFEE0).isalnum()}
_FW[0x3000] = " "
_FW[0x00A0] = " "

_PREFIX = rf"[{_HAN}A-Za-z](?:[{_HAN}A-Za-z]|{_SP}){{0,23}}?"
_BRACKETED = re.compile(
    rf"(?P<prefix>{_PREFIX}){_SP}[{re.escape(_OPEN)}]{_SP}(?P<year>(?:19|20)\d\d){_SP}[{re.escape(_CLOSE)}]"
    rf"{_SP}第?{_SP}(?P<serial>\d{{1,5}}){_SP}(?P<hao>号)?"
)
_PLAIN = re.compile(
    rf"(?P<prefix>{_PREFIX}){_SP}(?P<year>(?:19|20)\d\d){_SP}年?{_SP}第?{_SP}(?P<serial>\d{{1,5}}){_SP}(?P<hao>号)"
)

# Words of the surrounding sentence that can stand right before a 机关代字 in running
# text (根据静政发〔2022〕8号, 市政府办公室印发的国办发〔2019〕6号). The 机关代字 is
# what follows the last of them. Single characters listed here never occur inside a
# real 机关代字; 经/自/文 do (晋经信发, 自然资规), so they are absent.
_CUT_WORDS = sorted(
    """根据 依据 依照 按照 参照 对照 遵照 比照 结合 贯彻 落实 执行 转发 印发 下发 制定 出台 发布
    公布 修订 修改 废止 废除 撤销 关于 同时 此前 之前 以下 简称 文件 通知 规定 办法 意见 决定 精神
    要求 同意 现将 附件 详见 参见 措施 方案 细则 的 和 及 与 或 见 并 由 即 号 等 将 为 在 对 按""".split(),
    key=len,
    reverse=True,
)
_CUT_RE = re.compile("|".join(map(re.escape, _CUT_WORDS)))
_MAX_PREFIX = 10


def _prep(text: str) -> str:
    """Length-preserving cleanup: look-alike radicals and full-width alnum folded."""
    return fold_lookalikes(text).translate(_FW)


def _trim_prefix(raw: str) -> str:
    """Keep the 机关代字 at the end of a candidate run: what follows the last sentence
    word (keeping at least two characters), at most ``_MAX_PREFIX`` characters."""
    prefix = re.sub(r"\s+", "", raw)
    cut = 0
    for m in _CUT_RE.finditer(prefix):
        if len(prefix) - m.end() >= 2:
            cut = max(cut, m.end())
    prefix = prefix[cut:]
    if len(prefix) > _MAX_PREFIX:
        prefix = prefix[-_MAX_PREFIX:]
    return prefix


def _make(m: re.Match[str]) -> DocNumber | None:
    try:
        prefix = _trim_prefix(m.group("prefix"))
        if not prefix or not re.search(f"[{_HAN}]", prefix):
            return None
        return DocNumber(prefix=prefix, year=int(m.group("year")), serial=int(m.group("serial")))
    except Exception:  # pragma: no cover - defensive: the contract is "never raise"
        return None


def parse_doc_number(text: str) -> DocNumber | None:
    """Parse a string that *is* a 发文字号 (surrounding spaces and punctuation allowed).

    Accepts every bracket variant, full-width digits, spaces, a missing 号, 第 before
    the serial and the unbracketed ``静政发2022年8号``. Returns ``None`` when the
    string holds no 发文字号; never raises.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    s = _prep(text).strip().strip("。，,;；:：\"'“”‘’")
    for rx in (_BRACKETED, _PLAIN):
        m = rx.search(s)
        if m:
            return _make(m)
    # A missing 号 in the unbracketed form: only when the whole string is the number.
    m = re.fullmatch(
        rf"\s*(?P<prefix>[{_HAN}A-Za-z]{{1,12}}){_SP}(?P<year>(?:19|20)\d\d){_SP}年{_SP}第?{_SP}(?P<serial>\d{{1,5}})\s*",
        s,
    )
    return _make(m) if m else None


def find_doc_numbers(text: str) -> list[tuple[DocNumber, tuple[int, int]]]:
    """Every 发文字号 in running text, with its ``(start, end)`` span in ``text``.

    The span covers the number as printed (from the first character of the trimmed
    机关代字 to 号, or to the serial when 号 is missing). The unbracketed form is only
    recognised with its 号, so that 2022年8月 is never taken for a number.
    """
    if not isinstance(text, str) or not text:
        return []
    s = _prep(text)
    found: list[tuple[DocNumber, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []
    for rx in (_BRACKETED, _PLAIN):
        for m in rx.finditer(s):
            # A prefix may not run over a line break: the number starts on its own line.
            start = m.start("prefix")
            nl = s.rfind("\n", start, m.start("year"))
            if nl != -1:
                sub = rx.match(s, nl + 1)
                if not sub:
                    continue
                m = sub
            dn = _make(m)
            if dn is None:
                continue
            end = m.end()
            while end > m.start() and s[end - 1] in " \t":
                end -= 1
            # locate the trimmed prefix inside the matched prefix
            raw_prefix = s[m.start("prefix") : m.end("prefix")]
            compact = re.sub(r"\s+", "", raw_prefix)
            cut = len(compact) - len(dn.prefix)
            pos = m.start("prefix")
            skipped = 0
            while skipped < cut and pos < m.end("prefix"):
                if not s[pos].isspace():
                    skipped += 1
                pos += 1
            while pos < end and s[pos].isspace():
                pos += 1
            span = (pos, end)
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.append((dn, span))
    found.sort(key=lambda item: item[1])
    return found


def normalize_doc_number(text: str) -> str | None:
    """The normal form (``静政发〔2022〕8号``) of a 发文字号 string, or ``None``."""
    dn = parse_doc_number(text)
    return dn.text if dn else None


def doc_number_key(text: str) -> str | None:
    """A forgiving lookup key such as ``静政发|2022|8``, or ``None``.

    Two printings of the same number give the same key whatever their brackets,
    digits, spaces or a missing 号; it also accepts the key itself and loose forms
    such as ``静政发 2022 8``. Use it to match a user's or a repeal clause's number
    against the archive.
    """
    if not isinstance(text, str):
        return None
    dn = parse_doc_number(text)
    if dn is None:
        s = _prep(text)
        m = re.fullmatch(
            rf"\s*(?P<prefix>[{_HAN}A-Za-z]{{1,12}})[\s|/\-_,，、:：]*(?P<year>(?:19|20)\d\d)[\s|/\-_,，、:：年第]*"
            rf"(?P<serial>\d{{1,5}})\s*号?\s*",
            s,
        )
        if not m:
            return None
        dn = _make(m)
        if dn is None:
            return None
    return f"{dn.prefix}|{dn.year}|{dn.serial}"
