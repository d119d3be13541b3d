"""Document routes: detail with status and relations, lookup by number, batch check, PDF."""

from __future__ import annotations

import pytest

from tests.search_api.conftest import Fixture


def test_document_detail(client, fx: Fixture):
    r = client.get(f"/api/v1/documents/{fx.old.id}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["title"] == fx.old.title
    assert doc["paragraphs"] == fx.old.paragraphs
    assert doc["status"] == "repealed" and doc["status_label"] == "废止"
    now = doc["status_now"]
    assert now["status"] == "repealed" and now["since"] == "2023-05-01"
    assert now["basis_document_id"] == fx.new.id and now["basis_doc_number"] == "静政发〔2023〕4号"
    assert [e["kind"] for e in doc["events"]] == ["repealed"]
    assert doc["relations"]["repealed_by"][0]["id"] == fx.new.id
    assert {c["id"] for c in doc["relations"]["cited_by"]} == {fx.new.id, fx.citing.id}
    assert doc["pdf_url"] == f"/api/v1/files/{fx.standalone_sha}.pdf"


def test_document_status_as_of(client, fx: Fixture):
    before = client.get(f"/api/v1/documents/{fx.old.id}", params={"as_of": "2023-04-30"}).json()
    assert before["status_now"]["status"] == "valid" and before["status_now"]["as_of"] == "2023-04-30"
    expired = client.get(f"/api/v1/documents/{fx.expired.id}", params={"as_of": "2022-01-01"}).json()
    assert expired["status_now"]["status"] == "expired"
    assert expired["status_now"]["since"] == "2022-01-01"
    still = client.get(f"/api/v1/documents/{fx.expired.id}", params={"as_of": "2021-12-31"}).json()
    assert still["status_now"]["status"] == "valid"


def test_relations_of_the_repealing_and_citing_documents(client, fx: Fixture):
    new = client.get(f"/api/v1/documents/{fx.new.id}").json()["relations"]
    assert [(r["kind"], r["id"]) for r in new["repeals"]] == [("repealed", fx.old.id)]
    citing = client.get(f"/api/v1/documents/{fx.citing.id}").json()["relations"]
    by_number = {r["doc_number"]: r for r in citing["cites"]}
    assert by_number["静政发〔2019〕3号"]["id"] == fx.old.id
    assert by_number["国办发〔2018〕99号"]["id"] is None  # cited but not in the archive


@pytest.mark.parametrize(
    "typed",
    ["静政发〔2019〕3号", "静政发[2019]3号", "静政发（2019）3号", "静政发【2019】3号", "静政发［2019］3号",
     "静政发2019年3号", "静政发〔２０１９〕３号", "静政发〔2019〕3", " 静政发 [2019] 3 号 "],
)
def test_by_number_forgives_typing(client, fx: Fixture, typed):
    r = client.get("/api/v1/documents/by-number", params={"number": typed})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["normalized"] == "静政发〔2019〕3号"
    assert [d["id"] for d in body["documents"]] == [fx.old.id]
    assert body["documents"][0]["status_label"] == "废止"


def test_by_number_unknown_and_invalid(client):
    r = client.get("/api/v1/documents/by-number", params={"number": "静政发〔2001〕999号"})
    assert r.status_code == 200 and r.json()["documents"] == []
    r = client.get("/api/v1/documents/by-number", params={"number": "不是文号"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_query"


def test_check_batch(client, fx: Fixture):
    items = [
        "静政发[2019]3号",
        "《静乐县规划执法检查方案》",
        "《静乐县城市规划管理办法》（静政发〔2019〕3号）",
        "静政发〔2001〕999号",
        "《不存在的办法》",
        fx.private.doc_number.text,
        "",
    ]
    r = client.post("/api/v1/documents/check", json={"items": items})
    assert r.status_code == 200, r.text
    body = r.json()
    results = [(i["input"], i["kind"], i["result"]) for i in body["items"]]
    assert results == [
        (items[0], "doc_number", "found"),
        (items[1], "title", "found"),
        (items[2], "doc_number", "found"),
        (items[3], "doc_number", "not_found"),
        (items[4], "title", "not_found"),
        (items[5], "doc_number", "not_found"),  # not public: as if absent
        ("", "empty", "not_found"),
    ]
    assert body["items"][0]["matches"][0]["status_label"] == "废止"
    assert body["found"] == 3 and body["not_found"] == 4


def test_check_limits(client):
    r = client.post("/api/v1/documents/check", json={"items": ["静政发〔2019〕3号"] * 501})
    assert r.status_code == 400 and "items" in r.json()["error"]["message"]
    r = client.post("/api/v1/documents/check", json={"items": ["长" * 301]})
    assert r.status_code == 400
    r = client.post("/api/v1/documents/check", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_parameter"


def test_document_pdf(client, fx: Fixture):
    r = client.get(f"/api/v1/documents/{fx.old.id}/pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    r = client.get(f"/api/v1/files/{fx.issue_sha}.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert client.get(f"/api/v1/files/{'0' * 64}.pdf").status_code == 404
    assert client.get("/api/v1/files/..%2F..%2Fetc%2Fpasswd.pdf").status_code == 404
