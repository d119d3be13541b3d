"""Stage 2 — clean: page furniture out, lines tidied, broken lines joined into paragraphs.

Reads: :class:`~ingest.extract.PageText` pages from the extract stage.
Writes: a :class:`Cleaned` result — the body lines of every page in reading order
(running headers and page numbers removed, spaces between CJK characters dropped,
full-width punctuation untouched), the printed page number found in each page's
footer (``page_labels``, used to map a 目录 to PDF pages) and the header texts that
were removed.

:func:`join_lines` is the paragraph builder the structure parsers use: a line
continues the previous one unless a paragraph visibly starts (first-line indent,
centred or right-aligned line, change of font size, a blank line, a numbered heading)
or the previous line visibly ended (short of the text block's right edge after
sentence-final punctuation). Lines without geometry (fixtures built from text) are
each taken as a paragraph.

Fake bold (characters painted twice, slightly offset) is removed in the extract stage
(:func:`ingest.chars.build_lines`, or pdfplumber's ``dedupe_chars`` on table pages);
:func:`undouble` handles text that arrives doubled anyway (e.g. 静静乐乐县县 from
extractors without positions).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ingest.extract import Line, PageText

__all__ = [
    "Cleaned",
    "Paragraph",
    "clean_pages",
    "compact",
    "drop_cjk_spaces",
    "join_lines",
    "page_number_of",
    "undouble",
    "TextBlock",
    "text_block",
]

_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef“”‘’…—·"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")
_CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—"
_PUNCT_SPACE = re.compile(rf"(?<=[{_CJK_PUNCT}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK_PUNCT}])")
_ANY_SPACE = re.compile(r"[ \t\u00a0\u3000]")

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—\-–－~～一_·•]+\s*)?(?:第\s*)?(?P<n>\d{1,4})\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?\s*(?:[—\-–－~～一_·•]+)?\s*$"
)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）]|"
    r"第[一二三四五六七八九十百零〇\d]+[章节条]|附件\s*\d*\s*$)"
)
_SENTENCE_END = "。！？!?；;：:…”’」』）)】"

#: Share of the page height that counts as the header / footer band.
TOP_BAND = 0.10
BOTTOM_BAND = 0.885
#: A band line printed this much smaller than the page's body text is furniture (a
#: 印制 footer in 9 pt under 16 pt text), even on a one-page file.
SMALL_PRINT = 0.7


def drop_cjk_spaces(text: str) -> str:
    """Remove spaces between two CJK characters (letter-spaced lines, 静 乐 县) and
    next to full-width punctuation; spaces between ASCII words stay."""
    if not _ANY_SPACE.search(text):  # most lines: nothing to drop, skip both scans
        return text
    return _PUNCT_SPACE.sub("", _CJK_SPACE.sub("", text))


def undouble(text: str) -> str:
    """Collapse a line whose every character is doubled (静静乐乐县县 → 静乐县).

    Only a line made entirely of pairs is collapsed: ordinary text with the odd
    doubled character (看看, 2022年11月) is left alone.
    """
    s = text.strip()
    if len(s) < 4 or len(s) % 2 or s[0] != s[1]:
        return text
    if all(s[i] == s[i + 1] for i in range(0, len(s), 2)) and len(set(s)) > 1:
        return s[::2]
    return text


def compact(text: str) -> str:
    """``text`` without white space (str.split's white space is re's ``\\s``)."""
    return "".join(text.split())


def page_number_of(text: str) -> int | None:
    """The page number a footer line prints (— 3 —, -3-, 第3页, 3, 3/12), else ``None``."""
    m = _PAGE_NUMBER.match(text)
    if not m:
        return None
    n = int(m.group("n"))
    return n if 0 < n < 10000 else None


_NUMERALS = re.compile(r"[\d〇零一二三四五六七八九十]+")


def _shape(text: str) -> str:
    """A line's text with digits (ASCII and Chinese) blanked, to spot repeating headers."""
    return _NUMERALS.sub("#", compact(text))


@dataclass
class Cleaned:
    """Body lines of every page, and what was taken away."""

    pages: list[PageText]
    page_labels: dict[int, int] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [ln for p in self.pages for ln in p.lines]


def clean_pages(pages: list[PageText]) -> Cleaned:
    """Remove running headers and page numbers; tidy every remaining line.

    A line is furniture when it lies in the top or bottom band of its page and either
    prints a page number, repeats (digits ignored) on at least two pages, lies below
    the page number, or is printed far smaller than the page's body text
    (:data:`SMALL_PRINT`; never a table row) — or, on a one-page file, looks like a
    gazette header (…公报 2022年第3期).
    """
    band_shapes: Counter[str] = Counter()
    for p in pages:
        seen = set()
        for ln in _band_lines(p):
            seen.add(_shape(ln.text))
        band_shapes.update(seen)
    repeat_min = 2 if len(pages) > 1 else 99

    out_pages: list[PageText] = []
    labels: dict[int, int] = {}
    headers: list[str] = []
    for p in pages:
        furniture: set[int] = set()
        band = _band_lines(p)
        number_tops = [ln.top or 0.0 for ln in band if page_number_of(ln.text) is not None]
        body_size = _body_size(p)
        for ln in band:
            num = page_number_of(ln.text)
            is_bottom = (ln.top or 0) > p.height * 0.5
            if num is not None:
                furniture.add(id(ln))
                if is_bottom or p.number not in labels:
                    labels[p.number] = num
            elif (
                band_shapes[_shape(ln.text)] >= repeat_min
                or _looks_like_gazette_header(ln.text)
                or (not ln.table_row and is_bottom and any((ln.top or 0.0) > t for t in number_tops))
                or (not ln.table_row and body_size and ln.size and ln.size <= body_size * SMALL_PRINT)
            ):
                furniture.add(id(ln))
                if all(_shape(h) != _shape(ln.text) for h in headers):
                    headers.append(ln.text)
        kept = []
        for ln in p.lines:
            if id(ln) in furniture:
                continue
            if ln.table_row:  # tidy each cell; the TABs between cells stay
                text = "\t".join(drop_cjk_spaces(undouble(c)).strip() for c in ln.text.split("\t"))
            else:
                text = drop_cjk_spaces(undouble(ln.text)).strip()
            if not text.strip():
                continue
            kept.append(ln if text == ln.text else replace(ln, text=text))
        out_pages.append(replace(p, lines=kept))
    return Cleaned(out_pages, labels, headers)


