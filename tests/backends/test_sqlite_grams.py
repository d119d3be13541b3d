"""The embedded index's bigram scheme is an exact-substring match (property-based)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazette.analysis import query_terms
from gazette.backends.base import SearchQuery
from gazette.backends.sqlite import (
    SQLiteBackend,
    _chars_expression,
    _on_chars,
    _query_phrase,
    grams,
)
from gazette.store import Store
from tests.factories import make_doc

ALPHABET = "公积金住房税通知办法法规，。 ab12"


def _plain(s: str) -> str:
    return re.sub(r"[，。\s]", "", s)


def test_grams_one_token_per_position():
    assert grams(["住", "房", "公", "2022", "年"]) == ["住房", "房公", "公", "2022", "年"]
    assert _query_phrase(("住", "房", "公")) == '"住房 房公"'
    assert _query_phrase(("2022", "年", "度")) == '"2022 年度"'


def test_terms_ending_in_a_lone_han_character_use_the_character_table():
    """Such a term would be a prefix query over the bigrams; on the unigram table it is
    an exact phrase."""
    by_table = {t.text: _on_chars(t) for t in query_terms("房 数据 2022年 年度2022 ab")}
    assert by_table == {"房": True, "数据": False, "2022年": True, "年度2022": False, "ab": False}
    assert _chars_expression(query_terms("房 2022年")) == '"房" AND "2022 年"'


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(
        # (long Han runs, without and with breaks)
        st.text(alphabet=ALPHABET, min_size=1, max_size=40) | st.text(alphabet="公积金住房办法", min_size=1, max_size=40),
        min_size=1,
        max_size=4,
    ),
    query=st.text(alphabet="公积金住房税通知办法规ab12 ", min_size=1, max_size=9),
    cut=st.none() | st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(1, 12)),
)
def test_match_iff_substring(tmp_path_factory, texts, query, cut):
    if cut is not None:  # a query cut from a text: one that matches, mostly
        text = texts[cut[0] % len(texts)]
        query = text[cut[1] % len(text) :][: cut[2]]
        if not query.strip():
            return
    store = Store(tmp_path_factory.mktemp("a"))
    backend = SQLiteBackend(store)
    docs = [make_doc("文件" + "甲乙丙丁"[i], t, number=("静政发", 2022, i + 1)) for i, t in enumerate(texts)]
    for d in docs:
        store.put_document(d)
    backend.index([store.get_document(d.id) for d in docs])
    found = {h.title for h in backend.search(SearchQuery(q=query, size=100)).hits}

    # ASCII runs are whole tokens, so a query that cuts one is not a substring match;
    # every term (split at spaces) must match
    def tokens(s: str) -> list[str]:
        return re.findall(r"[a-z0-9]+|[^a-z0-9，。\s]", s.lower())

    q_terms = [q for q in map(tokens, query.split()) if q]
    expected = set()
    for d, t in zip(docs, texts):
        body = tokens(t)
        if q_terms and all(
            any(body[i : i + len(q)] == q for i in range(len(body) - len(q) + 1)) for q in q_terms
        ):
            expected.add(d.title)
    if not query.split():
        expected = {d.title for d in docs}  # no text: every document
    # titles (文件甲…) share no character with the query alphabet
    assert found == expected, (texts, query)
    store.close()


def test_result_cache_invalidated_by_writes_in_another_connection(tmp_path):
    """The per-process result cache follows the search generation in the archive file,
    so an index or delete through another Store (another process) is seen at once."""
    store_a, store_b = Store(tmp_path), Store(tmp_path)
    reader, writer = SQLiteBackend(store_a), SQLiteBackend(store_b)
    first = make_doc("住房公积金管理办法", "住房公积金缴存。", number=("静政发", 2022, 1))
    store_b.put_document(first)
    writer.index([store_b.get_document(first.id)])
    q = SearchQuery(q="公积金")
    assert reader.search(q).total == 1
    assert reader.search(q).total == 1
    assert reader.cache_hits == 1
    second = make_doc("公积金提取细则", "提取公积金。", number=("静政发", 2022, 2))
    store_b.put_document(second)
    writer.index([store_b.get_document(second.id)])
    r = reader.search(q)
    assert r.total == 2 and r.facets["status"] == {"valid": 2}
    writer.delete([first.id])
    assert [h.title for h in reader.search(q).hits] == ["公积金提取细则"]
    # cached results are copies: a caller mutating one does not change the cache
    reader.search(q).hits.clear()
    assert reader.search(q).total == 1 and len(reader.search(q).hits) == 1
    store_a.close()
    store_b.close()


def test_cache_can_be_turned_off(tmp_path):
    store = Store(tmp_path / "a")
    backend = SQLiteBackend(store, cache_size=0)
    doc = make_doc("文件甲", "住房公积金", number=("静政发", 2022, 1))
    store.put_document(doc)
    backend.index([store.get_document(doc.id)])
    for _ in range(2):
        assert backend.search(SearchQuery(q="公积金")).total == 1
    assert backend.cache_hits == 0
    store.close()
