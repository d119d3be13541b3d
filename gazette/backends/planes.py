"""The *planes* of the embedded search backend (:mod:`gazette.backends.sqlite`): every
indexed document's filter and facet values held in memory as numpy arrays.

Only searching uses them; :mod:`gazette.backends.sqlite` imports this module when it
first builds planes, so that a process that only ingests never loads numpy.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from gazette.backends.base import FACET_LIMIT, SearchQuery
from gazette.model import Status
from gazette.status import indexed_status

__all__ = ["Planes", "TooManyValues"]


class TooManyValues(Exception):
    """A facet field has more distinct values than :attr:`Planes.MAX_VALUES`."""


class Planes:
    """The facet values, disclosure, date order and validity dates of every indexed
    document, held in memory as numpy arrays indexed by rowid for one search
    generation, so that a huge match set's total, facets and newest-first page cost a
    few vector operations instead of joining every match with ``docs_meta`` in SQL.

    A match set arrives as one ``group_concat`` of rowids (:meth:`matches`, parsed at
    C speed); the filters the arrays can state give a boolean array over rowids
    (:meth:`admitted`); a facet is a ``bincount`` of the matches' value codes. Memory
    is about 12 bytes per document slot. Status codes depend on the date and are made
    on demand for a few dates.
    """

    FIELDS = (("issuer", 2), ("year", 3), ("doc_type", 4))
    #: More distinct values than this in a field: facets are grouped in SQL instead
    #: (a value code is 16 bits).
    MAX_VALUES = 4096
    #: Title keys read first by :meth:`title_matches` (then four times as many each
    #: time): a first page's share is usually among the first few.
    TITLE_BATCH = 256

    def __init__(self, conn: sqlite3.Connection, generation: str) -> None:
        self.generation = generation
        cur = conn.cursor()
        cur.row_factory = None
        rows = cur.execute(
            "SELECT rowid, public, issuer, year, doc_type, expiry_date, invalid_from,"
            " invalid_status FROM docs_meta"
        ).fetchall()
        self.size = (max((r[0] for r in rows), default=0)) + 1
        rowids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        self.all = np.zeros(self.size, bool)
        self.all[rowids] = True
        self.public = np.zeros(self.size, bool)
        self.public[rowids] = np.fromiter((r[1] for r in rows), bool, len(rows))
        #: per field: (the value of each code, code 1 first; code of each rowid, 0: none)
        self.values: dict[str, tuple[list, np.ndarray]] = {}
        for name, col in self.FIELDS:
            distinct = sorted({r[col] for r in rows if r[col] is not None})
            if len(distinct) > self.MAX_VALUES:
                raise TooManyValues(name)
            code = {v: i + 1 for i, v in enumerate(distinct)}
            codes = np.zeros(self.size, np.uint16)
            codes[rowids] = np.fromiter(
                (code.get(r[col], 0) for r in rows), np.uint16, len(rows)
            )
            self.values[name] = (distinct, codes)
        # The position of each document in the date order (``docs_meta_date``).
        newest = np.fromiter(
            (
                r[0]
                for r in cur.execute(
                    "SELECT rowid FROM docs_meta"
                    " ORDER BY written_date IS NULL, written_date DESC, id"
                )
            ),
            np.int64,
            len(rows),
        )
        self.rank = np.zeros(self.size, np.int32)
        self.rank[newest] = np.arange(len(newest), dtype=np.int32)
        # (rowid, expiry_date, invalid_from, invalid_status) of documents whose status
        # can be other than valid; every other document is valid at every date.
        self.timeline = [
            (r[0], r[5], r[6], r[7])
            for r in rows
            if r[5] is not None or r[7] is not None
        ]
        self._status: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    _STATUSES = [s.value for s in Status]

    def status(self, as_of: str) -> np.ndarray:
        """The status code of each rowid at ``as_of`` (ISO date; code ``i + 1`` is
        ``Status`` member ``i``): :func:`gazette.status.indexed_status`, the rule
        ``_STATUS_SQL`` states in SQL."""
        with self._lock:
            codes = self._status.get(as_of)
            if codes is not None:
                return codes
        code = {s: i + 1 for i, s in enumerate(self._STATUSES)}
        codes = np.full(self.size, code[Status.valid.value], np.uint8)
        for rowid, expiry, invalid_from, invalid_status in self.timeline:
            codes[rowid] = code[indexed_status(expiry, invalid_from, invalid_status, as_of).value]
        with self._lock:
            self._status[as_of] = codes
            while len(self._status) > 4:
                self._status.popitem(last=False)
        return codes

    @staticmethod
    def matches(rowids_csv: str | None) -> np.ndarray:
        """The rowids of a comma-separated list (``group_concat(rowid)``)."""
        if not rowids_csv:
            return np.zeros(0, np.int64)
        return np.fromstring(rowids_csv, dtype=np.int64, sep=",")

    def admitted(self, query: SearchQuery, as_of: str, *, marked: bool = False) -> np.ndarray | None:
        """Whether each rowid passes ``query``'s filters (as
        :meth:`SQLiteBackend._where` states them), or ``None`` when one of its filters
        has no array (written-date range, 发文字号 prefix, normative only). With
        ``marked``, the filters that marks state are left out (the full-text expression
        applies them): disclosure and status only."""
        if query.date_from or query.date_to:
            return None
        plane = self.all if query.include_private else self.public
        if query.status:
            code = self._STATUSES.index(query.status.value) + 1
            plane = plane & (self.status(as_of) == code)
        if marked:
            return plane
        if query.doc_number_prefix or query.normative_only:
            return None
        for name, value in (
            ("issuer", query.issuer),
            ("doc_type", query.doc_type),
            ("year", query.year),
        ):
            if value is None or value == "":
                continue
            distinct, codes = self.values[name]
            try:
                code = distinct.index(value) + 1
            except ValueError:
                return np.zeros(self.size, bool)
            plane = plane & (codes == code)
        return plane

    def facets(self, rowids: np.ndarray, as_of: str) -> tuple[int, dict[str, dict[str, int]]]:
        """Exact total and facets of the matches ``rowids``, ordered as the SQL facets
        are (count descending, then value)."""
        total = len(rowids)
        out: dict[str, dict[str, int]] = {}
        fields = [("status", (self._STATUSES, self.status(as_of)))] + [
            (name, self.values[name]) for name, _ in self.FIELDS
        ]
        for name, (distinct, codes) in fields:
            counts = (
                np.bincount(codes[rowids], minlength=len(distinct) + 1).tolist()
                if total
                else []
            )
            ranked = sorted(
                ((distinct[k - 1], n) for k, n in enumerate(counts) if k and n),
                key=lambda vn: (-vn[1], vn[0]),
            )
            out[name] = {str(v): n for v, n in ranked[:FACET_LIMIT]}
        return total, out

    def members(self, rowids: np.ndarray) -> np.ndarray:
        """A boolean array over rowids, true at ``rowids``."""
        plane = np.zeros(self.size, bool)
        plane[rowids] = True
        return plane

    def title_matches(
        self,
        fetch: Callable[[int], list[tuple[int]]],
        matched: np.ndarray,
        end: int,
        key_bits: int,
        length_cap: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The title matches among ``matched``, shortest title first: their rowids and
        their title lengths.

        ``fetch(n)`` returns up to ``n`` more ``docs_title`` keys (1-tuples) in
        descending order, the order of title lengths: a key has the document's rowid
        in the low ``key_bits`` bits and ``length_cap`` minus its title's length in
        tokens above. Reading stops once the first ``end`` matches of the ranked order
        (length, then :attr:`rank`) are certain: ``end`` are read and a longer title
        follows them. Otherwise (fewer than ``end`` of them) every one is read, as the
        other matches are those not among them: fewer than ``end`` returned means all.
        """
        member = self.members(matched)
        low = (1 << key_bits) - 1
        docs_read: list[np.ndarray] = []
        lengths_read: list[np.ndarray] = []
        kept = 0
        batch = self.TITLE_BATCH
        while True:
            rows = fetch(batch)
            keys = np.fromiter((r[0] for r in rows), np.int64, len(rows))
            keep = member[keys & low]
            lengths = length_cap - (keys >> key_bits)
            docs_read.append(keys[keep] & low)
            lengths_read.append(lengths[keep])
            kept += int(keep.sum())
            if len(rows) < batch:
                return np.concatenate(docs_read), np.concatenate(lengths_read)
            if 0 < end <= kept:
                boundary = np.concatenate(lengths_read)[end - 1]
                if lengths[-1] > boundary:  # every title not read is longer still
                    return np.concatenate(docs_read), np.concatenate(lengths_read)
            batch = min(batch * 4, 65536)

    def shortest_titles(
        self, docs: np.ndarray, lengths: np.ndarray, offset: int, size: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows ``offset … offset+size`` of title matches (:meth:`title_matches`)
        shortest title first, ties in the date order (:attr:`rank`), with their
        lengths; without sorting all of them."""
        end = offset + size
        if end <= 0 or offset >= len(docs):
            return docs[:0], lengths[:0]
        key = (lengths << 32) | self.rank[docs]  # unique: ranks are
        if end < len(key):
            first = np.argpartition(key, end - 1)[:end]
        else:
            first = np.arange(len(key))
        picked = first[np.argsort(key[first])][offset:end]
        return docs[picked], lengths[picked]

    def others(self, matched: np.ndarray, titled: np.ndarray) -> np.ndarray:
        """The matches that are not title matches, highest rowid (newest indexed)
        first: the order the second part of the ranked order is cut into tiers in."""
        plane = self.members(matched)
        plane[titled] = False
        return np.flatnonzero(plane)[::-1]

    def by_score(
        self, tier: np.ndarray, scored: list[tuple[int, float]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rowids of ``tier`` ordered by their score in ``scored`` ((rowid, score)
        pairs that include every rowid of ``tier``; smaller is better), ties in the
        date order, with those scores."""
        if not scored:
            return tier[:0], np.zeros(0)
        rowids = np.fromiter((r for r, _ in scored), np.int64, len(scored))
        scores = np.fromiter((s for _, s in scored), np.float64, len(scored))
        keep = self.members(tier)[rowids]
        rowids, scores = rowids[keep], scores[keep]
        order = np.lexsort((self.rank[rowids], scores))
        return rowids[order], scores[order]

    def newest(self, rowids: np.ndarray, offset: int, size: int) -> list[int]:
        """Rows ``offset … offset+size`` of ``rowids`` in the date order (written date
        newest first, undated last, then id), without sorting all of them."""
        end = offset + size
        if end <= 0 or offset >= len(rowids):
            return []
        ranks = self.rank[rowids]
        if end < len(ranks):
            first = np.argpartition(ranks, end - 1)[:end]
        else:
            first = np.arange(len(ranks))
        ordered = first[np.argsort(ranks[first], kind="stable")]
        return rowids[ordered[offset:end]].tolist()
