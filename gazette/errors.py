"""The project's exception tree.

Every error the project raises on purpose is a :class:`GazetteError`; third-party
errors are translated at the boundary (``raise ... from exc``) so callers — the CLI,
the API — catch one family and show one readable line::

    GazetteError
    ├── ConfigError            bad settings or environment
    ├── IngestError            a source file could not be ingested (the batch goes on)
    │   ├── NotAPDF            the file is not a PDF at all (or is empty)
    │   ├── UnreadablePDF      truncated, corrupt, zero pages, or a parser crash
    │   ├── EncryptedPDF       password protected
    │   └── NoTextLayer        only images: nothing to index without OCR
    ├── ParseError             a value (发文字号, date, JSONL line) could not be parsed
    ├── QueryError             a search request is invalid (shown to users as a 4xx)
    ├── NotFound               no such document / issue / file
    ├── BackendUnavailable     the search backend cannot be reached or answers 5xx
    └── IntegrityError         the archive failed a consistency check
"""

from __future__ import annotations


class GazetteError(Exception):
    """Base of every error raised by the project on purpose."""

    #: Short machine-readable code used in the API's error shape.
    code = "gazette_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # one readable line
        return self.message


class ConfigError(GazetteError):
    code = "config_error"


class IngestError(GazetteError):
    code = "ingest_error"


class NotAPDF(IngestError):
    code = "not_a_pdf"


class UnreadablePDF(IngestError):
    code = "unreadable_pdf"


class EncryptedPDF(IngestError):
    code = "encrypted_pdf"


class NoTextLayer(IngestError):
    code = "no_text_layer"


class ParseError(GazetteError):
    code = "parse_error"


class QueryError(GazetteError):
    code = "invalid_query"


class NotFound(GazetteError):
    code = "not_found"


class BackendUnavailable(GazetteError):
    code = "backend_unavailable"


class IntegrityError(GazetteError):
    code = "integrity_error"
