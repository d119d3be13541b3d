"""EPUB 3 editions of the gazette for reading on phones: one book per issue, one per year.

* :mod:`epub_builder.editions` — :func:`build_issue_epub`, :func:`build_year_epub`
  (from an :class:`~gazette.archive.Archive`);
* :mod:`epub_builder.book` — :func:`build_issue_book`, :func:`build_year_book` (from
  issues and documents, no archive needed) and the 目录 planning;
* :mod:`epub_builder.content` — article, section and stub pages as XHTML;
* :mod:`epub_builder.nav` — the table of contents (nav document and NCX);
* :mod:`epub_builder.cover` — the generated JPEG cover;
* :mod:`epub_builder.metadata` — identifier, dates, accessibility metadata;
* :mod:`epub_builder.write` — atomic, deterministic writing.

Imports only the core package ``gazette`` and third-party libraries.
"""

from .book import GazetteBook, build_issue_book, build_year_book
from .editions import build_issue_epub, build_year_epub, issue_book, year_book
from .errors import CoverFontUnavailable, EpubWriteError
from .metadata import BookMeta
from .write import epub_bytes, write_book

__all__ = [
    "BookMeta",
    "CoverFontUnavailable",
    "EpubWriteError",
    "GazetteBook",
    "build_issue_book",
    "build_issue_epub",
    "build_year_book",
    "build_year_epub",
    "epub_bytes",
    "issue_book",
    "write_book",
    "year_book",
]
