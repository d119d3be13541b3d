"""Two-column article pages, as typeset gazettes (方正书版/飞腾) print them.

Placement: an article's head (统一登记号, title, 发文字号) is set full width on its first
page exactly as in the plain layout; the rest (主送机关, body, signature block,
attachments) flows through two columns of ``COLUMN_WIDTH`` with a ``GUTTER`` between
them, the left column filled before the right one. Column text is set at
``SCALE`` × the plain sizes (16 pt → 12 pt body, pitch ≈ 21.7 pt): the plain layout's
code places it in a virtual narrower-but-taller frame (see :class:`ColumnFlow`), and the
ops are scaled into the columns afterwards. An attachment starts a new column.

The cover and the 目录 stay single-column. In a standalone document the 版头 is full width,
the body two-column, and the 版记 full width at the bottom of the last page.

``two_column_mixed`` keeps every other article of an issue (the 2nd, 4th…) single-column,
and in a standalone document sets the attachments single-column from a new page — both
column structures in one file. ``Page.columns`` records 1 or 2 per page.

What extractors see: pdfplumber's ``extract_text`` reads a two-column page line by line
across the gutter (left-column line + right-column line on one text line) unless the
caller crops each column; the x-positions of characters form two clusters separated by
the gutter.
"""

from __future__ import annotations

from ..layout import (
    BODY_SIZE,
    FIRST_BASELINE,
    LAST_BASELINE,
    LEFT,
    LINE_PITCH,
    SMALL_SIZE,
    TEXT_WIDTH,
    Flow,
    LineOp,
    Page,
    RuleOp,
    TextOp,
)
from ..plain import PlainLayout
from ..registry import register_layout
from ..spec import DocSpec

SCALE = 0.75
GUTTER = 1.5 * BODY_SIZE
COLUMN_WIDTH = (TEXT_WIDTH - GUTTER) / 2
VIRTUAL_WIDTH = COLUMN_WIDTH / SCALE


class ColumnFlow(Flow):
    """A Flow whose "pages" are columns of a virtual frame ``VIRTUAL_WIDTH`` wide.

    Column ``i`` lies on real page ``i // 2``; its real top baseline is ``first_top`` for the
    first two columns (under the full-width head) and ``FIRST_BASELINE`` afterwards. The
    virtual bottom of each column is set so that, once scaled by ``SCALE``, it ends on
    ``LAST_BASELINE``.
    """

    def __init__(self, first_top: float):
        super().__init__([], left=0.0, width=VIRTUAL_WIDTH)
        self.first_top = first_top

    def column_top(self, index: int) -> float:
        return self.first_top if index < 2 else FIRST_BASELINE

    def new_page(self) -> Page:
        page = super().new_page()
        top = self.column_top(len(self.pages) - 1)
        self.bottom = self.top - (top - LAST_BASELINE) / SCALE - 0.5
        return page


def assemble(columns: ColumnFlow, pages: list[Page]) -> None:
    """Scale the columns of ``columns`` onto ``pages`` (extended as needed; pages[0] holds the head)."""
    for index, column in enumerate(columns.pages):
        page_index = index // 2
        while len(pages) <= page_index:
            pages.append(Page())
        page = pages[page_index]
        page.columns = 2
        x0 = LEFT + (index % 2) * (COLUMN_WIDTH + GUTTER)
        top = columns.column_top(index)

        def ty(y: float) -> float:
            return top - (columns.top - y) * SCALE

        for op in column.ops:
            if isinstance(op, TextOp):
                page.ops.append(
                    TextOp(x0 + op.x * SCALE, ty(op.y), op.text, op.font, op.size * SCALE, op.color, op.char_space * SCALE)
                )
            elif isinstance(op, RuleOp):
                page.ops.append(RuleOp(x0 + op.x1 * SCALE, x0 + op.x2 * SCALE, ty(op.y), op.width * SCALE, op.color))
            elif isinstance(op, LineOp):
                page.ops.append(
                    LineOp(x0 + op.x1 * SCALE, ty(op.y1), x0 + op.x2 * SCALE, ty(op.y2), op.width * SCALE, op.color)
                )


def _lowest_baseline(page: Page) -> float:
    ys = [op.y for op in page.ops if isinstance(op, TextOp)]
    return min(ys) if ys else FIRST_BASELINE + LINE_PITCH


@register_layout("two_column")
class TwoColumnLayout(PlainLayout):
    """Article bodies in two columns; see the module docstring."""

    name = "two_column"
    mixed = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._articles = 0

    def article_pages(self, spec: DocSpec) -> list[Page]:
        index = self._articles
        self._articles += 1
        if self.mixed and index % 2 == 1:
            return super().article_pages(spec)
        f = self.fonts
        pages: list[Page] = []
        head = Flow(pages)
        head.new_page()
        if spec.registration_number:
            head.line(f"统一登记号：{spec.registration_number}", f.heading1, SMALL_SIZE)
        self._title(head, spec.title)
        if spec.doc_number:
            head.line(spec.doc_number, f.body, align="center")
        columns = ColumnFlow(head.y)
        columns.new_page()
        self._body(columns, spec)
        self._attachments(columns, spec)
        assemble(columns, pages)
        return pages

    def document_pages(self, spec: DocSpec) -> list[Page]:
        pages: list[Page] = []
        head = Flow(pages)
        head.new_page()
        self._official_head(head, spec)
        columns = ColumnFlow(head.y)
        columns.new_page()
        self._body(columns, spec)
        if not self.mixed:
            self._attachments(columns, spec)
        assemble(columns, pages)
        flow = Flow(pages)
        flow.page = pages[-1]
        flow.y = _lowest_baseline(pages[-1]) - LINE_PITCH
        if self.mixed:
            self._attachments(flow, spec)
        self._colophon(flow, spec)
        self.number_document_pages(pages)
        return pages


@register_layout("two_column_mixed")
class TwoColumnMixedLayout(TwoColumnLayout):
    """Two-column and single-column articles in one issue; see the module docstring."""

    name = "two_column_mixed"
    mixed = True
