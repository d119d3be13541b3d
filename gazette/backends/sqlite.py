"""The embedded search backend: FTS5 tables in the archive's own SQLite file.

One FTS5 table ``docs_fts`` (rowid = ``documents.rowid``) with four columns filled
from :mod:`gazette.analysis`:

* ``title_grams`` / ``body_grams`` — the character tokens of the text
  (:func:`gazette.analysis.chars`: Han characters one by one, ASCII runs whole) turned
  into overlapping Han *bigrams* — one token per position, so an FTS5 phrase of
  bigrams is an exact-substring match (ignoring punctuation and spaces), with posting
  lists far shorter than single characters'. A 1-character query is a prefix query on
  the bigrams, served by a 3-byte prefix index (one UTF-8 Han character);
* ``title_words`` / ``body_words`` — jieba search-mode words. They are indexed but not
  queried: OR-ing them into the match for ranking tripled the cost of every search; the
  rank is BM25 over the gram phrases, title weighted above body.

User text is reduced to analyser tokens (letters, digits, Han characters) before it is
quoted into an FTS5 expression, so no input can reach FTS5 as syntax. Filters, the
``as_of`` status and facets are evaluated in SQL on the ``documents`` table; snippets
are cut from the original text by :func:`gazette.analysis.snippets`.

Speed: an unfaceted search counts its matches with the unranked expression and ranks
with ``ORDER BY bm25 LIMIT`` (SQLite keeps only the top of the sort); a faceted one
evaluates the unranked match once into a temporary table for the count and facets.
Results are kept in a small per-process LRU cache keyed by the query and a *search
generation* (a ``meta`` row that every index/delete/clear bumps in its own write
transaction and every search reads, so a write in any process invalidates the cache
of every process).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import NamedTuple

from gazette import analysis
from gazette.backends.base import SearchHit, SearchQuery, SearchResult
from gazette.errors import BackendUnavailable, QueryError
from gazette.model import STATUS_LABELS, Disclosure, Document, Status
from gazette.status import index_fields
from gazette.store import Store

_FTS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    title_grams, body_grams, title_words, body_words,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '.'",
    prefix = '3'
);
CREATE TABLE IF NOT EXISTS docs_meta (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    public INTEGER NOT NULL,
    issuer TEXT,
    doc_type TEXT,
    year INTEGER,
    written_date TEXT,
    expiry_date TEXT,
    invalid_from TEXT,
    invalid_status TEXT,
    doc_number_prefix TEXT,
    is_normative INTEGER NOT NULL,
    hit TEXT NOT NULL
);
"""
# ``docs_meta`` holds, per indexed document, the filter/facet fields and (``hit``, JSON)
# the fields a result line shows, in short rows: evaluating a match touches only these
# rows, never the documents table's long rows with the full text and record JSON.

# BM25 weights per column: title matches count more than body matches.
_WEIGHTS = (6.0, 1.0, 6.0, 1.0)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_STATUS_SQL = """CASE
    WHEN d.invalid_status IS NOT NULL AND (d.invalid_from IS NULL OR d.invalid_from <= :as_of)
        THEN d.invalid_status
    WHEN d.expiry_date IS NOT NULL AND d.expiry_date < :as_of THEN 'expired'
    ELSE 'valid' END"""

# Read-side connection settings: memory-mapped reads (the OS page cache serves index
# pages without copying, shared by every connection of every process; mapped pages
# show as file-backed RSS, not private memory), a small private page cache because the
# API holds one connection per worker thread, temporary tables in memory.
_PRAGMAS = (
    "PRAGMA cache_size=-4096",
    "PRAGMA mmap_size=1073741824",
    "PRAGMA temp_store=MEMORY",
)


def _is_han(token: str) -> bool:
    return len(token) == 1 and _HAN.match(token) is not None


def grams(tokens: list[str]) -> list[str]:
    """Index form: one token per position — a Han bigram where the next token is Han
    too, else the token itself (ASCII run, or a Han character before a non-Han one)."""
    out = []
    for i, tok in enumerate(tokens):
        if _is_han(tok) and i + 1 < len(tokens) and _is_han(tokens[i + 1]):
            out.append(tok + tokens[i + 1])
        else:
            out.append(tok)
    return out


def grams_text(text: str) -> str:
    return " ".join(grams(analysis.chars(text)))


def _query_phrase(tokens: tuple[str, ...]) -> str:
    """FTS5 phrase matching ``tokens`` as a substring of an indexed gram stream.

    Positions are those of :func:`grams`, except at the end: the last Han character of
    the query may be followed by anything in a document, so it is covered by the
    preceding bigram, or — for a query ending in a lone Han character — by a prefix.
    """
    out = grams(list(tokens))
    prefix = False
    if _is_han(tokens[-1]):
        if len(tokens) >= 2 and _is_han(tokens[-2]):
            out = out[:-1]
        else:
            prefix = True
    quoted = '"' + " ".join(t.replace('"', '""') for t in out) + '"'
    return quoted + (" *" if prefix else "")


