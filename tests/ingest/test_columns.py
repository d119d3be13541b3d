"""Gutter finding on synthetic character boxes (no PDF needed)."""

from __future__ import annotations

from ingest.columns import Gutter, find_gutter, widens

CHAR = 12.0


def row(top: float, x0: float, n: int) -> list[dict]:
    return [{"text": "字", "x0": x0 + i * CHAR, "x1": x0 + (i + 1) * CHAR, "top": top} for i in range(n)]


def page(left_rows: int, right_rows: int) -> list[dict]:
    """Left column 74–278 (17 chars), right column 310–514; ``*_rows`` lines in each."""
    chars: list[dict] = []
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
