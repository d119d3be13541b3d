"""Gutter finding on synthetic character boxes (no PDF needed)."""

from __future__ import annotations

from ingest.chars import Char
from ingest.columns import Gutter, find_gutter, widens

CHAR = 12.0


def char(text: str, x0: float, x1: float, top: float) -> Char:
    return Char(text, x0, x1, top, top + CHAR, CHAR)


def row(top: float, x0: float, n: int) -> list[Char]:
    return [char("字", x0 + i * CHAR, x0 + (i + 1) * CHAR, top) for i in range(n)]


def page(left_rows: int, right_rows: int) -> list[Char]:
    """Left column 74–278 (17 chars), right column 310–514; ``*_rows`` lines in each."""
    chars: list[Char] = []
    for k in range(max(left_rows, right_rows)):
        top = 100 + k * 22
        if k < left_rows:
            chars += row(top, 74, 17)
        if k < right_rows:
            chars += row(top, 310, 17)
    return chars


def test_full_columns_give_the_gutter() -> None:
    g = find_gutter(page(30, 30))
    assert g is not None and abs(g.x0 - 278) < 1 and abs(g.x1 - 310) < 1


def test_short_left_column_leaves_a_wider_band_that_widens_the_common_gutter() -> None:
    # a signature block ends the left column early: its right-aligned date reaches
    # past the edge guessed from the white band
    chars = page(4, 30) + row(200, 226, 3) + row(222, 210, 6)
    own = find_gutter(chars)
    common = Gutter(x0=278.0, x1=310.0, left=74.0, right=514.0)
    assert own is not None
    assert widens(own, common) or (abs(own.x0 - 278) <= 1.5 and abs(own.x1 - 310) <= 1.5)


def test_widens() -> None:
    common = Gutter(x0=277.6, x1=309.6, left=73.6, right=513.6)
    assert widens(Gutter(263.4, 308.6, 73.6, 514.6), common)  # short left column
    assert widens(Gutter(277.6, 393.6, 73.6, 521.6), common)  # short right column
    assert not widens(Gutter(277.6, 308.6, 73.6, 513.6), common)  # the same gutter
    assert not widens(Gutter(290.0, 330.0, 73.6, 513.6), common)  # other columns


def test_overhanging_marks_do_not_hide_a_justified_left_edge() -> None:
    """Most left-column rows end at 278, but one overhangs by a narrow digit to 282.5:
    with the full-width rows that is more than the share of rows a gutter may be
    crossed by, so the white run starts right of the overhang — and the rows flush with
    the justified edge 4.5 pt left of it still count as flush."""
    chars: list[Char] = []
    for k in range(16):
        top = 100 + k * 22
        chars += row(top, 74, 17)  # ends at 278
        chars += row(top, 310, 17)
        if k == 0:
            chars.append(char("1", 278.0, 282.5, top))
    # full-width rows (title, furniture): close to the share a gutter may be crossed by
    for k in range(6):
        chars += row(20 + k * 12, 74, 37)
    g = find_gutter(chars)
    assert g is not None and 278 <= g.x0 <= 283 and abs(g.x1 - 310) < 1


def test_a_right_column_of_one_line_still_bounds_the_gutter() -> None:
    """A page whose right column holds one line (the end of the text) and a date: the
    gutter is the first white run right of the left column, not the wider one beside
    the short right column."""
    chars: list[Char] = []
    for k in range(12):
        chars += row(100 + k * 22, 74, 17)
    chars += row(100, 310, 16)  # the last line of the text, alone in the right column
    chars += row(122, 376, 11)  # a right-aligned date
    chars += row(40, 90, 34)  # the title, full width
    chars += row(60, 110, 30)
    chars += [char(t, 278.0 + i * 8, 286.0 + i * 8, 400.0) for i, t in enumerate("— 1 —")]
    g = find_gutter(chars)
    assert g is not None and abs(g.x0 - 278) < 1.5 and abs(g.x1 - 310) < 1.5