def _match_expression(terms: list[analysis.QueryTerm]) -> str:
    """The FTS5 expression of the required phrases; the rank is BM25 over them."""
    required = [f"{{title_grams body_grams}} : {_query_phrase(t.chars)}" for t in terms]
    return " AND ".join(f"({r})" for r in required)


def _bump_generation(conn: sqlite3.Connection) -> None:
    """Give the index a new search generation (inside the caller's write transaction).

    A random token rather than a counter: a rolled-back write restores the old token,
    and no later write can reuse the one it had set.
    """
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('search_generation', lower(hex(randomblob(8))))"
    )


def _cache_key(query: SearchQuery, generation: str) -> tuple:
    """Cache key: every field that decides the result, ``q`` with runs of white space
    collapsed, ``as_of`` resolved (so "today" changes with the date)."""
    fields = query.model_dump(exclude={"q", "as_of"})
    return (
        generation,
        " ".join(query.q.split()),
        query.effective_as_of.isoformat(),
        tuple(sorted((k, str(v)) for k, v in fields.items())),
    )


class IndexRow(NamedTuple):
    """What :meth:`SQLiteBackend.index_analysed` writes for one document.

    :func:`analyse` computes it from a stored document with no database access, so a
    bulk load can run the analyser (jieba) in several processes.
    """

    id: str
    fts: tuple[str, str, str, str]
    meta: tuple


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def analyse(doc: Document) -> IndexRow:
    """The index row of a stored document: analyser tokens, filter and hit fields."""
    text = doc.text
    fields = index_fields(doc)
    number = doc.doc_number.text if doc.doc_number else doc.doc_number_raw
    hit = {
        "title": doc.title,
        "doc_number": number,
        "issuers": doc.issuers,
        "doc_type": doc.doc_type,
        "is_normative": doc.is_normative,
        "written_date": _iso(doc.written_date),
        "published_date": _iso(doc.published_date),
        "effective_date": _iso(doc.effective_date),
        "expiry_date": _iso(doc.expiry_date),
    }
    meta = (
        doc.id,
        int(doc.disclosure == Disclosure.public),
        doc.issuer,
        doc.doc_type,
        doc.year,
        _iso(doc.written_date),
        _iso(fields["expiry_date"]),
        _iso(fields["invalid_from"]),
        fields["invalid_status"],
        doc.doc_number.prefix if doc.doc_number else None,
        int(doc.is_normative),
        json.dumps(hit, ensure_ascii=False),
    )
    fts = (
        grams_text(doc.title),
        grams_text(text),
        analysis.words_text(doc.title),
        analysis.words_text(text),
    )
    return IndexRow(doc.id, fts, meta)


