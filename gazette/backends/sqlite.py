"""The embedded search backend: FTS5 tables in the archive's own SQLite file.

Two FTS5 tables (rowid = ``documents.rowid``) hold the character tokens of
:func:`gazette.analysis.chars` (Han characters one by one, ASCII runs whole) of the
title and the body, each in its own column, and a third repeats the title columns
alone; each also has a ``marks`` column (below):

* ``docs_fts`` (``title_grams`` / ``body_grams``) — the tokens turned into overlapping
  Han *bigrams*, one token per position, so an FTS5 phrase of bigrams is an
  exact-substring match (ignoring punctuation and spaces), with posting lists far
  shorter than single characters'. Terms of two or more characters are matched here;
* ``docs_chars`` (``title_chars`` / ``body_chars``) — the tokens themselves. A term
  ending in a Han character that no other Han character precedes (``房``, ``2022年``)
  is a phrase here: on the bigrams its last character would be a prefix query merging
  thousands of terms, here it is one posting list;
* ``docs_title`` (``title_grams`` / ``title_chars``) — the title columns of both, so
  that finding the documents whose *title* matches reads short posting lists. Its
  rowid is a key that orders shortest titles first (see ``_title_key``), and
  ``docs_title_meta`` repeats the filter fields under that key.

No jieba words are indexed (they were never queried). The rank puts *title matches*
(documents whose title alone contains every term) first, shortest title first; the
other matches follow, ranked by BM25 over the matching phrases, title weighted above
body, on ``docs_fts`` when the query has a term there, else on ``docs_chars``.

User text is reduced to analyser tokens (letters, digits, Han characters) before it is
quoted into an FTS5 expression, so no input can reach FTS5 as syntax. A text search
tests disclosure, issuer, type, year, 发文字号 prefix and normative-only inside its
full-text expressions: each document's ``marks`` column holds a token per such value
(and one when it is not public) that no query can produce, and the search adds ``AND``
the marks of its filters and ``NOT`` the private mark, so FTS5 intersects posting
lists instead of joining every match with docs_meta (at 100,000 documents, the count
of 法 from one issuer went from 12 to about 1 ms). The ``as_of`` status and the
written-date range are evaluated in SQL on the short ``docs_meta`` rows (on their
copies in ``docs_title_meta`` for title matches), as is every filter of a search
without text. Snippets are cut from the original text by
:func:`gazette.analysis.snippets`.

Speed: totals and facets are exact; a search runs in one read transaction.

* Ranking: the ranked order has two parts. First the title matches, shortest title
  (in tokens) first, ties in the date order (newest written first): the shorter the
  title, the more of it the query is, so an old document named by the query comes
  first however many newer documents mention it in the body. Their title BM25 would
  order them almost the same way (one occurrence per title, a score falling with the
  title's length) at the cost of a BM25 pass; the order is read from the title keys
  alone (below). Then the other matches: BM25 costs time for every row it scores, so
  they are taken most recently indexed (highest rowid) first, in tiers of
  ``RANK_WINDOW``, ranked by BM25 within a tier. Paging is consistent: the second
  part excludes the title matches and starts at their count; when the page is full
  of title matches the BM25 of long bodies is not computed at all.
* With the planes (below), which hold every match of a text search, neither part
  joins ``docs_meta``: the title matches are read from ``docs_title`` keys (short
  posting lists of titles) in title-length order, only as far as the page needs, and
  put in order by the planes; a tier of the
  other matches is scored by one BM25 read over the rowid range it spans. At 100,000
  documents the benchmark's mix of searches went from 10.4–11.3 to 7.4 ms of CPU on
  average (住房公积金 from 25 to 14 ms, 城市规划 from 16 to 8). Without planes
  (:meth:`SQLiteBackend._ranked_page`) the same order is read in SQL.
* Totals: the number of matches the planes hold; without planes, the size of the
  last tier read when it is short, else one unranked count.
* Facets, and the newest-first order of a text search, come from the *planes*
  (:class:`gazette.backends.planes.Planes`): per index generation and process, every
  document's disclosure, issuer, year, type, validity dates and place in the date
  order, held in memory as numpy arrays indexed by rowid (loaded in about 0.3 s at
  100,000 documents; numpy is imported then, so ingest never loads it). A
  match set is read as one ``group_concat`` of rowids from the full-text table alone;
  the planes apply disclosure and status to it, each facet is a ``bincount`` of its
  value codes, and a newest-first page is a partial sort of its date ranks (at
  100,000 documents, 环境保护 by date went from 11 to 3 ms, 公积金 贷款 among valid
  documents from 15 to 8 ms). A filter the planes cannot state (a written-date
  range) is applied in SQL to the whole join. Where a field has more than
  ``Planes.MAX_VALUES`` values, the match's rowids go to a temporary table and are
  grouped in SQL one facet at a time.
* Each thread's connection has a page cache of ``PAGE_CACHE_KIB`` (a share of
  ``GAZETTE_SEARCH_PAGE_CACHE_MB``): pages beyond it are read again, a system call
  each, by every search that needs them.
* Results are kept in a small per-process LRU cache keyed by the query and a *search
  generation* (a ``meta`` row that every index/delete/clear bumps in its own write
  transaction and every search reads, so a write in any process invalidates the
  cache of every process).
* ``reindex`` (and the benchmark build) merges the FTS5 segments
  (:meth:`SQLiteBackend.optimize`).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

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
from gazette.errors import BackendUnavailable, IntegrityError, QueryError
from gazette.model import Disclosure, Document, Status
from gazette.status import index_fields
from gazette.store import Store

if TYPE_CHECKING:
    import numpy as np

    from gazette.backends.planes import Planes

# The filter and facet fields of a document (the values of ``IndexRow.meta``).
_META_FIELDS = """
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
    is_normative INTEGER NOT NULL"""
_META_COLUMNS = ", ".join(line.split()[0] for line in _META_FIELDS.strip().splitlines())

# The full-text tables split their columns at spaces only: every column holds tokens
# already made and joined by single spaces (analyser tokens — a Han character or two,
# an ASCII run of lower-case letters and digits with dotted decimals — and marks), and
# so does every query phrase. FTS5's "ascii" tokenizer (any non-ASCII character is part
# of a token) splits those streams exactly as "unicode61 remove_diacritics 0" does
# (``tests/backends/test_sqlite_tokenizer.py``), which tables made before it still
# use, for about a seventh less of the work of saving parsed files: unicode61 looks up
# every code point's Unicode category. The index is the same, so they were not rebuilt.
_TOKENIZE = "ascii tokenchars '.'"

_FTS_SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    title_grams, body_grams, marks,
    tokenize = "{_TOKENIZE}"
);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_chars USING fts5(
    title_chars, body_chars, marks,
    tokenize = "{_TOKENIZE}"
);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_title USING fts5(
    title_grams, title_chars, marks,
    tokenize = "{_TOKENIZE}"
);
CREATE TABLE IF NOT EXISTS docs_meta (
    rowid INTEGER PRIMARY KEY,{_META_FIELDS},
    title_key INTEGER
);
CREATE TABLE IF NOT EXISTS docs_title_meta (
    title_key INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,{_META_FIELDS}
);
CREATE INDEX IF NOT EXISTS docs_meta_date ON docs_meta(written_date IS NULL, written_date DESC, id);
CREATE TABLE IF NOT EXISTS docs_hit (
    rowid INTEGER PRIMARY KEY,
    hit TEXT NOT NULL
);
"""
# ``docs_meta`` holds, per indexed document, the filter/facet fields in short rows:
# evaluating a match joins only these rows, never the documents table's long rows
# with the full text and record JSON, nor ``docs_hit`` (JSON of the fields a result
# line shows), which is read for the page's hits only. ``docs_meta_date`` serves the
# date order (newest first) without sorting the whole archive.
#
# ``docs_title`` repeats the title columns of the two full-text tables alone, so that
# the title part of the ranked order reads posting lists of titles only (a column
# filter on ``docs_fts`` walks the body's much longer ones). Its rowid is not the
# document's (``doc``) but ``title_key`` (:func:`_title_key`), so that its own
# descending order is shortest title first; ``docs_title_meta`` repeats the
# ``docs_meta`` row under that key, so that filtering title matches reads it in key
# order (about 3x faster than seeking ``docs_meta`` rows in random order).

