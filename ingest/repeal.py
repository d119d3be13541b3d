"""Stage 5 — repeal clauses: which earlier documents a document repeals or declares invalid.

Reads: a document's text (paragraphs joined by newlines).
Writes: a list of :class:`RepealTarget` — the 发文字号 (normal form) and/or 《title》 of
each document named in a clause such as::

    《静乐县某办法》（静政发〔2019〕3号）同时废止。
    《关于A的通知》（x〔2021〕1号）、《关于B的通知》（x〔2022〕6号）同时废止。
    废止《关于商品房销售价格实行备案制度的通知》（平发改价格〔2018〕208号）。
    静政发〔2018〕5号文件宣布失效 / 不再执行 / 停止执行。

Lists are understood too: after 决定废止下列文件： / 以下文件宣布失效： each following line
or table row (cells separated by TAB, the model's table form) naming a 《title》 or a
发文字号 is a target, until the list ends.

Only whole documents are targets: a clause about part of one (…中的限转售政策,
…第五条…停止执行) or about the document itself (本通知…2027年6月30日废止,
有效期满后自行废止) yields nothing. ``kind`` is ``expired`` for 失效 wording and
``repealed`` otherwise. Resolving targets in the archive is the store's job (it knows
the other documents); this module is pure and never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazette.docnumber import find_doc_numbers

__all__ = ["RepealTarget", "find_repeals"]


@dataclass(frozen=True)
class RepealTarget:
    """One document a repeal clause names."""

    doc_number: str | None
    title: str | None
    kind: str  # "repealed" | "expired"
    sentence: str


_VERBS = r"废止|失效|停止执行|不再执行|停止施行|撤销"
_VERB = re.compile(r"(?:同时|一并|予以|即行|自行|宣布|相应)?(?:" + _VERBS + ")")
#: Every repeal verb of :data:`_VERB` (those of :data:`_LIST_VERB` among them): a text
#: with none of them names nothing as repealed, and most texts have none (85 % of the
#: bench's documents), so :func:`find_repeals` looks for them first (0.021 → 0.007 ms
#: per page there).
_ANY_VERB = re.compile(_VERBS)
_SENTENCE = re.compile(r"[^。；;\n]+[。；;]?")
_TITLE = re.compile(r"《(?P<t>[^《》]{2,120})》")
_PARTIAL_AFTER = re.compile(r"^\s*(?:[（(][^（）()]{0,40}[）)])?\s*(?:文件)?\s*(?:中的|中|的|第[一二三四五六七八九十百\d]+[条款项章]|附件)")
_SELF = re.compile(r"^(?:本|此|该)(?:办法|通知|意见|规定|细则|方案|措施|决定|文件|政策|公告|通告|规则)")


def _kind(verb: str) -> str:
    return "expired" if "失效" in verb else "repealed"


def _targets_in(segment: str, sentence: str, kind: str) -> list[RepealTarget]:
    """Targets named in ``segment`` (the words governed by one repeal verb)."""
    out: list[RepealTarget] = []
    used: list[tuple[int, int]] = []
    numbers = find_doc_numbers(segment)
    for m in _TITLE.finditer(segment):
        if segment[max(0, m.start() - 3) : m.start()].endswith(("简称", "简称:", "简称：")):
            continue
        after = segment[m.end() :]
        number = None
        nm = re.match(r"\s*[（(]\s*([^（）()]{3,40}?)\s*[）)]", after)
        tail_end = m.end()
        if nm:
            for dn, (a, b) in numbers:
                if m.end() + nm.start(1) <= a and b <= m.end() + nm.end(1):
                    number = dn.text
                    used.append((a, b))
                    tail_end = m.end() + nm.end()
                    break
        if _PARTIAL_AFTER.match(segment[tail_end:]) and not re.match(r"\s*(?:文件)?\s*(?:同时|一并|予以)?$", segment[tail_end:]):
            continue
        out.append(RepealTarget(number, m.group("t").strip(), kind, sentence))
    for dn, (a, b) in numbers:
        if any(a >= x and b <= y for x, y in used):
            continue
        if any(m.start() <= a < m.end() for m in _TITLE.finditer(segment)):
            continue  # a number inside a title
        if _PARTIAL_AFTER.match(segment[b:]) and not re.match(r"\s*(?:文件|通知)?\s*$", segment[b:]):
            continue
        out.append(RepealTarget(dn.text, None, kind, sentence))
    return out


_LIST_VERB = re.compile(r"废止|失效|停止执行|不再执行")
_LIST_WORD = re.compile(r"下列|以下|如下|所列")
_LIST_ITEM = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)?[\s\t.、．]*")


def _listed_targets(text: str) -> list[RepealTarget]:
    """Targets listed one per line (or per table row, cells separated by TAB) after a
    sentence such as 决定废止下列行政规范性文件 / 以下文件宣布失效 — decisions of a
    document clean-up usually print their list as a table or numbered lines."""
    out: list[RepealTarget] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        m = _LIST_VERB.search(line)
        if not (m and _LIST_WORD.search(line) and line.endswith(("：", ":")) and len(line) <= 80):
            i += 1
            continue
        kind = _kind(m.group(0))
        intro = lines[i].strip()
        j = i + 1
        while j < len(lines):
            row = lines[j].strip()
            if not row:
                j += 1
                continue
            cells = [c.strip() for c in row.split("\t")]
            numbers = find_doc_numbers(row)
            title_m = _TITLE.search(row)
            title = title_m.group("t").strip() if title_m else None
            if title is None and "\t" in row:
                # table cell without book-title marks: the longest cell that is not a number
                texts = [c for c in cells if c and not find_doc_numbers(c) and not c.isdigit()]
                title = max(texts, key=len) if texts else None
                if title in ("文件名称", "文件标题", "名称", "标题"):
                    title = None  # header row
            if not numbers and not title_m and "\t" not in row:
                break  # the list has ended
            if numbers or title:
                out.append(RepealTarget(numbers[0][0].text if numbers else None, title, kind, intro))
            j += 1
        i = j
    return out


def find_repeals(text: str) -> list[RepealTarget]:
    """Every document named as repealed or invalidated in ``text`` (see module docstring)."""
    if not isinstance(text, str) or not _ANY_VERB.search(text):
        return []
    results: list[RepealTarget] = []
    seen: set[tuple[str | None, str | None]] = set()
    try:
        for t in _listed_targets(text):
            key = (t.doc_number, t.title)
            if key not in seen:
                seen.add(key)
                results.append(t)
        for sm in _SENTENCE.finditer(text):
            sentence = sm.group(0).strip()
            for vm in _VERB.finditer(sentence):
                verb = vm.group(0)
                kind = _kind(verb)
                after = sentence[vm.end() :]
                if verb in ("废止", "撤销") and after.lstrip().startswith("《"):
                    # verb first: 废止《…》（…号）
                    end = re.search(r"[，,。；;]", after)
                    segment = after[: end.start()] if end else after
                else:
                    segment = _governed_before(sentence[: vm.start()])
                    if _SELF.match(segment.strip()):
                        continue
                for t in _targets_in(segment, sentence, kind):
                    key = (t.doc_number, t.title)
                    if key not in seen:
                        seen.add(key)
                        results.append(t)
    except Exception:  # pragma: no cover - pure function; a bug must not abort ingest
        return results
    return results


def _only_targets(part: str) -> bool:
    """Whether a comma-clause is nothing but a list of titles / 发文字号."""
    if not (_TITLE.search(part) or find_doc_numbers(part)) or "简称" in part:
        return False
    residue = _TITLE.sub("", part)
    for _, (a, b) in reversed(find_doc_numbers(residue)):
        residue = residue[:a] + residue[b:]
    residue = re.sub(r"[（(][^（）()]*[）)]|[、和及与，,\s]|原|文件|以及", "", residue)
    return len(residue) <= 4


def _governed_before(before: str) -> str:
    """The words before a repeal verb that it governs: the last comma-clause, extended
    back over earlier comma-clauses that are themselves lists of titles/numbers."""
    parts = re.split(r"(?<=[，,：:])", before)
    segment = parts[-1] if parts else before
    k = len(parts) - 2
    while k >= 0:
        part = parts[k].rstrip("，,")
        if _only_targets(part):
            segment = parts[k] + segment
            k -= 1
            continue
        break
    return segment
