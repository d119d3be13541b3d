"""Elasticsearch-specific behaviour, against a real server (see ``es_support``).

The shared behaviour is pinned by ``test_contract.py``; here: the mapping on the
server-core distribution, analysis parity with :mod:`gazette.analysis`, alias swaps
under concurrent searches, bulk loads, and error translation.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import random
import socket
import threading
import uuid

import pytest

import index_mappings
from gazette import analysis
from gazette.backends.base import SearchBackend, SearchQuery
from gazette.backends.elasticsearch import MAPPING, ElasticsearchBackend, to_source
from gazette.errors import BackendUnavailable, ConfigError, QueryError
from gazette.model import Document, Status
from tests.backends import es_support
from tests.factories import make_doc, repeal_event

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def es():
    backend = es_support.make_es_backend(f"t{uuid.uuid4().hex[:10]}")
    try:
        yield backend
    finally:
        es_support.drop(backend)


_PARAGRAPHS = [
    "为规范住房公积金缴存管理，根据《住房公积金管理条例》，制定本办法。",
    "各乡镇人民政府，县直各单位：现就做好春季植树造林工作通知如下。",
    "本办法自２０２２年７月１日起施行，有效期５年。",
    "对符合条件的小微企业，按规定减免城镇土地使用税和房产税。",
    "申请人应当提交身份证明、收入证明等材料（附件1），办理时限为5个工作日。",
    "县财政局、县税务局按照职责分工负责组织实施。",
]


def _synthetic(n: int, seed: int = 7) -> list[Document]:
    rnd = random.Random(seed)
    docs = []
    for i in range(n):
        body = "\n".join(rnd.choice(_PARAGRAPHS) for _ in range(rnd.randint(3, 12)))
        docs.append(
            make_doc(
                f"关于第{i}号事项的通知",
                body,
                number=("静政发" if i % 2 else "静政办发", 2015 + i % 10, i + 1),
                doc_type=rnd.choice(["通知", "办法", "意见"]),
                written=dt.date(2015 + i % 10, 1 + i % 12, 1 + i % 28),
            )
        )
    return docs


# -- the mapping and analysis -----------------------------------------------------------


def test_backend_satisfies_the_protocol(es):
    assert isinstance(es, SearchBackend)


def test_mapping_loads_on_the_server(es):
    es.ensure_index()
    (name,) = es.indices()
    assert name.startswith(f"{es.prefix}-documents-v2-")
    mapping = es.client.indices.get_mapping(index=name)[name]["mappings"]
    props = mapping["properties"]
    # (the position gap, 100, is the default and not echoed back; see the spans test)
    assert props["chars"] == {"type": "text", "analyzer": "whitespace", "index_phrases": True, "norms": False}
    assert props["body_words"]["analyzer"] == "whitespace"
    assert props["written_date"]["type"] == "date"
    assert props["is_normative"]["type"] == "boolean"
    assert set(index_mappings.load(MAPPING)) == {"settings", "mappings"}


TRICKY = [
    "静政发〔2022〕8号",
    "静政发［２０２２］８号",
    "ＡＢＣ公司abc.5x、v1.2.3版本，2.5kg",
    "第一条　为了规范……（试行）",
    "税率12.5%，don't e-mail a_b O'Neil PM2.5",
    "⽅案 ⼈民",  # Kangxi radicals fold to 方 人
    "café naïve Ωmega こんにちは 한국어",
    "<script>alert(1)</script>&amp;",
]


@pytest.mark.parametrize("text", TRICKY)
def test_server_tokens_are_the_analysers_chars(es, text):
    es.ensure_index()
    (name,) = es.indices()
    resp = es.client.indices.analyze(index=name, field="chars", text=analysis.chars_text(text))
    assert [t["token"] for t in resp["tokens"]] == analysis.chars(text)


def _oracle(docs: list[Document], q: str) -> set[str]:
    """Ids whose title or text holds every term's characters consecutively."""
    terms = analysis.query_terms(q)

    def has(tokens: list[str], term: tuple[str, ...]) -> bool:
        n = len(term)
        return any(tuple(tokens[i : i + n]) == term for i in range(len(tokens) - n + 1))

    out = set()
    for d in docs:
        title, body = analysis.chars(d.title), analysis.chars(d.text)
        if terms and all(has(title, t.chars) or has(body, t.chars) for t in terms):
            out.add(d.id)
    return out


