"""How documents are put into words and structure for people on the web pages.

Pure functions, no I/O: Chinese dates, the status banner sentence, and the split of
a document's paragraphs into headings and paragraphs by their numbering
(一、 → h2, （一） → h3, 1. → h4; 第X章 → h2, 第X节 → h3). Everything returned is
plain text: templates autoescape it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from gazette.model import Document, Status
from gazette.status import StatusView, effective_expiry


def title_markup(title: str, title_highlight: str | None) -> str | None:
    """The highlighted title if it covers the whole title, else ``None``.

    Backends return ``title_highlight`` HTML-escaped with ``<mark>``; some cut it like
    a snippet. A result line must show the whole title, so a cut one is not used.
    """
    if not title_highlight:
        return None
    plain = title_highlight.replace("<mark>", "").replace("</mark>", "")
    return title_highlight if plain == html.escape(title, quote=False) else None


def zh_date(day: dt.date | None) -> str:
    """2023年5月1日 (empty for no date)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@dataclass(frozen=True)
class Banner:
    """The status banner of a document page.

    ``text`` is the sentence before the basis; ``basis_text`` the basis 发文字号 (linked
    to ``basis_id`` when that document is public); ``tail`` what follows it.
    """

    status: Status
    text: str
    basis_text: str | None = None
    basis_id: str | None = None
    tail: str = ""


def status_banner(doc: Document, view: StatusView, as_of: dt.date, basis_id: str | None, today: dt.date) -> Banner:
    """The one sentence that tells a reader whether they may rely on the document,
    e.g. 本文件已于2023年5月1日废止，废止依据：静政发〔2023〕4号。"""
    prefix = "" if as_of == today else f"截至{zh_date(as_of)}，"
    basis = view.basis_doc_number
    if view.status is Status.repealed:
        text = f"{prefix}本文件已于{zh_date(view.since)}废止" if view.since else f"{prefix}本文件已废止"
        if basis:
            return Banner(view.status, text + "，废止依据：", basis, basis_id, "。")
        reason = f"（{view.reason}）" if view.reason else ""
        return Banner(view.status, text + reason + "。")
    if view.status is Status.expired:
        if basis or view.basis_document_id or (view.reason and not view.reason.startswith("有效期至")):
            text = f"{prefix}本文件已于{zh_date(view.since)}失效" if view.since else f"{prefix}本文件已失效"
            if basis:
                return Banner(view.status, text + "，依据：", basis, basis_id, "。")
            return Banner(view.status, text + (f"（{view.reason}）" if view.reason else "") + "。")
        expiry = view.since - dt.timedelta(days=1) if view.since else effective_expiry(doc, as_of)
        return Banner(view.status, f"{prefix}本文件有效期至{zh_date(expiry)}，已于{zh_date(view.since)}失效。")
    expiry = effective_expiry(doc, as_of)
    tail = f"，有效期至{zh_date(expiry)}" if expiry else ""
    if doc.effective_date and doc.effective_date > as_of:
        return Banner(view.status, f"{prefix}本文件将于{zh_date(doc.effective_date)}起施行{tail}。")
    return Banner(view.status, f"{prefix}本文件现行有效{tail}。")


# -- text structure ------------------------------------------------------------------

_NUM = "一二三四五六七八九十百零〇两"
_HEADING_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^#{1,6}\s*"), 2),  # Markdown headings of some sources (## 第一章 总则)
    (re.compile(rf"^第[{_NUM}\d]+[章编]\s*"), 2),
    (re.compile(rf"^第[{_NUM}\d]+节\s*"), 3),
    (re.compile(rf"^[{_NUM}]+\s*[、.．]"), 2),
    (re.compile(rf"^[（(][{_NUM}]+[)）]"), 3),
    (re.compile(r"^\d{1,2}\s*[.．、](?!\d)"), 4),
)
#: A numbered line longer than this, or ending like a sentence, is a paragraph.
MAX_HEADING_CHARS = 40
_SENTENCE_END = "。；;：:，,"


@dataclass(frozen=True)
class Block:
    """One block of a document's text: ``level`` 2–4 for a heading, 0 for a paragraph.

    A numbered paragraph keeps its lead phrase (up to the first 。) in ``lead`` so
    it can be emphasised: （一）加强组织领导。各乡镇要…
    """

    level: int
    text: str
    lead: str = ""


def heading_level(paragraph: str) -> int:
    """2/3/4 when ``paragraph`` is a heading by its numbering and length, else 0."""
    text = paragraph.strip()
    for pattern, level in _HEADING_PATTERNS:
        if pattern.match(text):
            if pattern.pattern.startswith("^#"):
                return level
            if len(text) <= MAX_HEADING_CHARS and text[-1] not in _SENTENCE_END:
                return level
            return 0
    return 0


def blocks(paragraphs: list[str]) -> list[Block]:
    """The paragraphs as headings and paragraphs (see module docstring)."""
    out: list[Block] = []
    for para in paragraphs:
        text = para.strip()
        if not text:
            continue
        level = heading_level(text)
        if level:
            out.append(Block(level, re.sub(r"^#{1,6}\s*", "", text)))
            continue
        lead = ""
        if any(p.match(text) for p, _ in _HEADING_PATTERNS[3:]):
            stop = text.find("。")
            if 0 < stop <= MAX_HEADING_CHARS:
                lead = text[: stop + 1]
        out.append(Block(0, text[len(lead) :] if lead else text, lead))
    return out
