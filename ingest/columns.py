"""Two-column pages: find the gutter from the characters' x-positions, read column by column.

Reads: the characters of one page (:class:`ingest.chars.Char` records), tables
already taken out.
Writes: a :class:`Gutter` (or ``None`` for a single-column page) that
:func:`ingest.extract` uses to cut the page into horizontal *segments* — full-width rows
(a 版头, a title set across both columns, a 版记, page furniture) and two-column *bands*
between them, read left column first, then right.

How the gutter is found: characters are grouped into rows (by ``top``); for every x in
the middle 30–70 % of the text's extent we count the rows that have a character over
that x. A gutter is the widest run of x (≥ :data:`MIN_GUTTER` pt) that at most
:data:`MAX_COVER` of the rows cross, and only if at least :data:`MIN_EDGE_ROWS` rows end
flush at its left edge and as many start flush at its right edge (the justified lines of
two real columns) — or twice as many end flush at its left edge (a short right column). Single-column pages fail that test: their justified lines cross the
middle, and pages of short lines (a signature block) have no flush column edges.

Column lines are given *block coordinates*: each column's x-range is mapped linearly
onto the page's full text width (:meth:`Gutter.to_block`), so the paragraph builder of
:mod:`ingest.clean` sees the indents, right alignment and centring it expects from a
single text block.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from ingest.chars import (  # _compiled: the extension, or None when not built
    Char,
    _compiled,
)

__all__ = ["Box", "Gutter", "boxes", "find_gutter", "fits", "widens", "char_rows", "MIN_GUTTER", "MAX_COVER", "MIN_EDGE_ROWS"]

#: Narrowest gutter (pt).
MIN_GUTTER = 6.0
#: Largest share of rows that may cross the gutter (full-width rows).
MAX_COVER = 0.3
#: Rows that must end flush left of the gutter, and start flush right of it.
MIN_EDGE_ROWS = 3
_EDGE = 4.0  # pt: how close to the gutter a row must end / start to count as flush


@dataclass(frozen=True)
class Gutter:
    """The white band between two columns and the columns' extents (page points)."""

    x0: float  # left edge of the gutter = right edge of the left column
    x1: float  # right edge of the gutter = left edge of the right column
    left: float  # left edge of the left column
    right: float  # right edge of the right column

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2

    def band(self) -> tuple[float, float]:
        """The central third of the gutter, ``(lo, hi)``: a box from ``x0`` to ``x1``
        crosses the gutter when ``x1 > lo and x0 < hi`` (column text may overhang the
        gutter's edge a little — punctuation — but never that far). Loops over a page's
        characters compare with these two bounds."""
        middle = (self.x0 + self.x1) / 2
        band = (self.x1 - self.x0) / 6
        return middle - band, middle + band

    def to_block(self, x: float, column: int) -> float:
        """``x`` in column 1 (left) or 2 (right) mapped onto the full text width."""
        a, b = (self.left, self.x0) if column == 1 else (self.x1, self.right)
        if b - a <= 0:
            return x
        return self.left + (x - a) * (self.right - self.left) / (b - a)


Box = tuple[float, float, float]  # x0, x1, top of one printed character


def boxes(chars: Iterable[Char]) -> list[Box]:
    """``(x0, x1, top)`` of the non-blank characters among ``chars``."""
    return [(c.x0, c.x1, c.top) for c in chars if c.text and not c.text.isspace()]


def char_rows(chars: Iterable[Box], tolerance: float = 3.0) -> list[list[Box]]:
    """Character boxes grouped into rows by their ``top`` (within ``tolerance`` pt)."""
    rows: list[list[Box]] = []
    tops: list[float] = []
    for c in sorted(chars, key=itemgetter(2)):
        top = c[2]
        if rows and top - tops[-1] <= tolerance:
            rows[-1].append(c)
        else:
            rows.append([c])
            tops.append(top)
    return rows


