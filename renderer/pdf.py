"""Render :class:`DocSpec` documents and :class:`IssueSpec` gazette issues to PDF (or OFD).

Public entry points: :func:`render_document` and :func:`render_issue`. Both lay the
content out with a registered layout (:data:`LAYOUTS`, selected by
``RenderOptions.layout``; ``plain`` — see :mod:`renderer.plain` for the exact placement
scheme — and the issue-6 variants of :mod:`renderer.variants`), paint it with reportlab
(:mod:`renderer.paint`) and let the layout post-process the bytes (``finish``: the
scanned and broken-ToUnicode variants). ``RenderOptions.format="ofd"`` writes the same
placed pages as an OFD package instead (:mod:`renderer.ofd`).

Guarantees the ingest side relies on, for the ``plain`` layout:

* every text line is one ``drawString`` call — no per-character placement, no inserted
  spaces — so pdfplumber's ``extract_text`` returns the printed strings (variants break
  this on purpose, each as documented in its module);
* output is byte-for-byte deterministic for the same input and options (reportlab
  ``invariant=1``: fixed dates and document id), because re-ingest is keyed by sha256.
  This holds for every variant.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from pydantic import BaseModel, Field

from gazette.errors import ConfigError

from .fonts import fonts_for
from .layout import Page
from .paint import paint
from .plain import PlainLayout, page_number_label
from .registry import LAYOUTS, load_builtin_layouts, register_layout
from .spec import DocSpec, IssueSpec, RenderOptions

__all__ = [
    "LAYOUTS",
    "RenderedArticle",
    "RenderedDocument",
    "RenderedIssue",
    "get_layout",
    "page_number_label",
    "register_layout",
    "render_document",
    "render_issue",
]

load_builtin_layouts()

Target = str | os.PathLike[str] | IO[bytes]


class RenderedDocument(BaseModel):
    """What :func:`render_document` produced."""

    page_count: int
    page_labels: list[str | None] = Field(description="Footer string per PDF page, e.g. '— 1 —'.")
    page_headers: list[str | None] = Field(default_factory=list, description="Running header per PDF page, if any.")
    scanned_pages: list[int] = Field(default_factory=list, description="1-based pages printed as images only.")
    format: str = "pdf"


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
    header_text: str = Field(description="Running header of article pages (of even pages when headers alternate).")
    page_labels: list[str | None] = Field(description="Footer string per PDF page (None when unnumbered).")
    page_headers: list[str | None] = Field(default_factory=list, description="Running header per PDF page.")
    page_columns: list[int] = Field(default_factory=list, description="1 or 2 per PDF page.")
    scanned_pages: list[int] = Field(default_factory=list, description="1-based pages printed as images only.")
    format: str = "pdf"
    articles: list[RenderedArticle]


def get_layout(options: RenderOptions) -> PlainLayout:
    """Instantiate the layout named by ``options`` with its fonts (raises on unknown names).

    A layout that needs an embedded font (class attribute ``font = "ttf"``) gets one even
    when ``options.font`` is ``cid``.
    """
    try:
        factory = LAYOUTS[options.layout]
    except KeyError:
        raise ConfigError(f"unknown layout {options.layout!r}; known: {', '.join(sorted(LAYOUTS))}") from None
    forced = getattr(factory, "font", None)
    if forced and options.font != forced:
        options = options.model_copy(update={"font": forced})
    return factory(fonts_for(options), options)


def render_document(spec: DocSpec, target: Target, options: RenderOptions | None = None) -> RenderedDocument:
    """Render one standalone document in GB/T 9704 layout to a path or binary file object."""
    options = options or RenderOptions()
    layout = get_layout(options)
    pages = layout.document_pages(spec)
    scanned = _write(pages, target, layout, options, title=spec.title)
    return RenderedDocument(
        page_count=len(pages),
        page_labels=[p.label for p in pages],
        page_headers=[p.header for p in pages],
        scanned_pages=scanned,
        format=options.format,
    )


def render_issue(issue: IssueSpec, target: Target, options: RenderOptions | None = None) -> RenderedIssue:
    """Render a whole gazette issue: cover, 目录, then each article from a new page."""
    options = options or RenderOptions()
    layout = get_layout(options)
    header = layout.header_text(issue)
    odd_header = layout.odd_header_text(issue)
    bodies: list[tuple[str, DocSpec, list[Page]]] = [
        (section.name, doc, layout.article_pages(doc)) for section in issue.sections for doc in section.documents
    ]
    starts: list[int] = []
    printed = 1
    for _, _, pages in bodies:
        starts.append(printed)
        printed += len(pages)
    total = printed - 1
    cover = layout.cover_page(issue)
    toc = layout.toc_pages(issue, starts)
    front = 1 + len(toc)

    all_pages = [cover, *toc]
    articles: list[RenderedArticle] = []
    for index, ((section, doc, pages), start) in enumerate(zip(bodies, starts, strict=True)):
        for offset, page in enumerate(pages):
            number = start + offset
            page.article = index
            layout.add_header(page, header, number, odd_header)
            layout.add_footer(page, layout.page_label(number, total), number)
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
    title = f"{issue.gazette_name} {issue.issue_label}"
    scanned = _write(all_pages, target, layout, options, title=title)
    return RenderedIssue(
        page_count=len(all_pages),
        front_pages=front,
        toc_pdf_pages=list(range(2, front + 1)),
        header_text=header,
        page_labels=[p.label for p in all_pages],
        page_headers=[p.header for p in all_pages],
        page_columns=[p.columns for p in all_pages],
        scanned_pages=scanned,
        format=options.format,
        articles=articles,
    )


def _write(pages: list[Page], target: Target, layout: PlainLayout, options: RenderOptions, title: str) -> list[int]:
    """Paint (PDF, then the layout's ``finish``) or write OFD; returns the scanned pages."""
    if options.format == "ofd":
        if type(layout).finish is not PlainLayout.finish:
            raise ConfigError(f"layout {options.layout!r} post-processes PDF bytes and cannot be written as OFD")
        from .ofd import write_ofd

        data = write_ofd(pages, layout.fonts, title=title)
        scanned: list[int] = []
    else:
        data = layout.finish(paint(pages, layout.fonts), pages)
        scanned = layout.scanned_pages(pages)
    if isinstance(target, os.PathLike | str):
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    else:
        target.write(data)
    return scanned
