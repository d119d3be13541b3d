"""Stage 3 — structure: one document's cleaned lines → its GB/T 9704-2012 elements.

Reads: the cleaned :class:`~ingest.extract.Line` objects of one document (a
standalone file, or one article of a gazette issue), in reading order. Lines may carry
geometry (from a PDF) or not (fixtures built from text, one paragraph per line).
Writes: a :class:`ParsedDocument` with 统一登记号, 发文机关标志, 发文字号 and 签发人, 标题
(joined over its lines), 主送机关, 正文 paragraphs, 附件说明, 发文机关署名, 成文日期,
附注, attachments (附件1 …), 抄送, 印发机关 and 印发日期, plus what is inferred from
them: doc type, whether it is a 行政规范性文件, and the disclosure attribute.

Order of the parts, as GB/T 9704 prints them (every part optional)::

    [统一登记号] [发文机关标志] [发文字号 (签发人)] 标题 [发文字号 — gazette reprints]
    [主送机关：] 正文… [附件：1.… 2.…] [署名] [成文日期] [（附注）]
    [附件1 / 标题 / 正文…]… [抄送：…] [印发机关 2022年6月10日印发]

Geometry is used where it helps (title = larger font, signature = right-aligned,
attachment = label at the top of a page, red = 发文机关标志); text patterns carry the
rest, so the parser also works on plain text. It never raises on odd input: parts it
cannot find are left empty.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gazette.dates import find_dates
from gazette.docnumber import find_doc_numbers
from gazette.model import Attachment, Disclosure, DocNumber
from ingest.clean import Paragraph, TextBlock, compact, join_lines, text_block
from ingest.extract import Line

__all__ = ["ParsedDocument", "parse_document", "infer_doc_type", "infer_disclosure", "looks_normative"]

_REGISTRATION = re.compile(r"^\s*(?:统一登记号|登记号)\s*[:：]?\s*(?P<n>\S.*?)\s*$")
_SIGNER = re.compile(r"签发人\s*[:：]\s*(?P<s>.+?)\s*$")
_ATTACHMENT_LABEL = re.compile(r"^附件\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})?\s*[:：]?$")
_ATTACHMENT_NOTE = re.compile(r"^附件\s*[:：]\s*(?P<rest>.*)$")
_NOTE_ITEM = re.compile(r"^\d{1,2}\s*[.．、]")
_NOTE = re.compile(r"^[（(](?P<t>[^（()）]{2,60})[)）]$")
_PRINTED = re.compile(r"^(?P<by>.*?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*印\s*发\s*$")
_CC = re.compile(r"^抄\s*送\s*[:：]\s*(?P<cc>.*)$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十百零〇\d]+[章节条])")
_MARK_END = re.compile(r"(?:文件|公报|通报|简报|纪要|专报)$")

#: Document types by the title's last words, most specific first.
DOC_TYPES = (
    "实施细则", "实施方案", "实施意见", "工作方案", "行动方案", "管理办法", "暂行办法", "暂行规定",
    "通知", "通报", "决定", "决议", "命令", "公告", "通告", "意见", "办法", "规定", "细则", "规则",
    "方案", "批复", "报告", "请示", "函", "纪要", "议案", "条例", "规划", "计划", "要点", "措施",
    "指引", "指南", "标准", "目录", "清单", "答复", "复函", "令",
)
_BASE_TYPE = {
    "实施细则": "细则", "实施方案": "方案", "工作方案": "方案", "行动方案": "方案", "管理办法": "办法",
    "暂行办法": "办法", "暂行规定": "规定", "复函": "函", "实施意见": "意见",
}
_NOT_NORMATIVE_TYPES = {"批复", "函", "报告", "请示", "纪要", "议案", "通报", "答复", "命令", "令"}
_NORMATIVE_TITLE = re.compile(r"办法|规定|细则|实施意见|规则|规范|若干措施|若干意见|暂行|试行|指导意见|管理制度")


@dataclass
class ParsedDocument:
    """The GB/T 9704 elements of one document, as printed (see module docstring)."""

    title: str = ""
    issuer_mark: str | None = None
    doc_number: DocNumber | None = None
    doc_number_raw: str | None = None
    signer: str | None = None
    registration_number: str | None = None
    addressee: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    attachment_notes: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    written_date: dt.date | None = None
    written_date_text: str | None = None
    note: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    cc: str | None = None
    printed_by: str | None = None
    printed_date: dt.date | None = None
    pages: tuple[int, int] | None = None

    @property
    def doc_type(self) -> str | None:
        return infer_doc_type(self.title)

    @property
    def disclosure(self) -> Disclosure:
        return infer_disclosure(self.note)

    @property
    def issuers(self) -> list[str]:
        """Issuing organs: the signatures, else the 发文机关标志 without 文件."""
        if self.signatures:
            return list(self.signatures)
        if self.issuer_mark:
            return [_MARK_END.sub("", self.issuer_mark)]
        return []

    @property
    def text(self) -> str:
        parts = list(self.paragraphs)
        for att in self.attachments:
            parts.append(att.label + (" " + att.title if att.title else ""))
            parts.extend(att.paragraphs)
        return "\n".join(parts)


def infer_doc_type(title: str) -> str | None:
    """The document type from the title's last words (试行/暂行 brackets ignored)."""
    t = re.sub(r"[（(](?:试行|暂行|修订|修正|征求意见稿|草案|\d{4}年修订)[)）]\s*$", "", (title or "").strip())
    t = t.rstrip("》」”\"' ")
    for word in DOC_TYPES:
        if t.endswith(word):
            return _BASE_TYPE.get(word, word)
    return None


