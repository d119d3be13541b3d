"""The search-backend contract: every backend must pass every test here.

These pin the behaviour described in ``gazette.backends.base``: substring semantics
for 1–2 character queries and phrases, ranking of title matches, exact filters,
facets over all matches, status evaluated as of a date, disclosure, highlights on
the original (escaped) text, and user text never treated as engine syntax.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gazette.backends.base import SearchQuery
from gazette.model import Disclosure, Status
from tests.factories import make_doc, repeal_event


@pytest.fixture
def corpus(load):
    docs = [
        make_doc(
            "静乐县住房公积金缴存管理办法",
            "一、总则\n为规范住房公积金缴存管理，根据《住房公积金管理条例》，制定本办法。\n"
            "本办法自2022年7月1日起施行，有效期5年。",
            number=("静政发", 2022, 8),
            doc_type="办法",
            normative=True,
            effective=dt.date(2022, 7, 1),
            expiry=dt.date(2027, 6, 30),
        ),
        make_doc(
            "静乐县城乡居民最低生活保障办法",
            "为保障城乡居民基本生活，制定本办法。税费减免按有关规定执行。",
            number=("静政发", 2019, 3),
            doc_type="办法",
            normative=True,
            written=dt.date(2019, 3, 1),
            events=[repeal_event(dt.date(2023, 5, 1))],
        ),
        make_doc(
            "关于做好2020年春季植树造林工作的通知",
            "各乡镇人民政府：现就做好春季植树造林工作通知如下。",
            number=("静政办发", 2020, 12),
            issuer="静乐县人民政府办公室",
            written=dt.date(2020, 2, 20),
            expiry=dt.date(2021, 2, 19),
        ),
        make_doc(
            "关于印发静乐县税务便民服务措施的通知",
            "为优化营商环境，现将便民措施印发给你们，请认真贯彻执行。<script>alert(1)</script>",
            number=("静政办发", 2022, 5),
            issuer="静乐县人民政府办公室",
            written=dt.date(2022, 4, 2),
        ),
        make_doc(
            "静乐县内部工作规程",
            "本规程仅供内部使用，住房公积金相关内部事项。",
            number=("静政办函", 2022, 1),
            written=dt.date(2022, 1, 5),
            disclosure=Disclosure.on_request,
        ),
    ]
    return {d.title: d for d in load(docs)}


def ids(result):
    return [h.id for h in result.hits]


def test_word_query_ranks_title_match_first(backend, corpus):
    result = backend.search(SearchQuery(q="住房公积金"))
    assert result.total == 1  # the non-public document is invisible
    assert result.hits[0].title == "静乐县住房公积金缴存管理办法"


def test_single_character_query(backend, corpus):
    result = backend.search(SearchQuery(q="税"))
    titles = {h.title for h in result.hits}
    assert titles == {"静乐县城乡居民最低生活保障办法", "关于印发静乐县税务便民服务措施的通知"}


def test_two_character_query_is_a_substring_match(backend, corpus):
    result = backend.search(SearchQuery(q="通知"))
    assert result.total == 2
    # 通 and 知 separately present but not adjacent must not match
    assert backend.search(SearchQuery(q="知通")).total == 0


def test_quoted_phrase_requires_adjacency(backend, corpus):
    assert backend.search(SearchQuery(q='"植树造林"')).total == 1
    assert backend.search(SearchQuery(q='"植树 工作"')).total == 0


def test_all_terms_required(backend, corpus):
    assert backend.search(SearchQuery(q="乡镇 植树")).total == 1
    assert backend.search(SearchQuery(q="公积金 植树")).total == 0


def test_full_width_and_case_are_normalised(backend, corpus):
    assert backend.search(SearchQuery(q="２０２２年７月１日")).total == 1


def test_filters(backend, corpus):
    assert backend.search(SearchQuery(issuer="静乐县人民政府办公室")).total == 2
    assert backend.search(SearchQuery(doc_type="办法")).total == 2
    assert backend.search(SearchQuery(year=2022)).total == 2
    assert backend.search(SearchQuery(doc_number_prefix="静政办发")).total == 2
    assert backend.search(SearchQuery(normative_only=True)).total == 2
    r = backend.search(SearchQuery(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31)))
    assert [h.title for h in r.hits] == ["关于做好2020年春季植树造林工作的通知"]


def test_status_as_of_across_repeal_and_expiry(backend, corpus):
    today = dt.date(2026, 11, 28)
    valid_now = backend.search(SearchQuery(status=Status.valid, as_of=today))
    assert {h.title for h in valid_now.hits} == {
        "静乐县住房公积金缴存管理办法",
        "关于印发静乐县税务便民服务措施的通知",
    }
    repealed = backend.search(SearchQuery(status=Status.repealed, as_of=today))
    assert [h.title for h in repealed.hits] == ["静乐县城乡居民最低生活保障办法"]
    assert repealed.hits[0].status_label == "废止"
    # the day before the repeal it was valid; the expiry takes effect after its last day
    before = backend.search(SearchQuery(status=Status.valid, as_of=dt.date(2023, 4, 30)))
    assert "静乐县城乡居民最低生活保障办法" in {h.title for h in before.hits}
    on_last_day = backend.search(SearchQuery(status=Status.expired, as_of=dt.date(2021, 2, 19)))
    assert on_last_day.total == 0
    next_day = backend.search(SearchQuery(status=Status.expired, as_of=dt.date(2021, 2, 20)))
    assert [h.title for h in next_day.hits] == ["关于做好2020年春季植树造林工作的通知"]


def test_facets_count_all_matches(backend, corpus):
    r = backend.search(SearchQuery(as_of=dt.date(2026, 11, 28)))
    assert r.total == 4
    assert r.facets["status"] == {"valid": 2, "repealed": 1, "expired": 1}
    assert r.facets["issuer"] == {"静乐县人民政府": 2, "静乐县人民政府办公室": 2}
    assert r.facets["year"] == {"2022": 2, "2019": 1, "2020": 1}
    assert r.facets["doc_type"] == {"办法": 2, "通知": 2}


def test_private_documents_only_with_include_private(backend, corpus):
    assert backend.search(SearchQuery(q="内部")).total == 0
    assert backend.search(SearchQuery(q="内部", include_private=True)).total == 1


def test_highlights_are_on_original_text_and_escaped(backend, corpus):
    r = backend.search(SearchQuery(q="便民"))
    hl = " ".join(r.hits[0].highlights)
    assert "<mark>便民</mark>" in hl
    r = backend.search(SearchQuery(q="贯彻执行"))
    hl = " ".join(r.hits[0].highlights)
    assert "<script>" not in hl and "&lt;script&gt;" in hl


def test_highlight_merges_adjacent_characters(backend, corpus):
    r = backend.search(SearchQuery(q="最低生活保障"))
    assert any("<mark>最低生活保障</mark>" in h for h in r.hits[0].highlights + [r.hits[0].title_highlight or ""])


@pytest.mark.parametrize(
    "q", ['"', "*", "(", ")", ":", "^", "-", "AND", "NEAR", "a AND b", "公积金 NOT", '"unclosed', "title:x", "~/\\[]{}"]
)
def test_syntax_characters_are_plain_text(backend, corpus, q):
    r = backend.search(SearchQuery(q=q))
    assert r.total >= 0


def test_sort_by_date(backend, corpus):
    r = backend.search(SearchQuery(sort="date"))
    dates = [h.written_date for h in r.hits]
    assert dates == sorted(dates, reverse=True)


def test_paging(backend, corpus):
    first = backend.search(SearchQuery(size=2, page=1, sort="date"))
    second = backend.search(SearchQuery(size=2, page=2, sort="date"))
    assert first.total == second.total == 4
    assert not set(ids(first)) & set(ids(second))


def test_reindex_and_delete(backend, corpus):
    docs = list(corpus.values())
    assert backend.reindex(docs) == len(docs)
    assert backend.count() == len(docs)
    backend.delete([corpus["静乐县内部工作规程"].id])
    assert backend.count() == len(docs) - 1
    assert corpus["静乐县内部工作规程"].id not in backend.indexed_ids()
