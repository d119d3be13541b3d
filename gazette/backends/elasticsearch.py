"""The Elasticsearch search backend: one versioned index behind an alias.

Server versions: Elasticsearch 9.x, through the official ``elasticsearch`` Python client
9 (client 9 does not talk to 8.x servers). Only server-core features are used — the
``whitespace`` analyzer, ``index_phrases``, keyword/date fields,
``bool``/``match_phrase``/``range`` queries, ``terms``/``range``/``filter``
aggregations, bulk, scroll and aliases — so the same
index works on the official Docker image, on hosted clusters without plugins, and on
the ``integ-test-zip`` test distribution that ``scripts/es-test-server`` runs (it has
no analysis-common, no ``_reindex``, no ``GET /``).

Layout (the index definition is data: ``index_mappings/gazette-documents-v2.json``):

* indices ``<prefix>-documents-v2-<utc timestamp>``, reached only through the alias
  ``<prefix>-documents``; writes use ``require_alias`` so a missing alias can never
  auto-create an unmapped index;
* ``chars`` — the title and the body as two values of :func:`gazette.analysis.chars_text`,
  whitespace analysed: the very tokens the embedded backend indexes (one per Han
  character, ASCII runs whole, normalised). A query term must occur as a
  ``match_phrase`` of its characters, which is the same exact-substring test as
  SQLite's; the position gap between the two values keeps a phrase inside the title or
  the body. ``index_phrases`` answers the phrase from adjacent-token pairs, which are
  far rarer than single characters. (The ``standard`` analyzer over the original text
  would differ from the shared analyser on full-width forms, Kangxi radicals and mixed
  ASCII such as ``2.5kg`` or ``a.5``.)
* ``title_words`` / ``body_words`` — :func:`gazette.analysis.words_text`; they only
  rank, as one BM25F ``combined_fields`` query (title 8, body 2);
* keyword/date fields for filters, facets and the as-of status
  (:func:`gazette.status.index_fields`); the status facet is derived from the few
  invalidated documents and a range aggregation on the expiry date. A ranked search
  with facets is an ``_msearch`` of two: the page of hits, and the unscored total and
  aggregations;
* ``original`` — stored, not indexed: what a :class:`SearchHit` shows, including the
  original text from which snippets are cut.

Highlights are computed by :func:`gazette.analysis.snippets` on the stored original
text, as in the SQLite backend, so both backends return identical, HTML-escaped
snippets on the original text.

``reindex`` builds a new index with bulk requests (no ``_reindex`` API: the test
distribution lacks it, and rebuilding from the archive re-segments the text) and then
moves the alias and deletes the old index in one atomic ``_aliases`` call; searches
that raced with the deletion are retried on the new index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import (
    ApiError,
    Elasticsearch,
    NotFoundError,
    TransportError,
    helpers,
)
from elasticsearch.exceptions import HTTP_EXCEPTIONS

import index_mappings
from gazette import analysis
from gazette.backends.base import (
    FACET_FIELDS,
    FACET_LIMIT,
    SearchHit,
    SearchQuery,
    SearchResult,
    hit_fields,
    stored_hit,
)
from gazette.errors import BackendUnavailable, ConfigError, GazetteError, QueryError
from gazette.model import Disclosure, Document, Status
from gazette.settings import Settings
from gazette.status import index_fields, indexed_status

MAPPING = "gazette-documents-v2"
#: ``index()`` switches to bulk-load settings for at least this many documents.
BULK_LOAD_THRESHOLD = 1000
_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_SEARCH_RETRIES = 5


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def to_source(doc: Document) -> dict[str, Any]:
    """The Elasticsearch document for ``doc`` (field names as in the mapping)."""
    fields = index_fields(doc)
    text = doc.text
    number = doc.doc_number.text if doc.doc_number else doc.doc_number_raw
    year = doc.year
    return {
        "id": doc.id,
        # Title and body as two values of one field: a phrase never spans them (the
        # field's position gap), so one phrase query tests "in the title or the body".
        "chars": [analysis.chars_text(doc.title), analysis.chars_text(text)],
        "title_words": analysis.words_text(doc.title),
        "body_words": analysis.words_text(text),
        "doc_number": number,
        "doc_number_prefix": doc.doc_number.prefix if doc.doc_number else None,
        "issuer": doc.issuer,
        "issuers": doc.issuers,
        "doc_type": doc.doc_type,
        "year": str(year) if year is not None else None,
        "is_normative": doc.is_normative,
        "disclosure": doc.disclosure.value,
        "written_date": _iso(doc.written_date),
        "published_date": _iso(doc.published_date),
        "effective_date": _iso(doc.effective_date),
        "expiry_date": _iso(fields["expiry_date"]),
        "invalid_from": _iso(fields["invalid_from"]),
        "invalid_status": fields["invalid_status"],
        "original": {**hit_fields(doc), "text": text},
    }


# -- status as of a date ---------------------------------------------------------------
# status(D) = invalid_status  if invalid_status is set and (invalid_from is unset or <= D)
#           = expired         elif expiry_date < D
#           = valid           otherwise                    (gazette.status.indexed_status)


def _invalid_on(day: str) -> dict:
    return {
        "bool": {
            "filter": [{"exists": {"field": "invalid_status"}}],
            "should": [
                {"range": {"invalid_from": {"lte": day}}},
                {"bool": {"must_not": {"exists": {"field": "invalid_from"}}}},
            ],
            "minimum_should_match": 1,
        }
    }


def status_query(status: Status, as_of: dt.date) -> dict:
    """A filter selecting documents whose status on ``as_of`` is ``status``."""
    day = as_of.isoformat()
    invalid = _invalid_on(day)
    lapsed = {"range": {"expiry_date": {"lt": day}}}
    if status is Status.valid:
        return {"bool": {"must_not": [invalid, lapsed]}}
    if status is Status.repealed:
        return {"bool": {"filter": [invalid, {"term": {"invalid_status": Status.repealed.value}}]}}
    return {
        "bool": {
            "should": [
                {"bool": {"filter": [invalid, {"term": {"invalid_status": Status.expired.value}}]}},
                {"bool": {"filter": [lapsed], "must_not": [invalid]}},
            ],
            "minimum_should_match": 1,
        }
    }


def _status_of(src: dict, as_of: dt.date) -> Status:
    return indexed_status(
        _date(src.get("expiry_date")), _date(src.get("invalid_from")), src.get("invalid_status") or None, as_of
    )


def _phrase(chars: str) -> dict:
    """The characters ``chars`` (space-separated) as a phrase in the title or the body.

    Besides v2's ``chars`` it asks v1's ``title_chars`` and ``body_chars``, so that
    searches keep answering from a v1 index while ``gazette reindex`` builds its v2
    replacement. On either index the fields the mapping lacks match nothing and are
    dropped when Elasticsearch rewrites the query, so they cost nothing.
    """
    return {
        "bool": {
            "should": [{"match_phrase": {field: chars}} for field in ("chars", "title_chars", "body_chars")],
            "minimum_should_match": 1,
        }
    }


def _empty_result(query: SearchQuery) -> SearchResult:
    return SearchResult(total=0, hits=[], facets={f: {} for f in FACET_FIELDS} if query.facets else {})


def _safe_url(url: str) -> str:
    """``url`` without credentials, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", "")).rstrip("/")


