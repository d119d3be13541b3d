"""Gutter finding on synthetic character boxes (no PDF needed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import columns
from ingest.chars import Char
from ingest.columns import Gutter, find_gutter, widens

CHAR = 12.0


def char(text: str, x0: float, x1: float, top: float) -> Char:
    """A character as pdfium's reading makes it (coordinates are floats)."""
    return Char(text, float(x0), float(x1), float(top), top + CHAR, CHAR)


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


# -- the compiled cover ----------------------------------------------------------------
needs_compiled = pytest.mark.skipif(columns._compiled is None, reason="ingest._chars was not built (no C compiler)")

#: x positions either side of and on the half points where a box's integer span starts
#: or ends, negative ones (truncation towards zero), and a spread wide enough for columns
_xs = st.sampled_from([-3.7, -0.5, -0.2, 0.0, 10.49, 10.5, 10.51, 74.0, 150.5, 200.0, 277.6, 278.0, 300.5, 310.0, 514.0])
_widths = st.sampled_from([0.0, 0.4, 1.0, 12.0, 12.5, 60.0])
#: tops on, and either side of, the 3 pt row tolerance from each other
_tops = st.sampled_from([0.0, 2.9, 3.0, 3.1, 6.0, 9.05, 22.0, 25.0, 44.0, 66.0, 88.0, 110.0])
_texts = st.sampled_from(["字", "a", " ", "\u3000", "", "·"])


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(_texts, _xs, _widths, _tops), min_size=30, max_size=160),
    st.sampled_from([0.0, -400.0]),  # a page whose middle lies left of x = 0
)
def test_compiled_cover_equals_python_cover(specs, shift) -> None:
    chars = [char(t, x + shift, x + shift + w, top) for t, x, w, top in specs]
    compiled = columns._cover_compiled(chars)
    assert compiled == columns._cover_python(chars)
    if compiled is not None:  # the same types too: the gutter is built from them
        assert [type(v) for v in compiled[:4]] == [int, float, float, int]


@needs_compiled
def test_compiled_cover_of_two_columns_equals_python_cover() -> None:
    for chars in (page(30, 30), page(4, 30) + row(200, 226, 3), page(12, 1)):
        assert columns._cover_compiled(chars) == columns._cover_python(chars)
        assert columns._cover_compiled(chars) is not None


@needs_compiled
def test_records_the_compiled_cover_does_not_take_are_measured_in_python(monkeypatch) -> None:
    chars = page(30, 30)
    odd = chars + [chars[0]._replace(x0=300)]  # an int coordinate: not a Char of floats
    far = chars + [char("字", 5e6, 5e6 + 12, 100.0)]  # off any page
    assert columns._cover_compiled(odd) is NotImplemented
    assert columns._cover_compiled(far) is NotImplemented
    with_c = [find_gutter(odd), find_gutter(far)]
    monkeypatch.setattr(columns, "_compiled", None)
    assert [find_gutter(odd), find_gutter(far)] == with_c
    assert with_c[0] is not None
