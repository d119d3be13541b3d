"""Page geometry, Chinese line breaking and the page model shared by every layout.

Layouts do not draw: they *place* text lines and rules on :class:`Page` objects
(absolute coordinates in PDF points, origin bottom-left) through a :class:`Flow`, and
:mod:`renderer.pdf` paints the pages afterwards. Separating placement from painting lets
an issue be laid out once to learn each article's page numbers before its 目录 is
written, and lets tests inspect positions without parsing a PDF.

Geometry of the plain layout (GB/T 9704-2012, A4 portrait, 3号 = 16 pt body):
text block 448 pt wide (28 characters) centred horizontally (left margin ≈ 26 mm),
from y = TOP (37 mm below the top edge) down to y = BOTTOM (35 mm above the bottom
edge); 22 body lines at a pitch of (TOP - BOTTOM) / 22 ≈ 28.99 pt, the first baseline
16 pt under TOP.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

PAGE_WIDTH, PAGE_HEIGHT = A4
BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
SMALL_SIZE = 14.0  # 4号: 版记, page numbers
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
TEXT_WIDTH = CHARS_PER_LINE * BODY_SIZE
LEFT = (PAGE_WIDTH - TEXT_WIDTH) / 2
RIGHT = LEFT + TEXT_WIDTH
TOP = PAGE_HEIGHT - 37 * mm
BOTTOM = 35 * mm
LINE_PITCH = (TOP - BOTTOM) / LINES_PER_PAGE
FIRST_BASELINE = TOP - BODY_SIZE
LAST_BASELINE = FIRST_BASELINE - (LINES_PER_PAGE - 1) * LINE_PITCH
PAGE_NUMBER_BASELINE = BOTTOM - 7 * mm - SMALL_SIZE
RED = (0.86, 0.0, 0.0)
BLACK = (0.0, 0.0, 0.0)

#: Characters that must not begin a line (closing punctuation).
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—％%,.;:?!)]}·～")
#: Characters that must not end a line (opening punctuation).
NO_LINE_END = set("（《「『【〔〈“‘([{")

_ASCII_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/]*|.", re.S)


@dataclass(frozen=True)
class TextOp:
    """One line of text drawn with a single drawString call at (x, y).

    ``char_space`` (PDF ``Tc``, points added after every character) is 0 except in the
    letter-spaced variant.
    """

    x: float
    y: float
    text: str
    font: str
    size: float
    color: tuple[float, float, float] = BLACK
    char_space: float = 0.0


@dataclass(frozen=True)
class RuleOp:
    """A horizontal rule from x1 to x2 at height y."""

    x1: float
    x2: float
    y: float
    width: float
    color: tuple[float, float, float] = BLACK


@dataclass(frozen=True)
class LineOp:
    """A straight line from (x1, y1) to (x2, y2): table rulings (vertical and horizontal)."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: tuple[float, float, float] = BLACK


Op = TextOp | RuleOp | LineOp


@dataclass
class Page:
    """Placed content of one PDF page; furniture (header, page number) is added when numbering is known.

    ``label`` is the printed page-number string and ``header`` the running header, once
    added; ``article`` is the 0-based index of the gazette article printed on the page
    (None for standalone documents, cover and 目录); ``columns`` is 2 on two-column pages.
    """

    ops: list[Op] = field(default_factory=list)
    kind: str = "body"  # cover, toc, body
    label: str | None = None
    header: str | None = None
    article: int | None = None
    columns: int = 1


def text_width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def _tokens(text: str) -> list[str]:
    """Break units: single characters, except runs of ASCII letters/digits kept whole."""
    return _ASCII_RUN.findall(text)


def wrap(text: str, font: str, size: float, width: float, first_width: float | None = None) -> list[str]:
    """Break ``text`` into lines on character boundaries.

    The first line may be narrower (``first_width``, e.g. for a first-line indent). Closing
    punctuation never starts a line and opening punctuation never ends one: the break moves
    back (characters are pushed to the next line) rather than letting text overhang. ASCII
    words and numbers are not split unless longer than a line. Concatenating the result
    gives ``text`` back exactly.
    """
    tokens = _tokens(text)
    widths = [stringWidth(t, font, size) for t in tokens]
    lines: list[str] = []
    start = 0
    limit = first_width if first_width is not None else width
    while start < len(tokens):
        used, end = 0.0, start
        while end < len(tokens) and used + widths[end] <= limit + 0.01:
            used += widths[end]
            end += 1
        if end == start:  # a single token wider than the line: split it by characters
            token = tokens[start]
            if len(token) == 1:  # cannot split further: let it stand alone
                lines.append(token)
                start += 1
                limit = width
                continue
            cut = max(1, _fit_chars(token, font, size, limit))
            tokens[start : start + 1] = [token[:cut], token[cut:]]
            widths[start : start + 1] = [stringWidth(token[:cut], font, size), stringWidth(token[cut:], font, size)]
            continue
        if end < len(tokens):
            brk = end
            while brk > start + 1 and (tokens[brk][0] in NO_LINE_START or tokens[brk - 1][-1] in NO_LINE_END):
                brk -= 1
            end = brk
        lines.append("".join(tokens[start:end]))
        start = end
        limit = width
    return lines


