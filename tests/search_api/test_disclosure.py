"""Only 主动公开 documents on every public path; the others are a 404 everywhere."""

from __future__ import annotations

from tests.search_api.conftest import Fixture


def test_private_documents_are_404_on_every_path(client, fx: Fixture):
    for doc in (fx.private, fx.private_only):
        for url in (
            f"/api/v1/documents/{doc.id}",
            f"/api/v1/documents/{doc.id}/pdf",
            f"/documents/{doc.id}",
        ):
            assert client.get(url).status_code == 404, url
    assert client.get(f"/api/v1/files/{fx.private_sha}.pdf").status_code == 404


def test_private_words_never_surface(client, fx: Fixture):
    for params in ({"q": "保密词"}, {"q": "内部工作安排"}, {"q": "不公开"}):
        assert client.get("/api/v1/search", params=params).json()["total"] == 0
        assert "共 0 份文件" in client.get("/", params=params).text
    page = client.get("/", params={"q": "城市规划", "size": 100}).text
    assert "内部安排" not in page and fx.private.id not in page
    everything = client.get("/api/v1/search", params={"size": 100}).json()
    ids = {h["id"] for h in everything["hits"]}
    assert fx.private.id not in ids and fx.private_only.id not in ids
    assert sum(everything["facets"]["status"].values()) == everything["total"]
    number = client.get("/api/v1/documents/by-number", params={"number": fx.private.doc_number.text}).json()
    assert number["documents"] == []
    toc = client.get("/api/v1/gazettes/2023/1").text + client.get("/gazettes/2023/1").text
    assert fx.private.title not in toc and fx.private.id not in toc
