"""Server-rendered pages through the HTTP client: structure, escaping, banners, links."""

from __future__ import annotations

import re

from tests.search_api.conftest import Fixture


def test_search_page_basics(client, fx: Fixture):
    r = client.get("/", params={"q": "城市规划"})
    assert r.status_code == 200
    html = r.text
    assert '<html lang="zh-CN">' in html
    assert 'name="viewport"' in html
    assert "<title>“城市规划”的检索结果 · 静乐县人民政府公报</title>" in html
    assert '<label for="q"' in html and 'role="search"' in html
    assert "<mark>城市规划</mark>" in html
    html = client.get("/", params={"q": "城市规划管理办法"}).text
    assert 'class="badge badge-repealed">废止<' in html
    assert "静政发〔2019〕3号" in html
    assert "<script" not in html.replace("&lt;script", "")
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_search_page_escapes_everything_but_marks(client, fx: Fixture):
    html = client.get("/", params={"q": "城市规划宣传"}).text
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>粗体</b>" not in html
    html = client.get("/", params={"q": '<img src=x onerror=alert(1)>'}).text
    assert "<img src=x" not in html


def test_facets_are_links_and_filters_apply(client, fx: Fixture):
    html = client.get("/", params={"q": "城市规划"}).text
    assert 'href="/?q=%E5%9F%8E%E5%B8%82%E8%A7%84%E5%88%92&amp;status=repealed"' in html
    filtered = client.get("/", params={"q": "城市规划", "status": "repealed"}).text
    assert 'aria-current="true"' in filtered
    assert "badge-valid" not in filtered.split('class="results"')[1]


def test_empty_form_fields_are_ignored_and_bad_ones_reported(client):
    r = client.get("/", params={"q": "规划", "status": "", "year": "", "issuer": "", "sort": "relevance"})
    assert r.status_code == 200
    r = client.get("/", params={"q": "规划", "year": "abc"})
    assert r.status_code == 400 and 'role="alert"' in r.text and "year" in r.text
    assert "<mark>规划</mark>" in r.text  # the rest of the search still ran
    for bad in ({"year": "99999999999999999999"}, {"page": "100000"}, {"size": "-1", "sort": "x"}, {"status": "x"}):
        assert client.get("/", params={"q": "规划", **bad}).status_code in (200, 400)


def test_pagination_links(client, fx: Fixture):
    html = client.get("/", params={"q": "城市规划"}).text
    assert 'aria-label="分页"' in html and 'rel="next"' in html
    second = client.get("/", params={"q": "城市规划", "page": "2"}).text
    assert 'rel="prev"' in second


def test_document_page_banner_headings_and_links(client, fx: Fixture):
    html = client.get(f"/documents/{fx.old.id}").text
    assert f'本文件已于2023年5月1日废止，废止依据：<a href="/documents/{fx.new.id}">静政发〔2023〕4号</a>。' in html
    assert "<h2>一、总则</h2>" in html and "<h3>（一）适用范围</h3>" in html and "<h4>1. 规划许可</h4>" in html
    assert "<strong>（二）职责分工。</strong>" in html
    assert f'href="/api/v1/documents/{fx.old.id}/pdf" download' in html
    assert "效力变更记录" in html


def test_document_page_expired_banner(client, fx: Fixture):
    html = client.get(f"/documents/{fx.expired.id}").text
    assert "本文件有效期至2021年12月31日，已于2022年1月1日失效。" in html
    html = client.get(f"/documents/{fx.expired.id}", params={"as_of": "2021-06-01"}).text
    assert "截至2021年6月1日，本文件现行有效，有效期至2021年12月31日。" in html


def test_document_page_title_with_script_is_inert(client, fx: Fixture):
    html = client.get(f"/documents/{fx.xss.id}").text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_gazette_pages(client, fx: Fixture):
    index = client.get("/gazettes").text
    assert '<a href="/gazettes/2023/1">第1期（总第5期）</a>' in index
    issue = client.get("/gazettes/2023/1").text
    assert re.search(r"<h3>县政府文件</h3>\s*<ol>\s*<li>\s*<a href=\"/documents/" + fx.new.id, issue)
    assert f'href="/api/v1/files/{fx.issue_sha}.pdf" download' in issue
    assert client.get("/gazettes/2030/9").status_code == 404


def test_no_form_input_breaks_the_search_page(client):
    """Property-based: whatever a browser or a bot sends, the page answers < 500."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    field = st.one_of(st.none(), st.text(max_size=30), st.integers(-10**25, 10**25).map(str))

    @given(params=st.fixed_dictionaries({k: field for k in ("q", "status", "issuer", "year", "doc_type",
                                                              "normative_only", "sort", "page")}))
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(params):
        sent = {k: v for k, v in params.items() if v is not None}
        r = client.get("/", params=sent)
        assert r.status_code in (200, 400), (sent, r.text[:300])
        assert "<script" not in r.text

    run()


def test_search_page_evaluates_status_as_of_a_date(client, fx: Fixture):
    before = client.get("/", params={"q": "城市规划管理办法", "status": "valid", "as_of": "2023-04-30"}).text
    after = client.get("/", params={"q": "城市规划管理办法", "status": "valid", "as_of": "2023-05-01"}).text
    assert f'href="/documents/{fx.old.id}?as_of=2023-04-30"' in before and "截至2023年4月30日" in before
    assert f"/documents/{fx.old.id}" not in after
    assert 'name="as_of" type="date" value="2023-05-01"' in after


def test_document_page_shows_status_on_a_date_and_the_history(client, fx: Fixture):
    page = client.get(f"/documents/{fx.old.id}", params={"as_of": "2023-04-30"}).text
    assert "banner-valid" in page and "截至2023年4月30日，本文件现行有效" in page
    assert '<tr class="later">' in page  # the repeal of 2023-05-01 is after that day
    page = client.get(f"/documents/{fx.old.id}").text
    assert "banner-repealed" in page and "效力变更记录" in page and 'class="later"' not in page
    page = client.get(f"/documents/{fx.expired.id}", params={"as_of": "2021-12-31"}).text
    assert "banner-valid" in page and "有效期至2021年12月31日" in page
    assert "banner-expired" in client.get(f"/documents/{fx.expired.id}", params={"as_of": "2022-01-01"}).text
