"""Simulated bold: titles and headings drawn twice, the copy shifted 0.3–0.6 pt right.

Word and WPS fake a bold face this way when the font has none. Affected: the 发文机关标志,
every title (documents, attachments, "目录"), 一、/（一）/第N章 headings of at most
``MAX_HEADING`` characters and the gazette name on the cover. The copy is drawn right after the original (same y), with offsets
cycling 0.3, 0.4, 0.5, 0.6 pt.

What extractors see: pdfplumber returns every character twice, interleaved by position
("关关于于印印发发…"), unless ``dedupe_chars()`` is applied; pypdfium2 returns the doubled
text the same way.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from ..layout import Flow, Page, TextOp
from ..plain import _CHAPTER, _H1, _H2, PlainLayout
from ..registry import register_layout
from ..spec import DocSpec, IssueSpec

OFFSETS = (0.3, 0.4, 0.5, 0.6)
#: Longer "headings" are run-in headings of a body paragraph (（一）入市范围。符合…), not bold.
MAX_HEADING = 40
_HEADING = re.compile(f"{_H1.pattern}|{_H2.pattern}|{_CHAPTER.pattern}")


@register_layout("fake_bold")
class FakeBoldLayout(PlainLayout):
    """See the module docstring."""

    name = "fake_bold"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._count = 0

    def _double(self, page: Page, start: int) -> None:
        out = page.ops[:start]
        for op in page.ops[start:]:
            out.append(op)
            if isinstance(op, TextOp):
                dx = OFFSETS[self._count % len(OFFSETS)]
                self._count += 1
                out.append(TextOp(op.x + dx, op.y, op.text, op.font, op.size, op.color, op.char_space))
        page.ops[:] = out

    @contextmanager
    def bold(self, flow: Flow):
        """Double every TextOp placed on ``flow`` inside the ``with`` block."""
        first_page = len(flow.pages) - 1 if flow.page is not None else len(flow.pages)
        start = len(flow.page.ops) if flow.page is not None else 0
        yield
        for i in range(max(first_page, 0), len(flow.pages)):
            self._double(flow.pages[i], start if i == first_page else 0)

    def _title(self, flow: Flow, title: str) -> None:
        with self.bold(flow):
            super()._title(flow, title)

    def paragraphs(self, flow: Flow, paragraphs: list[str]) -> None:
        for para in paragraphs:
            if _HEADING.match(para) and len(para) <= MAX_HEADING:
                with self.bold(flow):
                    super().paragraphs(flow, [para])
            else:
                super().paragraphs(flow, [para])

    def _official_head(self, flow: Flow, spec: DocSpec) -> None:
        page = flow.page
        start = len(page.ops) if page is not None else 0
        super()._official_head(flow, spec)
        if spec.issuer_mark:  # the red 发文机关标志 is bold too
            first = flow.pages[0]
            for i, op in enumerate(first.ops):
                if isinstance(op, TextOp) and op.text == spec.issuer_mark and i >= (start if page is first else 0):
                    first.ops.insert(i + 1, TextOp(op.x + 0.5, op.y, op.text, op.font, op.size, op.color))
                    break

    def cover_page(self, issue: IssueSpec) -> Page:
        page = super().cover_page(issue)
        for i, op in enumerate(page.ops):
            if isinstance(op, TextOp) and op.text == issue.gazette_name:
                page.ops.insert(i + 1, TextOp(op.x + 0.5, op.y, op.text, op.font, op.size, op.color))
                break
        return page