def infer_disclosure(note: str | None) -> Disclosure:
    """公开属性 from the 附注: 依申请公开, 不予公开, else 主动公开 (the default)."""
    n = note or ""
    if "依申请" in n:
        return Disclosure.on_request
    if "不予公开" in n or "不公开" in n:
        return Disclosure.withheld
    return Disclosure.public


def looks_normative(title: str, text: str, *, has_period: bool = False, registration: str | None = None) -> bool:
    """Whether a document is a 行政规范性文件, by the evidence at hand.

    Yes when it carries a 统一登记号, says 行政规范性文件, or — unless its type is one
    that never is (批复, 函, 报告…) — states a validity period or has a title of the
    normative kind (办法, 规定, 细则, 实施意见, 试行…).
    """
    if registration or "行政规范性文件" in (text or "")[:400] or "行政规范性文件" in (title or ""):
        return True
    if infer_doc_type(title) in _NOT_NORMATIVE_TYPES:
        return False
    return has_period or bool(_NORMATIVE_TITLE.search(title or ""))


# ------------------------------------------------------------------------ helpers


#: The longest line that can be nothing but a date once blanks are removed: the
#: longest form :mod:`gazette.dates` reads (four numerals of year, up to three of month
#: as in 一十二, up to four of day, and 年/月/日) is 14 characters. Longer lines, most
#: lines of a page, are not searched for dates.
_LONGEST_DATE = 14


def _date_only(text: str) -> dt.date | None:
    """The date when the line is nothing but a date (成文日期 line)."""
    s = compact(text)
    if len(s) > _LONGEST_DATE:
        return None
    found = find_dates(s)
    if len(found) == 1:
        (a, b) = found[0][1]
        if a == 0 and b == len(s):
            return found[0][0]
    return None


def _doc_number_line(text: str) -> tuple[DocNumber, str, str | None] | None:
    """(number, as printed, signer) when a line is a 发文字号 line."""
    signer = None
    m = _SIGNER.search(text)
    rest = text
    if m:
        signer = m.group("s")
        rest = text[: m.start()]
    found = find_doc_numbers(rest)
    if len(found) != 1:
        return None
    dn, (a, b) = found[0]
    leftover = compact(rest[:a] + rest[b:])
    if len(leftover) > 2:
        return None
    return dn, rest[a:b].strip(), signer


def _is_title_size(ln: Line, block: TextBlock | None) -> bool:
    return bool(block and ln.size and ln.size >= block.size * 1.15)