def _fit_chars(token: str, font: str, size: float, limit: float) -> int:
    n = 0
    while n < len(token) and stringWidth(token[: n + 1], font, size) <= limit:
        n += 1
    return n


def wrap_balanced(text: str, font: str, size: float, width: float) -> list[str]:
    """Wrap a title over as few lines as needed, with line lengths as even as possible."""
    total = stringWidth(text, font, size)
    if total <= width:
        return [text]
    n = math.ceil(total / width)
    target = total / n
    while True:
        lines = wrap(text, font, size, min(width, target))
        if len(lines) <= n or target >= width:
            return lines
        target += size


class Flow:
    """Places lines top-down on a grid of pages, opening a new page when one is full.

    ``y`` is the baseline of the next line; ``kind`` labels every page it opens. The
    frame is ``left`` … ``left + width`` (the plain text block by default; a column in
    the two-column variant).
    """

    def __init__(
        self,
        pages: list[Page],
        top: float = FIRST_BASELINE,
        bottom: float = LAST_BASELINE - 0.5,
        kind: str = "body",
        *,
        left: float = LEFT,
        width: float = TEXT_WIDTH,
    ):
        self.pages = pages
        self.kind = kind
        self.top = top
        self.bottom = bottom
        self.left = left
        self.width = width
        self.page: Page | None = None
        self.y = top

    @property
    def right(self) -> float:
        return self.left + self.width

    def new_page(self) -> Page:
        self.page = Page(kind=self.kind)
        self.pages.append(self.page)
        self.y = self.top
        return self.page

    def room(self, pitch: float = LINE_PITCH) -> int:
        """How many more lines of ``pitch`` fit on the current page."""
        if self.page is None:
            return 0
        return int((self.y - self.bottom) // pitch) + 1

    def need(self, lines: int, pitch: float = LINE_PITCH) -> None:
        """Start a new page unless ``lines`` more lines fit on this one."""
        if self.page is None or self.room(pitch) < lines:
            self.new_page()

    def skip(self, lines: float = 1, pitch: float = LINE_PITCH) -> None:
        """Leave blank lines (never carried over to a new page)."""
        self.y -= lines * pitch

    def line(
        self,
        text: str,
        font: str,
        size: float = BODY_SIZE,
        *,
        align: str = "left",
        indent: float = 0.0,
        pitch: float = LINE_PITCH,
        color: tuple[float, float, float] = BLACK,
    ) -> float:
        """Place one line; returns its baseline. ``indent`` is from the left (or right) edge."""
        self.need(1, pitch)
        assert self.page is not None
        x = self.x_for(text, font, size, align, indent)
        self.page.ops.append(TextOp(x, self.y, text, font, size, color))
        baseline = self.y
        self.y -= pitch
        return baseline

    def x_for(self, text: str, font: str, size: float, align: str, indent: float = 0.0) -> float:
        w = stringWidth(text, font, size)
        if align == "center":
            return self.left + (self.width - w) / 2
        if align == "right":
            return self.right - indent - w
        return self.left + indent

    def paragraph(
        self,
        text: str,
        font: str,
        size: float = BODY_SIZE,
        *,
        first_indent: float = 2 * BODY_SIZE,
        indent: float = 0.0,
        align: str = "left",
        pitch: float = LINE_PITCH,
        color: tuple[float, float, float] = BLACK,
    ) -> None:
        """Wrap and place a paragraph: first line indented by ``first_indent``, the rest by ``indent``."""
        if align == "center":
            lines = wrap_balanced(text, font, size, self.width)
            for ln in lines:
                self.line(ln, font, size, align="center", pitch=pitch, color=color)
            return
        lines = wrap(text, font, size, self.width - indent, self.width - first_indent)
        for i, ln in enumerate(lines):
            self.line(ln, font, size, indent=first_indent if i == 0 else indent, pitch=pitch, color=color)
