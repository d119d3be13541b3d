"""GET /api/v1/search: mapping of parameters, status labels, facets, highlights, paging."""

from __future__ import annotations

import pytest

from tests.search_api.conftest import Fixture


def search(client, **params):
    r = client.get("/api/v1/search", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_search_returns_hits_with_status_labels_and_highlights(client, fx: Fixture):
    body = search(client, q="城市规划管理办法")
    assert body["total"] >= 1
    hit = next(h for h in body["hits"] if h["id"] == fx.old.id)
    assert hit["doc_number"] == "静政发〔2019〕3号"
    assert hit["status"] == "repealed" and hit["status_label"] == "废止"
    assert "<mark>" in hit["title_highlight"]
    assert set(body["facets"]) == {"status", "issuer", "year", "doc_type"}
    assert {"page", "size", "pages", "as_of"} <= set(body)


@pytest.mark.parametrize(
    ("status", "label"), [("valid", "有效"), ("repealed", "废止"), ("expired", "失效")]
)
def test_status_filter(client, fx: Fixture, status, label):
    body = search(client, status=status, size=100)
    assert body["total"] >= 1
    assert {h["status_label"] for h in body["hits"]} == {label}


def test_status_is_evaluated_as_of_a_date(client, fx: Fixture):
    before = search(client, q="城市规划管理办法", as_of="2023-04-30")
    after = search(client, q="城市规划管理办法", as_of="2023-05-01")
    status = lambda body: next(h["status"] for h in body["hits"] if h["id"] == fx.old.id)  # noqa: E731
    assert status(before) == "valid"
    assert status(after) == "repealed"


def test_filters_map_onto_the_query(client, fx: Fixture):
    assert search(client, issuer="静乐县自然资源局", size=100)["total"] == len(fx.fillers)
    assert {h["id"] for h in search(client, doc_type="决定")["hits"]} == {fx.new.id}
    assert all(h["is_normative"] for h in search(client, normative_only=True, size=100)["hits"])
    assert {h["id"] for h in search(client, doc_number_prefix="静政发", year=2019)["hits"]} == {fx.old.id}
    dated = search(client, date_from="2023-01-01", date_to="2023-12-31", size=100)
    assert {h["id"] for h in dated["hits"]} == {fx.new.id, fx.citing.id}


def test_paging_and_date_sort(client, fx: Fixture):
    first = search(client, q="城市规划", size=2, page=1, sort="date")
    second = search(client, q="城市规划", size=2, page=2, sort="date")
    assert first["pages"] == -(-first["total"] // 2)
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    dates = [h["written_date"] for h in first["hits"] + second["hits"]]
    assert dates == sorted(dates, reverse=True)


def test_facet_counts_add_up(client, fx: Fixture):
    body = search(client, q="城市规划")
    assert sum(body["facets"]["status"].values()) == body["total"]


@pytest.mark.parametrize(
    "q",
    ['"', "*", "(", ")", ":", "^", "-", "AND", "NEAR", "NOT", "OR", 'title:"x', "城市 AND (规划 OR", "a*^2 -b",
     "NEAR(城市 规划, 2)", "\\", "'", "{}[]", "~1", "+++", "\x00", "🙂"],
)
def test_engine_syntax_in_q_never_fails(client, q):
    r = client.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200, r.text


def test_highlights_are_escaped(client, fx: Fixture):
    body = search(client, q="城市规划宣传")
    hit = next(h for h in body["hits"] if h["id"] == fx.xss.id)
    text = " ".join(hit["highlights"]) + hit["title_highlight"]
    assert "<script>" not in text and "</script>" not in text
    assert "&lt;/script&gt;" in text
    assert "<mark>" in text


@pytest.mark.parametrize("threads", [None, 1, 3])
def test_server_threads_bound_the_request_thread_pool(fx: Fixture, threads):
    """``server_threads`` sets how many requests a server process runs at once (the
    thread pool of its synchronous routes); unset, anyio's default stays."""
    from anyio import to_thread
    from fastapi.testclient import TestClient

    from search_api.app import create_app

    settings = fx.archive.settings.model_copy(update={"server_threads": threads})
    with TestClient(create_app(settings, archive=fx.archive)) as c:
        tokens = c.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)
        assert tokens == (threads or 40)
        assert search(c, q="城市规划管理办法")["total"] >= 1


@pytest.mark.parametrize("threads", [None, 1, 3])
@pytest.mark.parametrize("path", ["/api/v1/search", "/"])
def test_one_request_thread_searches_on_the_event_loop(fx: Fixture, monkeypatch, threads, path):
    """With one request thread per process, a search runs on the event loop (a hop to
    the one thread buys nothing); with more, in the request thread pool, so that a
    search does not hold up the other requests."""
    import threading

    from fastapi.testclient import TestClient

    from search_api.app import create_app

    ran_in: list[str] = []
    original = fx.archive.search

    def search_and_record(query):
        ran_in.append(threading.current_thread().name)
        return original(query)

    monkeypatch.setattr(fx.archive, "search", search_and_record)
    settings = fx.archive.settings.model_copy(update={"server_threads": threads})
    with TestClient(create_app(settings, archive=fx.archive)) as c:
        loop_thread = c.portal.call(lambda: threading.current_thread().name)
        response = c.get(path, params={"q": "城市规划管理办法"})
        assert response.status_code == 200
        assert "城市规划管理办法" in response.text
    assert len(ran_in) == 1
    assert (ran_in[0] == loop_thread) == (threads == 1), (ran_in, loop_thread)
