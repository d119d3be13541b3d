"""The embedded search backend: FTS5 tables in the archive's own SQLite file.

One FTS5 table ``docs_fts`` (rowid = ``documents.rowid``) with four columns filled
from :mod:`gazette.analysis`:

* ``title_grams`` / ``body_grams`` — the character tokens of the text
  (:func:`gazette.analysis.chars`: Han characters one by one, ASCII runs whole) turned
  into overlapping Han *bigrams* — one token per position, so an FTS5 phrase of
  bigrams is an exact-substring match (ignoring punctuation and spaces), with posting
  lists far shorter than single characters'. A 1-character query is a prefix query on
  the bigrams, served by a 3-byte prefix index (one UTF-8 Han character);
* ``title_words`` / ``body_words`` — jieba search-mode words, which only add to the
  BM25 rank. Each row also carries a sentinel word so that "any of these words" can
  be OR-ed in cheaply without narrowing the match.

User text is reduced to analyser tokens (letters, digits, Han characters) before it is
quoted into an FTS5 expression, so no input can reach FTS5 as syntax. Filters, the
``as_of`` status and facets are evaluated in SQL on the ``documents`` table; snippets
are cut from the original text by :func:`gazette.analysis.snippets`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from gazette import analysis
from gazette.backends.base import SearchHit, SearchQuery, SearchResult
from gazette.errors import BackendUnavailable, QueryError
from gazette.model import STATUS_LABELS, Disclosure, Document, Status
from gazette.store import Store

_FTS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    title_grams, body_grams, title_words, body_words,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '.'",
    prefix = '3'
);
"""

# BM25 weights per column: title matches count more than body matches.
_WEIGHTS = (6.0, 1.0, 6.0, 1.0)
# A word present in every row's word columns (ASCII letters only, never produced by
# the analyser from real text because real words are shorter than this).
_SENTINEL = "qgazetteqallqrowsq"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_STATUS_SQL = """CASE
    WHEN d.invalid_status IS NOT NULL AND (d.invalid_from IS NULL OR d.invalid_from <= :as_of)
        THEN d.invalid_status
    WHEN d.expiry_date IS NOT NULL AND d.expiry_date < :as_of THEN 'expired'
    ELSE 'valid' END"""


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


def _word(w: str) -> str:
    return '"' + w.replace('"', '""') + '"'


def _match_expression(terms: list[analysis.QueryTerm]) -> str:
    required = [f"{{title_grams body_grams}} : {_query_phrase(t.chars)}" for t in terms]
    expr = " AND ".join(f"({r})" for r in required)
    words = [w for t in terms for w in t.words if analysis.chars(w)]
    if words:
        alternatives = " OR ".join(_word(w) for w in dict.fromkeys(words))
        expr += f" AND ({{title_words body_words}} : ({alternatives} OR {_SENTINEL}))"
    return expr


