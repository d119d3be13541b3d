"""Atom feeds: valid (feedparser reads them without complaint), filtered, public only,
linked from every page, with links on the host that served them."""

from __future__ import annotations

import feedparser
import pytest
from fastapi.testclient import TestClient

from tests.search_api.conftest import Fixture
from tests.search_api.test_error_shape import assert_error_shape


def _parse(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_documents_feed(client, fx: Fixture):
    feed = _parse(client.get("/feeds/documents.atom"))
    assert feed.feed.title == "新发布文件"
    links = {e.link for e in feed.entries}
    assert f"http://testserver/documents/{fx.new.id}" in links
    assert all(link.startswith("http://testserver/documents/") for link in links)
    titles = [e.title for e in feed.entries]
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    for hidden in (fx.private, fx.private_only):
        assert all(hidden.id not in link for link in links) and hidden.title not in titles


def test_status_feed(client, fx: Fixture):
    feed = _parse(client.get("/feeds/status.atom"))
    assert feed.feed.title == "文件效力变化"
    [entry] = [e for e in feed.entries if fx.old.id in e.link]
    assert entry.title == f"废止：{fx.old.title}"
    assert "静政发〔2023〕4号" in entry.summary and entry.updated.startswith("2023-05-01")


def test_filters(client, fx: Fixture):
    by_issuer = _parse(client.get("/feeds/documents.atom", params={"issuer": "静乐县自然资源局"}))
    assert {e.link.rsplit("/", 1)[1] for e in by_issuer.entries} == {f.id for f in fx.fillers}
    repealed = _parse(client.get("/feeds/documents.atom", params={"status": "repealed"}))
    assert [e.link for e in repealed.entries] == [f"http://testserver/documents/{fx.old.id}"]
    changes = _parse(client.get("/feeds/status.atom", params={"status": "expired"}))
    assert all("失效" in e.title for e in changes.entries)
    nothing = _parse(client.get("/feeds/status.atom", params={"issuer": "没有这个机关"}))
    assert nothing.entries == []


@pytest.mark.parametrize("url", ["/feeds/documents.atom?status=gone", "/feeds/status.atom?issuer=" + "长" * 101])
def test_bad_parameters_answer_in_the_error_shape(client, url):
    assert_error_shape(client.get(url), 400, "invalid_parameter")


def test_links_follow_the_serving_host(app, fx: Fixture):
    with TestClient(app, base_url="https://gazette.jingle.gov.cn") as c:
        feed = _parse(c.get("/feeds/documents.atom"))
    assert feed.feed.link.startswith("https://gazette.jingle.gov.cn/")
    assert all(e.link.startswith("https://gazette.jingle.gov.cn/documents/") for e in feed.entries)


@pytest.mark.parametrize("path", ["/", "/gazettes", "/catalogue", "/documents/{id}"])
def test_pages_link_the_feeds(client, fx: Fixture, path):
    page = client.get(path.format(id=fx.old.id)).text
    assert '<link rel="alternate" type="application/atom+xml" title="新发布文件" href="/feeds/documents.atom">' in page
    assert '<link rel="alternate" type="application/atom+xml" title="文件效力变化" href="/feeds/status.atom">' in page