_TABLES = (
    "docs_fts",
    "docs_chars",
    "docs_title",
    "docs_title_meta",
    "docs_meta",
    "docs_hit",
)

# *Marks*: the ``marks`` column of each full-text table holds tokens that state a
# document's disclosure (``_PRIVATE`` when it is not public) and its filter values
# (:func:`_mark`: issuer, type, year, 发文字号 prefix; ``_NORMATIVE``). A search puts
# those filters inside its full-text expression (``… AND mark``, ``… NOT _PRIVATE``),
# so FTS5 intersects posting lists (skipping through the long ones) instead of
# joining every match with docs_meta to test the filter there. No query can produce
# a mark: user text reaches FTS5 only as analyser tokens (Han characters, ASCII letters
# and digits), and a mark starts with "π". The column's BM25 weight is 0, so marks
# never change a score.
_PRIVATE = "πprivate"
_NORMATIVE = "πnormative"

# BM25 weights per column: title matches count more than body matches; marks nothing.
_WEIGHTS = (6.0, 1.0, 0.0)

# docs_title rowids: (_TITLE_LENGTH_CAP - title length in tokens) above the
# document's rowid in the low _ROWID_BITS bits.
_ROWID_BITS = 32
_ROWID_MASK = (1 << _ROWID_BITS) - 1
_TITLE_LENGTH_CAP = 1023

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_STATUS_SQL = """CASE
    WHEN d.invalid_status IS NOT NULL AND (d.invalid_from IS NULL OR d.invalid_from <= :as_of)
        THEN d.invalid_status
    WHEN d.expiry_date IS NOT NULL AND d.expiry_date < :as_of THEN 'expired'
    ELSE 'valid' END"""

# Read-side connection settings: temporary tables in memory, and no memory-mapped
# reads: at 100,000 documents they were about 10 % faster, but every mapped page of the
# 2.6 GB archive counts in the server's RSS (peak 778 MB per worker against 245 MB
# without). The page cache is set per connection (``SQLiteBackend.PAGE_CACHE_KIB``).
_PRAGMAS = (
    "PRAGMA mmap_size=0",
    "PRAGMA temp_store=MEMORY",
)