class SQLiteBackend:
    """FTS5 full-text index living beside the records in the archive file."""

    name = "sqlite"

    #: Bumped whenever the index layout changes; an older index is rebuilt on open.
    FTS_VERSION = "3"

    def __init__(self, store: Store) -> None:
        self.store = store
        row = store.conn.execute("SELECT value FROM meta WHERE key='fts_version'").fetchone()
        if row is None or row[0] != self.FTS_VERSION:
            store.executescript("DROP TABLE IF EXISTS docs_fts;")
            store.executescript(_FTS_SCHEMA)
            with store.transaction() as conn:
                self.reindex(store.iter_documents())
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_version', ?)", (self.FTS_VERSION,)
                )
        else:
            store.executescript(_FTS_SCHEMA)

    # -- writing -------------------------------------------------------------------
    def index(self, docs: Iterable[Document]) -> int:
        n = 0
        with self.store.transaction() as conn:
            for doc in docs:
                row = conn.execute("SELECT rowid FROM documents WHERE id=?", (doc.id,)).fetchone()
                if row is None:
                    raise QueryError(f"document {doc.id} must be stored before it is indexed")
                rowid = row[0]
                conn.execute("DELETE FROM docs_fts WHERE rowid=?", (rowid,))
                conn.execute(
                    "INSERT INTO docs_fts(rowid, title_grams, body_grams, title_words, body_words)"
                    " VALUES (?,?,?,?,?)",
                    (
                        rowid,
                        grams_text(doc.title),
                        grams_text(doc.text),
                        analysis.words_text(doc.title),
                        analysis.words_text(doc.text) + " " + _SENTINEL,
                    ),
                )
                n += 1
        return n

    def delete(self, ids: Iterable[str]) -> None:
        with self.store.transaction() as conn:
            for doc_id in ids:
                conn.execute(
                    "DELETE FROM docs_fts WHERE rowid IN (SELECT rowid FROM documents WHERE id=?)", (doc_id,)
                )

    def reindex(self, docs: Iterable[Document]) -> int:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM docs_fts")
            return self.index(docs)

    def clear(self) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM docs_fts")

    def count(self) -> int:
        return self.store.conn.execute("SELECT count(*) FROM docs_fts").fetchone()[0]

    def indexed_ids(self) -> set[str]:
        rows = self.store.conn.execute(
            "SELECT d.id FROM docs_fts f JOIN documents d ON d.rowid = f.rowid"
        )
        return {r[0] for r in rows}

    def close(self) -> None:
        pass

    # -- searching -----------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self._search(query)
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
                raise QueryError(f"invalid search query: {exc}") from exc
            raise BackendUnavailable(f"SQLite archive error: {exc}") from exc

    def _where(self, query: SearchQuery) -> tuple[list[str], dict]:
        where: list[str] = []
        params: dict = {"as_of": query.effective_as_of.isoformat()}
        if not query.include_private:
            where.append("d.disclosure = :public")
            params["public"] = Disclosure.public.value
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
        conn = self.store.conn
        terms = analysis.query_terms(query.q)
        where, params = self._where(query)
        if terms:
            params["match"] = _match_expression(terms)
            source = (
                "SELECT rowid, bm25(docs_fts, {}) AS score FROM docs_fts WHERE docs_fts MATCH :match".format(
                    ", ".join(str(w) for w in _WEIGHTS)
                )
            )
            base = f"FROM ({source}) m JOIN documents d ON d.rowid = m.rowid"
            score = "-m.score"
        elif query.q.strip():
            # Only punctuation or engine syntax: nothing indexable to look for.
            return SearchResult(total=0, hits=[], facets={} if not query.facets else _empty_facets())
        else:
            base = "FROM documents d"
            score = "0.0"
        where_sql = (" WHERE " + " AND ".join(where)) if where else ""
        # Evaluate the match and filters once into a per-connection temporary table;
        # the count, the page and every facet are then cheap queries over it.
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS hits(rid INTEGER PRIMARY KEY, score REAL, st TEXT,"
            " issuer TEXT, year INTEGER, doc_type TEXT, wd TEXT, id TEXT)"
        )
        conn.execute("DELETE FROM temp.hits")
        conn.execute(
            f"INSERT INTO temp.hits SELECT d.rowid, {score}, ({_STATUS_SQL}), d.issuer, d.year, d.doc_type,"
            f" d.written_date, d.id {base}{where_sql}",
            params,
        )
        total = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
        if query.sort == "date" or not terms:
            order = "h.wd IS NULL, h.wd DESC, h.id"
        else:
            order = "h.score DESC, h.wd IS NULL, h.wd DESC, h.id"
        rows = conn.execute(
            f"SELECT d.data, d.body, h.score AS score, h.st AS st FROM temp.hits h"
            f" JOIN documents d ON d.rowid = h.rid ORDER BY {order} LIMIT ? OFFSET ?",
            (query.size, (query.page - 1) * query.size),
        ).fetchall()
        hits = [self._hit(r, terms) for r in rows]
        facets: dict[str, dict[str, int]] = {}
        if query.facets:
            for name, column in (("status", "st"), ("issuer", "issuer"), ("year", "year"), ("doc_type", "doc_type")):
                facet_rows = conn.execute(
                    f"SELECT {column} AS k, count(*) AS n FROM temp.hits WHERE {column} IS NOT NULL"
                    " GROUP BY k ORDER BY n DESC, k LIMIT 50"
                ).fetchall()
                facets[name] = {str(r["k"]): r["n"] for r in facet_rows}
        conn.execute("DELETE FROM temp.hits")
        return SearchResult(total=total, hits=hits, facets=facets)

    def _hit(self, row: sqlite3.Row, terms: list[analysis.QueryTerm]) -> SearchHit:
        doc = Document.model_validate_json(row["data"])
        status = Status(row["st"])
        title_marks = analysis.mark_all(doc.title, terms) if terms else None
        return SearchHit(
            id=doc.id,
            score=float(row["score"] or 0.0),
            title=doc.title,
            doc_number=doc.doc_number.text if doc.doc_number else doc.doc_number_raw,
            issuers=doc.issuers,
            doc_type=doc.doc_type,
            is_normative=doc.is_normative,
            written_date=doc.written_date,
            published_date=doc.published_date,
            effective_date=doc.effective_date,
            expiry_date=doc.expiry_date,
            status=status,
            status_label=STATUS_LABELS[status],
            highlights=analysis.snippets(row["body"], terms) if terms else [],
            title_highlight=title_marks,
        )

def _empty_facets() -> dict[str, dict[str, int]]:
    return {"status": {}, "issuer": {}, "year": {}, "doc_type": {}}

