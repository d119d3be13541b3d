"""SQLite-only search behaviour beyond the shared contract: the BM25 rank window on
large match sets, the character table for terms ending in a lone Han character, and
the merged index after ``reindex``."""

from __future__ import annotations

import datetime as dt

from gazette.backends.base import SearchQuery
from gazette.backends.sqlite import SQLiteBackend
from gazette.model import Disclosure
from gazette.store import Store
from tests.factories import make_doc


def _load(store: Store, backend: SQLiteBackend, docs) -> list:
    for d in docs:
        store.put_document(d)
    stored = [store.get_document(d.id) for d in docs]
    backend.index(stored)
    return stored


def _many(n: int) -> list:
    return [
        make_doc(
            f"文件{i:02d}号",
            "住房" * (1 + i % 4) + "保障。",
            number=("静政发", 2000 + i % 5, i + 1),
            issuer="静乐县人民政府" if i % 3 else "静乐县财政局",
            written=dt.date(2000 + i % 5, 1, 1 + i),
            disclosure=Disclosure.public if i % 10 else Disclosure.on_request,
        )
        for i in range(n)
    ]


def test_rank_window_keeps_totals_facets_and_paging_exact(tmp_path):
    store = Store(tmp_path)
    backend = SQLiteBackend(store, cache_size=0)
    _load(store, backend, _many(30))
    public = 27  # every tenth document is not public
    for q in ("房", "住房"):  # one on the character table, one on the bigrams
        backend.RANK_WINDOW = 1000
        full = backend.search(SearchQuery(q=q, size=5))
        backend.RANK_WINDOW = 5
        windowed = backend.search(SearchQuery(q=q, size=5))
        assert windowed.total == full.total == public
        assert windowed.facets == full.facets
        assert sum(windowed.facets["issuer"].values()) == public
        # pages cross from tier to tier: every match is reachable exactly once
        seen: list[str] = []
        for page in range(1, 7):
            r = backend.search(SearchQuery(q=q, size=5, page=page, facets=False))
            assert r.total == public
            seen += [h.id for h in r.hits]
        assert len(seen) == len(set(seen)) == public
    store.close()


def test_first_tier_holds_the_highest_rowids(tmp_path):
    store = Store(tmp_path)
    backend = SQLiteBackend(store, cache_size=0)
    stored = _load(store, backend, _many(30))
    backend.RANK_WINDOW = 4
    rowid = dict(store.conn.execute("SELECT id, rowid FROM documents"))
    visible = sorted(
        (rowid[d.id] for d in stored if d.disclosure == Disclosure.public), reverse=True
    )
    r = backend.search(SearchQuery(q="住房", size=4, facets=False))
    assert {rowid[h.id] for h in r.hits} == set(visible[:4])
    store.close()


def test_terms_ending_in_a_lone_character_match_exactly(tmp_path):
    store = Store(tmp_path)
    backend = SQLiteBackend(store, cache_size=0)
    _load(
        store,
        backend,
        [
            make_doc("甲", "本办法自2022年7月1日起施行。", number=("静政发", 2022, 1)),
            make_doc("乙", "2022 发布，年度计划。", number=("静政发", 2022, 2)),
            make_doc("丙", "住房公积金 2022", number=("静政发", 2022, 3)),
        ],
    )

    def titles(q: str) -> set[str]:
        return {h.title for h in backend.search(SearchQuery(q=q)).hits}

    assert titles("2022年") == {"甲"}
    assert titles("2022 年") == {"甲", "乙"}
    assert titles("公积金 2022") == {"丙"}
    assert titles("住房 年") == set()
    assert titles("金") == {"丙"}
    store.close()


def test_reindex_merges_segments_and_answers_the_same(tmp_path):
    store = Store(tmp_path)
    backend = SQLiteBackend(store, cache_size=0)
    docs = _load(store, backend, _many(12))
    before = backend.search(SearchQuery(q="住房", size=20))
    assert backend.reindex(docs) == 12
    after = backend.search(SearchQuery(q="住房", size=20))
    assert after.model_dump() == before.model_dump()
    for table in ("docs_fts", "docs_chars"):
        # one segment per table after the merge (FTS5 'structure' record, id 10)
        assert store.conn.execute(f"SELECT count(*) FROM {table}_data WHERE id = 10").fetchone()[0] == 1
    store.close()
