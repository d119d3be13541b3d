"""Render :class:`DocSpec` documents and :class:`IssueSpec` gazette issues to PDF.

Public entry points: :func:`render_document` and :func:`render_issue`. Both lay the
content out with a registered layout (:data:`LAYOUTS`, selected by
``RenderOptions.layout``; only ``plain`` exists — see :mod:`renderer.plain` for the exact
placement scheme) and paint it with reportlab.

Guarantees the ingest side relies on:

* every text line is one ``drawString`` call — no per-character placement, no inserted
  spaces — so pdfplumber's ``extract_text`` returns the printed strings;
* output is byte-for-byte deterministic for the same input and options (reportlab
  ``invariant=1``: fixed dates and document id), because re-ingest is keyed by sha256.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Callable

from pydantic import BaseModel, Field
from reportlab.pdfgen.canvas import Canvas

from gazette.errors import ConfigError

from .fonts import FontSet, fonts_for
from .layout import PAGE_HEIGHT, PAGE_WIDTH, Page, RuleOp, TextOp
from .plain import PlainLayout, page_number_label
from .spec import DocSpec, IssueSpec, RenderOptions

#: Layout variants by name. Issue 6 variants (two-column, other headers, fake bold,
#: scanned) register here; ``plain`` is simply the first entry.
LAYOUTS: dict[str, Callable[..., PlainLayout]] = {"plain": PlainLayout}

Target = str | os.PathLike[str] | IO[bytes]


class RenderedDocument(BaseModel):
    """What :func:`render_document` produced."""

    page_count: int
    page_labels: list[str | None] = Field(description="Footer string per PDF page, e.g. '— 1 —'.")


class RenderedArticle(BaseModel):
    """Where one article of an issue landed. Page numbers are 1-based."""

    title: str
    doc_number: str | None = None
    section: str
    source_id: str | None = None
    pdf_page_start: int
    pdf_page_end: int
    printed_page_start: int = Field(description="Number printed in its first page's footer and in the 目录.")
    printed_page_end: int


class RenderedIssue(BaseModel):
    """What :func:`render_issue` produced: page scheme and where each article starts.

    Page scheme: PDF page 1 is the cover, PDF pages 2…``front_pages`` the 目录 (all
    unnumbered); article pages are numbered from 1, so ``printed = pdf_page - front_pages``.
    """

    page_count: int
    front_pages: int = Field(description="Cover + 目录 pages, none of them numbered.")
    toc_pdf_pages: list[int]
    header_text: str = Field(description="Running header on every article page.")
    page_labels: list[str | None] = Field(description="Footer string per PDF page (None when unnumbered).")
    articles: list[RenderedArticle]


def get_layout(options: RenderOptions) -> PlainLayout:
    """Instantiate the layout named by ``options`` with its fonts (raises on unknown names)."""
    try:
        factory = LAYOUTS[options.layout]
    except KeyError:
        raise ConfigError(f"unknown layout {options.layout!r}; known: {', '.join(sorted(LAYOUTS))}") from None
    return factory(fonts_for(options))


def render_document(spec: DocSpec, target: Target, options: RenderOptions | None = None) -> RenderedDocument:
    """Render one standalone document in GB/T 9704 layout to a path or binary file object."""
    layout = get_layout(options or RenderOptions())
    pages = layout.document_pages(spec)
    _paint(pages, target, layout.fonts)
    return RenderedDocument(page_count=len(pages), page_labels=[_footer_of(p) for p in pages])


def render_issue(issue: IssueSpec, target: Target, options: RenderOptions | None = None) -> RenderedIssue:
    """Render a whole gazette issue: cover, 目录, then each article from a new page."""
    layout = get_layout(options or RenderOptions())
    header = layout.header_text(issue)
    bodies: list[tuple[str, DocSpec, list[Page]]] = [
        (section.name, doc, layout.article_pages(doc)) for section in issue.sections for doc in section.documents
    ]
    starts: list[int] = []
    printed = 1
    for _, _, pages in bodies:
        starts.append(printed)
        printed += len(pages)
    cover = layout.cover_page(issue)
    toc = layout.toc_pages(issue, starts)
    front = 1 + len(toc)

    all_pages = [cover, *toc]
    articles: list[RenderedArticle] = []
    labels: list[str | None] = [None] * front
    for (section, doc, pages), start in zip(bodies, starts, strict=True):
        for offset, page in enumerate(pages):
            layout.add_header(page, header)
            label = page_number_label(start + offset)
            layout.add_footer(page, label)
            labels.append(label)
        articles.append(
            RenderedArticle(
                title=doc.title,
                doc_number=doc.doc_number,
                section=section,
                source_id=doc.source_id,
                pdf_page_start=len(all_pages) + 1,
                pdf_page_end=len(all_pages) + len(pages),
                printed_page_start=start,
                printed_page_end=start + len(pages) - 1,
            )
        )
        all_pages.extend(pages)
    _paint(all_pages, target, layout.fonts)
    return RenderedIssue(
        page_count=len(all_pages),
        front_pages=front,
        toc_pdf_pages=list(range(2, front + 1)),
        header_text=header,
        page_labels=labels,
        articles=articles,
    )


def _footer_of(page: Page) -> str | None:
    labels = [op.text for op in page.ops if isinstance(op, TextOp) and op.text.startswith("— ")]
    return labels[-1] if labels else None


def _paint(pages: list[Page], target: Target, fonts: FontSet) -> None:
    """Draw placed pages with reportlab; deterministic (invariant) and compressed."""
    if isinstance(target, os.PathLike | str):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        target = os.fspath(target)
    canvas = Canvas(target, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1)
    canvas.setCreator("Gazette Archive renderer")
    canvas.setProducer("Gazette Archive renderer")
    for page in pages:
        for op in page.ops:
            if isinstance(op, TextOp):
                canvas.setFillColorRGB(*op.color)
                canvas.setFont(op.font, op.size)
                canvas.drawString(op.x, op.y, fonts.encode(op.text))
            elif isinstance(op, RuleOp):
                canvas.setStrokeColorRGB(*op.color)
                canvas.setLineWidth(op.width)
                canvas.line(op.x1, op.y, op.x2, op.y)
        canvas.showPage()
    canvas.save()