def _is_right_aligned(ln: Line, block: TextBlock | None) -> bool:
    """Right of centre, or — a date set wider than its signature, as in narrow columns
    mapped to the block, where a date in Chinese numerals may fill most of the column —
    reaching the right edge from well right of the paragraph indent."""
    if block is None or not ln.has_geometry:
        return False
    x0, x1, size = ln.x0 or 0, ln.x1 or 0, block.size
    if x0 > block.center - size and x1 > block.center + size:
        return True
    return x0 > block.left + 4 * size and x1 > block.right - 2 * size


def _under_signature(sig: Line | None, date: Line, block: TextBlock | None) -> bool:
    """A date placed under a long signature: both well right of the paragraph indent,
    the date starting at or right of the signature's start — or centred under it (GB/T
    9704: the 署名 is centred over the 成文日期; in a column narrower than the text block,
    neither reaches the right half of the block, and a long date may fill the column)."""
    if sig is None or block is None or not sig.has_geometry or not date.has_geometry:
        return False
    indent = block.left + block.size * 2.5
    sx0, sx1, dx0, dx1 = sig.x0 or 0, sig.x1 or 0, date.x0 or 0, date.x1 or 0
    if sx0 > indent and sig.page == date.page and sx1 - sx0 < dx1 - dx0:
        if abs((sx0 + sx1) / 2 - (dx0 + dx1) / 2) <= 2 * block.size:
            return True
    return sx0 > indent and dx0 >= sx0 - 1 and sig.page == date.page or (
        sx0 > indent and dx0 > indent and sig.page != date.page
    )


_SENTENCE_PUNCT = re.compile(r"[。，,；;：:！？]")


def _short_plain(text: str) -> bool:
    s = compact(text)
    return 1 < len(s) <= 30 and not _SENTENCE_PUNCT.search(s) and not _HEADING.match(s)


def _attachment_starts(lines: list[Line], date_index: int | None, block: TextBlock | None) -> list[int]:
    """Indexes where attachments begin: a label line (附件 / 附件1 alone on a line) at
    the top of a page (or of a column) or after the 成文日期, or — for unlabelled
    attachments — a title-size line opening a page or column after the 成文日期."""
    starts = []
    for i, ln in enumerate(lines):
        first_on_page = i > 0 and (lines[i - 1].page != ln.page or lines[i - 1].column != ln.column)
        after_date = date_index is not None and i > date_index
        if "附" in ln.text and _ATTACHMENT_LABEL.match(compact(ln.text)):
            if (ln.has_geometry and first_on_page) or after_date:
                starts.append(i)
        elif after_date and first_on_page and _is_title_size(ln, block):
            if not starts or starts[-1] != i - 1:  # not the title right under a label
                starts.append(i)
    return starts


# ------------------------------------------------------------------------- parser


def parse_document(lines: list[Line], *, block: TextBlock | None = None) -> ParsedDocument:
    """Parse one document's lines into its GB/T 9704 elements (never raises)."""
    doc = ParsedDocument()
    lines = [ln for ln in lines if ln.text.strip()]
    if not lines:
        return doc
    pages = [ln.page for ln in lines]
    doc.pages = (min(pages), max(pages))
    block = block or text_block(lines)

    lines = _take_colophon(doc, lines)

    # 成文日期 of the main part: the first date-only line that is right-aligned or
    # follows a signature; attachments come after it.
    date_index = _find_written_date(lines, block)
    starts = _attachment_starts(lines, date_index, block)
    main = lines[: starts[0]] if starts else lines
    bounds = starts + [len(lines)]
    for a, b in zip(bounds, bounds[1:]):
        doc.attachments.append(_parse_attachment(lines[a:b], block))

    i = _parse_head(doc, main, block)
    body = main[i:]
    body = _take_tail(doc, body, block)
    _parse_body(doc, body, block)
    return doc


