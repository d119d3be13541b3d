"""How documents are put into words and structure for people on the web pages.

Pure functions, no I/O: Chinese dates, the status banner sentence, and the split of
a document's paragraphs into headings and paragraphs by their numbering
(一、/第X章 → h2, （一）/第X节 → h3, 1. and （1） → h4; the rules are
:mod:`gazette.headings`). Everything returned is plain text: templates autoescape it.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from gazette.headings import classify, heading_levels
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

#: Deepest heading level the document template renders (h2–h4 under the page's h1).
DEEPEST_LEVEL = 4


@dataclass(frozen=True)
class Block:
    """One block of a document's text: ``level`` 2–4 for a heading, 0 for a paragraph.

    A numbered paragraph keeps its lead phrase (up to the first 。) in ``lead`` so
    it can be emphasised: （一）加强组织领导。各乡镇要…
    """

    level: int
    text: str
    lead: str = ""


def blocks(paragraphs: list[str]) -> list[Block]:
    """The non-empty paragraphs as headings and paragraphs, by the rules of
    :mod:`gazette.headings` (rank 1 is ``h2``, nothing deeper than ``h4``)."""
    texts = [t for t in (p.strip() for p in paragraphs) if t]
    out: list[Block] = []
    for text, level in zip(texts, heading_levels(texts, top=2, deepest=DEEPEST_LEVEL), strict=True):
        found = classify(text) if not level else None
        lead = found.lead if found else ""
        out.append(Block(level, text[len(lead) :], lead))
    return out
