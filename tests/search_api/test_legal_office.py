"""The legal office's API: token checks, audited writes, concurrency, the rate limit,
``as_of`` across writes, and the authenticated reads (issue 4 item 4, issue 8 item 4)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from gazette.model import Disclosure
from search_api.ratelimit import SlidingWindowLimiter
from tests.factories import make_doc
from tests.search_api.conftest import (
    ACTOR,
    TOKENS,
    Fixture,
    auth,
    build_archive,
    legal_office_app,
    write_pdf,
)
from tests.search_api.test_error_shape import assert_error_shape

BASIS = "静政发〔2023〕4号"


def _writes(doc_id: str) -> list[tuple[str, str, dict]]:
    """Every write endpoint with a valid body for ``doc_id``."""
    return [
        ("post", f"/api/v1/documents/{doc_id}/status", {"status": "repealed", "date": "2024-03-01", "cause": "清理"}),
        ("post", f"/api/v1/documents/{doc_id}/expiry", {"expiry_date": "2026-12-31", "cause": "明确有效期"}),
        ("patch", f"/api/v1/documents/{doc_id}", {"registration_number": "JLXR-2024-001"}),
        ("put", f"/api/v1/documents/{doc_id}", {"registration_number": "JLXR-2024-002"}),
    ]


WRITE_IDS = ["status", "expiry", "patch", "put"]


def _history(client: TestClient, doc_id: str) -> list[dict]:
    return client.get(f"/api/v1/admin/documents/{doc_id}", headers=auth()).json()["events"]


# -- authentication ----------------------------------------------------------------------


@pytest.mark.parametrize("index", range(4), ids=WRITE_IDS)
def test_writes_need_a_token(wclient, wfx: Fixture, index):
    method, url, body = _writes(wfx.fillers[0].id)[index]
    before = _history(wclient, wfx.fillers[0].id)

    for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}):
        r = getattr(wclient, method)(url, json=body, headers=headers)
        assert_error_shape(r, 401, "unauthorized")
        assert r.headers["WWW-Authenticate"].startswith("Bearer ")

    for token in ("wrong", TOKENS[ACTOR] + "x", TOKENS[ACTOR].upper()):
        r = getattr(wclient, method)(url, json=body, headers={"Authorization": f"Bearer {token}"})
        assert_error_shape(r, 403, "forbidden")

    assert _history(wclient, wfx.fillers[0].id) == before  # nothing was recorded


@pytest.mark.parametrize("index", range(4), ids=WRITE_IDS)
def test_token_is_checked_before_the_body(wclient, wfx: Fixture, index):
    method, url, _ = _writes(wfx.fillers[0].id)[index]
    r = getattr(wclient, method)(url, content=b"{not json", headers={"Content-Type": "application/json"})
    assert_error_shape(r, 401)
    r = getattr(wclient, method)("/api/v1/documents/no-such-doc/status", json={}, headers={"Authorization": "Bearer x"})
    assert r.status_code in (403, 405)


def test_without_configured_tokens_every_token_is_refused(fx: Fixture, client):
    r = client.post(f"/api/v1/documents/{fx.old.id}/status", json={}, headers=auth())
    assert_error_shape(r, 403, "forbidden")


@pytest.mark.parametrize("url", ["/api/v1/admin/review", "/api/v1/admin/documents/{id}"])
def test_authenticated_reads_need_a_token(wclient, wfx: Fixture, url):
    url = url.format(id=wfx.private.id)
    assert_error_shape(wclient.get(url), 401)
    assert_error_shape(wclient.get(url, headers={"Authorization": "Bearer wrong"}), 403)
    assert wclient.get(url, headers=auth()).status_code == 200


def test_read_api_stays_public(wclient, wfx: Fixture):
    assert wclient.get(f"/api/v1/documents/{wfx.old.id}").status_code == 200
    assert wclient.get("/api/v1/search", params={"q": "城市规划"}).status_code == 200


# -- writes --------------------------------------------------------------------------------


def test_repeal_is_recorded_with_actor_and_resolved_basis(wclient, wfx: Fixture):
    doc = wfx.fillers[1]
    r = wclient.post(
        f"/api/v1/documents/{doc.id}/status",
        json={"status": "repealed", "date": "2024-03-01", "cause": "经清理予以废止", "basis_doc_number": "静政发[2023]4号"},
        headers=auth(),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == doc.id and body["status"] == "repealed"
    last = body["events"][-1]
    assert last["kind"] == "repealed" and last["actor"] == ACTOR and last["date"] == "2024-03-01"
    assert last["basis_doc_number"] == BASIS and last["basis_document_id"] == wfx.new.id
    assert last["cause"] == "经清理予以废止" and last["recorded_at"]
    public = wclient.get(f"/api/v1/documents/{doc.id}").json()
    assert public["status"] == "repealed" and public["events"][-1]["actor"] == ACTOR
    page = wclient.get(f"/documents/{doc.id}").text
    assert "经清理予以废止" in page and "废止" in page


def test_restore_and_conflict(wclient, wfx: Fixture):
    doc = wfx.fillers[2]
    url = f"/api/v1/documents/{doc.id}/status"
    valid = {"status": "valid", "date": "2024-05-01", "cause": "纠正"}
    assert_error_shape(wclient.post(url, json=valid, headers=auth()), 409, "conflict")
    assert wclient.post(url, json={**valid, "status": "expired", "date": "2024-04-01"}, headers=auth()).status_code == 200
    r = wclient.post(url, json=valid, headers=auth())
    assert r.status_code == 200 and r.json()["events"][-1]["kind"] == "restored"
    api = lambda day: wclient.get(f"/api/v1/documents/{doc.id}", params={"as_of": day}).json()["status_now"]["status"]
    assert [api("2024-03-31"), api("2024-04-01"), api("2024-04-30"), api("2024-05-01")] == [
        "valid", "expired", "expired", "valid"
    ]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"status": "gone", "date": "2024-03-01", "cause": "x"}, "status"),
        ({"status": "repealed", "date": "2024-03-01"}, "cause"),
        ({"status": "repealed", "date": "2024-03-01", "cause": "   "}, "cause"),
        ({"status": "repealed", "date": "0024-03-01", "cause": "x"}, "date"),
        ({"status": "repealed", "date": "2024-03-01", "cause": "x", "actor": "me"}, "actor"),
        ({"status": "repealed", "date": "2024-03-01", "cause": "x", "basis_doc_number": "不是文号"}, None),
        ({"status": "repealed", "date": "2024-03-01", "cause": "x", "basis_document_id": "nope"}, None),
        ({"status": "repealed", "date": "2024-03-01", "cause": "x", "basis_document_id": "{self}"}, None),
        ({"status": "repealed", "date": "2000-01-01", "cause": "x"}, None),  # before it was written
    ],
)
def test_status_body_is_validated(wclient, wfx: Fixture, body, param):
    doc = wfx.fillers[3]
    body = {k: (doc.id if v == "{self}" else v) for k, v in body.items()}
    error = assert_error_shape(wclient.post(f"/api/v1/documents/{doc.id}/status", json=body, headers=auth()), 400)
    if param:
        assert param in error["message"]
    assert wclient.get(f"/api/v1/documents/{doc.id}").json()["status"] == "valid"


def test_basis_number_must_match_basis_document(wclient, wfx: Fixture):
    body = {
        "status": "repealed", "date": "2024-03-01", "cause": "x",
        "basis_document_id": wfx.new.id, "basis_doc_number": "静政发〔2023〕5号",
    }
    assert_error_shape(wclient.post(f"/api/v1/documents/{wfx.fillers[3].id}/status", json=body, headers=auth()), 400)


def test_unknown_document_is_404(wclient):
    for method, url, body in _writes("no-such-document"):
        assert_error_shape(getattr(wclient, method)(url, json=body, headers=auth()), 404, "not_found")


def test_metadata_corrections_are_audited(wclient, wfx: Fixture):
    doc = wfx.fillers[4]
    changes = {
        "registration_number": "JLXR-2021-0104",
        "title": "静乐县城市规划第5号工作通知（更正）",
        "doc_type": "通知",  # unchanged: not part of the diff
        "issuers": ["静乐县自然资源局", "静乐县住房和城乡建设局"],
        "doc_number": "静政办函〔2021〕204号",
        "written_date": "2021-01-16",
        "is_normative": True,
        "cause": "据原件更正",
    }
    r = wclient.patch(f"/api/v1/documents/{doc.id}", json=changes, headers=auth("县政府办"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["title"] == changes["title"] and body["doc_number"] == "静政办函〔2021〕204号"
    assert body["issuers"] == changes["issuers"] and body["registration_number"] == "JLXR-2021-0104"
    event = body["events"][-1]
    assert event["kind"] == "metadata" and event["actor"] == "县政府办" and event["cause"] == "据原件更正"
    diff = event["data"]["changes"]
    assert diff["title"] == {"from": doc.title, "to": changes["title"]}
    assert "doc_type" not in diff and "written_date" in diff
    assert wclient.get(f"/api/v1/documents/{doc.id}").json()["registration_number"] == "JLXR-2021-0104"
    assert wclient.get("/api/v1/documents/by-number", params={"number": "静政办函〔2021〕204号"}).json()["documents"]

    # The same values again change nothing and record nothing.
    count = len(body["events"])
    again = wclient.put(f"/api/v1/documents/{doc.id}", json=changes, headers=auth())
    assert again.status_code == 200 and len(again.json()["events"]) == count


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"cause": "only a cause"},
        {"title": None},
        {"title": ""},
        {"disclosure": "公开"},
        {"issuers": []},
        {"doc_number": "乱写的"},
        {"written_date": "2021-02-30"},
        {"text": "replace the text"},
        {"expiry_date": "2030-01-01"},
    ],
)
def test_metadata_body_is_validated(wclient, wfx: Fixture, body):
    assert_error_shape(wclient.patch(f"/api/v1/documents/{wfx.fillers[5].id}", json=body, headers=auth()), 400)


def test_disclosure_change_hides_the_document_everywhere(wclient, wfx: Fixture):
    doc = wfx.fillers[6]
    r = wclient.patch(f"/api/v1/documents/{doc.id}", json={"disclosure": "依申请公开", "cause": "经审查"}, headers=auth())
    assert r.status_code == 200 and r.json()["disclosure"] == Disclosure.on_request.value
    assert wclient.get(f"/api/v1/documents/{doc.id}").status_code == 404
    assert wclient.get(f"/documents/{doc.id}").status_code == 404
    hits = wclient.get("/api/v1/search", params={"q": "第6号工作通知"}).json()
    assert doc.id not in {h["id"] for h in hits["hits"]}
    assert doc.id not in wclient.get("/feeds/documents.atom").text
    assert wclient.get(f"/api/v1/admin/documents/{doc.id}", headers=auth()).status_code == 200
    r = wclient.patch(f"/api/v1/documents/{doc.id}", json={"disclosure": "主动公开"}, headers=auth())
    assert wclient.get(f"/api/v1/documents/{doc.id}").status_code == 200


def test_expiry_is_an_expiry_set_event(wclient, wfx: Fixture):
    doc = wfx.fillers[7]
    url = f"/api/v1/documents/{doc.id}/expiry"
    bad = {"expiry_date": "2020-01-01", "cause": "x"}  # before it took effect (2021)
    assert_error_shape(wclient.post(url, json=bad, headers=auth()), 400)
    r = wclient.post(url, json={"expiry_date": "2026-01-07", "date": "2021-01-08", "cause": "有效期5年"}, headers=auth())
    assert r.status_code == 200, r.text
    event = r.json()["events"][-1]
    assert event["kind"] == "expiry_set" and event["data"] == {"expiry_date": "2026-01-07"} and event["actor"] == ACTOR
    assert r.json()["expiry_date"] == "2026-01-07"
    assert "有效期至</th><td>2026年1月7日" in wclient.get(f"/documents/{doc.id}").text
    public = wclient.get(f"/api/v1/documents/{doc.id}", params={"as_of": "2026-01-08"}).json()
    assert public["status_now"]["status"] == "expired"


# -- as_of across writes, on every read path ----------------------------------------------


def _status_everywhere(client: TestClient, doc, day: str) -> set[str]:
    """The document's status on ``day`` as the document, search and catalogue APIs
    give it (they must agree)."""
    seen = {client.get(f"/api/v1/documents/{doc.id}", params={"as_of": day}).json()["status_now"]["status"]}
    for status in ("valid", "repealed", "expired"):
        hits = client.get("/api/v1/search", params={"q": doc.title, "as_of": day, "status": status, "size": 100}).json()
        if doc.id in {h["id"] for h in hits["hits"]}:
            seen.add(status)
    groups = {"继续有效": "valid", "废止": "repealed", "失效": "expired"}
    for group in client.get("/api/v1/catalogue", params={"as_of": day}).json()["groups"]:
        if doc.id in {row["document_id"] for row in group["rows"]}:
            seen.add(groups[group["name"]])
    return seen


def test_as_of_across_a_repeal_via_the_api(wclient, wfx: Fixture):
    doc = wfx.fillers[8]
    assert wclient.patch(f"/api/v1/documents/{doc.id}", json={"is_normative": True}, headers=auth()).status_code == 200
    body = {"status": "repealed", "date": "2024-03-01", "cause": "废止", "basis_document_id": wfx.new.id}
    assert wclient.post(f"/api/v1/documents/{doc.id}/status", json=body, headers=auth()).status_code == 200
    assert _status_everywhere(wclient, doc, "2024-02-29") == {"valid"}
    assert _status_everywhere(wclient, doc, "2024-03-01") == {"repealed"}
    page = wclient.get(f"/documents/{doc.id}", params={"as_of": "2024-02-29"}).text
    assert "截至2024年2月29日" in page and "banner-valid" in page
    page = wclient.get(f"/documents/{doc.id}", params={"as_of": "2024-03-01"}).text
    assert "banner-repealed" in page and "效力变更记录" in page


def test_as_of_across_an_expiry_via_the_api(wclient, wfx: Fixture):
    doc = wfx.fillers[9]
    assert wclient.patch(f"/api/v1/documents/{doc.id}", json={"is_normative": True}, headers=auth()).status_code == 200
    body = {"expiry_date": "2024-06-30", "date": "2021-01-10", "cause": "有效期至2024年6月30日"}
    assert wclient.post(f"/api/v1/documents/{doc.id}/expiry", json=body, headers=auth()).status_code == 200
    assert _status_everywhere(wclient, doc, "2024-06-30") == {"valid"}  # in force to the end of the day
    assert _status_everywhere(wclient, doc, "2024-07-01") == {"expired"}
    assert _status_everywhere(wclient, doc, "2021-01-09") == {"valid"}


# -- concurrency and the rate limit -------------------------------------------------------------


def test_concurrent_writes_are_all_recorded(tmp_path):
    fx = build_archive(tmp_path)
    target = fx.fillers[0]
    with TestClient(legal_office_app(fx.archive, write_rate_per_minute=10_000)) as client:
        before = len(_history(client, target.id))

        def write(i: int) -> int:
            name = list(TOKENS)[i % 2]
            if i % 3 == 0:
                r = client.patch(f"/api/v1/documents/{target.id}", json={"registration_number": f"R-{i}"}, headers=auth(name))
            elif i % 3 == 1:
                body = {"expiry_date": f"2030-01-{1 + i % 28:02d}", "date": "2022-01-01", "cause": f"第{i}次"}
                r = client.post(f"/api/v1/documents/{target.id}/expiry", json=body, headers=auth(name))
            else:
                body = {"status": "expired", "date": "2025-01-01", "cause": f"第{i}次"}
                r = client.post(f"/api/v1/documents/{target.id}/status", json=body, headers=auth(name))
            return r.status_code

        n = 48
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(write, range(n)))
        assert statuses == [200] * n
        events = _history(client, target.id)
        assert len(events) == before + n
        causes = {e["cause"] for e in events}
        assert all(f"第{i}次" in causes for i in range(n) if i % 3)
        regs = [e["data"]["changes"]["registration_number"]["to"] for e in events if e["kind"] == "metadata"]
        assert sorted(regs) == sorted(f"R-{i}" for i in range(0, n, 3))
        assert {e["actor"] for e in events[before:]} == set(TOKENS)
        assert fx.archive.check() == []
    fx.archive.close()


def test_writes_are_rate_limited_per_token(wfx: Fixture):
    with TestClient(legal_office_app(wfx.archive, write_rate_per_minute=3)) as client:
        url = f"/api/v1/documents/{wfx.fillers[10].id}"
        for i in range(3):
            assert client.patch(url, json={"section": f"第{i}节"}, headers=auth()).status_code == 200
        r = client.patch(url, json={"section": "再一次"}, headers=auth())
        assert_error_shape(r, 429, "too_many_requests")
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        # Another token has its own allowance; reads are not limited.
        assert client.patch(url, json={"section": "另一令牌"}, headers=auth("县政府办")).status_code == 200
        assert client.get("/api/v1/admin/review", headers=auth()).status_code == 200
        assert client.get(f"/api/v1/documents/{wfx.fillers[10].id}").status_code == 200


def test_sliding_window_limiter():
    now = [1000.0]
    limiter = SlidingWindowLimiter(2, window=60, clock=lambda: now[0])
    assert limiter.hit("a") is None
    now[0] += 30
    assert limiter.hit("a") is None
    assert limiter.hit("a") == 30  # the first hit leaves the window in 30 s
    assert limiter.hit("b") is None
    now[0] += 30
    assert limiter.hit("a") is None  # the first hit has left; refused hits never counted
    assert limiter.hit("a") == 30
    assert SlidingWindowLimiter(0).hit("a") == 60


# -- authenticated reads -----------------------------------------------------------------------


def test_admin_document_shows_non_public_documents_unmasked(wclient, wfx: Fixture, tmp_path):
    secret = make_doc(
        "静乐县某信访事项处理意见",
        "信访人李某，联系电话13912345678，身份证号140121198001011234。\n请县信访局妥善处理。",
        number=("静政办发", 2023, 77),
        written=dt.date(2023, 6, 1),
        disclosure=Disclosure.withheld,
    )
    pdf = tmp_path / "secret.pdf"
    sha = write_pdf(pdf, ["信访事项"])
    wfx.archive.save_source(path=pdf, sha256=sha, kind="document", page_count=1, documents=[secret.model_copy(update={"sha256": sha})])

    assert wclient.get(f"/api/v1/documents/{secret.id}").status_code == 404
    r = wclient.get(f"/api/v1/admin/documents/{secret.id}", headers=auth())
    assert r.status_code == 200
    body = r.json()
    assert body["disclosure"] == "不予公开"
    assert "13912345678" not in " ".join(body["paragraphs"])
    assert "13912345678" in body["original"]["paragraphs"][0]
    assert {m["kind"] for m in body["masks"]} >= {"mobile"}
    assert body["masks"][0]["location"] == "p0"
    assert "13912345678" not in str(body["masks"])


def test_review_lists_unflagged_periods_and_unresolved_repeals(tmp_path):
    fx = build_archive(tmp_path)
    flagged = make_doc("静乐县无有效期的管理办法", "本办法自印发之日起施行。", number=("静政发", 2022, 30),
                       doc_type="办法", normative=True, written=dt.date(2022, 3, 1))
    flagged = flagged.model_copy(update={"flags": ["no_validity_period"]})
    repealer = make_doc("静乐县关于废止文件的通知", "《静乐县失传办法》（静政发〔2001〕1号）同时废止。", number=("静政发", 2022, 31),
                        written=dt.date(2022, 4, 1))
    pdf = tmp_path / "review.pdf"
    sha = write_pdf(pdf, ["待审查"])
    from tests.search_api.conftest import Clause

    clause = Clause("静政发〔2001〕1号", "静乐县失传办法", "repealed", "《静乐县失传办法》（静政发〔2001〕1号）同时废止。")
    fx.archive.save_source(path=pdf, sha256=sha, kind="document", page_count=1,
                           documents=[flagged, repealer], repeals={repealer.id: [clause]})
    with TestClient(legal_office_app(fx.archive)) as client:
        review = client.get("/api/v1/admin/review", headers=auth()).json()
        assert [d["id"] for d in review["no_validity_period"]] == [flagged.id]
        assert review["no_validity_period"][0]["flags"] == ["no_validity_period"]
        [item] = review["unresolved_repeals"]
        assert item["doc_number"] == "静政发〔2001〕1号" and item["basis_document_id"] == repealer.id
        assert item["basis_title"] == repealer.title
        # A decision on the period takes the document off the list.
        body = {"expiry_date": None, "date": "2022-03-01", "cause": "经审查，长期有效"}
        assert client.post(f"/api/v1/documents/{flagged.id}/expiry", json=body, headers=auth()).status_code == 200
        assert client.get("/api/v1/admin/review", headers=auth()).json()["no_validity_period"] == []
    fx.archive.close()
