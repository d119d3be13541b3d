"""The plain layout: single-column GB/T 9704-2012 documents and gazette issues.

Placement scheme (y in PDF points from the bottom edge; see :mod:`renderer.layout` for
the grid: 22 body lines, baselines from ``FIRST_BASELINE`` ≈ 721 down to ≈ 112):

Standalone document, first page
    统一登记号 line (optional, 14 pt, top-left) on the first grid line; 发文机关标志 (red,
    centred, ≤ 36 pt) below it; two blank lines; 发文字号 centred — or, with a 签发人,
    发文字号 indented one character on the left and "签发人：X" one character from the
    right; a red 1 pt rule 4 mm under it; two line pitches below the rule the 22 pt title,
    centred, wrapped over balanced lines (pitch 32 pt); a blank line; 主送机关 flush left;
    body paragraphs (16 pt, first line indented two characters; 一、 headings in the
    heading1 face, （一） in heading2); a blank line and 附件说明 ("附件：1.xxx", later items
    aligned under the first); a blank line, 发文机关署名 two characters from the right,
    成文日期 on the next line starting two characters further right (clamped to the
    margin); 附注 on the next line, indented two characters. Each attachment starts a page:
    its label (附件1) at top-left, a blank line, its title centred at 22 pt, a blank line,
    its paragraphs. The 版记 sits on the last grid lines of the last page (a new page if
    there is no room): a 1 pt rule, "抄送：…" (14 pt, one character in, continuation lines
    aligned after the label), a 0.5 pt rule, the
    印发机关 (one character in) and "2022年6月10日印发" (one character from the right) on
    one line, a closing 1 pt rule.

Gazette issue
    Page 1 cover: gazette name (red, 42 pt, centred, y = 600), "2022年第3期（总第27期）"
    (20 pt, y = 540), a red rule (y = 515), the publisher (16 pt, y = 200) and the
    publication date (16 pt, y = 170). No page number.
    Pages 2…: "目录" (22 pt, centred) then, per section, its name (heading1, flush left) and
    per article its title (indented two characters, wrapped) with the last line completed
    by a "……" leader and the printed page number, all in one string. No page number.
    Then the articles, each on a new page, with no 发文机关标志, 签发人 or 版记: 统一登记号
    (if any), title, 发文字号 centred under it, a blank line, then as a standalone document
    from 主送机关 on. Article pages carry the running header (10.5 pt, centred,
    y ≈ 789, thin rule at y ≈ 782) and the page number.

Page numbers: "— N —" (14 pt, centred, baseline ``PAGE_NUMBER_BASELINE`` ≈ 65). In a
standalone document N is the PDF page number. In an issue N counts from 1 at the first
article page (printed = PDF page - front pages); cover and 目录 pages are unnumbered.

Variants (:mod:`renderer.variants`) subclass :class:`PlainLayout` and override its hooks;
all geometry below is relative to the :class:`~renderer.layout.Flow`'s frame, so a
variant can run the same code in a narrower frame (a column). Furniture wording comes
from :class:`~renderer.spec.FurnitureOptions` (``RenderOptions.furniture``, else the
layout's ``default_furniture``); tables of attachments are placed by
:func:`renderer.tables.place_table`.
"""

from __future__ import annotations

import re
from typing import ClassVar

from .fonts import FontSet
from .furniture import format_header, format_page_number, header_for_page
from .layout import (
    BODY_SIZE,
    LAST_BASELINE,
    LEFT,
    LINE_PITCH,
    PAGE_HEIGHT,
    PAGE_NUMBER_BASELINE,
    PAGE_WIDTH,
    RED,
    RIGHT,
    SMALL_SIZE,
    TEXT_WIDTH,
    TITLE_SIZE,
    Flow,
    Page,
    RuleOp,
    TextOp,
    text_width,
    wrap,
    wrap_balanced,
)
from .registry import register_layout
from .spec import DocSpec, FurnitureOptions, IssueSpec, RenderOptions, format_date
from .tables import place_table

_H1 = re.compile(r"^[一二三四五六七八九十百]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十百零〇]+[章编]\s*\S{0,16}$")
TITLE_PITCH = 32.0
HEADER_SIZE = 10.5
HEADER_BASELINE = PAGE_HEIGHT - 15 * 2.8346 - HEADER_SIZE
HEADER_RULE_Y = HEADER_BASELINE - 7
FOOTER_SIZE = 9.0
FOOTER_BASELINE = PAGE_NUMBER_BASELINE - 22


