"""SQLite-only search behaviour beyond the shared contract: the BM25 rank window on
large match sets and the title matches before it, the character table for terms ending
in a lone Han character, the merged index after ``reindex``, filters tested by marks
in FTS5, and rebuilding an index of an older layout."""

from __future__ import annotations

import datetime as dt

import pytest

from gazette import analysis
from gazette.backends.base import SearchQuery
from gazette.backends.sqlite import SQLiteBackend
from gazette.model import Disclosure
from gazette.store import Store
from tests.factories import make_doc


@pytest.fixture
def sqlite_backend(tmp_path) -> SQLiteBackend:
    """A fresh archive's SQLite backend with the result cache off."""
    store = Store(tmp_path)
    yield SQLiteBackend(store, cache_size=0)


def _load(backend: SQLiteBackend, docs) -> list:
    store = backend.store
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


def test_rank_window_keeps_totals_facets_and_paging_exact(sqlite_backend):
    backend = sqlite_backend
    _load(backend, _many(30))
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


def test_first_tier_holds_the_highest_rowids(sqlite_backend):
    backend = sqlite_backend
    store = backend.store
    stored = _load(backend, _many(30))
    backend.RANK_WINDOW = 4
    rowid = dict(store.conn.execute("SELECT id, rowid FROM documents"))
    visible = sorted(
        (rowid[d.id] for d in stored if d.disclosure == Disclosure.public), reverse=True
    )
    r = backend.search(SearchQuery(q="住房", size=4, facets=False))
    assert {rowid[h.id] for h in r.hits} == set(visible[:4])


def _titled(n_old: int, n_new: int) -> list:
    """Documents indexed oldest first: ``n_old`` whose titles contain 住房公积金 (every
    third not public, every fourth issued by another office), then ``n_new`` newer
    ones mentioning it in the body only."""
    old = [
        make_doc(
            f"住房公积金管理办法{'（修订）' * (i % 3)}{i:02d}",
            "缴存与提取。" + "房" * (i % 2),
            number=("静政发", 2020 + i % 3, i + 1),
            issuer="静乐县财政局" if i % 4 == 3 else "静乐县人民政府",
            written=dt.date(2020 + i % 3, 2, 1 + i),
            disclosure=Disclosure.on_request if i % 3 == 2 else Disclosure.public,
        )
        for i in range(n_old)
    ]
    new = [
        make_doc(
            f"通知{i:02d}",
            "关于住房公积金管理的事项。" + "住房" * (i % 3) + "房" * (i % 2),
            number=("静政办发", 2020 + i % 3, i + 1),
            written=dt.date(2020 + i % 3, 3, 1 + i),
        )
        for i in range(n_new)
    ]
    return old + new