def _row_cover(rows: list[list[Box]], lo: int, hi: int) -> list[int]:
    """For each integer x in ``[lo, hi)``, how many rows have a character over it."""
    diff = [0] * (hi - lo + 1)
    for row in rows:
        spans = []
        for x0, x1, _ in row:
            a, b = int(x0 - 0.5), int(x1 + 0.5) + 1
            if a < hi and b > lo and a < b:  # over the window (most characters are not)
                spans.append((a if a > lo else lo, b if b < hi else hi))
        spans.sort()
        start = end = None
        for a, b in spans:
            if start is None:
                start, end = a, b
            elif a <= end:
                end = max(end, b)
            else:
                diff[start - lo] += 1
                diff[end - lo] -= 1
                start, end = a, b
        if start is not None:
            diff[start - lo] += 1
            diff[end - lo] -= 1
    cover, n = [], 0
    for d in diff[:-1]:
        n += d
        cover.append(n)
    return cover


def _mode(values: list[float], default: float) -> float:
    """The value (rounded to 1 pt) that at least :data:`MIN_EDGE_ROWS` of ``values``
    share and most do — an edge several rows are flush with — else ``default``."""
    counts = Counter(round(v) for v in values)
    top = max(counts.values(), default=0)
    if top < MIN_EDGE_ROWS:
        return default
    return float(min(v for v, n in counts.items() if n == top))


#: Fewest printed characters, and rows, a page needs to be considered for columns.
_MIN_CHARS = 40
_MIN_ROWS = 2 * MIN_EDGE_ROWS
#: The share of the text's extent, from its left, where a gutter is looked for.
_WINDOW = (0.3, 0.7)
_ROW_TOLERANCE = 3.0

Cover = tuple[int, float, float, int, list[int]]  # rows, left, right, lo, cover from lo


def _cover_python(chars: list[Char]) -> Cover | None:
    """How many rows the printed characters make, their extent (``left``, ``right``)
    and, for each integer x from ``lo`` across the middle window, how many rows have a
    character over it; ``None`` when there are too few characters or rows for columns.
    The reference for the compiled :func:`_cover_compiled`."""
    printed = boxes(chars)
    if len(printed) < _MIN_CHARS:
        return None
    rows = char_rows(printed, _ROW_TOLERANCE)
    if len(rows) < _MIN_ROWS:
        return None
    left = min(map(itemgetter(0), printed))
    right = max(map(itemgetter(1), printed))
    span = right - left
    lo, hi = int(left + span * _WINDOW[0]), int(left + span * _WINDOW[1]) + 1
    return len(rows), left, right, lo, _row_cover(rows, lo, hi)


def _cover_compiled(chars: list[Char]):
    """:func:`_cover_python` in C (:mod:`ingest._chars`); ``NotImplemented`` for
    records it does not take (not :class:`~ingest.chars.Char` records of floats, or
    coordinates far off any page)."""
    return _compiled.gutter_cover(chars, _ROW_TOLERANCE, *_WINDOW, _MIN_CHARS, _MIN_ROWS)


def _cover(chars: list[Char]) -> Cover | None:
    """:func:`_cover_compiled` when :mod:`ingest._chars` was built and takes the
    records, else :func:`_cover_python` — the same answer either way."""
    if _compiled is not None:
        measured = _cover_compiled(chars)
        if measured is not NotImplemented:
            return measured
    return _cover_python(chars)