def page_number_label(n: int) -> str:
    """The printed page-number string, e.g. '— 3 —'."""
    return f"— {n} —"


@register_layout("plain")
class PlainLayout:
    """Single-column layout. Subclasses (the variants) override the hooks they change.

    Class attributes a variant may set: ``font`` (force ``"ttf"`` when the variant needs
    an embedded font), ``default_furniture`` (used when ``RenderOptions.furniture`` is None).
    """

    name = "plain"
    font: ClassVar[str | None] = None
    default_furniture: ClassVar[FurnitureOptions] = FurnitureOptions()

    def __init__(self, fonts: FontSet, options: RenderOptions | None = None):
        self.fonts = fonts
        self.options = options or RenderOptions()
        self.furniture = self.options.furniture or self.default_furniture

    # ----------------------------------------------------------------- documents
    def document_pages(self, spec: DocSpec) -> list[Page]:
        """Lay out a standalone document; page numbers are added here (1…n)."""
        pages: list[Page] = []
        flow = Flow(pages)
        flow.new_page()
        self._official_head(flow, spec)
        self._body(flow, spec)
        self._attachments(flow, spec)
        self._colophon(flow, spec)
        self.number_document_pages(pages)
        return pages

    def number_document_pages(self, pages: list[Page]) -> None:
        """Add page numbers (and the optional document header on pages 2…) to a standalone document."""
        for i, page in enumerate(pages, start=1):
            if i > 1 and self.furniture.document_header:
                self.add_header(page, self.furniture.document_header, i)
            self.add_footer(page, self.page_label(i, len(pages)), i)

    def _official_head(self, flow: Flow, spec: DocSpec) -> None:
        f = self.fonts
        if spec.registration_number:
            flow.line(f"统一登记号：{spec.registration_number}", f.heading1, SMALL_SIZE)
        if spec.issuer_mark:
            size = min(36.0, flow.width / max(len(spec.issuer_mark), 1) * 0.96)
            flow.y -= size - BODY_SIZE
            flow.line(spec.issuer_mark, f.title, size, align="center", color=RED)
            flow.skip(2)
        if spec.doc_number:
            if spec.signer:
                base = flow.line(spec.doc_number, f.body, indent=BODY_SIZE)
                signer = f"签发人：{spec.signer}"
                x = flow.x_for(signer, f.body, BODY_SIZE, "right", BODY_SIZE)
                flow.page.ops.append(TextOp(x, base, signer, f.body, BODY_SIZE))
            else:
                base = flow.line(spec.doc_number, f.body, align="center")
            rule_y = base - 4 * 2.8346
        else:
            rule_y = flow.y + LINE_PITCH / 2
        if spec.issuer_mark or spec.doc_number:
            flow.page.ops.append(RuleOp(flow.left, flow.right, rule_y, 1.0, RED))
            flow.y = rule_y - 2 * LINE_PITCH
        self._title(flow, spec.title)

    def _title(self, flow: Flow, title: str) -> None:
        flow.paragraph(title, self.fonts.title, TITLE_SIZE, align="center", pitch=TITLE_PITCH)
        flow.y += TITLE_PITCH - LINE_PITCH

    def _body(self, flow: Flow, spec: DocSpec) -> None:
        f = self.fonts
        flow.skip(1)
        if spec.addressee:
            flow.paragraph(spec.addressee, f.body, first_indent=0)
        self.paragraphs(flow, spec.paragraphs)
        if spec.attachment_notes:
            flow.skip(1)
            self._attachment_notes(flow, spec.attachment_notes)
        date = spec.written_date_text
        if spec.signature or date:
            flow.skip(1)
            flow.need(2)
            sig_x = None
            if spec.signature:
                sig_x = flow.right - 2 * BODY_SIZE - text_width(spec.signature, f.body, BODY_SIZE)
                flow.page.ops.append(TextOp(sig_x, flow.y, spec.signature, f.body, BODY_SIZE))
                flow.y -= LINE_PITCH
            if date:
                w = text_width(date, f.body, BODY_SIZE)
                x = flow.right - 4 * BODY_SIZE - w if sig_x is None else min(sig_x + 2 * BODY_SIZE, flow.right - w)
                flow.need(1)
                flow.page.ops.append(TextOp(x, flow.y, date, f.body, BODY_SIZE))
                flow.y -= LINE_PITCH
        if spec.note:
            flow.paragraph(spec.note, f.body)

    def paragraphs(self, flow: Flow, paragraphs: list[str]) -> None:
        """Body paragraphs with heading styles chosen from their numbering."""
        f = self.fonts
        for para in paragraphs:
            if _CHAPTER.match(para):
                flow.paragraph(para, f.heading1, align="center")
            elif _H1.match(para):
                flow.paragraph(para, f.heading1)
            elif _H2.match(para):
                flow.paragraph(para, f.heading2)
            else:
                flow.paragraph(para, f.body)

    def _attachment_notes(self, flow: Flow, notes: list[str]) -> None:
        f = self.fonts
        label = "附件："
        hang = 2 * BODY_SIZE + text_width(label, f.body, BODY_SIZE)
        for i, note in enumerate(notes):
            first = (label + note) if i == 0 else note
            first_indent = 2 * BODY_SIZE if i == 0 else hang
            lines = wrap(first, f.body, BODY_SIZE, flow.width - hang, flow.width - first_indent)
            for j, ln in enumerate(lines):
                flow.line(ln, f.body, indent=first_indent if j == 0 else hang)

    def _attachments(self, flow: Flow, spec: DocSpec) -> None:
        f = self.fonts
        for att in spec.attachments:
            self.new_article_page(flow)
            if att.label:
                flow.line(att.label, f.heading1)
            if att.title:
                flow.skip(1)
                self._title(flow, att.title)
            flow.skip(1)
            self.paragraphs(flow, att.paragraphs)
            for table in att.tables:
                place_table(flow, table, f)

    def finish(self, data: bytes, pages: list[Page]) -> bytes:
        """Post-process the painted PDF (plain: unchanged). Variants rasterise or rewrite here."""
        return data

    def scanned_pages(self, pages: list[Page]) -> list[int]:
        """1-based PDF pages that :meth:`finish` turns into images (plain: none)."""
        return []

    def new_article_page(self, flow: Flow) -> None:
        """Start a new page for an article or attachment (hook for running headers)."""
        flow.new_page()

    def _colophon(self, flow: Flow, spec: DocSpec) -> None:
        """版记 at the bottom of the last page: 抄送 and 印发机关/印发日期 between rules."""
        f = self.fonts
        items: list[tuple[list[str], str | None]] = []  # (left lines, right-aligned text)
        hang = text_width("抄送：", f.body, SMALL_SIZE)
        if spec.cc:
            width = flow.width - 2 * SMALL_SIZE
            cc_lines = wrap("抄送：" + spec.cc, f.body, SMALL_SIZE, width - hang, width)
            items.append((cc_lines, None))
        if spec.printed_by or spec.printed_date:
            printed = format_date(spec.printed_date) + "印发" if spec.printed_date else None
            items.append(([spec.printed_by or ""], printed))
        if not items:
            return
        n_lines = sum(len(lines) for lines, _ in items)
        first_y = LAST_BASELINE + (n_lines - 1) * LINE_PITCH
        if flow.page is None or flow.y - LINE_PITCH / 2 < first_y:
            flow.new_page()
        ops = flow.page.ops
        ops.append(RuleOp(flow.left, flow.right, first_y + LINE_PITCH * 0.62, 1.0))
        y = first_y
        for k, (lines, right) in enumerate(items):
            for j, ln in enumerate(lines):
                if ln:  # continuation lines of 抄送 align after its label
                    x = flow.left + SMALL_SIZE + (hang if j else 0)
                    ops.append(TextOp(x, y, ln, f.body, SMALL_SIZE))
                y -= LINE_PITCH
            last_y = y + LINE_PITCH
            if right:
                x = flow.right - SMALL_SIZE - text_width(right, f.body, SMALL_SIZE)
                ops.append(TextOp(x, last_y, right, f.body, SMALL_SIZE))
            ops.append(RuleOp(flow.left, flow.right, last_y - LINE_PITCH * 0.38, 1.0 if k == len(items) - 1 else 0.5))
        flow.y = y

    # ---------------------------------------------------------------- furniture
    def page_label(self, n: int, total: int) -> str:
        """The page-number string of printed page ``n`` of ``total`` (plain: '— 3 —')."""
        return format_page_number(self.furniture.page_number, n, total)

    def add_footer(self, page: Page, label: str, number: int | None = None) -> None:
        """Print the page number ``label`` (centred, or on the outer edge) and the footer lines."""
        w = text_width(label, self.fonts.body, SMALL_SIZE)
        x = (PAGE_WIDTH - w) / 2
        if self.furniture.page_number_align == "outside" and number is not None:
            x = LEFT + SMALL_SIZE if number % 2 == 0 else RIGHT - SMALL_SIZE - w
        page.ops.append(TextOp(x, PAGE_NUMBER_BASELINE, label, self.fonts.body, SMALL_SIZE))
        page.label = label
        for k, line in enumerate(self.furniture.footer_lines):
            lx = (PAGE_WIDTH - text_width(line, self.fonts.body, FOOTER_SIZE)) / 2
            page.ops.append(TextOp(lx, FOOTER_BASELINE - k * FOOTER_SIZE * 1.4, line, self.fonts.body, FOOTER_SIZE))

    def add_header(self, page: Page, header: str, number: int | None = None, odd_header: str | None = None) -> None:
        """Print the running header (and its rule) on an article page with printed number ``number``."""
        text, align = header_for_page(self.furniture, header, odd_header, number)
        w = text_width(text, self.fonts.body, HEADER_SIZE)
        x = {"center": (PAGE_WIDTH - w) / 2, "left": LEFT, "right": RIGHT - w}[align]
        page.ops.append(TextOp(x, HEADER_BASELINE, text, self.fonts.body, HEADER_SIZE))
        page.ops.append(RuleOp(LEFT, RIGHT, HEADER_RULE_Y, 0.5))
        page.header = text

    def header_text(self, issue: IssueSpec) -> str:
        """Running header of article pages, e.g. '静乐县人民政府公报 2022年第3期'."""
        return format_header(self.furniture.header, issue)

    def odd_header_text(self, issue: IssueSpec) -> str | None:
        """Header of odd pages for alternating headers (None: same as :meth:`header_text`)."""
        return format_header(self.furniture.odd_header, issue) if self.furniture.odd_header else None

    # -------------------------------------------------------------------- issues
    def article_pages(self, spec: DocSpec) -> list[Page]:
        """Lay out one gazette article (no 版头, 签发人 or 版记), without header/footer."""
        f = self.fonts
        pages: list[Page] = []
        flow = Flow(pages)
        flow.new_page()
        if spec.registration_number:
            flow.line(f"统一登记号：{spec.registration_number}", f.heading1, SMALL_SIZE)
        self._title(flow, spec.title)
        if spec.doc_number:
            flow.line(spec.doc_number, f.body, align="center")
        self._body(flow, spec)
        self._attachments(flow, spec)
        return pages

    def cover_page(self, issue: IssueSpec) -> Page:
        f = self.fonts
        page = Page(kind="cover")

        def centred(text: str, font: str, size: float, y: float, color=(0, 0, 0)) -> None:
            x = (PAGE_WIDTH - text_width(text, font, size)) / 2
            page.ops.append(TextOp(x, y, text, font, size, color))

        name_size = min(42.0, TEXT_WIDTH / max(len(issue.gazette_name), 1))
        centred(issue.gazette_name, f.title, name_size, 600, RED)
        number = issue.issue_label + (f"（总第{issue.overall_number}期）" if issue.overall_number else "")
        centred(number, f.body, 20, 540)
        page.ops.append(RuleOp(LEFT, RIGHT, 515, 2.0, RED))
        if issue.publisher:
            centred(issue.publisher, f.body, BODY_SIZE, 200)
        if issue.published_date:
            centred(format_date(issue.published_date), f.body, BODY_SIZE, 170)
        return page

    def toc_pages(self, issue: IssueSpec, printed_pages: list[int]) -> list[Page]:
        """目录 pages: sections and article titles with '……' leaders and printed page numbers."""
        f = self.fonts
        pages: list[Page] = []
        flow = Flow(pages, kind="toc")
        flow.new_page()
        self._title(flow, "目录")
        flow.skip(1)
        indent = 2 * BODY_SIZE
        leader = "…"
        lw = text_width(leader, f.body, BODY_SIZE)
        numbers = iter(printed_pages)
        for section in issue.sections:
            if not section.documents:
                continue
            flow.line(section.name, f.heading1)
            for doc in section.documents:
                num = str(next(numbers))
                reserve = 2 * lw + text_width("000", f.body, BODY_SIZE)
                lines = wrap(doc.title, f.body, BODY_SIZE, flow.width - indent - reserve)
                if len(lines) > 1 and len(lines[-1]) < 6:  # avoid a tiny last line before the leader
                    lines = wrap_balanced(doc.title, f.body, BODY_SIZE, flow.width - indent - reserve)
                for ln in lines[:-1]:
                    flow.line(ln, f.body, indent=indent)
                last = lines[-1]
                free = flow.width - indent - text_width(last + num, f.body, BODY_SIZE)
                dots = max(2, int(free // lw))
                flow.line(last + leader * dots + num, f.body, indent=indent)
        return pages