def _all_pages(backend: SQLiteBackend, size: int, **params) -> list[str]:
    """The ids of every page of a ranked search, in order; each page's total must be
    the first page's."""
    first = backend.search(SearchQuery(size=size, facets=False, **params))
    seen = [h.id for h in first.hits]
    for page in range(2, first.total // size + 3):
        r = backend.search(SearchQuery(size=size, page=page, facets=False, **params))
        assert r.total == first.total, (params, page)
        seen += [h.id for h in r.hits]
    assert len(seen) == first.total, params
    return seen


def test_old_title_match_ranks_first_beyond_the_rank_window(sqlite_backend):
    """The oldest document's title match outranks many newer body matches: the title
    tier comes before the tiers of the other matches."""
    backend = sqlite_backend
    _load(backend, _titled(1, 12))
    backend.RANK_WINDOW = 4  # three rowid tiers of newer body matches
    for q in ("住房公积金", "公积金 房", "办法"):
        r = backend.search(SearchQuery(q=q, size=3))
        assert r.hits[0].title == "住房公积金管理办法00", q
    assert backend.search(SearchQuery(q="住房公积金", size=3)).total == 13


@pytest.mark.parametrize(
    "params",
    [
        {"q": "住房公积金"},  # bigram phrase
        {"q": "房"},  # character table
        {"q": "公积金 房"},  # mixed: the character term only filters
        {"q": "住房公积金", "include_private": True},
        {"q": "住房公积金", "issuer": "静乐县人民政府"},
        {"q": "公积金 房", "year": 2021},
        {"q": '"公积金管理"', "date_to": dt.date(2021, 12, 31)},
    ],
)
def test_paging_through_title_and_rowid_tiers_is_exact(sqlite_backend, params):
    """Every match appears once, title matches first, whatever the tier size and page
    size; totals are exact on every page."""
    backend = sqlite_backend
    stored = _load(backend, _titled(9, 14))
    expected = {
        h.id
        for h in backend.search(
            SearchQuery(sort="date", size=100, facets=False, **params)
        ).hits
    }
    words = params["q"].strip('"').split()
    in_title = {
        d.id for d in stored if d.id in expected and all(w in d.title for w in words)
    }
    assert in_title and expected - in_title  # both parts are present
    for window, size in ((1000, 5), (4, 3), (4, 4), (3, 7), (2, 1)):
        backend.RANK_WINDOW = window
        order = _all_pages(backend, size, **params)
        assert len(order) == len(set(order)) and set(order) == expected, window
        assert set(order[: len(in_title)]) == in_title, window


def test_many_title_matches_are_tiered_shortest_title_first(sqlite_backend):
    """More title matches than the window: the first page ranks the window of the
    shortest matching titles (bounded cost, whatever their age), and every title match
    still comes before any other match."""
    backend = sqlite_backend
    stored = _load(backend, _titled(9, 5))
    titled = [d for d in stored[:9] if d.disclosure == Disclosure.public]
    shortest = min(len(analysis.chars(d.title)) for d in titled)
    short = {d.id for d in titled if len(analysis.chars(d.title)) == shortest}
    newest = {d.id for d in titled[-len(short) :]}
    assert 1 < len(short) < len(titled) and short != newest
    backend.RANK_WINDOW = len(short)
    r = backend.search(SearchQuery(q="住房公积金", size=len(short), facets=False))
    assert {h.id for h in r.hits} == short
    order = _all_pages(backend, 2, q="住房公积金")
    assert set(order[: len(short)]) == short
    assert set(order[: len(titled)]) == {d.id for d in titled}


def test_title_matches_rank_shortest_title_first_then_newest(sqlite_backend, monkeypatch):
    """Title matches come shortest title first, equal lengths newest written first,
    whatever order they were indexed in; a title match's score is the share of its
    title the query covers. With and without the planes the order is the same."""
    from gazette.backends.planes import Planes

    backend = sqlite_backend
    titles = [
        # indexed in an order the date order contradicts
        ("住房公积金办法", dt.date(2021, 7, 1)),
        ("住房公积金条例", dt.date(2015, 1, 1)),
        ("住房公积金缴存管理办法", dt.date(2022, 3, 1)),
        ("住房公积金提取管理办法", dt.date(2019, 5, 1)),
        ("关于住房公积金缴存基数调整的通知", dt.date(2023, 1, 1)),
    ]
    docs = [make_doc(t, "缴存与提取。", written=w) for t, w in titles]
    docs.append(make_doc("通知", "住房公积金" * 5 + "。", written=dt.date(2024, 1, 1)))
    _load(backend, docs)
    expected = [
        "住房公积金办法",  # 7 tokens, 2021
        "住房公积金条例",  # 7 tokens, 2015
        "住房公积金缴存管理办法",  # 11 tokens, 2022
        "住房公积金提取管理办法",  # 11 tokens, 2019
        "关于住房公积金缴存基数调整的通知",
        "通知",  # a body match after every title match
    ]
    r = backend.search(SearchQuery(q="住房公积金"))
    assert [h.title for h in r.hits] == expected
    assert [round(h.score, 4) for h in r.hits[:4]] == [round(5 / 7, 4)] * 2 + [round(5 / 11, 4)] * 2
    monkeypatch.setattr(Planes, "MAX_VALUES", 0)  # no planes: the order read in SQL
    backend._planes_cache = None
    assert [h.title for h in backend.search(SearchQuery(q="住房公积金")).hits] == expected
    assert backend._planes_cache[1] is None


def test_reindexing_or_deleting_a_document_replaces_its_title_row(sqlite_backend):
    """A document's title row is found through ``docs_meta.title_key`` and replaced or
    removed with the document, whatever its new title's length."""
    backend = sqlite_backend
    store = backend.store
    doc, other = _load(backend, _titled(1, 1))
    renamed = doc.model_copy(update={"title": "公积金缴存规定"})
    _load(backend, [renamed])

    def titles(q: str) -> list[str]:
        return [h.title for h in backend.search(SearchQuery(q=q)).hits]

    assert titles("缴存规定") == ["公积金缴存规定"]
    assert titles("公积金") == ["公积金缴存规定", other.title]
    assert titles("管理办法") == []
    backend.delete([renamed.id])
    assert titles("公积金") == [other.title]
    for table in ("docs_title", "docs_title_meta"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1


def test_an_index_of_an_older_layout_is_rebuilt_on_open(tmp_path):
    """Opening an index of an earlier version (here: version 7, before marks, without
    its title table) rebuilds it from the stored documents; answers are unchanged."""
    store = Store(tmp_path)
    backend = SQLiteBackend(store, cache_size=0)
    _load(backend, _titled(5, 6))
    backend.RANK_WINDOW = 3
    queries = [
        SearchQuery(q=q, size=4, page=p, **filters)
        for q in ("住房公积金", "房")
        for p in (1, 2, 3)
        for filters in ({}, {"issuer": "静乐县人民政府"})
    ]
    before = [backend.search(q).model_dump() for q in queries]
    with store.transaction() as conn:  # an older layout
        conn.execute("DROP TABLE docs_title")
        conn.execute("DROP TABLE docs_title_meta")
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'fts_version'")
    reopened = SQLiteBackend(store, cache_size=0)
    reopened.RANK_WINDOW = 3
    for table in ("docs_title", "docs_title_meta"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 11
    assert [reopened.search(q).model_dump() for q in queries] == before
    version = store.conn.execute("SELECT value FROM meta WHERE key = 'fts_version'")
    assert version.fetchone()[0] == SQLiteBackend.FTS_VERSION


def test_filters_in_the_full_text_expression_answer_as_sql_filters(sqlite_backend, monkeypatch):
    """Text searches test issuer, type, year, 发文字号 prefix and normative-only with
    marks inside FTS5; every answer (total, hits in order, facets, on every page of
    both rank parts) equals the one with those filters tested on docs_meta."""
    backend = sqlite_backend
    backend.RANK_WINDOW = 4  # several tiers in each rank part
    docs = [
        make_doc(
            f"{'住房' if i % 3 else '税收'}办法{i}",
            "住房公积金" * (1 + i % 3) + ("管理" if i % 2 else "税收") + "房" * (i % 4),
            number=(["静政发", "静政办发", "忻政发"][i % 3], 2010 + i % 4, i + 1),
            issuer=["静乐县人民政府", "静乐县财政局", "忻州市人民政府"][i % 3],
            doc_type=[None, "通知", "办法"][i % 3 * i % 3],
            written=dt.date(2010 + i % 4, 1 + i % 12, 1),
            expiry=dt.date(2015 + i % 12, 6, 30) if i % 4 == 0 else None,
            disclosure=Disclosure.public if i % 7 else Disclosure.on_request,
            normative=bool(i % 2),
        )
        for i in range(70)
    ]
    _load(backend, docs)
    queries = [
        SearchQuery(q=q, page=page, size=3, include_private=private, facets=facets, sort=sort, **filters)
        for q in ("房", "住房", "管理 房", '"住房公积金"', "办法 房", "无此")
        for filters in (
            {"issuer": "静乐县财政局"},
            {"doc_type": "通知", "year": 2011},
            {"doc_number_prefix": "静政发", "normative_only": True},
            {"issuer": "静乐县人民政府", "status": "valid", "date_from": dt.date(2011, 1, 1)},
            {"year": 2013, "status": "expired"},
            {"issuer": "无此机关"},
        )
        for private in (False, True)
        for page, facets, sort in ((1, True, "relevance"), (2, False, "relevance"), (4, False, "relevance"), (2, False, "date"))
    ]
    marked = [backend.search(q).model_dump() for q in queries]
    monkeypatch.setattr(SQLiteBackend, "FILTER_MARKS", False)
    assert [backend.search(q).model_dump() for q in queries] == marked
    assert sum(1 for r in marked if r["hits"]) > len(queries) // 3


@pytest.mark.parametrize("title_batch", [1, 3, 256])
def test_answers_from_the_planes_equal_the_sql_answers(sqlite_backend, monkeypatch, title_batch):
    """With the planes, a text search reads its matches from the full-text table alone
    and takes totals, facets and the newest-first page from them, and skips the page
    reads past the last match; every answer equals the one computed in SQL alone
    (planes and marks off): dates with ties and undated documents, filters the planes
    state and ones they cannot, private documents, pages past the end. Title matches
    are read in batches (``title_batch`` first) only as far as a page needs them."""
    from gazette.backends.planes import Planes

    monkeypatch.setattr(Planes, "TITLE_BATCH", title_batch)
    backend = sqlite_backend
    backend.RANK_WINDOW = 4
    docs = [
        make_doc(
            f"{'住房' if i % 3 else '税收'}规定{i}",
            "住房公积金" * (1 + i % 2) + ("管理" if i % 2 else "税收") + "房" * (i % 3),
            number=(["静政发", "忻政发"][i % 2], 2010 + i % 4, i + 1),
            issuer=["静乐县人民政府", "静乐县财政局"][i % 2],
            doc_type=["通知", "办法"][i % 3 % 2],
            written=None if i % 9 == 0 else dt.date(2010 + i % 4, 1 + i % 3, 1),
            expiry=dt.date(2016 + i % 8, 6, 30) if i % 4 == 0 else None,
            disclosure=Disclosure.public if i % 7 else Disclosure.on_request,
        )
        for i in range(64)
    ]
    _load(backend, docs)
    queries = [
        SearchQuery(q=q, page=page, size=4, include_private=private, facets=facets, sort=sort, as_of=dt.date(2020, 1, 1), **filters)
        for q in ("", "房", "住房", "管理 房", "无此")
        for filters in ({}, {"status": "valid"}, {"status": "expired", "year": 2012}, {"issuer": "静乐县财政局"},
                        {"date_from": dt.date(2011, 2, 1)}, {"doc_number_prefix": "静政发"})
        for private in (False, True)
        for page, facets, sort in ((1, True, "date"), (3, False, "date"), (2, True, "relevance"), (3, False, "relevance"),
                                   (5, False, "relevance"), (40, True, "relevance"), (40, False, "date"))
    ]
    matched = []
    real = SQLiteBackend._matched

    def counted(self, conn, planes, query, *args):
        matched.append(query.q)
        return real(self, conn, planes, query, *args)

    monkeypatch.setattr(SQLiteBackend, "_matched", counted)
    with_planes = [backend.search(q).model_dump() for q in queries]
    assert {"", "房", "住房", "管理 房"} <= set(matched)
    monkeypatch.setattr(Planes, "MAX_VALUES", 0)
    monkeypatch.setattr(SQLiteBackend, "FILTER_MARKS", False)
    backend._planes_cache = None
    assert [backend.search(q).model_dump() for q in queries] == with_planes
    assert backend._planes_cache is not None and backend._planes_cache[1] is None
    assert sum(1 for r in with_planes if len(r["hits"]) == 4) > len(queries) // 4
    assert any(r["total"] and not r["hits"] for r in with_planes)  # pages past the end


def test_terms_ending_in_a_lone_character_match_exactly(sqlite_backend):
    backend = sqlite_backend
    _load(
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


def test_reindex_merges_segments_and_answers_the_same(sqlite_backend):
    backend = sqlite_backend
    store = backend.store
    docs = _load(backend, _many(12))
    before = backend.search(SearchQuery(q="住房", size=20))
    assert backend.reindex(docs) == 12
    after = backend.search(SearchQuery(q="住房", size=20))
    assert after.model_dump() == before.model_dump()
    for table in ("docs_fts", "docs_chars", "docs_title"):
        # one segment per table after the merge (FTS5 'structure' record, id 10)
        assert (
            store.conn.execute(
                f"SELECT count(*) FROM {table}_data WHERE id = 10"
            ).fetchone()[0]
            == 1
        )


def test_facet_planes_agree_with_sql_grouping(sqlite_backend):
    """Facets from the in-memory planes equal the SQL grouping, for every kind of
    query: with and without text, filters, private documents and dates."""
    from gazette.model import StatusEvent

    backend = sqlite_backend
    store = backend.store
    docs = []
    for i in range(60):
        d = make_doc(
            f"办法{i}",
            ("住房公积金" if i % 2 else "税收")
            + "管理" * (i % 3)
            + ("房" if i % 5 else ""),
            number=("静政发", 2010 + i % 7, i + 1),
            issuer=["静乐县人民政府", "静乐县财政局", "忻州市人民政府"][i % 3],
            doc_type=[None, "通知", "办法", "意见"][i % 4],
            written=None if i % 11 == 0 else dt.date(2010 + i % 7, 1 + i % 12, 1),
            expiry=dt.date(2015 + i % 10, 6, 30) if i % 4 == 0 else None,
            disclosure=Disclosure.public if i % 9 else Disclosure.on_request,
            events=[
                StatusEvent(document_id="", kind="repealed", date=dt.date(2018, 1, 1))
            ]
            if i % 13 == 0
            else None,
        )
        docs.append(d)
    for d in docs:
        store.put_document(d)
        for ev in d.events:
            store.add_event(ev.model_copy(update={"document_id": d.id}))
    backend.index([store.get_document(d.id) for d in docs])
    conn = backend._conn()
    queries = [
        SearchQuery(q=q, as_of=as_of, include_private=private, **filters)
        for q in ("", "房", "住房", "管理 房", "税收", "无此")
        for as_of in (dt.date(2017, 1, 1), dt.date(2030, 1, 1))
        for private in (False, True)
        for filters in (
            {},
            {"year": 2012},
            {"status": "valid"},
            {"issuer": "静乐县财政局"},
        )
    ]
    seen_status: set[str] = set()
    for query in queries:
        planes = backend.search(query)
        seen_status |= set(planes.facets["status"])
        assert backend._planes_cache is not None and backend._planes_cache[1] is not None
        backend._planes_cache = None
        sql_total, sql_facets = _sql_facets(backend, conn, query)
        assert planes.total == sql_total, query
        assert planes.facets == sql_facets, query
        assert list(planes.facets["year"]) == list(sql_facets["year"]), query
    assert seen_status == {"valid", "expired", "repealed"}


def test_filtered_totals_from_the_planes_equal_the_sql_count(sqlite_backend, monkeypatch):
    """A filtered search's total on a full page comes from the facet planes or from
    the full-text table with marks; it equals the SQL count (planes and marks switched
    off) for every plane-expressible filter, with and without text, private documents
    included or not."""
    from gazette.backends.planes import Planes
    from gazette.model import StatusEvent

    backend = sqlite_backend
    store = backend.store
    for i in range(90):
        d = make_doc(
            f"规定{i}",
            ("住房公积金" if i % 2 else "税收") + "管理" * (i % 3) + ("房" if i % 5 else ""),
            number=("静政发", 2010 + i % 4, i + 1),
            issuer=["静乐县人民政府", "静乐县财政局"][i % 2],
            doc_type=["通知", "办法"][i % 3 % 2],
            written=dt.date(2010 + i % 4, 1 + i % 12, 1),
            expiry=dt.date(2016 + i % 8, 6, 30) if i % 4 == 0 else None,
            disclosure=Disclosure.public if i % 7 else Disclosure.on_request,
            events=[StatusEvent(document_id="", kind="repealed", date=dt.date(2018, 1, 1))] if i % 11 == 0 else None,
        )
        store.put_document(d)
        for ev in d.events:
            store.add_event(ev.model_copy(update={"document_id": d.id}))
    backend.index(list(store.iter_documents()))
    queries = [
        SearchQuery(q=q, include_private=private, size=5, facets=False, sort=sort, as_of=dt.date(2020, 1, 1), **filters)
        for q in ("", "房", "住房", "管理 房")
        for sort in ("relevance", "date")  # by date, text queries count too (no rank tiers)
        for private in (False, True)
        for filters in ({"year": 2012}, {"status": "valid"}, {"status": "expired"}, {"issuer": "静乐县财政局"},
                        {"doc_type": "办法", "year": 2011}, {"issuer": "无此机关"})
    ]
    calls = []
    real_total, real_matched = SQLiteBackend._plane_total, SQLiteBackend._matched

    def counted(self, conn, query, *args):
        total = real_total(self, conn, query, *args)
        if total is not None:
            calls.append(query.q)
        return total

    def matched(self, conn, planes, query, *args):
        calls.append(query.q)  # a date-ordered text search counts its matches
        return real_matched(self, conn, planes, query, *args)

    monkeypatch.setattr(SQLiteBackend, "_plane_total", counted)
    monkeypatch.setattr(SQLiteBackend, "_matched", matched)
    from_planes = [backend.search(q).total for q in queries]
    # the planes answered: with text, the status filters (marks state the others)
    assert len(calls) >= 20 and {"", "房", "住房", "管理 房"} <= set(calls)
    monkeypatch.setattr(Planes, "MAX_VALUES", 0)  # no planes: SQL counts
    monkeypatch.setattr(SQLiteBackend, "FILTER_MARKS", False)  # every filter in SQL
    backend._planes_cache = None
    attempts = []
    real_init = Planes.__init__

    def init(self, *args):
        attempts.append(1)
        real_init(self, *args)

    monkeypatch.setattr(Planes, "__init__", init)
    from_sql = [backend.search(q).total for q in queries]
    assert from_planes == from_sql
    assert len(attempts) == 1  # "no planes" is remembered for the generation
    assert any(from_sql) and not all(from_sql)


def _sql_facets(backend: SQLiteBackend, conn, query: SearchQuery):
    """Total and facets of ``query`` grouped in SQL (the path used without planes)."""
    from gazette import analysis
    from gazette.backends.sqlite import _chars_expression, _match_expression, _on_chars

    terms = analysis.query_terms(query.q)
    where, params = backend._where(query)
    if terms:
        chars = [t for t in terms if _on_chars(t)]
        grams = [t for t in terms if not _on_chars(t)]
        table = "docs_fts" if grams else "docs_chars"
        params["match"] = (
            _match_expression(grams) if grams else _chars_expression(chars)
        )
        if grams and chars:
            where.insert(
                0,
                "f.rowid IN (SELECT rowid FROM docs_chars WHERE docs_chars MATCH :chars)",
            )
            params["chars"] = _chars_expression(chars)
        where.insert(0, f"{table} MATCH :match")
        base = f"FROM {table} f JOIN docs_meta d ON d.rowid = f.rowid"
    else:
        base = "FROM docs_meta d"
    where_sql = (" WHERE " + " AND ".join(where)) if where else ""
    return SQLiteBackend._facets(conn, base, where_sql, params, bool(terms))


def test_the_private_marker_cannot_be_searched(sqlite_backend):
    """Non-public documents carry a marker token in the index; no query reaches it."""
    backend = sqlite_backend
    _load(
        backend,
        [
            make_doc(
                "内部规程",
                "内部事项",
                number=("静政办函", 2022, 1),
                disclosure=Disclosure.on_request,
            ),
            make_doc("公开通知", "公开事项 private", number=("静政办发", 2022, 2)),
        ],
    )

    def titles(q: str, private: bool = True) -> set[str]:
        return {
            h.title
            for h in backend.search(SearchQuery(q=q, include_private=private)).hits
        }

    for q in ("πprivate", '"πprivate"', "private"):
        assert titles(q) == {"公开通知"}, q  # the word in the text, never the marker
    assert titles("事项", private=False) == {"公开通知"}
    assert titles("事项") == {"内部规程", "公开通知"}
    assert backend.search(SearchQuery(q="事项")).facets["issuer"] == {
        "静乐县人民政府": 1
    }


def test_numpy_is_loaded_by_the_first_search_not_by_indexing(tmp_path):
    """An ingest process never imports numpy (45 ms, and OpenBLAS threads that spin
    for about 0.1 s of CPU): indexing leaves it unloaded; the first search, which
    reads the planes, loads it. Run in a fresh interpreter (this one has numpy)."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    program = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from gazette.backends.base import SearchQuery
        from gazette.backends.sqlite import SQLiteBackend
        from gazette.store import Store
        from tests.factories import make_doc

        store = Store(Path(sys.argv[1]))
        backend = SQLiteBackend(store, cache_size=0)
        docs = [make_doc(f"文件{i}号", "住房保障。" * (i + 1)) for i in range(3)]
        for doc in docs:
            store.put_document(doc)
        backend.index([store.get_document(d.id) for d in docs])
        before = "numpy" in sys.modules
        ranked = backend.search(SearchQuery(q="住房", size=2, facets=False))
        faceted = backend.search(SearchQuery(q="住房", facets=True))
        print(before, "numpy" in sys.modules, ranked.total, sum(faceted.facets["issuer"].values()))
        """
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path)], capture_output=True, text=True, cwd=root, check=True
    )
    assert out.stdout.split() == ["False", "True", "3", "3"]


@pytest.mark.parametrize(("threads", "kib"), [(1, 65536), (4, 16384), (None, 4096), (200, 4096)])
def test_each_request_thread_gets_its_share_of_the_page_cache(tmp_path, threads, kib):
    """``search_page_cache_mb`` (64) is shared out among a process's request threads,
    4 MiB at least each; a search's connection runs with that page cache."""
    from gazette.backends import open_backend
    from gazette.settings import Settings

    settings = Settings(home=tmp_path, server_threads=threads)
    backend = open_backend(settings, Store(tmp_path))
    _load(backend, _many(3))
    assert backend.search(SearchQuery(q="住房")).total > 0
    assert backend._conn().execute("PRAGMA cache_size").fetchone()[0] == -kib