def find_gutter(chars: Iterable[Char]) -> Gutter | None:
    """The gutter of a two-column page, else ``None`` (see the module docstring).

    The row cover of the middle of the page is measured compiled when
    :mod:`ingest._chars` was built; most pages stop there (no white run wide enough).
    """
    chars = chars if isinstance(chars, list) else list(chars)
    measured = _cover(chars)
    if measured is None:
        return None
    nrows, left, right, lo, cover = measured
    limit = MAX_COVER * nrows
    if not cover or min(cover) > limit:  # every x of the middle crossed: one column
        return None
    best: tuple[int, int] | None = None
    start = None
    for i, n in enumerate([*cover, nrows + 1]):
        if n <= limit:
            if start is None:
                start = i
        elif start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    if best is None or best[1] - best[0] < MIN_GUTTER:
        return None
    # the gutter proper is where the fewest rows cross (a short last column also leaves
    # little cover, but more than the gutter)
    floor = min(cover[best[0] : best[1]])
    slack = max(1.0, 0.05 * nrows)
    runs = []
    start = None
    for i in range(best[0], best[1] + 1):
        if i < best[1] and cover[i] <= floor + slack:
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    # the left column ends at the first white run wide enough for a gutter (a short right
    # column of a line or two may cover no more rows than the furniture, leaving a
    # second, wider run beside it)
    wide = [r for r in runs if r[1] - r[0] >= MIN_GUTTER]
    if not wide:
        return None
    a, b = wide[0]
    # left column ends where the cover first drops; right column starts after the floor run
    g0, g1 = lo + best[0], lo + b
    # flush edges: rows whose left part ends at the gutter (or at the left column's
    # justified edge: where most rows near the gutter end — overhanging marks, narrow
    # digits, can push the white run's bound a few points right of it), rows whose
    # right part starts at the gutter.
    chars = boxes(chars)
    rows = char_rows(chars, _ROW_TOLERANCE)
    row_ends, row_starts = [], []
    for row in rows:
        left_part = [c[1] for c in row if c[1] <= g0 + 1]
        right_part = [c[0] for c in row if c[0] >= g1 - 1]
        if left_part:
            row_ends.append(max(left_part))
        if right_part:
            row_starts.append(min(right_part))
    edge = _mode([v for v in row_ends if v >= g0 - 2 * _EDGE], default=g0)
    ends = sum(1 for v in row_ends if v >= g0 - _EDGE or abs(v - edge) <= _EDGE)
    starts = sum(1 for v in row_starts if v <= g1 + _EDGE)
    # a right column may be short (a signature block): a long flush left column suffices
    if ends < MIN_EDGE_ROWS or (starts < MIN_EDGE_ROWS and ends < 2 * MIN_EDGE_ROWS):
        return None
    x0 = max((c[1] for c in chars if c[1] <= g0 + 1), default=float(g0))
    x1 = min((c[0] for c in chars if c[0] >= g1 - 1), default=float(g1))
    return Gutter(x0=x0, x1=x1, left=left, right=right)


def fits(chars: Iterable[Char], gutter: Gutter) -> bool:
    """Whether a page without a gutter of its own follows the columns found elsewhere in
    the file (a page too short to show them itself: a last page holding a few lines, a
    signature block): some rows do not cross ``gutter``, and of those either one has
    text on both sides of it, or two end flush at its left edge, or all lie left of it.
    A single-column page fails: its justified lines cross, and its short lines do not
    reach both sides."""
    rows = char_rows(boxes(chars))
    crossing = flush = two_sided = 0
    all_left = True
    lo, hi = gutter.band()
    middle = gutter.middle
    for row in rows:
        if any(c[1] > lo and c[0] < hi for c in row):
            crossing += 1
            continue
        left_part = [c[1] for c in row if c[1] <= middle]
        right_part = [c[0] for c in row if c[0] >= middle]
        if left_part and abs(max(left_part) - gutter.x0) <= _EDGE:
            flush += 1
        if left_part and right_part:
            two_sided += 1
        all_left = all_left and not right_part
    if crossing == len(rows):
        return False
    return two_sided >= 1 or flush >= 2 or all_left


def widens(own: Gutter, common: Gutter, tolerance: float = 1.5) -> bool:
    """Whether a page's own gutter is a wider white band holding the file's ``common``
    one — a page whose left (or right) column is short there (a signature block and an
    attachment side by side, a last page) leaves more white than the gutter, and its
    column edge guessed from that white cuts through a right-aligned 成文日期. Such a
    page is read with the file's columns."""
    same = abs(own.x0 - common.x0) <= tolerance and abs(own.x1 - common.x1) <= tolerance
    return not same and own.x0 <= common.x0 + tolerance and own.x1 >= common.x1 - tolerance