def _take_colophon(doc: ParsedDocument, lines: list[Line]) -> list[Line]:
    """Remove the 版记 (抄送, 印发机关和印发日期) from the end of the document."""
    end = len(lines)
    printed_at = None
    for k in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        m = _PRINTED.match(compact(lines[k].text))
        if m:
            printed_at = k
            by = re.sub(r"\s*" + re.escape(m.group("date")) + r".*$", "", lines[k].text.strip()).strip()
            doc.printed_by = by or None
            found = find_dates(m.group("date"))
            doc.printed_date = found[0][0] if found else None
            break
    if printed_at is not None:
        end = printed_at
    cc_at = None
    for k in range(end - 1, max(-1, end - 5), -1):
        if _CC.match(compact(lines[k].text)):
            cc_at = k
            break
    if cc_at is not None:
        cc_lines = [lines[cc_at].text] + [ln.text for ln in lines[cc_at + 1 : end]]
        doc.cc = _CC.match(compact("".join(cc_lines))).group("cc") or None  # type: ignore[union-attr]
        end = cc_at
    if printed_at is None and cc_at is None:
        return lines
    return lines[:end]


def _find_written_date(lines: list[Line], block: TextBlock | None) -> int | None:
    for i, ln in enumerate(lines):
        if i < 2 or _date_only(ln.text) is None:
            continue
        prev = lines[i - 1]
        if ln.has_geometry:
            if _is_right_aligned(ln, block) or _under_signature(prev, ln, block):
                return i
        elif _short_plain(prev.text) or i == len(lines) - 1:
            return i
    return None


def _parse_head(doc: ParsedDocument, main: list[Line], block: TextBlock | None) -> int:
    """统一登记号, 发文机关标志, 发文字号/签发人 and the title; returns the body start."""
    i = 0
    n = len(main)
    if i < n and (m := _REGISTRATION.match(main[i].text.strip())):
        doc.registration_number = m.group("n")
        i += 1
    marks = []
    while i < n and _is_mark(main[i], block) and len(marks) < 4:
        marks.append(compact(main[i].text))
        i += 1
    if marks:
        doc.issuer_mark = "".join(marks)
    hit = _doc_number_line(main[i].text) if i < n else None
    if hit:
        doc.doc_number, doc.doc_number_raw, doc.signer = hit
        i += 1
    # title
    title_lines: list[str] = []
    if i < n and block is not None and _is_title_size(main[i], block):
        size = main[i].size or 0
        while i < n and main[i].size and abs(main[i].size - size) < 1.0:
            title_lines.append(main[i].text.strip())
            i += 1
    elif i < n:
        title_lines.append(main[i].text.strip())
        i += 1
        while i < n and _title_continues("".join(title_lines), main[i], block):
            title_lines.append(main[i].text.strip())
            i += 1
    doc.title = "".join(title_lines)
    # gazette reprints: 发文字号 centred under the title
    if doc.doc_number is None and i < n:
        hit = _doc_number_line(main[i].text)
        if hit:
            doc.doc_number, doc.doc_number_raw, doc.signer = hit
            i += 1
    return i


def _is_mark(ln: Line, block: TextBlock | None) -> bool:
    text = compact(ln.text)
    if not text or len(text) > 40 or re.search(r"[。，,；;：:]", text):
        return False
    if ln.red:
        return True
    big = block is not None and ln.size is not None and ln.size >= block.size * 1.6
    return bool(_MARK_END.search(text)) and (big or not ln.has_geometry) and find_doc_numbers(text) == []


def _title_continues(title: str, ln: Line, block: TextBlock | None) -> bool:
    """Text-only title wrapping: keep taking short lines until the title reads complete."""
    text = ln.text.strip()
    if infer_doc_type(title) and not title.endswith(("关于", "的")):
        return False
    if _doc_number_line(text) or text.endswith(("：", ":")) or _HEADING.match(text):
        return False
    return len(text) <= 40 and "。" not in text


