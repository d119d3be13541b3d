"""The project's PDF renderer and its synthetic sample corpus.

Renders official documents in GB/T 9704-2012 layout and whole gazette issues (cover,
目录, articles) to PDF, deterministically, so that ingest can be tested on known text:

* :mod:`renderer.spec` — what to print (DocSpec, IssueSpec, RenderOptions);
* :mod:`renderer.pdf` — :func:`render_document`, :func:`render_issue`;
* :mod:`renderer.samples` — the project's own synthetic 静乐县 documents and issues;
* :mod:`renderer.corpus` — real records of ../shared/corpus turned into DocSpecs.

Imports only the core package ``gazette`` and third-party libraries.
"""

from .fonts import FontUnavailable, find_ttf
from .pdf import LAYOUTS, RenderedArticle, RenderedDocument, RenderedIssue, render_document, render_issue
from .spec import AttachmentSpec, DocSpec, IssueSpec, RenderOptions, SectionSpec, format_date

__all__ = [
    "LAYOUTS",
    "AttachmentSpec",
    "DocSpec",
    "FontUnavailable",
    "IssueSpec",
    "RenderOptions",
    "RenderedArticle",
    "RenderedDocument",
    "RenderedIssue",
    "SectionSpec",
    "find_ttf",
    "format_date",
    "render_document",
    "render_issue",
]
