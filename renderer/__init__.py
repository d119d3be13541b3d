"""The project's PDF renderer and its synthetic sample corpus.

Renders official documents in GB/T 9704-2012 layout and whole gazette issues (cover,
目录, articles) to PDF, deterministically, so that ingest can be tested on known text:

* :mod:`renderer.spec` — what to print (DocSpec, IssueSpec, TableSpec) and how
  (RenderOptions, FurnitureOptions, ScanOptions);
* :mod:`renderer.pdf` — :func:`render_document`, :func:`render_issue` (PDF, or OFD through
  :mod:`renderer.ofd`);
* :mod:`renderer.registry` — the layouts by name: ``plain`` (:mod:`renderer.plain`) and the
  issue-6 variants (:mod:`renderer.variants`), registered alike;
* :mod:`renderer.cases` — the fidelity cases (layout + options + spec transform) ingest is
  measured on;
* :mod:`renderer.samples` — the project's own synthetic 静乐县 documents and issues;
* :mod:`renderer.corpus` — real records of ../shared/corpus turned into DocSpecs.

Imports only the core package ``gazette`` and third-party libraries.
"""

from .fonts import FontUnavailable, find_ttf
from .pdf import LAYOUTS, RenderedArticle, RenderedDocument, RenderedIssue, render_document, render_issue
from .registry import register_layout
from .spec import (
    AttachmentSpec,
    DocSpec,
    FurnitureOptions,
    IssueSpec,
    RenderOptions,
    ScanOptions,
    SectionSpec,
    TableSpec,
    format_date,
)

__all__ = [
    "LAYOUTS",
    "AttachmentSpec",
    "DocSpec",
    "FontUnavailable",
    "FurnitureOptions",
    "IssueSpec",
    "RenderOptions",
    "RenderedArticle",
    "RenderedDocument",
    "RenderedIssue",
    "ScanOptions",
    "SectionSpec",
    "TableSpec",
    "find_ttf",
    "format_date",
    "register_layout",
    "render_document",
    "render_issue",
]
