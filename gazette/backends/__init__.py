"""Search backends behind one Protocol (:mod:`gazette.backends.base`)."""

from __future__ import annotations

from gazette.backends.base import SearchBackend, SearchHit, SearchQuery, SearchResult
from gazette.settings import Settings
from gazette.store import Store

__all__ = ["SearchBackend", "SearchHit", "SearchQuery", "SearchResult", "open_backend"]


def open_backend(settings: Settings, store: Store) -> SearchBackend:
    """The backend chosen by ``settings.backend``, over the given record store."""
    if settings.backend == "elasticsearch":
        from gazette.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend.from_settings(settings)
    from gazette.backends.sqlite import SQLiteBackend

    return SQLiteBackend(
        store,
        cache_size=settings.search_cache_size,
        page_cache_kib=settings.search_page_cache_kib,
    )