def _reason(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        body = exc.body if isinstance(exc.body, dict) else {}
        err = body.get("error")
        if isinstance(err, dict):
            causes = err.get("root_cause") or [err]
            cause = causes[0] if isinstance(causes[0], dict) else err
            return f"{cause.get('type', 'error')}: {cause.get('reason', '')}".strip()
        return str(exc.message)
    text = str(exc)
    m = re.search(r"\[Errno -?\d+\][^)'\"]*", text)
    if m:
        return m.group(0).strip()
    if "timed out" in text.lower() or "timeout" in type(exc).__name__.lower():
        return "connection timed out"
    return text[:300]


class ElasticsearchBackend:
    """Search backend over an Elasticsearch 9 cluster (see module docstring).

    Construct it with :meth:`from_settings` or explicit arguments; no request is made
    until first use. Besides the :class:`~gazette.backends.base.SearchBackend` methods
    it offers :meth:`ensure_index`, :meth:`refresh`, :meth:`indices` and :meth:`drop`.
    """

    name = "elasticsearch"

    def __init__(
        self,
        url: str = "http://127.0.0.1:9200",
        *,
        index_prefix: str = "gazette",
        timeout: float = 30.0,
        client: Elasticsearch | None = None,
    ) -> None:
        if not _PREFIX_RE.match(index_prefix):
            raise ConfigError(
                f"Elasticsearch index prefix {index_prefix!r} is invalid: "
                "use lower-case letters, digits, '-', '_' or '.'"
            )
        self.url = url
        self.prefix = index_prefix
        self.alias = f"{index_prefix}-documents"
        self._version = MAPPING.removeprefix("gazette-")  # documents-v2
        self.client = client or Elasticsearch(
            url,
            request_timeout=timeout,
            max_retries=2,
            retry_on_timeout=True,
            retry_on_status=(502, 503, 504),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> ElasticsearchBackend:
        """The backend configured by ``GAZETTE_ES_URL``, ``_ES_INDEX_PREFIX``, ``_ES_TIMEOUT``."""
        return cls(settings.es_url, index_prefix=settings.es_index_prefix, timeout=settings.es_timeout)

    # -- errors --------------------------------------------------------------------
    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Translate client errors: unreachable / 429 / 5xx → BackendUnavailable, 4xx → QueryError."""
        try:
            yield
        except GazetteError:
            raise
        except ApiError as exc:
            status = exc.meta.status if exc.meta else 0
            if status >= 500 or status == 429:
                raise BackendUnavailable(
                    f"Elasticsearch at {_safe_url(self.url)} failed to {what} (HTTP {status}): {_reason(exc)}"
                ) from exc
            raise QueryError(f"Elasticsearch rejected the request to {what} (HTTP {status}): {_reason(exc)}") from exc
        except TransportError as exc:
            raise BackendUnavailable(f"Elasticsearch at {_safe_url(self.url)} is unreachable: {_reason(exc)}") from exc

    # -- indices -------------------------------------------------------------------
    def _new_index_name(self) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.prefix}-{self._version}-{stamp}"

    def indices(self) -> list[str]:
        """Concrete indices currently behind the alias (normally one, none before first use)."""
        with self._errors("read the alias"):
            try:
                return sorted(self.client.indices.get_alias(name=self.alias).body)
            except NotFoundError:
                return []

    def _create_index(self, *, with_alias: bool, bulk_load: bool = False) -> str:
        body = index_mappings.load(MAPPING)
        settings = dict(body.get("settings", {}))
        if bulk_load:
            settings = {"index": {**settings.get("index", {}), "refresh_interval": "-1", "number_of_replicas": 0}}
        name = self._new_index_name()
        with self._errors("create an index"):
            self.client.indices.create(
                index=name,
                settings=settings,
                mappings=body["mappings"],
                aliases={self.alias: {}} if with_alias else None,
            )
        return name

    def ensure_index(self) -> None:
        """Create the first index behind the alias unless the alias exists."""
        with self._errors("check the alias"):
            if self.client.indices.exists_alias(name=self.alias):
                return
        self._create_index(with_alias=True)

    def refresh(self) -> None:
        """Make everything indexed so far visible to searches."""
        with self._errors("refresh the index"):
            self.client.indices.refresh(index=self.alias)

    def drop(self) -> None:
        """Delete the alias and every index of this prefix (tests, decommissioning)."""
        pattern = re.compile(rf"^{re.escape(self.prefix)}-documents-v\d+-\d+$")
        with self._errors("delete indices"):
            found = self.client.indices.get(index=f"{self.prefix}-documents-v*", expand_wildcards="all")
            names = sorted(n for n in found.body if pattern.match(n))
            if names:
                self.client.indices.delete(index=",".join(names), ignore_unavailable=True)

    # -- writing -------------------------------------------------------------------
    def _bulk(self, actions: Iterable[dict], what: str, *, to_alias: bool = True) -> int:
        """Stream ``actions`` with retries on 429; return successes, raise on any failure.

        ``to_alias`` makes Elasticsearch refuse writes unless the target is an alias,
        so a deleted alias can never be auto-created as an unmapped index.
        """
        ok_count = 0
        failures: list[dict] = []
        with self._errors(what):
            for ok, item in helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=500,
                max_chunk_bytes=10 * 1024 * 1024,
                raise_on_error=False,
                max_retries=6,
                initial_backoff=0.5,
                max_backoff=30,
                require_alias=to_alias,
            ):
                op, result = next(iter(item.items()))
                if ok:
                    ok_count += 1
                elif op == "delete" and result.get("status") == 404:
                    continue
                else:
                    failures.append(result)
        if failures:
            first = failures[0]
            err = first.get("error") or {}
            reason = f"{err.get('type', 'error')}: {err.get('reason', '')}" if isinstance(err, dict) else str(err)
            status = first.get("status", 0)
            msg = (
                f"Elasticsearch at {_safe_url(self.url)} rejected {len(failures)} of "
                f"{len(failures) + ok_count} documents ({what}); first: {first.get('_id')} HTTP {status} {reason}"
            )
            if status >= 500 or status == 429:
                raise BackendUnavailable(msg)
            raise GazetteError(msg)
        return ok_count

    def _index_actions(self, docs: Iterable[Document], index: str) -> Iterator[dict]:
        for doc in docs:
            yield {"_op_type": "index", "_index": index, "_id": doc.id, "_source": to_source(doc)}

    def _settings_of(self, index: str) -> dict[str, Any]:
        with self._errors("read index settings"):
            resp = self.client.indices.get_settings(index=index, flat_settings=True)
        flat = next(iter(resp.body.values()))["settings"]
        return {
            "index.refresh_interval": flat.get("index.refresh_interval"),
            "index.number_of_replicas": flat.get("index.number_of_replicas"),
        }

    def index(self, docs: Iterable[Document], *, refresh: bool = True, bulk_load: bool | None = None) -> int:
        """Index or replace ``docs``; return how many were indexed.

        ``refresh`` makes them visible to searches before returning. ``bulk_load``
        (default: at least :data:`BULK_LOAD_THRESHOLD` documents in a sized collection)
        turns refreshes and replicas off for the load and restores them afterwards.
        An index of an older layout (``documents-v1``) raises ConfigError: ``reindex``
        first. Any rejected document raises (a 429/5xx: BackendUnavailable) after the others
        were written; nothing is reported indexed that is not.
        """
        if bulk_load is None:
            bulk_load = isinstance(docs, Sized) and len(docs) >= BULK_LOAD_THRESHOLD
        self.ensure_index()
        current = self.indices()
        older = [name for name in current if not name.startswith(f"{self.prefix}-{self._version}-")]
        if older:
            raise ConfigError(
                f"Elasticsearch index {older[0]} has an older layout than {self._version}: "
                "run `gazette reindex` before indexing documents (searches keep answering meanwhile)"
            )
        target = self.alias
        restore: dict[str, Any] | None = None
        if bulk_load:
            target = current[0] if current else self.alias
            restore = self._settings_of(target)
            with self._errors("prepare a bulk load"):
                self.client.indices.put_settings(
                    index=target, settings={"index.refresh_interval": "-1", "index.number_of_replicas": 0}
                )
        try:
            n = self._bulk(self._index_actions(docs, self.alias), "index documents")
        finally:
            if restore is not None:
                with self._errors("restore index settings after a bulk load"):
                    self.client.indices.put_settings(index=target, settings=restore)
        if refresh:
            self.refresh()
        return n

    def delete(self, ids: Iterable[str], *, refresh: bool = True) -> None:
        """Remove documents by id; unknown ids (and a missing index) are ignored."""
        if not self.indices():
            return
        self._bulk(
            ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids),
            "delete documents",
        )
        if refresh:
            self.refresh()

    def reindex(self, docs: Iterable[Document]) -> int:
        """Build a new index from ``docs``, then swap the alias to it atomically.

        Searches keep answering from the old index until the swap; the old index is
        deleted in the same ``_aliases`` call. If loading fails the new index is
        deleted and the alias stays where it was. Documents indexed into the old index
        while this runs are not carried over: ``docs`` (the archive) is the source.
        """
        old = self.indices()
        replicas = self._settings_of(old[0])["index.number_of_replicas"] if old else None
        new = self._create_index(with_alias=False, bulk_load=True)
        try:
            n = self._bulk(self._index_actions(docs, new), "build the new index", to_alias=False)
            with self._errors("finish the new index"):
                self.client.indices.put_settings(
                    index=new,
                    settings={"index.refresh_interval": None, "index.number_of_replicas": replicas},
                )
                self.client.indices.refresh(index=new)
                self.client.cluster.health(index=new, wait_for_status="yellow", timeout="30s")
            actions: list[dict] = [{"add": {"index": new, "alias": self.alias}}]
            actions += [{"remove_index": {"index": name}} for name in old]
            with self._errors("swap the alias"):
                self.client.indices.update_aliases(actions=actions)
        except BaseException:
            try:
                self.client.indices.delete(index=new, ignore_unavailable=True)
            except Exception:  # the original error is the one to report
                pass
            raise
        return n

    def clear(self) -> None:
        """Remove every document: an empty index replaces the current one atomically."""
        self.reindex([])

    # -- reading -------------------------------------------------------------------
    def count(self) -> int:
        with self._errors("count documents"):
            try:
                return int(self.client.count(index=self.alias)["count"])
            except NotFoundError:
                return 0

    def indexed_ids(self) -> set[str]:
        with self._errors("list document ids"):
            try:
                return {
                    hit["_id"]
                    for hit in helpers.scan(
                        self.client, index=self.alias, query={"query": {"match_all": {}}}, _source=False, size=1000
                    )
                }
            except NotFoundError:
                return set()

    def close(self) -> None:
        self.client.close()

    # -- searching -----------------------------------------------------------------
    def _filters(self, query: SearchQuery) -> list[dict]:
        f: list[dict] = []
        if not query.include_private:
            f.append({"term": {"disclosure": Disclosure.public.value}})
        if query.status:
            f.append(status_query(query.status, query.effective_as_of))
        if query.issuer:
            f.append({"term": {"issuer": query.issuer}})
        if query.doc_type:
            f.append({"term": {"doc_type": query.doc_type}})
        if query.year is not None:
            f.append({"term": {"year": str(query.year)}})
        if query.date_from or query.date_to:
            rng: dict[str, str] = {}
            if query.date_from:
                rng["gte"] = query.date_from.isoformat()
            if query.date_to:
                rng["lte"] = query.date_to.isoformat()
            f.append({"range": {"written_date": rng}})
        if query.doc_number_prefix:
            f.append({"term": {"doc_number_prefix": query.doc_number_prefix}})
        if query.normative_only:
            f.append({"term": {"is_normative": True}})
        return f

    @staticmethod
    def _text_query(terms: list[analysis.QueryTerm]) -> dict:
        # Matching: every term must occur as a phrase of its characters in the title or
        # the body (no score) — one phrase query on ``chars``, answered from the
        # character pairs that index_phrases keeps. Ranking: the terms' jieba words
        # scored as one BM25F field over title_words (weight 8) and body_words (weight 2),
        # which is how FTS5's bm25 weighs columns; measured against the SQLite backend on
        # 1,168 corpus documents this agreed best (82 % of the top 10, first hit equal on
        # 21 of 30 queries).
        required = [_phrase(" ".join(t.chars)) for t in terms]
        words = " ".join(dict.fromkeys(w for t in terms for w in t.words))
        should = (
            [{"combined_fields": {"query": words, "fields": ["title_words^8", "body_words^2"]}}] if words else []
        )
        return {"must": [{"bool": {"filter": required}}], "should": should}

    def _aggs(self, as_of: dt.date) -> dict:
        # The status facet is not three status filters (one of them, "valid", negates
        # two range queries and had to be evaluated against every match): the documents
        # invalid on the day are few, and the expiry test is a range aggregation that
        # reads each match's doc value. _status_facet derives the three counts.
        order = [{"_count": "desc"}, {"_key": "asc"}]
        lapsed = {"range": {"field": "expiry_date", "ranges": [{"key": "lapsed", "to": as_of.isoformat()}]}}
        return {
            "status_invalid": {
                "filter": _invalid_on(as_of.isoformat()),
                "aggs": {"status": {"terms": {"field": "invalid_status", "size": len(Status)}}, "expiry": lapsed},
            },
            "status_expiry": lapsed,
            "issuer": {"terms": {"field": "issuer", "size": FACET_LIMIT, "order": order}},
            "year": {"terms": {"field": "year", "size": FACET_LIMIT, "order": order}},
            "doc_type": {"terms": {"field": "doc_type", "size": FACET_LIMIT, "order": order}},
        }

    @staticmethod
    def _status_facet(aggs: dict, total: int) -> dict[str, int]:
        """Status counts from :meth:`_aggs`: an invalidated document has its invalid
        status, a lapsed one that is not invalidated is expired, the rest are valid
        (the rule of :func:`status_query`). Ordered like the other facets."""
        invalid = aggs["status_invalid"]
        counts = dict.fromkeys((s.value for s in Status), 0)
        for b in invalid["status"]["buckets"]:
            counts[b["key"]] += b["doc_count"]
        lapsed = aggs["status_expiry"]["buckets"][0]["doc_count"] - invalid["expiry"]["buckets"][0]["doc_count"]
        counts[Status.expired.value] += lapsed
        counts[Status.valid.value] = total - invalid["doc_count"] - lapsed
        return dict(sorted(((k, n) for k, n in counts.items() if n > 0), key=lambda kv: (-kv[1], kv[0])))

    def search(self, query: SearchQuery) -> SearchResult:
        terms = analysis.query_terms(query.q)
        if not terms and query.q.strip():
            # Only punctuation or engine syntax: nothing indexable to look for.
            return _empty_result(query)
        as_of = query.effective_as_of
        boolq: dict[str, Any] = {"filter": self._filters(query)}
        if terms:
            boolq.update(self._text_query(terms))
        date_order = [{"written_date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
        sort = date_order if query.sort == "date" or not terms else [{"_score": "desc"}, *date_order]
        hits_body: dict[str, Any] = {
            "query": {"bool": boolq},
            "sort": sort,
            "from": (query.page - 1) * query.size,
            "size": query.size,
            "track_total_hits": True,
            "_source": {"includes": ["original", "invalid_status", "invalid_from", "expiry_date"]},
        }
        bodies = [hits_body]
        if query.facets and terms:
            # A ranked search with facets is two searches in one _msearch, which
            # Elasticsearch runs side by side: the hits, ranked without an exact total
            # so that scoring can skip documents that cannot reach the page, and the
            # total and facets, counted without scoring (a size-0 search, which the
            # shard request cache keeps until the next refresh). In one search the
            # aggregations made every match be scored.
            hits_body["track_total_hits"] = False
            bodies.append(self._counts_body(boolq, as_of))
        elif query.facets:
            hits_body["aggs"] = self._aggs(as_of)
        resps = self._search_with_retry(bodies)
        if resps is None:
            return _empty_result(query)
        counted = resps[-1]
        hits = [self._hit(h, terms, as_of) for h in resps[0]["hits"]["hits"]]
        total = counted["hits"]["total"]["value"]
        facets: dict[str, dict[str, int]] = {}
        if query.facets:
            aggs = counted.get("aggregations", {})
            facets["status"] = self._status_facet(aggs, total)
            for name in ("issuer", "year", "doc_type"):
                facets[name] = {str(b["key"]): b["doc_count"] for b in aggs[name]["buckets"]}
        return SearchResult(total=total, hits=hits, facets=facets)

    def _counts_body(self, boolq: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
        """The exact total and the facets of ``boolq``'s matches, nothing scored."""
        return {
            "query": {"bool": {"filter": [*boolq["filter"], *boolq.get("must", [])]}},
            "size": 0,
            "track_total_hits": True,
            "aggs": self._aggs(as_of),
        }

    def _send(self, bodies: list[dict]) -> list[dict]:
        """One search, or several in one ``_msearch``; a failed part raises the error
        the client raises for a failed search (so both take the same paths below)."""
        if len(bodies) == 1:
            return [self.client.search(index=self.alias, body=bodies[0]).body]
        resp = self.client.msearch(searches=[part for body in bodies for part in ({"index": self.alias}, body)])
        out = []
        for item in resp["responses"]:
            if "error" in item:
                status = int(item.get("status") or 500)
                cls = HTTP_EXCEPTIONS.get(status, ApiError)
                raise cls(str(item["error"]), dataclasses.replace(resp.meta, status=status), item)
            out.append(item)
        return out

    def _search_with_retry(self, bodies: list[dict]) -> list[dict] | None:
        """Run searches (see :meth:`_send`); ``None`` when no index exists yet.

        A search that resolved the alias just before a reindex deleted the old index
        can fail on that index; it is retried (the alias then names the new one).
        """
        last: Exception | str | None = None
        for attempt in range(_SEARCH_RETRIES):
            if attempt:
                time.sleep(0.05 * attempt)
            with self._errors("search"):
                try:
                    resps = self._send(bodies)
                except NotFoundError as exc:
                    if not self.client.indices.exists_alias(name=self.alias):
                        return None
                    last = exc
                    continue
                except ApiError as exc:
                    # The old index's shards vanish when a reindex deletes it under
                    # a search in flight; the retry goes to the new index.
                    if exc.meta.status == 503 and attempt + 1 < _SEARCH_RETRIES:
                        last = exc
                        continue
                    raise
            failed = next((r["_shards"] for r in resps if r.get("_shards", {}).get("failed")), None)
            if failed:
                failures = failed.get("failures") or [{}]
                reason = (failures[0].get("reason") or {}) if isinstance(failures[0], dict) else {}
                kind = reason.get("type", "") if isinstance(reason, dict) else ""
                if kind in ("query_shard_exception", "search_parse_exception", "illegal_argument_exception"):
                    raise QueryError(f"Elasticsearch rejected the search: {kind}: {reason.get('reason', '')}")
                last = f"{failed['failed']} of {failed.get('total')} shards failed: {kind} {reason.get('reason', '')}"
                continue
            return resps
        if isinstance(last, NotFoundError):
            raise BackendUnavailable(
                f"Elasticsearch at {_safe_url(self.url)} failed to search: {_reason(last)}"
            ) from last
        raise BackendUnavailable(f"Elasticsearch at {_safe_url(self.url)} failed to search: {last}")

    @staticmethod
    def _hit(raw: dict, terms: list[analysis.QueryTerm], as_of: dt.date) -> SearchHit:
        src = raw.get("_source", {})
        orig = src.get("original", {})
        score = float(raw.get("_score") or 0.0)
        return stored_hit(raw["_id"], score, orig, _status_of(src, as_of), orig.get("text", ""), terms)