def _is_han(token: str) -> bool:
    return len(token) == 1 and _HAN.match(token) is not None


def grams(tokens: list[str]) -> list[str]:
    """Index form: one token per position — a Han bigram where the next token is Han
    too, else the token itself (ASCII run, or a Han character before a non-Han one).

    ``tokens`` are :func:`gazette.analysis.chars` tokens: a Han character, or a run of
    ASCII letters and digits — so a token is Han exactly when it sorts after ASCII."""
    following = tokens[1:]
    following.append("")
    return [a + b if a > "\x7f" and b > "\x7f" else a for a, b in zip(tokens, following)]


def chars_and_grams_python(text: str) -> tuple[str, str]:
    """The two token streams a text is indexed by: its :func:`gazette.analysis.chars`
    tokens, and their :func:`grams`, each joined by spaces."""
    tokens = analysis.chars(text)
    return " ".join(tokens), " ".join(grams(tokens))


try:
    from gazette.backends._rows import chars_and_grams as _chars_and_grams_compiled
except ImportError:  # built without a C compiler: the same in Python
    _chars_and_grams_compiled = None


def chars_and_grams(text: str) -> tuple[str, str]:
    """:func:`chars_and_grams_python`, compiled when :mod:`gazette.backends._rows` was
    built: a document's index row then takes about a sixth of the time (building rows had
    been a fifth of the CPU that saving parsed files took)."""
    if _chars_and_grams_compiled is None:
        return chars_and_grams_python(text)
    return _chars_and_grams_compiled(analysis.normalize(text))


def grams_text(text: str) -> str:
    return " ".join(grams(analysis.chars(text)))


def _query_phrase(tokens: tuple[str, ...]) -> str:
    """FTS5 phrase (on ``docs_fts``) matching ``tokens`` as a substring of an indexed
    gram stream, for a term :func:`_on_chars` leaves to the bigrams.

    Positions are those of :func:`grams`, except at the end: the last Han character of
    the query may be followed by anything in a document, so it is covered by the
    preceding bigram.
    """
    out = grams(list(tokens))
    if _is_han(tokens[-1]):
        out = out[:-1]
    return '"' + " ".join(t.replace('"', '""') for t in out) + '"'


def _on_chars(term: analysis.QueryTerm) -> bool:
    """A term the unigram table ``docs_chars`` serves: one ending in a Han character
    not preceded by another (``房``, ``2022年``). In the gram stream its last character
    would be the first half of any bigram — a prefix query over many terms."""
    tokens = term.chars
    return _is_han(tokens[-1]) and (len(tokens) == 1 or not _is_han(tokens[-2]))


def _chars_expression(terms: list[analysis.QueryTerm]) -> str:
    """The FTS5 expression (on ``docs_chars``) requiring each term as a phrase of
    character tokens, which is an exact substring match in the character stream."""
    return " AND ".join(
        '"' + " ".join(c.replace('"', '""') for c in t.chars) + '"' for t in terms
    )


def _match_expression(terms: list[analysis.QueryTerm]) -> str:
    """The FTS5 expression of the required phrases; the rank is BM25 over them."""
    return " AND ".join(f"({_query_phrase(t.chars)})" for t in terms)


def _title_expression(terms: list[analysis.QueryTerm]) -> str:
    """The FTS5 expression (on ``docs_title``) requiring every term in the title, each
    on the column its full-text table would use (:func:`_on_chars`), so a document
    matches here exactly when its title alone matches the query."""
    return " AND ".join(
        f"{{title_chars}} : ({_chars_expression([t])})"
        if _on_chars(t)
        else f"{{title_grams}} : ({_query_phrase(t.chars)})"
        for t in terms
    )


def _mark(field: str, value: object) -> str:
    """The mark of a filter value: one FTS5 token ("π", the field's letter, 16 hex
    digits of the value's hash), whatever characters the value has."""
    digest = hashlib.blake2b(str(value).encode(), digest_size=8).hexdigest()
    return f"π{field}{digest}"


#: The filters marks state: (``docs_meta`` column = ``SearchQuery`` field, its condition
#: in :meth:`SQLiteBackend._where`, the mark's letter); plus normative-only, whose mark
#: is ``_NORMATIVE``.
_MARKED_FILTERS = (
    ("issuer", "d.issuer = :issuer", "i"),
    ("doc_type", "d.doc_type = :doc_type", "t"),
    ("year", "d.year = :year", "y"),
    ("doc_number_prefix", "d.doc_number_prefix = :prefix", "p"),
)
_META_NAMES = _META_COLUMNS.split(", ")


def _marks_of(meta: tuple) -> str:
    """The ``marks`` column of a document, from its ``docs_meta`` values (the ones its
    SQL filters compare): a mark for each filter it can pass."""
    row = dict(zip(_META_NAMES, meta))
    marks = [] if row["public"] else [_PRIVATE]
    marks += [
        _mark(letter, row[name])
        for name, _, letter in _MARKED_FILTERS
        if row[name] not in (None, "")
    ]
    if row["is_normative"]:
        marks.append(_NORMATIVE)
    return " ".join(marks)


def _with_marks(expression: str, marks: Iterable[str], private: bool) -> str:
    """``expression`` restricted to documents with every mark in ``marks`` and, unless
    ``private``, without the private mark."""
    out = f"({expression})" + "".join(f' AND "{m}"' for m in marks)
    return out if private else f'{out} NOT "{_PRIVATE}"'


