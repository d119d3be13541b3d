"""Ingest: PDF files → domain objects (documents, gazette issues, repeal targets).

A pipeline of small stages, each a module whose docstring states what it reads and
writes (see :mod:`ingest.pipeline` for the order):

    extract → clean → issue (segment a gazette) → gb9704 (elements) → validity → repeal

:func:`ingest.pipeline.parse_file` runs them for one file and returns a
:class:`~ingest.pipeline.ParsedSource`; it does not write to the archive. Imports
only the core package ``gazette`` and third-party libraries.
"""

from ingest.pipeline import ParsedSource, build_document, parse_file
from ingest.repeal import RepealTarget, find_repeals

__all__ = ["ParsedSource", "RepealTarget", "build_document", "find_repeals", "parse_file"]