def _take_tail(doc: ParsedDocument, body: list[Line], block: TextBlock | None) -> list[Line]:
    """附注, 成文日期 and 发文机关署名 from the end of the main part."""
    end = len(body)
    if end and (m := _NOTE.match(compact(body[end - 1].text))):
        date_before = end >= 2 and _date_only(body[end - 2].text) is not None
        if date_before or "此件" in m.group("t") or "公开" in m.group("t"):
            doc.note = body[end - 1].text.strip()
            end -= 1
    if end and (d := _date_only(body[end - 1].text)) is not None:
        ln = body[end - 1]
        prev = body[end - 2] if end >= 2 else None
        if not ln.has_geometry or _is_right_aligned(ln, block) or end == len(body) or _under_signature(prev, ln, block):
            doc.written_date = d
            doc.written_date_text = ln.text.strip()
            end -= 1
            sigs: list[str] = []
            k = end - 1
            while k >= 0 and len(sigs) < 4:
                cand = body[k]
                if cand.has_geometry:
                    ok = _short_plain(cand.text) and (
                        _is_right_aligned(cand, block) or _under_signature(cand, body[end], block)
                    )
                else:
                    ok = _short_plain(cand.text) and not _ATTACHMENT_NOTE.match(cand.text)
                if not ok:
                    break
                sigs.insert(0, cand.text.strip())
                k -= 1
            doc.signatures = sigs
            end = k + 1
    return body[:end]


def _parse_body(doc: ParsedDocument, body: list[Line], block: TextBlock | None) -> None:
    paras = join_lines(body, block)
    if paras and _is_addressee(paras[0], block):
        doc.addressee = paras[0].text.strip()
        paras = paras[1:]
    # 附件说明: a trailing run that starts with 附件： and continues with numbered items
    notes_at = None
    for k, p in enumerate(paras):
        if _ATTACHMENT_NOTE.match(p.text.strip()):
            rest = paras[k + 1 :]
            if all(_NOTE_ITEM.match(q.text.strip()) or _hanging(q, block) for q in rest):
                notes_at = k
                break
    if notes_at is not None:
        items: list[str] = []
        first = _ATTACHMENT_NOTE.match(paras[notes_at].text.strip()).group("rest")  # type: ignore[union-attr]
        items.append(first)
        for q in paras[notes_at + 1 :]:
            t = q.text.strip()
            if _NOTE_ITEM.match(t) or not items:
                items.append(t)
            else:
                items[-1] += t
        doc.attachment_notes = [x for x in items if x]
        paras = paras[:notes_at]
    doc.paragraphs = [p.text.strip() for p in paras if p.text.strip()]


def _hanging(p: Paragraph, block: TextBlock | None) -> bool:
    """A hanging-indented continuation line of the 附件说明 (indented beyond 2 chars)."""
    ln = p.first
    return bool(block and ln.has_geometry and (ln.x0 or 0) > block.left + block.size * 2.5)


def _is_addressee(p: Paragraph, block: TextBlock | None) -> bool:
    text = p.text.strip()
    if not text.endswith(("：", ":")) or len(text) > 150 or "。" in text or _HEADING.match(text):
        return False
    if _ATTACHMENT_NOTE.match(text):
        return False
    if block is not None and p.first.has_geometry:
        return (p.first.x0 or 0) < block.left + block.size * 0.9
    return True


def _parse_attachment(lines: list[Line], block: TextBlock | None) -> Attachment:
    if _ATTACHMENT_LABEL.match(compact(lines[0].text)):
        label = compact(lines[0].text).rstrip("：:")
        rest = lines[1:]
    else:  # unlabelled: starts with its title
        label, rest = "", lines
    title_lines: list[str] = []
    i = 0
    if rest and block is not None and _is_title_size(rest[0], block):
        size = rest[0].size or 0
        while i < len(rest) and rest[i].size and abs(rest[i].size - size) < 1.0:
            title_lines.append(rest[i].text.strip())
            i += 1
    elif rest and not rest[0].has_geometry and _short_plain(rest[0].text):
        title_lines.append(rest[0].text.strip())
        i = 1
    paras = [p.text.strip() for p in join_lines(rest[i:], block) if p.text.strip()]
    return Attachment(label=label, title="".join(title_lines), paragraphs=paras)