class SQLiteBackend:
    """FTS5 full-text index living beside the records in the archive file."""

    name = "sqlite"

    #: Bumped whenever the index layout changes; an older index is rebuilt on open.
    FTS_VERSION = "4"

    #: Results kept per process (0 disables the cache).
    CACHE_SIZE = 512

    def __init__(self, store: Store, *, cache_size: int | None = None) -> None:
        self.store = store
        self._tuned = threading.local()
        if cache_size is not None:
            self.CACHE_SIZE = cache_size
        self._cache: OrderedDict | None = OrderedDict() if self.CACHE_SIZE else None
        self._cache_lock = threading.Lock()
        self.cache_hits = 0
        self.cache_misses = 0
        row = store.conn.execute(
            "SELECT value FROM meta WHERE key='fts_version'"
        ).fetchone()
        if row is None or row[0] != self.FTS_VERSION:
            store.executescript(
                "DROP TABLE IF EXISTS docs_fts; DROP TABLE IF EXISTS docs_meta;"
            )
            store.executescript(_FTS_SCHEMA)
            with store.transaction() as conn:
                self.reindex(store.iter_documents())
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_version', ?)",
                    (self.FTS_VERSION,),
                )
        else:
            store.executescript(_FTS_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        """This thread's store connection, with the read-side pragmas applied once."""
        conn = self.store.conn
        if getattr(self._tuned, "conn", None) is not conn:
            for pragma in _PRAGMAS:
                conn.execute(pragma)
            conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS hits(rid INTEGER PRIMARY KEY, score REAL, st TEXT,"
                " issuer TEXT, year INTEGER, doc_type TEXT, wd TEXT, id TEXT)"
            )
            self._tuned.conn = conn
        return conn

    # -- writing -------------------------------------------------------------------
    def index(self, docs: Iterable[Document]) -> int:
        return self.index_analysed(analyse(doc) for doc in docs)

    def index_analysed(self, rows: Iterable[IndexRow], *, batch: int = 500) -> int:
        """Write rows made by :func:`analyse` (same effect as :meth:`index` on their documents)."""
        n = 0
        with self.store.transaction() as conn:
            pending: list[IndexRow] = []

            def flush() -> None:
                rowids = []
                for r in pending:
                    found = conn.execute(
                        "SELECT rowid FROM documents WHERE id=?", (r.id,)
                    ).fetchone()
                    if found is None:
                        raise QueryError(
                            f"document {r.id} must be stored before it is indexed"
                        )
                    rowids.append(found[0])
                conn.executemany(
                    "DELETE FROM docs_fts WHERE rowid=?", [(rid,) for rid in rowids]
                )
                conn.executemany(
                    "INSERT INTO docs_fts(rowid, title_grams, body_grams, title_words, body_words) VALUES (?,?,?,?,?)",
                    [(rid, *r.fts) for rid, r in zip(rowids, pending)],
                )
                conn.executemany(
                    "INSERT OR REPLACE INTO docs_meta(rowid, id, public, issuer, doc_type, year, written_date,"
                    " expiry_date, invalid_from, invalid_status, doc_number_prefix, is_normative, hit)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(rid, *r.meta) for rid, r in zip(rowids, pending)],
                )
                pending.clear()

            _bump_generation(conn)
            for row in rows:
                pending.append(row)
                n += 1
                if len(pending) >= batch:
                    flush()
            if pending:
                flush()
        return n

    def delete(self, ids: Iterable[str]) -> None:
        with self.store.transaction() as conn:
            _bump_generation(conn)
            for doc_id in ids:
                found = conn.execute(
                    "SELECT rowid FROM docs_meta WHERE id=?", (doc_id,)
                ).fetchall()
                for (rowid,) in found:
                    conn.execute("DELETE FROM docs_fts WHERE rowid=?", (rowid,))
                    conn.execute("DELETE FROM docs_meta WHERE rowid=?", (rowid,))

    def reindex(self, docs: Iterable[Document]) -> int:
        with self.store.transaction() as conn:
            _bump_generation(conn)
            conn.execute("DELETE FROM docs_fts")
            conn.execute("DELETE FROM docs_meta")
            return self.index(docs)

    def clear(self) -> None:
        with self.store.transaction() as conn:
            _bump_generation(conn)
            conn.execute("DELETE FROM docs_fts")
            conn.execute("DELETE FROM docs_meta")

    def count(self) -> int:
        return self.store.conn.execute("SELECT count(*) FROM docs_meta").fetchone()[0]

    def indexed_ids(self) -> set[str]:
        return {r[0] for r in self.store.conn.execute("SELECT id FROM docs_meta")}

    def close(self) -> None:
        pass

    # -- searching -----------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        try:
            if self._cache is None or self.store.conn.in_transaction:
                return self._search(query)
            conn = self._conn()
            row = conn.execute(
                "SELECT value FROM meta WHERE key='search_generation'"
            ).fetchone()
            key = _cache_key(query, row[0] if row else "0")
            with self._cache_lock:
                cached = self._cache.get(key)
                if cached is not None:
                    self._cache.move_to_end(key)
                    self.cache_hits += 1
            if cached is not None:
                return cached.model_copy(deep=True)
            result = self._search(query)
            with self._cache_lock:
                self.cache_misses += 1
                self._cache[key] = result.model_copy(deep=True)
                while len(self._cache) > self.CACHE_SIZE:
                    self._cache.popitem(last=False)
            return result
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
                raise QueryError(f"invalid search query: {exc}") from exc
            raise BackendUnavailable(f"SQLite archive error: {exc}") from exc

    def _where(self, query: SearchQuery) -> tuple[list[str], dict]:
        where: list[str] = []
        params: dict = {"as_of": query.effective_as_of.isoformat()}
        if not query.include_private:
            where.append("d.public = 1")
        if query.status:
            where.append(f"({_STATUS_SQL}) = :status")
            params["status"] = query.status.value
        if query.issuer:
            where.append("d.issuer = :issuer")
            params["issuer"] = query.issuer
        if query.doc_type:
            where.append("d.doc_type = :doc_type")
            params["doc_type"] = query.doc_type
        if query.year is not None:
            where.append("d.year = :year")
            params["year"] = query.year
        if query.date_from:
            where.append("d.written_date >= :date_from")
            params["date_from"] = query.date_from.isoformat()
        if query.date_to:
            where.append("d.written_date <= :date_to")
            params["date_to"] = query.date_to.isoformat()
        if query.doc_number_prefix:
            where.append("d.doc_number_prefix = :prefix")
            params["prefix"] = query.doc_number_prefix
        if query.normative_only:
            where.append("d.is_normative = 1")
        return where, params

    def _search(self, query: SearchQuery) -> SearchResult:
        conn = self._conn()
        terms = analysis.query_terms(query.q)
        where, params = self._where(query)
        if terms:
            params["match"] = _match_expression(terms)
            base = "FROM docs_fts f JOIN docs_meta d ON d.rowid = f.rowid"
            where.insert(0, "docs_fts MATCH :match")
        elif query.q.strip():
            # Only punctuation or engine syntax: nothing indexable to look for.
            return SearchResult(
                total=0, hits=[], facets={} if not query.facets else _empty_facets()
            )
        else:
            base = "FROM docs_meta d"
        where_sql = (" WHERE " + " AND ".join(where)) if where else ""
        ranked = bool(terms) and query.sort != "date"
        if ranked:
            # BM25 (smaller is better) over the gram phrases, title weighted above body;
            # ties newest first. SQLite's sorter keeps only the LIMIT's top rows.
            score = "bm25(docs_fts, {})".format(", ".join(str(w) for w in _WEIGHTS))
            order = "score, d.written_date IS NULL, d.written_date DESC, d.id"
        else:
            score = "0.0"
            order = "d.written_date IS NULL, d.written_date DESC, d.id"
        page_params = {
            **params,
            "limit": query.size,
            "offset": (query.page - 1) * query.size,
        }
        rows = conn.execute(
            f"SELECT d.rowid, d.hit, {score} AS score, ({_STATUS_SQL}) AS st, d.id"
            f" {base}{where_sql} ORDER BY {order} LIMIT :limit OFFSET :offset",
            page_params,
        ).fetchall()
        facets: dict[str, dict[str, int]] = {}
        if query.facets:
            # Evaluate the (unranked) match and filters once into a per-connection
            # temporary table; the count and the facets are grouped scans of it.
            conn.execute("DELETE FROM temp.hits")
            conn.execute(
                f"INSERT INTO temp.hits(rid, st, issuer, year, doc_type)"
                f" SELECT d.rowid, ({_STATUS_SQL}), d.issuer, d.year, d.doc_type {base}{where_sql}",
                params,
            )
            total = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
            facets = self._facets(conn) if total else _empty_facets()
            conn.execute("DELETE FROM temp.hits")
        elif len(rows) < query.size and (rows or query.page == 1):
            # A short page is the last one: the total follows without counting.
            total = (query.page - 1) * query.size + len(rows)
        else:
            total = conn.execute(f"SELECT count(*) {base}{where_sql}", params).fetchone()[0]
        bodies: dict[int, str] = {}
        if terms and rows:
            marks = ",".join("?" * len(rows))
            bodies = dict(
                conn.execute(
                    f"SELECT rowid, body FROM documents WHERE rowid IN ({marks})",
                    [r[0] for r in rows],
                )
            )
        hits = [self._hit(r, bodies.get(r[0], ""), terms) for r in rows]
        return SearchResult(total=total, hits=hits, facets=facets)

    @staticmethod
    def _facets(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
        """Exact facet counts over all matches (one grouped scan of the hits per field)."""
        out: dict[str, dict[str, int]] = {}
        for name, column in zip(FACET_NAMES, ("st", "issuer", "year", "doc_type")):
            rows = conn.execute(
                f"SELECT {column}, count(*) AS n FROM temp.hits WHERE {column} IS NOT NULL"
                f" GROUP BY {column} ORDER BY n DESC, {column} LIMIT {FACET_LIMIT}"
            )
            out[name] = {str(k): n for k, n in rows}
        return out

    def _hit(
        self, row: sqlite3.Row, body: str, terms: list[analysis.QueryTerm]
    ) -> SearchHit:
        data = json.loads(row[1])
        status = Status(row[3])
        title = data["title"]
        return SearchHit(
            id=row[4],
            score=-float(row[2]) if row[2] else 0.0,
            title=title,
            doc_number=data["doc_number"],
            issuers=data["issuers"],
            doc_type=data["doc_type"],
            is_normative=data["is_normative"],
            written_date=data["written_date"],
            published_date=data["published_date"],
            effective_date=data["effective_date"],
            expiry_date=data["expiry_date"],
            status=status,
            status_label=STATUS_LABELS[status],
            highlights=analysis.snippets(body, terms) if terms else [],
            title_highlight=analysis.mark_all(title, terms) if terms else None,
        )


FACET_NAMES = ("status", "issuer", "year", "doc_type")
FACET_LIMIT = 50


def _empty_facets() -> dict[str, dict[str, int]]:
    return {name: {} for name in FACET_NAMES}