def test_phrase_matching_equals_the_analysers_substring_rule(es):
    rnd = random.Random(11)
    alphabet = list("税务局公积金住房办法通知〔〕［］（）【】 ，。、.-_'0123456789０１２abcXYＡ%\n")
    docs = []
    for i in range(40):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(5, 60)))
        title = f"文件{i}" + "".join(rnd.choice(alphabet) for _ in range(6))
        docs.append(make_doc(title, text, number=("静", 2000 + i, i)))
    es.index(docs)
    checked = 0
    for _ in range(150):
        d = rnd.choice(docs)
        source = d.text if rnd.random() < 0.8 else d.title
        start = rnd.randrange(len(source))
        q = source[start : start + rnd.randint(1, 8)]
        if rnd.random() < 0.3:  # a second term, or a quoted phrase
            q = f'{q} {rnd.choice(alphabet)}' if rnd.random() < 0.5 else f'"{q}"'
        if not analysis.query_terms(q):
            continue
        got = {h.id for h in es.search(SearchQuery(q=q, size=100, facets=False)).hits}
        assert got == _oracle(docs, q), q
        checked += 1
    assert checked > 100


def test_a_phrase_never_spans_the_title_and_the_body(es):
    # Title and body are two values of one field; the position gap between them must
    # keep "积金" (the title's last character and the body's first) from matching.
    doc = make_doc("住房公积", "金管理办法", number=("静政发", 2022, 9))
    es.index([doc])
    assert es.search(SearchQuery(q="积金")).total == 0
    assert es.search(SearchQuery(q='"公积 金管"')).total == 0
    assert es.search(SearchQuery(q="公积 金管")).total == 1
    assert es.search(SearchQuery(q="房公积")).total == 1
    assert es.search(SearchQuery(q="金管理")).total == 1


def test_searches_keep_answering_from_a_v1_index_until_reindexed(es):
    # An archive upgraded from index v1 searches its old index until `gazette reindex`
    # has built the v2 one: same hits, then the same hits from v2.
    v1 = index_mappings.load("gazette-documents-v1")
    name = f"{es.prefix}-documents-v1-20240101000000000000"
    es.client.indices.create(index=name, settings=v1["settings"], mappings=v1["mappings"], aliases={es.alias: {}})
    docs = _synthetic(30)
    for doc in docs:
        source = to_source(doc)
        title, body = source.pop("chars")
        es.client.index(index=name, id=doc.id, document={**source, "title_chars": title, "body_chars": body})
    es.refresh()
    queries = [SearchQuery(q=q) for q in ("住房公积金", "税", "通知 办法", '"有效期５年"', "第1号")]
    before = [es.search(q) for q in queries]
    assert all(r.total for r in before)
    with pytest.raises(ConfigError, match="gazette reindex"):
        es.index(docs[:1])
    es.reindex(docs)
    (new,) = es.indices()
    assert new.startswith(f"{es.prefix}-documents-v2-")
    after = [es.search(q) for q in queries]
    assert [(r.total, r.facets, {h.id for h in r.hits}) for r in after] == [
        (r.total, r.facets, {h.id for h in r.hits}) for r in before
    ]


def test_doc_number_in_variant_brackets_and_full_width(es):
    doc = make_doc("关于印发管理办法的通知", "根据县政府《通知》（静政发〔2022〕8号）精神。", number=("静政发", 2022, 8))
    es.index([doc])
    for q in ["静政发〔2022〕8号", "静政发[2022]8号", "静政发（２０２２）８号", "静政发【2022】8号"]:
        assert [h.id for h in es.search(SearchQuery(q=q)).hits] == [doc.id], q


# -- before anything is indexed -----------------------------------------------------------


def test_empty_backend_answers_without_an_index(es):
    assert es.search(SearchQuery(q="公积金")).total == 0
    assert es.search(SearchQuery()).facets == {"status": {}, "issuer": {}, "year": {}, "doc_type": {}}
    assert es.count() == 0
    assert es.indexed_ids() == set()
    es.delete(["nope"])
    assert es.indices() == []


# -- reindex and alias swaps -------------------------------------------------------------