def _title_key(rowid: int, title_chars: str) -> int:
    """The ``docs_title`` rowid of a document: in descending order, shorter titles (in
    tokens, longer than ``_TITLE_LENGTH_CAP`` counted as that) first, then the most
    recently indexed. Document rowids must stay below 2**``_ROWID_BITS``."""
    if rowid > _ROWID_MASK:
        raise IntegrityError(f"document rowid {rowid} is too large for the title index")
    length = min(len(title_chars.split()), _TITLE_LENGTH_CAP)
    return (_TITLE_LENGTH_CAP - length) << _ROWID_BITS | rowid


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
    bulk load can run the analyser in several processes.
    """

    id: str
    grams: tuple[str, str]
    chars: tuple[str, str]
    marks: str
    meta: tuple
    hit: str


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def analyse(doc: Document) -> IndexRow:
    """The index row of a stored document: analyser tokens, filter and hit fields."""
    fields = index_fields(doc)
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
    )
    title_chars, title_grams = chars_and_grams(doc.title)
    body_chars, body_grams = chars_and_grams(doc.text)
    return IndexRow(
        doc.id,
        (title_grams, body_grams),
        (title_chars, body_chars),
        _marks_of(meta),
        meta,
        json.dumps(hit_fields(doc), ensure_ascii=False),
    )


def _unindex(conn: sqlite3.Connection, rowids: list[int]) -> None:
    """Remove documents (by rowid) from every index table."""
    keys = [(rid,) for rid in rowids]
    # First, while docs_meta still holds the documents' title keys.
    for table in ("docs_title", "docs_title_meta"):
        conn.executemany(
            f"DELETE FROM {table} WHERE rowid ="
            " (SELECT title_key FROM docs_meta WHERE rowid=?)",
            keys,
        )
    for table in ("docs_fts", "docs_chars", "docs_meta", "docs_hit"):
        conn.executemany(f"DELETE FROM {table} WHERE rowid=?", keys)


class SQLiteBackend:
    """FTS5 full-text index living beside the records in the archive file."""

    name = "sqlite"

    #: Bumped whenever the index layout changes; an older index is rebuilt on open.
    FTS_VERSION = "8"

    #: Matches ranked together by BM25: each part of the ranked order (title matches,
    #: then the others) is tier after tier of this many (see module docstring).
    RANK_WINDOW = 1000

    #: Results kept per process (0 disables the cache).
    CACHE_SIZE = 512

    #: SQLite's page cache of each thread's connection, in KiB: pages beyond it are
    #: read again (from the OS page cache, through a read() each) whenever a search
    #: needs them. At 100,000 documents the API benchmark's 20 searches read 137 pages
    #: a search that way with 4 MiB, none with 64 MiB (4.9 → 4.5 ms of CPU a search).
    PAGE_CACHE_KIB = 4096

    #: Whether text searches test the marked filters in FTS5 (see ``_PRIVATE``); off,
    #: they are tested on docs_meta like the others (the reference the tests compare).
    FILTER_MARKS = True

    def __init__(
        self,
        store: Store,
        *,
        cache_size: int | None = None,
        page_cache_kib: int | None = None,
    ) -> None:
        self.store = store
        self._tuned = threading.local()
        if cache_size is not None:
            self.CACHE_SIZE = cache_size
        if page_cache_kib is not None:
            self.PAGE_CACHE_KIB = page_cache_kib
        self._cache: OrderedDict | None = OrderedDict() if self.CACHE_SIZE else None
        self._cache_lock = threading.Lock()
        #: (generation, its planes — None when a field has too many values)
        self._planes_cache: tuple[str, Planes | None] | None = None
        self._planes_lock = threading.Lock()
        self.cache_hits = 0
        self.cache_misses = 0
        row = store.conn.execute(
            "SELECT value FROM meta WHERE key='fts_version'"
        ).fetchone()
        if row is None or row[0] != self.FTS_VERSION:
            store.executescript("".join(f"DROP TABLE IF EXISTS {t};" for t in _TABLES))
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
            conn.execute(f"PRAGMA cache_size=-{int(self.PAGE_CACHE_KIB)}")
            conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS matched(rid INTEGER PRIMARY KEY)"
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
                _unindex(conn, rowids)
                conn.executemany(
                    "INSERT INTO docs_fts(rowid, title_grams, body_grams, marks) VALUES (?,?,?,?)",
                    [(rid, *r.grams, r.marks) for rid, r in zip(rowids, pending)],
                )
                conn.executemany(
                    "INSERT INTO docs_chars(rowid, title_chars, body_chars, marks) VALUES (?,?,?,?)",
                    [(rid, *r.chars, r.marks) for rid, r in zip(rowids, pending)],
                )
                keys = [_title_key(rid, r.chars[0]) for rid, r in zip(rowids, pending)]
                conn.executemany(
                    "INSERT INTO docs_title(rowid, title_grams, title_chars, marks) VALUES (?,?,?,?)",
                    [(k, r.grams[0], r.chars[0], r.marks) for k, r in zip(keys, pending)],
                )
                marks = ",".join("?" * len(pending[0].meta))
                conn.executemany(
                    f"INSERT OR REPLACE INTO docs_meta(rowid, {_META_COLUMNS}, title_key)"
                    f" VALUES (?,{marks},?)",
                    [(rid, *r.meta, k) for rid, r, k in zip(rowids, pending, keys)],
                )
                conn.executemany(
                    f"INSERT INTO docs_title_meta(title_key, doc, {_META_COLUMNS})"
                    f" VALUES (?,?,{marks})",
                    [(k, rid, *r.meta) for rid, r, k in zip(rowids, pending, keys)],
                )
                conn.executemany(
                    "INSERT OR REPLACE INTO docs_hit(rowid, hit) VALUES (?,?)",
                    [(rid, r.hit) for rid, r in zip(rowids, pending)],
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
                _unindex(conn, [rowid for (rowid,) in found])

    def reindex(self, docs: Iterable[Document]) -> int:
        with self.store.transaction() as conn:
            _bump_generation(conn)
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")
            n = self.index(docs)
            self.optimize()
            return n

    def clear(self) -> None:
        with self.store.transaction() as conn:
            _bump_generation(conn)
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")

    def optimize(self) -> None:
        """Merge each full-text table's segments into one (after a bulk load).

        Searches read one b-tree per term instead of one per segment left by the
        incremental merges of many insert batches; the answers do not change.
        """
        with self.store.transaction() as conn:
            for table in ("docs_fts", "docs_chars", "docs_title"):
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

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

    def _filter_marks(self, query: SearchQuery) -> dict[str, str]:
        """The conditions of :meth:`_where` that a mark states (see ``_PRIVATE``), each
        with its mark: a text search puts these in its full-text expressions."""
        if not self.FILTER_MARKS:
            return {}
        marks = {
            condition: _mark(letter, getattr(query, name))
            for name, condition, letter in _MARKED_FILTERS
            if getattr(query, name) not in (None, "")
        }
        if query.normative_only:
            marks["d.is_normative = 1"] = _NORMATIVE
        return marks

    def _search(self, query: SearchQuery) -> SearchResult:
        """Run a search in one read transaction, so every statement (and the facet
        planes' generation) sees the same snapshot of the index."""
        conn = self._conn()
        if conn.in_transaction:
            return self._search_snapshot(conn, query)
        conn.execute("BEGIN")
        try:
            return self._search_snapshot(conn, query)
        finally:
            conn.execute("COMMIT")

    def _search_snapshot(
        self, conn: sqlite3.Connection, query: SearchQuery
    ) -> SearchResult:
        terms = analysis.query_terms(query.q)
        if not terms and query.q.strip():
            # Only punctuation or engine syntax: nothing indexable to look for.
            return SearchResult(
                total=0, hits=[], facets={} if not query.facets else _empty_facets()
            )
        where, params = self._where(query)
        marks = self._filter_marks(query) if terms else {}
        if terms:
            # Disclosure and the marked filters go into the full-text expressions.
            where = [w for w in where if w not in marks and w != "d.public = 1"]
        # Whether disclosure is the only filter left on docs_meta (then the full-text
        # table alone answers counts and facet match sets).
        only_disclosure = not [w for w in where if w != "d.public = 1"]
        filters = list(where)  # the title part's, on docs_title_meta
        singles = [t for t in terms if _on_chars(t)]
        phrases = [t for t in terms if not _on_chars(t)]
        text_where: list[str] = []  # the conditions on the full-text table alone
        if phrases:
            # Rank by BM25 over the gram phrases; terms on docs_chars only filter.
            table = "docs_fts"
            params["match"] = _match_expression(phrases)
            if singles:
                text_where.append(
                    "f.rowid IN (SELECT rowid FROM docs_chars WHERE docs_chars MATCH :chars)"
                )
                params["chars"] = _chars_expression(singles)
        elif singles:
            table = "docs_chars"
            params["match"] = _chars_expression(singles)
        scored = params.get("match")  # the ranked expression, before marks are added
        text_from = None  # FROM/WHERE of the full-text conditions alone
        fts_only = None
        if terms:
            params["match"] = _with_marks(
                params["match"], marks.values(), query.include_private
            )
            text_where.insert(0, f"{table} MATCH :match")
            text_from = f"FROM {table} f WHERE " + " AND ".join(text_where)
            where[:0] = text_where
            base = f"FROM {table} f JOIN docs_meta d ON d.rowid = f.rowid"
            if only_disclosure:  # nothing left on docs_meta: the text conditions alone
                fts_only = text_from
        else:
            base = "FROM docs_meta d"
        where_sql = (" WHERE " + " AND ".join(where)) if where else ""
        count_sql = f"SELECT count(*) {fts_only or base + where_sql}"
        offset = (query.page - 1) * query.size
        ranked = bool(terms) and query.sort != "date"
        # Every match's rowid, when the facets or a text search need them and the planes
        # are available (a text search needs every match for its exact total anyway).
        planes = matched = None
        if query.facets or terms:
            planes = self._planes(conn)
            if planes is not None:
                matched = self._matched(
                    conn, planes, query, params, text_from, base + where_sql
                )
        facets: dict[str, dict[str, int]] = {}
        total = known_total = None
        if query.facets:
            if matched is not None:
                total, facets = planes.facets(matched, params["as_of"])
            else:
                total, facets = self._facets(conn, base, where_sql, params, bool(terms))
        elif matched is not None:
            total = len(matched)
        if total is not None and offset >= total:
            rows = []  # past the last match: nothing to read
        elif ranked and matched is not None:
            # A tier's BM25 read covers the rowid range the tier spans: with filter
            # marks, only the filtered documents in it (a year's matches are spread
            # over the whole index, and the bare expression would score every match
            # of every year there: at 100,000 documents the read for 行政处罚 in 2015
            # took 27.9 ms of CPU, and 4.5 with the marks); without, the bare
            # expression, which skips intersecting the private mark's posting list.
            rows = self._ranked_by_planes(
                conn, planes, matched, table, params["match"] if marks else scored,
                terms, marks, params, offset, query.size,
            )
        elif ranked:
            params["title"] = _with_marks(
                _title_expression(terms), marks.values(), query.include_private
            )
            rows, known_total = self._ranked_page(
                conn, table, base, where_sql, filters, params, terms, offset, query.size
            )
        elif matched is not None and terms:
            rows = self._rows_of(conn, planes.newest(matched, offset, query.size), params)
        else:
            rows = conn.execute(
                f"SELECT d.rowid, 0.0, ({_STATUS_SQL}), d.id {base}{where_sql}"
                " ORDER BY d.written_date IS NULL, d.written_date DESC, d.id"
                " LIMIT :limit OFFSET :offset",
                {**params, "limit": query.size, "offset": offset},
            ).fetchall()
        if total is None:
            total = known_total
        if total is None and len(rows) < query.size and (rows or query.page == 1):
            # A short page is the last one: the total follows without counting.
            total = offset + len(rows)
        if total is None and not terms:
            # (a text search has its total from the planes already, or has no planes)
            total = self._plane_total(conn, query, params)
        if total is None:
            total = conn.execute(count_sql, params).fetchone()[0]
        hits: list[SearchHit] = []
        if rows:
            marks = ",".join("?" * len(rows))
            rowids = [r[0] for r in rows]
            shown = dict(
                conn.execute(
                    f"SELECT rowid, hit FROM docs_hit WHERE rowid IN ({marks})", rowids
                )
            )
            bodies: dict[int, str] = {}
            if terms:
                bodies = dict(
                    conn.execute(
                        f"SELECT rowid, body FROM documents WHERE rowid IN ({marks})",
                        rowids,
                    )
                )
            hits = [
                self._hit(r, shown[r[0]], bodies.get(r[0], ""), terms) for r in rows
            ]
        return SearchResult(total=total, hits=hits, facets=facets)

    def _ranked_page(
        self,
        conn: sqlite3.Connection,
        table: str,
        base: str,
        where_sql: str,
        filters: list[str],
        params: dict,
        terms: list[analysis.QueryTerm],
        offset: int,
        size: int,
    ) -> tuple[list[tuple], int | None]:
        """Rows ``offset … offset+size`` of the ranked order, and the total number of
        matches when the reads on the way found it (else None), in SQL alone: the
        search's path when no planes serve it (:meth:`_ranked_by_planes` gives the
        same rows from the planes).

        The order has two parts: first the *title matches* (``params["title"]`` on
        ``docs_title``, under ``filters``), shortest title first, ties in the date
        order; then every other match (``base`` + ``where_sql`` without the title
        matches) in tiers (:meth:`_tiers`). A title match is a match (a phrase in the
        title is one in the document), so the two parts partition the matches. Where
        the first part ends is the title matches' count.
        """
        title_from = (
            "FROM docs_title f JOIN docs_title_meta d ON d.title_key = f.rowid WHERE "
            + " AND ".join(["docs_title MATCH :title", *filters])
        )
        got = conn.execute(
            f"SELECT d.doc, f.rowid >> {_ROWID_BITS}, ({_STATUS_SQL}), d.id, count(*) OVER ()"
            f" {title_from} ORDER BY f.rowid >> {_ROWID_BITS} DESC,"
            " d.written_date IS NULL, d.written_date DESC, d.id LIMIT :limit OFFSET :offset",
            {**params, "limit": size, "offset": offset},
        ).fetchall()
        width = _query_width(terms)
        rows = [
            (r[0], -_title_score(width, _TITLE_LENGTH_CAP - r[1]), r[2], r[3]) for r in got
        ]
        if len(rows) == size:
            return rows, None
        if got:
            titles = got[0][4]
        else:
            titles = conn.execute(f"SELECT count(*) {title_from}", params).fetchone()[0]
        start = max(offset, titles)  # the first position past the title matches
        others = (
            f"{base}{where_sql} AND f.rowid NOT IN"
            f" (SELECT rowid & {_ROWID_MASK} FROM docs_title WHERE docs_title MATCH :title)"
        )
        score = f"bm25({table}, {', '.join(str(w) for w in _WEIGHTS)})"
        more, rest = self._tiers(
            conn, score, others, params, start - titles, offset + size - start
        )
        return rows + more, None if rest is None else titles + rest

    def _ranked_by_planes(
        self,
        conn: sqlite3.Connection,
        planes: Planes,
        matched: np.ndarray,
        table: str,
        scored: str,
        terms: list[analysis.QueryTerm],
        marks: dict[str, str],
        params: dict,
        offset: int,
        size: int,
    ) -> list[tuple]:
        """Rows ``offset … offset+size`` of the ranked order (:meth:`_ranked_page`)
        when the planes hold every match (``matched``: filters applied).

        The title matches are read from ``docs_title`` keys (which state each title's
        length) in their order, shortest title first, kept when they are matches, only
        as far as the page needs (:meth:`Planes.title_matches`: at 100,000 documents
        住房公积金 has 6,305 title matches, read in 2.2 ms whole and 0.2 ms as far as
        a first page), and the page's share of them picked in order by the planes.
        When the page reaches past them, all were read. The other matches are
        ``matched`` without them; a tier of ``RANK_WINDOW`` of those, newest indexed
        first, is scored by reading BM25 over the rowid range it spans, with the text
        expression ``scored`` (with or without marks: a mark's column weighs 0, so the
        scores are the same, and the planes already applied every filter; rows of the
        range outside the tier are dropped). Neither part joins ``docs_meta``: only the
        page's rows are read from it.
        """
        end = offset + size
        keys = conn.execute(
            "SELECT rowid FROM docs_title WHERE docs_title MATCH :title ORDER BY rowid DESC",
            {"title": _with_marks(_title_expression(terms), marks.values(), True)},
        )
        try:
            titled, lengths = planes.title_matches(
                keys.fetchmany, matched, end, _ROWID_BITS, _TITLE_LENGTH_CAP
            )
        finally:
            keys.close()
        width = _query_width(terms)
        picked = [
            (int(d), -_title_score(width, int(n)))
            for d, n in zip(*planes.shortest_titles(titled, lengths, offset, size))
        ]
        titles = len(titled)
        if end > titles:  # (then every title match was read)
            others = planes.others(matched, titled)
            window = self.RANK_WINDOW
            start, stop = max(offset, titles) - titles, end - titles
            weights = ", ".join(str(w) for w in _WEIGHTS)
            for tier_no in range(start // window, (stop - 1) // window + 1):
                tier = others[tier_no * window : (tier_no + 1) * window]
                if not len(tier):
                    break
                got = conn.execute(
                    f"SELECT rowid, bm25({table}, {weights}) FROM {table}"
                    f" WHERE {table} MATCH :scored AND rowid BETWEEN :low AND :high",
                    {"scored": scored, "low": int(tier[-1]), "high": int(tier[0])},
                ).fetchall()
                ordered, scores = planes.by_score(tier, got)
                first = tier_no * window
                a, b = max(start, first) - first, min(stop, first + window) - first
                picked += [(int(r), float(x)) for r, x in zip(ordered[a:b], scores[a:b])]
        found = self._rows_of(conn, [r for r, _ in picked], params)
        return [(rid, score, r[2], r[3]) for (rid, score), r in zip(picked, found)]

    def _tiers(
        self,
        conn: sqlite3.Connection,
        score: str,
        source: str,
        params: dict,
        offset: int,
        size: int,
    ) -> tuple[list[tuple], int | None]:
        """Rows ``offset … offset+size`` of the other matches' part of the ranked
        order, and the part's size when a tier read on the way was its last one (else
        None).

        ``source`` (``FROM … WHERE …``: full-text table ``f`` joined with
        ``docs_meta`` ``d``) is read in ``f``'s descending rowid order and cut into
        tiers of ``RANK_WINDOW``; the order is tier by tier, ``score`` (smaller is
        better; ties newest written first) within a tier. A part no larger than one
        tier is thus plain BM25, and a huge one costs BM25 for one or two tiers, never
        for every match: a tier is read in the full-text index's own order (no sort)
        and stops after ``RANK_WINDOW`` rows.
        """
        window = self.RANK_WINDOW
        rows: list[tuple] = []
        end = offset + size
        for tier in range(offset // window, (end - 1) // window + 1):
            start = max(offset, tier * window)
            got = conn.execute(
                f"SELECT rid, score, st, id, count(*) OVER () FROM (SELECT d.rowid AS rid,"
                f" {score} AS score, ({_STATUS_SQL}) AS st, d.id AS id, d.written_date AS wd"
                f" {source} ORDER BY f.rowid DESC LIMIT :window OFFSET :skip)"
                " ORDER BY score, wd IS NULL, wd DESC, id LIMIT :limit OFFSET :offset",
                {
                    **params,
                    "window": window,
                    "skip": tier * window,
                    "limit": min(end, (tier + 1) * window) - start,
                    "offset": start - tier * window,
                },
            ).fetchall()
            rows += [r[:4] for r in got]
            if got and got[0][4] < window:
                # This tier holds the part's last rows: its size follows.
                return rows, tier * window + got[0][4]
        return rows, None

    def _planes(self, conn: sqlite3.Connection) -> Planes | None:
        """The facet planes of the index generation this read transaction sees (loaded
        once per generation and process); None when a field has too many values."""
        row = conn.execute(
            "SELECT value FROM meta WHERE key='search_generation'"
        ).fetchone()
        generation = row[0] if row else "0"
        with self._planes_lock:
            cached = self._planes_cache
            if cached is not None and cached[0] == generation:
                return cached[1]
            # imported here: a process that only ingests never loads numpy (45 ms,
            # and OpenBLAS threads that spin for about 0.1 s of CPU)
            from gazette.backends.planes import Planes, TooManyValues

            try:
                planes = Planes(conn, generation)
            except TooManyValues:
                planes = None  # remembered too: finding out reads every docs_meta row
            self._planes_cache = (generation, planes)
            return planes

    def _matched(
        self,
        conn: sqlite3.Connection,
        planes: Planes,
        query: SearchQuery,
        params: dict,
        text_from: str | None,
        filtered: str | None = None,
    ) -> np.ndarray | None:
        """The rowid of every match, read as one ``group_concat``: from the full-text
        table alone (``text_from``, marks included) with the planes applying the
        filters left (disclosure, status), which spares joining every match with
        ``docs_meta``; without text, from the planes alone; else (a filter the planes
        cannot state, such as a written-date range) from ``filtered`` (``FROM … WHERE
        …``: the whole filtered join), or ``None`` without it."""
        marked = text_from is not None and self.FILTER_MARKS
        admitted = planes.admitted(query, params["as_of"], marked=marked)
        if admitted is None:
            if filtered is None:
                return None
            csv = conn.execute(f"SELECT group_concat(d.rowid) {filtered}", params)
            return planes.matches(csv.fetchone()[0])
        if text_from is None:
            return admitted.nonzero()[0]
        csv = conn.execute(f"SELECT group_concat(f.rowid) {text_from}", params)
        found = planes.matches(csv.fetchone()[0])
        return found[admitted[found]]

    def _plane_total(
        self,
        conn: sqlite3.Connection,
        query: SearchQuery,
        params: dict,
    ) -> int | None:
        """The total of a filtered search without text from the planes
        (:meth:`_matched`), instead of counting the filtered ``docs_meta`` rows.
        ``None`` when the planes cannot answer (a filter they cannot state, or no
        planes), or when no filter needs them."""
        if not any(params.get(k) is not None for k in ("status", "issuer", "doc_type", "year")):
            return None
        planes = self._planes(conn)
        matched = None if planes is None else self._matched(conn, planes, query, params, None)
        return None if matched is None else len(matched)

    @staticmethod
    def _rows_of(conn: sqlite3.Connection, rowids: list[int], params: dict) -> list[tuple]:
        """The result rows (rowid, score 0, status, id) of ``rowids``, in their order."""
        if not rowids:
            return []
        found = {
            r[0]: r
            for r in conn.execute(
                f"SELECT d.rowid, 0.0, ({_STATUS_SQL}), d.id FROM docs_meta d"
                " WHERE d.rowid IN (SELECT value FROM json_each(:rowids))",
                {**params, "rowids": json.dumps(rowids)},
            )
        }
        return [found[r] for r in rowids]

    @staticmethod
    def _facets(
        conn: sqlite3.Connection,
        base: str,
        where_sql: str,
        params: dict,
        full_text: bool,
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """Exact total and facet counts over all matches.

        A full-text match is evaluated once, its rowids kept in a per-connection
        temporary table; each facet is then a one-column grouped join of those rowids
        with ``docs_meta`` (one grouping by all four columns sorts far more groups and
        costs several times as much). Without a full-text match the groups scan
        ``docs_meta`` directly.
        """
        source, where = base, where_sql
        if full_text:
            conn.execute("DELETE FROM temp.matched")
            conn.execute(
                f"INSERT INTO temp.matched(rid) SELECT d.rowid {base}{where_sql}",
                params,
            )
            total = conn.execute("SELECT count(*) FROM temp.matched").fetchone()[0]
            # CROSS JOIN keeps the (usually much shorter) match list as the outer loop.
            source, where = (
                "FROM temp.matched m CROSS JOIN docs_meta d ON d.rowid = m.rid",
                "",
            )
        else:
            total = conn.execute(
                f"SELECT count(*) {base}{where_sql}", params
            ).fetchone()[0]
        out: dict[str, dict[str, int]] = {}
        for name, column in zip(
            FACET_FIELDS, (f"({_STATUS_SQL})", "d.issuer", "d.year", "d.doc_type")
        ):
            if not total:
                out[name] = {}
                continue
            rows = conn.execute(
                f"SELECT {column} AS v, count(*) AS n {source}{where}"
                f"{' AND' if where else ' WHERE'} v IS NOT NULL"
                f" GROUP BY v ORDER BY n DESC, v LIMIT {FACET_LIMIT}",
                params,
            )
            out[name] = {str(k): n for k, n in rows}
        return total, out

    @staticmethod
    def _hit(
        row: tuple, shown: str, body: str, terms: list[analysis.QueryTerm]
    ) -> SearchHit:
        score = -float(row[1]) if row[1] else 0.0
        return stored_hit(row[3], score, json.loads(shown), Status(row[2]), body, terms)



def _query_width(terms: list[analysis.QueryTerm]) -> int:
    """The query's length in analyser tokens (every term's)."""
    return sum(len(t.chars) for t in terms)


def _title_score(width: int, length: int) -> float:
    """The score of a title match: the share of the title's tokens the query's
    ``width`` tokens cover (1.0: the title is the query); it falls as the title grows,
    as the order of the title matches does."""
    return min(1.0, width / max(length, 1))


def _empty_facets() -> dict[str, dict[str, int]]:
    return {name: {} for name in FACET_FIELDS}
