"""Ruled tables (:class:`~renderer.spec.TableSpec`) placed on a :class:`~renderer.layout.Flow`.

A table spans the flow's frame width. Every cell is wrapped inside its column and drawn
as one line per wrapped line (14 pt, header cells centred in the heading face, body cells
flush left, a 序号-like narrow column centred). Every row is closed by horizontal rules and
the columns by vertical rules (:class:`~renderer.layout.LineOp`), so pdfplumber's
``find_tables()`` (lines strategy) recovers the grid. A row that does not fit on the page
moves to the next one; header rows are not repeated (Word's default). After the table
the flow continues one line below its bottom rule.
"""

from __future__ import annotations

from .fonts import FontSet
from .layout import LINE_PITCH, SMALL_SIZE, Flow, LineOp, TextOp, text_width, wrap
from .spec import TableSpec

CELL_SIZE = SMALL_SIZE
CELL_PITCH = CELL_SIZE * 1.45
PAD = 4.0
RULE = 0.75


def column_widths(table: TableSpec, total: float, font: str) -> list[float]:
    """Absolute column widths: ``table.widths`` scaled to ``total``, else from content lengths."""
    n = max(len(r) for r in table.rows)
    if table.widths:
        weights = list(table.widths)
    else:
        weights = []
        for j in range(n):
            longest = max((text_width(r[j], font, CELL_SIZE) for r in table.rows if j < len(r)), default=0.0)
            weights.append(min(max(longest + 2 * PAD, 2.5 * CELL_SIZE), total * 0.6))
    scale = total / sum(weights)
    return [w * scale for w in weights]


def place_table(flow: Flow, table: TableSpec, fonts: FontSet) -> None:
    """Place ``table`` at the flow's current position (see the module docstring)."""
    if not table.rows:
        return
    widths = column_widths(table, flow.width, fonts.body)
    xs = [flow.left]
    for w in widths:
        xs.append(xs[-1] + w)
    flow.need(2)
    top = flow.y + CELL_SIZE  # top rule a little above the current baseline's cap height
    first_on_page = True
    for i, row in enumerate(table.rows):
        header = i < table.header_rows
        font = fonts.heading1 if header else fonts.body
        cells = [wrap(c, font, CELL_SIZE, w - 2 * PAD) if c else [""] for c, w in zip(row, widths, strict=False)]
        height = max(len(c) for c in cells) * CELL_PITCH + 2 * PAD
        if top - height < flow.bottom - CELL_SIZE and not first_on_page:
            flow.new_page()
            top = flow.y + CELL_SIZE
            first_on_page = True
        ops = flow.page.ops
        if first_on_page:
            ops.append(LineOp(xs[0], top, xs[-1], top, RULE))
            first_on_page = False
        for j, lines in enumerate(cells):
            w = widths[j]
            centred = header or w < 4 * CELL_SIZE
            for k, ln in enumerate(lines):
                if not ln:
                    continue
                y = top - PAD - CELL_SIZE * 0.9 - k * CELL_PITCH
                lw = text_width(ln, font, CELL_SIZE)
                x = xs[j] + (w - lw) / 2 if centred else xs[j] + PAD
                ops.append(TextOp(x, y, ln, font, CELL_SIZE))
        bottom = top - height
        for x in xs:
            ops.append(LineOp(x, top, x, bottom, RULE))
        ops.append(LineOp(xs[0], bottom, xs[-1], bottom, RULE))
        top = bottom
    flow.y = top - LINE_PITCH
