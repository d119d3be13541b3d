"""Numbered headings in the body of an official document, found from their numbering.

GB/T 9704-2012 §7.3.3 numbers the structure of a document's body ``一、`` → ``（一）`` →
``1.`` → ``（1）``; longer documents (办法, 规定, 条例) are divided ``第X编/章`` →
``第X节``. A paragraph opening with such a number is either

* a **standalone heading**: the whole paragraph is the heading (``一、总体要求``), or
* a **run-in heading**: the number opens an ordinary paragraph whose lead sentence,
  ending in ``。``, is its heading (``（一）加强组织领导。各乡镇要…``), or a list item.

This module is the one rule set both the web pages (``search_api``) and the EPUB edition
(``epub_builder``) use to turn those into heading levels; it only reads text and never
changes it. The rules:

* **Numbers** (:data:`RANKS`): ``第X编``/``第X章`` and ``一、`` are rank 1, ``第X节`` and
  ``（一）`` rank 2, ``1.`` rank 3, ``（1）`` rank 4. Chinese numerals are 一…十, 百, 零, 〇
  (not 两, which never numbers a heading); ``第X章/节`` take Chinese numerals only.
  Half- and full-width brackets and stops are accepted, and stray spaces before the
  ``、``/``.`` (left by extraction). ``1.`` must not be followed by a digit, so
  ``1.5亿元`` and ``1、2号楼`` are not numbered. ``第X条`` is not a heading: an article is
  the text itself, not a title over it.
* **Standalone** (:attr:`Numbering.standalone`): at most :data:`MAX_HEADING_CHARS`
  characters, no sentence end (``。；;！!？?``) before the last character, and not ending
  in ``。`` or a clause mark (``；;，,：:、``). A standalone heading carries no end
  punctuation in GB/T 9704 practice; a paragraph ending in ``。`` is a run-in lead or a
  list item (``5.四级手术以国家目录为准。``). A question (``一、出台背景是什么？``) may be a
  heading.
* **Run-in lead** (:attr:`Numbering.lead`): for a numbered paragraph that is not
  standalone, the text up to and including its first ``。`` when that is within the first
  :data:`MAX_HEADING_CHARS` characters, else empty.
* **Table rows** (paragraphs holding a TAB, the :class:`~gazette.model.Document`
  convention) are never headings.
* **Levels** (:func:`heading_levels`): rank 1 becomes ``top``, and levels never skip: a
  heading is at most one level below the previous heading, so a document whose first
  heading is ``（一）`` starts at ``top``.

Caveat: the rules look at one paragraph at a time, so a short unpunctuated list item
(``1.建立台账``) is a heading; that is how such items read in a printed gazette too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NUM = "一二三四五六七八九十百零〇"

#: (pattern, rank) in matching order; rank 1 is the top level inside a document.
RANKS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^第[{_NUM}]+[编章]"), 1),
    (re.compile(rf"^第[{_NUM}]+节"), 2),
    (re.compile(rf"^[{_NUM}]+\s*[、．.]"), 1),
    (re.compile(rf"^[（(]\s*[{_NUM}]+\s*[）)]"), 2),
    (re.compile(r"^\d{1,2}\s*[.．、](?!\d)"), 3),
    (re.compile(r"^[（(]\s*\d{1,2}\s*[）)]"), 4),
)

#: A numbered paragraph longer than this is never a standalone heading, and a run-in
#: lead sentence must end within this many characters.
MAX_HEADING_CHARS = 40

_SENTENCE_END = "。；;！!？?"
_NO_HEADING_END = "。；;，,：:、"


@dataclass(frozen=True)
class Numbering:
    """What the number opening a paragraph says about it.

    ``rank`` is the structural level (1 = ``一、``/``第X章``, see :data:`RANKS`);
    ``standalone`` is true when the whole paragraph is a heading; ``lead`` is the run-in
    heading (lead sentence including its ``。``) of a paragraph that is not standalone,
    or ``""`` when there is none.
    """

    rank: int
    standalone: bool
    lead: str = ""


def classify(paragraph: str) -> Numbering | None:
    """The numbering of ``paragraph`` (leading and trailing whitespace ignored), or
    ``None`` when it does not open with a heading number or is a table row."""
    text = paragraph.strip()
    if "\t" in text:
        return None
    for pattern, rank in RANKS:
        if not pattern.match(text):
            continue
        if (
            len(text) <= MAX_HEADING_CHARS
            and not any(c in text[:-1] for c in _SENTENCE_END)
            and text[-1] not in _NO_HEADING_END
        ):
            return Numbering(rank, True)
        stop = text.find("。", 0, MAX_HEADING_CHARS)
        return Numbering(rank, False, text[: stop + 1] if stop >= 0 else "")
    return None


def heading_levels(paragraphs: Iterable[str], *, top: int = 1, deepest: int = 6) -> list[int]:
    """For each paragraph, its heading level, or 0 when it is not a standalone heading.

    Rank 1 maps to ``top``, rank n to ``top + n - 1``, but never more than one level
    below the previous heading of the same sequence and never deeper than ``deepest``
    (e.g. ``top=2, deepest=6`` for ``h2``–``h6`` under a page's ``h1``).
    """
    levels: list[int] = []
    current = top - 1  # level of the enclosing heading
    for paragraph in paragraphs:
        found = classify(paragraph)
        if found is None or not found.standalone:
            levels.append(0)
            continue
        current = min(top - 1 + found.rank, current + 1, deepest)
        levels.append(current)
    return levels