def _body_size(p: PageText) -> float | None:
    """The font size most of the page's lines are printed in."""
    sizes = Counter(round(ln.size) for ln in p.lines if ln.size)
    return float(sizes.most_common(1)[0][0]) if sizes else None


def _band_lines(p: PageText) -> list[Line]:
    """Lines in the top or bottom band (at most two at each end of the page)."""
    if not p.lines or p.height <= 0:
        return []
    top = [ln for ln in p.lines[:2] if ln.top is not None and ln.top < p.height * TOP_BAND]
    bottom = [ln for ln in p.lines[-2:] if ln.top is not None and ln.top > p.height * BOTTOM_BAND]
    return top + [ln for ln in bottom if ln not in top]


_GAZETTE_HEADER = re.compile(r"公报.{0,6}\d{4}\s*年\s*第\s*\d+\s*期")


def _looks_like_gazette_header(text: str) -> bool:
    return len(text) < 40 and _GAZETTE_HEADER.search(text) is not None


# --------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class TextBlock:
    """The text block of a run of lines: its left and right edges and body font size."""

    left: float
    right: float
    size: float

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2


def text_block(lines: list[Line]) -> TextBlock | None:
    """Estimate the text block from positioned lines: the most common left edge of
    body-size lines, their widest right edge, and the most common size."""
    geo = [ln for ln in lines if ln.has_geometry and ln.size]
    if not geo:
        return None
    size = Counter(round(ln.size or 0) for ln in geo).most_common(1)[0][0]
    body = [ln for ln in geo if abs((ln.size or 0) - size) < 1.0] or geo
    lefts = Counter(round(ln.x0 or 0) for ln in body)
    left = float(min(lefts, key=lambda x: (-lefts[x], x)))
    # the left margin is the smallest frequently used left edge
    frequent = [x for x, c in lefts.items() if c >= max(2, len(body) * 0.03)]
    left = float(min(frequent)) if frequent else left
    rights = sorted(ln.x1 or 0 for ln in body)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 3 else max(rights)
    right = max(right, left + size * 4)
    return TextBlock(left, right, float(size))


@dataclass(slots=True)
class Paragraph:
    """Lines joined into one paragraph; ``lines`` keeps their geometry."""

    text: str
    lines: list[Line]

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def page(self) -> int:
        return self.lines[0].page


def _is_centered(ln: Line, block: TextBlock) -> bool:
    if not ln.has_geometry:
        return False
    gap_left = (ln.x0 or 0) - block.left
    gap_right = block.right - (ln.x1 or 0)
    if gap_left < block.size * 0.75 or gap_right < block.size * 0.75:
        return False
    if abs(gap_left - 2 * block.size) < 2 and gap_right < 4 * block.size:
        return False  # an indented first line that happens to end short of the edge
    return abs(gap_left - gap_right) < block.size * 0.5


def starts_paragraph(prev: Line, ln: Line, block: TextBlock | None) -> bool:
    """Whether ``ln`` begins a new paragraph after ``prev`` (see module docstring)."""
    if block is None or not prev.has_geometry or not ln.has_geometry:
        return True
    if ln.table_row or prev.table_row:
        return True  # a table row is a paragraph of its own
    size = block.size
    if abs((ln.size or size) - (prev.size or size)) > 1.0:
        return True
    if _is_centered(ln, block) or _is_centered(prev, block):
        return True
    if ln.x0 is not None and ln.x0 > block.left + size * 0.9:
        return True  # first-line indent (or a right-aligned line)
    if ln.page == prev.page and prev.bottom is not None and ln.top is not None:
        if ln.top - prev.bottom > (prev.bottom - (prev.top or prev.bottom)) * 1.6 + size * 0.9:
            return True  # a blank line between them
    short = (prev.x1 or 0) < block.right - size * 1.5
    if short and prev.text.rstrip()[-1:] in _SENTENCE_END:
        return True
    if short and _HEADING.match(ln.text):
        return True
    if short and (prev.x1 or 0) < block.right - size * 8:
        return True  # far too short to be a wrapped line
    return False


def join_lines(lines: list[Line], block: TextBlock | None = None) -> list[Paragraph]:
    """Group lines into paragraphs (across page breaks) and join their text.

    Joining drops nothing and adds nothing between CJK characters; between two ASCII
    letters/digits split across lines a space is kept only if the source had one.
    """
    if block is None:
        block = text_block(lines)
    paras: list[Paragraph] = []
    for ln in lines:
        if paras and not starts_paragraph(paras[-1].lines[-1], ln, block):
            p = paras[-1]
            p.lines.append(ln)
            p.text = p.text + ln.text
        else:
            paras.append(Paragraph(ln.text, [ln]))
    return paras