def test_reindex_swaps_alias_under_concurrent_searches(es):
    docs = _synthetic(400)
    es.index(docs)
    queries = [SearchQuery(q="公积金"), SearchQuery(q="税", status=Status.valid), SearchQuery(sort="date")]
    expected = [es.search(q).model_dump() for q in queries]
    assert expected[0]["total"] > 0
    (before,) = es.indices()

    stop = threading.Event()
    failures: list[str] = []
    searches = 0

    def searcher() -> None:
        nonlocal searches
        while not stop.is_set():
            for q, want in zip(queries, expected, strict=True):
                try:
                    got = es.search(q).model_dump()
                except Exception as exc:  # any error is a lost search
                    failures.append(repr(exc))
                    continue
                searches += 1
                if got["total"] != want["total"] or got["facets"] != want["facets"]:
                    failures.append(f"{q.q!r}: total {got['total']} != {want['total']}")

    threads = [threading.Thread(target=searcher) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for _ in range(3):
            assert es.reindex(docs) == len(docs)
    finally:
        stop.set()
        for t in threads:
            t.join()

    assert failures == []
    assert searches > 20
    (after,) = es.indices()
    assert after != before
    existing = es.client.indices.get(index=f"{es.prefix}-documents-v*").body
    assert list(existing) == [after]  # old indices were deleted with the swap
    assert [es.search(q).model_dump() for q in queries] == expected
    settings_ = es.client.indices.get_settings(index=after, flat_settings=True)[after]["settings"]
    assert settings_.get("index.refresh_interval") in (None, "1s")


def test_failed_reindex_keeps_the_old_index(es):
    docs = _synthetic(50)
    es.index(docs)
    (before,) = es.indices()

    def broken():
        yield from docs[:10]
        raise RuntimeError("archive read failed")

    with pytest.raises(RuntimeError):
        es.reindex(broken())
    assert es.indices() == [before]
    assert list(es.client.indices.get(index=f"{es.prefix}-documents-v*").body) == [before]
    assert es.count() == 50


def test_clear_empties_the_index(es):
    es.index(_synthetic(20))
    es.clear()
    assert es.count() == 0
    assert es.search(SearchQuery()).total == 0


def test_index_replaces_by_id_and_status_is_evaluated_as_of(es):
    doc = make_doc("关于住房公积金的通知", "正文。", number=("静政发", 2019, 3))
    es.index([doc])
    es.index([doc.model_copy(update={"title": "关于住房公积金的决定"})])
    assert es.count() == 1
    repealed = make_doc(
        "旧办法", "正文。", number=("静政发", 2018, 1), events=[repeal_event(dt.date(2023, 5, 1))]
    )
    es.index([repealed])
    on = es.search(SearchQuery(q="旧办法", as_of=dt.date(2023, 5, 1))).hits[0]
    assert (on.status, on.status_label) == (Status.repealed, "废止")
    before = es.search(SearchQuery(q="旧办法", as_of=dt.date(2023, 4, 30))).hits[0]
    assert before.status == Status.valid


# -- ranked searches with facets ------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "住房公积金"},
        {"q": "税 管理"},
        {"q": "通知", "page": 3},
        {"q": "公积金", "sort": "date"},
        {"q": "办法", "doc_type": "办法", "status": "valid"},
    ],
)
def test_a_ranked_faceted_search_ranks_and_counts_like_its_halves(es, params):
    # A ranked search with facets runs as two searches (hits without an exact total;
    # total and facets unscored): its page and total must be those of the same search
    # without facets (one search, exact total), and each facet must count every match.
    es.index(_synthetic(300))
    faceted = es.search(SearchQuery(**params, facets=True))
    plain = es.search(SearchQuery(**params, facets=False))
    assert faceted.hits == plain.hits
    assert faceted.total == plain.total > 0
    for name in ("status", "doc_type", "year"):
        assert sum(faceted.facets[name].values()) == faceted.total, name


def test_a_failed_half_of_a_split_search_is_a_query_error(es):
    es.ensure_index()
    ranked = {"query": {"match_all": {}}, "size": 1, "track_total_hits": False}
    bad = {"size": 0, "aggs": {"x": {"terms": {"field": "chars"}}}}  # text fields have no doc values
    with pytest.raises(QueryError, match="HTTP 400"):
        es._search_with_retry([ranked, bad])


