"""The embedded search backend: FTS5 tables in the archive's own SQLite file.

One FTS5 table ``docs_fts`` (rowid = ``documents.rowid``) with four columns filled
by :mod:`gazette.analysis`:

* ``title_chars`` / ``body_chars`` — one token per Han character (ASCII runs whole):
  a query term must occur in them as an FTS5 *phrase*, i.e. as an exact substring
  (ignoring punctuation and spaces). This gives 1- and 2-character queries and phrases;
* ``title_words`` / ``body_words`` — jieba search-mode words, which only add to the
  BM25 rank.

User text is reduced to analyser tokens (letters, digits, Han characters) before it is
quoted into an FTS5 expression, so no input can reach FTS5 as syntax. Filters, the
``as_of`` status and facets are evaluated in SQL on the ``documents`` table; snippets
are cut from the original text by :func:`gazette.analysis.snippets`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from gazette import analysis
from gazette.backends.base import SearchHit, SearchQuery, SearchResult
from gazette.errors import BackendUnavailable, QueryError
from gazette.model import STATUS_LABELS, Disclosure, Document, Status
from gazette.store import Store

_FTS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    title_chars, body_chars, title_words, body_words,
    tokenize = 'unicode61 remove_diacritics 0'
);
"""

# BM25 weights per column: title matches count more than body matches, words more
# than single characters.
_WEIGHTS = (4.0, 1.0, 8.0, 2.0)

_STATUS_SQL = """CASE
    WHEN d.invalid_status IS NOT NULL AND (d.invalid_from IS NULL OR d.invalid_from <= :as_of)
        THEN d.invalid_status
    WHEN d.expiry_date IS NOT NULL AND d.expiry_date < :as_of THEN 'expired'
    ELSE 'valid' END"""


def _phrase(tokens: Iterable[str]) -> str:
    # Tokens come from the analyser and hold only letters/digits/Han characters;
    # doubling quotes is belt and braces.
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _match_expression(terms: list[analysis.QueryTerm]) -> str:
    required = [f"{{title_chars body_chars}} : {_phrase(t.chars)}" for t in terms]
    ranking = [f"{{title_words body_words}} : {_phrase([w])}" for t in terms for w in t.words]
    expr = " AND ".join(f"({r})" for r in required)
    if ranking:
        expr += " AND (" + " OR ".join(required + ranking) + ")"
    return expr


class SQLiteBackend:
    """FTS5 full-text index living beside the records in the archive file."""

    name = "sqlite"

    def __init__(self, store: Store) -> None:
        self.store = store
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
                    "INSERT INTO docs_fts(rowid, title_chars, body_chars, title_words, body_words)"
                    " VALUES (?,?,?,?,?)",
                    (
                        rowid,
                        analysis.chars_text(doc.title),
                        analysis.chars_text(doc.text),
                        analysis.words_text(doc.title),
                        analysis.words_text(doc.text),
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

