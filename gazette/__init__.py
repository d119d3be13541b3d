"""Gazette Archive core: domain model, settings, errors, text analysis and storage.

Everything else (``ingest``, ``search_api``, ``epub_builder``, ``renderer``, the CLI)
imports from here; this package imports none of them.
"""

__version__ = "0.1.0"