# -- bulk loads ---------------------------------------------------------------------------


def test_bulk_load_of_thousands_restores_settings(es):
    es.ensure_index()
    (name,) = es.indices()
    before = es.client.indices.get_settings(index=name, flat_settings=True)[name]["settings"]
    docs = _synthetic(3000)
    assert es.index(docs) == 3000  # ≥ BULK_LOAD_THRESHOLD: bulk-load settings
    assert es.count() == 3000
    assert es.indexed_ids() == {d.id for d in docs}
    after = es.client.indices.get_settings(index=name, flat_settings=True)[name]["settings"]
    for key in ("index.refresh_interval", "index.number_of_replicas"):
        assert after.get(key) == before.get(key)
    r = es.search(SearchQuery(q="小微企业", doc_type="意见", year=2019))
    assert r.total > 0 and all(h.doc_type == "意见" for h in r.hits)
    assert es.search(SearchQuery(page=1000, size=100)).hits == []


# -- user text is never syntax ------------------------------------------------------------

SPECIAL = ['"', "*", "(", ")", ":", "^", "-", "~", "/", "\\", "[", "]", "{", "}"]
SPECIAL += ["&&", "||", "!", "?", "+", "<", ">", "=", "AND", "NEAR", "OR", "NOT"]


@pytest.mark.parametrize("special", SPECIAL)
def test_lucene_special_characters_are_plain_text(es, special):
    docs = _synthetic(30)
    es.index(docs)
    assert es.search(SearchQuery(q="公积金")).total > 0
    for q in [special, f"公积金 {special}", f"公积金{special}", f"{special}公积金{special}", f'"{special} 公积金']:
        r = es.search(SearchQuery(q=q, size=100))
        assert {h.id for h in r.hits} == _oracle(docs, q), q


@pytest.mark.parametrize("q", ["AND", "NEAR", "OR 公积金", "公积金 NOT 税", "title:公积金", "body_words:*", "a~2"])
def test_operator_words_are_searched_literally(es, q):
    es.index(_synthetic(30) + [make_doc("Near AND or", "title:公积金 body_words:* a~2 NOT 税", number=("静", 2020, 1))])
    r = es.search(SearchQuery(q=q))
    assert r.total >= 1  # the document holding the literal words


# -- errors ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_is_backend_unavailable():
    url = f"http://127.0.0.1:{_free_port()}"
    backend = ElasticsearchBackend(url, index_prefix="unreachable", timeout=2)
    for call in (
        lambda: backend.search(SearchQuery(q="公积金")),
        lambda: backend.index(_synthetic(2)),
        backend.count,
        lambda: backend.reindex([]),
    ):
        with pytest.raises(BackendUnavailable) as err:
            call()
        assert f"Elasticsearch at {url} is unreachable" in str(err.value)
        assert "\n" not in str(err.value)
    backend.close()


class _Answer503(http.server.BaseHTTPRequestHandler):
    def _reply(self) -> None:
        body = json.dumps(
            {"error": {"type": "cluster_block_exception", "reason": "blocked by: [SERVICE_UNAVAILABLE]"}, "status": 503}
        ).encode()
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_HEAD = _reply

    def log_message(self, *args) -> None:
        pass


def test_server_answering_5xx_is_backend_unavailable():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer503)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        backend = ElasticsearchBackend(f"http://127.0.0.1:{server.server_port}", index_prefix="fivexx", timeout=5)
        with pytest.raises(BackendUnavailable, match="HTTP 503.*cluster_block_exception"):
            backend.search(SearchQuery(q="公积金"))
        backend.close()
    finally:
        server.shutdown()
        server.server_close()


def test_bad_request_is_query_error(es):
    es.ensure_index()
    with pytest.raises(QueryError):
        with es._errors("search"):
            es.client.search(index=es.alias, query={"match_phrase": {"chars": {"query": "x", "slop": "bad"}}})


def test_invalid_prefix_is_a_config_error():
    from gazette.errors import ConfigError

    with pytest.raises(ConfigError):
        ElasticsearchBackend("http://127.0.0.1:9", index_prefix="Bad Prefix")
