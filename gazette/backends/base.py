"""The search-backend interface.

The archive's record (issues, documents, status events, source files) lives in the
SQLite store (:mod:`gazette.store`) — the one source every channel publishes from. A
*search backend* is the full-text index over those documents. Two implementations
exist, chosen by ``GAZETTE_BACKEND``:

* :mod:`gazette.backends.sqlite` — FTS5 tables in the same SQLite file (the default);
* :mod:`gazette.backends.elasticsearch` — an Elasticsearch 9 index behind an alias.

Both index the same fields produced by :mod:`gazette.analysis` and must give the same
answers; ``tests/backends/test_contract.py`` is the suite both pass.

Contract for every implementation:

* ``index(docs)`` makes the given documents searchable, replacing earlier versions
  with the same id; it is idempotent. ``delete(ids)`` removes them.
* ``search(query)`` never interprets user text as engine syntax; filters are exact;
  ``status`` filters and the ``status`` facet are evaluated *as of* ``query.as_of``
  (default: today) from the indexed ``effective_date``, ``expiry_date`` and the
  document's invalidation date, so time passing needs no reindex. Only documents
  whose disclosure is 主动公开 are visible unless ``query.include_private``.
* Highlights are on the original text: HTML-escaped, matches in ``<mark>``.
* ``total`` counts all matches; ``facets`` are computed over all matches.
* Errors reaching the engine raise :class:`gazette.errors.BackendUnavailable`;
  invalid queries raise :class:`gazette.errors.QueryError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from gazette import analysis
from gazette.model import STATUS_LABELS, Document, Status

FACET_FIELDS = ("status", "issuer", "year", "doc_type")
#: Values a facet lists, at most (the most frequent first), in every backend.
FACET_LIMIT = 50


class SearchQuery(BaseModel):
    """A validated search request, shared by the CLI, the API and both backends."""

    q: str = Field(default="", max_length=200, description="User text; quotes make phrases.")
    status: Status | None = None
    issuer: str | None = None
    doc_type: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    date_from: dt.date | None = Field(default=None, description="Earliest 成文日期 (inclusive).")
    date_to: dt.date | None = Field(default=None, description="Latest 成文日期 (inclusive).")
    doc_number_prefix: str | None = Field(default=None, description="机关代字, e.g. 静政发")
    normative_only: bool = False
    sort: Literal["relevance", "date"] = "relevance"
    page: int = Field(default=1, ge=1, le=1000)
    size: int = Field(default=10, ge=1, le=100)
    as_of: dt.date | None = Field(default=None, description="Evaluate status at this date (default today).")
    include_private: bool = Field(default=False, description="Also show non-public documents (legal office).")
    facets: bool = True

    @property
    def effective_as_of(self) -> dt.date:
        return self.as_of or dt.date.today()


class SearchHit(BaseModel):
    """One result: enough to render a result line without another lookup."""

    id: str
    score: float = 0.0
    title: str
    doc_number: str | None = None
    issuers: list[str] = Field(default_factory=list)
    doc_type: str | None = None
    is_normative: bool = False
    written_date: dt.date | None = None
    published_date: dt.date | None = None
    effective_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: Status = Status.valid
    status_label: str = "有效"
    highlights: list[str] = Field(default_factory=list, description="HTML snippets, matches in <mark>.")
    title_highlight: str | None = None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def hit_fields(doc: Document) -> dict:
    """The fields of a :class:`SearchHit` that come from the document itself, as JSON
    values: what each backend stores beside its index so that a result line needs no
    other lookup."""
    return {
        "title": doc.title,
        "doc_number": doc.doc_number.text if doc.doc_number else doc.doc_number_raw,
        "issuers": doc.issuers,
        "doc_type": doc.doc_type,
        "is_normative": doc.is_normative,
        "written_date": _iso(doc.written_date),
        "published_date": _iso(doc.published_date),
        "effective_date": _iso(doc.effective_date),
        "expiry_date": _iso(doc.expiry_date),
    }


def stored_hit(
    doc_id: str, score: float, stored: dict, status: Status, text: str, terms: list[analysis.QueryTerm]
) -> SearchHit:
    """A :class:`SearchHit` from the fields :func:`hit_fields` stored, the status at the
    query's date, and highlights cut from the original ``text`` for the query's
    ``terms`` (:class:`gazette.analysis.QueryTerm`)."""
    title = stored.get("title") or ""
    return SearchHit(
        id=doc_id,
        score=score,
        title=title,
        doc_number=stored.get("doc_number"),
        issuers=stored.get("issuers") or [],
        doc_type=stored.get("doc_type"),
        is_normative=bool(stored.get("is_normative")),
        written_date=stored.get("written_date"),
        published_date=stored.get("published_date"),
        effective_date=stored.get("effective_date"),
        expiry_date=stored.get("expiry_date"),
        status=status,
        status_label=STATUS_LABELS[status],
        highlights=analysis.snippets(text, terms) if terms else [],
        title_highlight=analysis.mark_all(title, terms) if terms else None,
    )


class SearchResult(BaseModel):
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)


@runtime_checkable
class SearchBackend(Protocol):
    """Full-text index over the archive's documents (see module docstring)."""

    name: str

    def index(self, docs: Iterable[Document]) -> int:
        """Index (or re-index) documents; return how many were indexed."""
        ...

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents from the index; unknown ids are ignored."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a search (see module docstring for the contract)."""
        ...

    def count(self) -> int:
        """Number of indexed documents."""
        ...

    def indexed_ids(self) -> set[str]:
        """Ids of all indexed documents (integrity checks)."""
        ...

    def reindex(self, docs: Iterable[Document]) -> int:
        """Rebuild the whole index from ``docs`` while searches keep answering.

        Elasticsearch builds a new versioned index and swaps the alias atomically;
        SQLite rebuilds its FTS tables in one transaction. Returns documents indexed.
        """
        ...

    def clear(self) -> None:
        """Remove every document from this backend's index."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
