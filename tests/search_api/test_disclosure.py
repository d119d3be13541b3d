"""Only 主动公开 documents on every public path; the others are a 404 everywhere."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from gazette.model import Attachment, Disclosure
from tests.factories import make_doc
from tests.search_api.conftest import Fixture, auth, write_pdf


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


def test_private_documents_stay_out_of_feeds_and_catalogues(client, fx: Fixture):
    public = [
        client.get("/feeds/documents.atom").text,
        client.get("/feeds/status.atom").text,
        client.get("/catalogue").text,
        *(client.get("/api/v1/catalogue", params={"format": f}).text for f in ("json", "csv", "html")),
    ]
    for doc in (fx.private, fx.private_only):
        for body in public:
            assert doc.id not in body and doc.title not in body


# -- personal data and non-public documents, on every public path -------------------------

PHONE = "13912345678"
ID_CARD = "140121198001011233"  # a valid check digit, so it is masked


@pytest.fixture(scope="module")
def planted(wfx: Fixture, wclient, tmp_path_factory):
    """A public normative document with a phone number and an ID number in its text
    and attachment, and a withheld normative document; both repealed through the API
    with the phone number in the cause."""
    home = tmp_path_factory.mktemp("planted")
    public = make_doc(
        "静乐县城市规划违法建设举报奖励办法",
        f"举报人王某，手机{PHONE}，身份证号{ID_CARD}，已获奖励。\n本办法自2022年7月1日起施行。",
        number=("静政发", 2022, 15),
        doc_type="办法",
        normative=True,
        written=dt.date(2022, 6, 20),
    )
    public = public.model_copy(
        update={"attachments": [Attachment(label="附件", title="举报人名单", paragraphs=[f"王某\t{PHONE}"])]}
    )
    withheld = make_doc(
        "静乐县城市规划内部督办办法",
        f"督办联系人张某，手机{PHONE}。",
        number=("静政发", 2022, 16),
        doc_type="办法",
        normative=True,
        written=dt.date(2022, 6, 21),
        disclosure=Disclosure.withheld,
    )
    pdf = home / "planted.pdf"
    sha = write_pdf(pdf, ["举报奖励办法"])
    wfx.archive.save_source(
        path=pdf, sha256=sha, kind="document", page_count=1,
        documents=[d.model_copy(update={"sha256": sha}) for d in (public, withheld)],
    )
    for doc in (public, withheld):
        body = {"status": "repealed", "date": "2024-02-01", "cause": f"经核实（联系人手机{PHONE}）予以废止"}
        assert wclient.post(f"/api/v1/documents/{doc.id}/status", json=body, headers=auth()).status_code == 200
    return public, withheld


def _public_responses(client, public, withheld) -> dict[str, str]:
    """Every public response that could carry the planted documents' words."""
    urls = [
        f"/api/v1/documents/{public.id}",
        f"/api/v1/documents/{public.id}?as_of=2023-01-01",
        f"/documents/{public.id}",
        f"/documents/{public.id}?as_of=2023-01-01",
        "/feeds/documents.atom",
        "/feeds/status.atom",
        "/feeds/status.atom?status=repealed",
        "/catalogue",
        "/catalogue?as_of=2023-01-01",
        f"/api/v1/documents/by-number?number={public.doc_number.text}",
        f"/api/v1/documents/by-number?number={withheld.doc_number.text}",
        f"/api/v1/documents/{withheld.id}",
        f"/documents/{withheld.id}",
    ]
    for q in ("139", "5678", "举报人", "王某", "督办联系人", "内部督办", "城市规划"):
        urls += [f"/api/v1/search?q={q}&size=100", f"/?q={q}"]
    # The search page echoes the query itself, so the secrets are searched in the API only.
    urls += [f"/api/v1/search?q={q}&size=100" for q in (PHONE, ID_CARD)]
    urls += [f"/api/v1/catalogue?format={f}" for f in ("json", "csv", "html")]
    out = {url: client.get(url).text for url in urls}
    xlsx = client.get("/api/v1/catalogue?format=xlsx").content
    wb = load_workbook(io.BytesIO(xlsx))
    out["catalogue.xlsx"] = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
    out["check"] = client.post("/api/v1/documents/check", json={"items": [public.title, withheld.title]}).text
    return out


def test_personal_data_never_appears_on_a_public_path(wclient, planted):
    public, _ = planted
    responses = _public_responses(wclient, *planted)
    for url, body in responses.items():
        assert PHONE not in body, url
        assert ID_CARD not in body and ID_CARD.lower() not in body, url
    for q in (PHONE, ID_CARD):
        assert wclient.get("/api/v1/search", params={"q": q}).json()["total"] == 0
        assert "共 0 份文件" in wclient.get("/", params={"q": q}).text
    # The public document is there, masked; its history is shown with a masked cause.
    detail = wclient.get(f"/api/v1/documents/{public.id}").json()
    assert "139****5678" in detail["paragraphs"][0]
    assert "139****5678" in detail["attachments"][0]["paragraphs"][0]
    assert "139****5678" in detail["events"][-1]["cause"]
    assert public.title in responses["/feeds/status.atom"]
    # The legal office sees the original.
    admin = wclient.get(f"/api/v1/admin/documents/{public.id}", headers=auth()).json()
    assert PHONE in admin["original"]["paragraphs"][0] and PHONE in admin["original"]["attachments"][0]["paragraphs"][0]


def test_withheld_document_is_on_no_public_path(wclient, planted):
    _, withheld = planted
    responses = _public_responses(wclient, *planted)
    assert wclient.get(f"/api/v1/documents/{withheld.id}").status_code == 404
    assert wclient.get(f"/documents/{withheld.id}").status_code == 404
    for url, body in responses.items():
        if withheld.id in url or "by-number" in url or url == "check":
            continue  # a 404 names the id asked for; lookups and checks repeat their input
        assert withheld.id not in body and withheld.title not in body and "张某" not in body, url
    lookup = wclient.get("/api/v1/documents/by-number", params={"number": withheld.doc_number.text}).json()
    assert lookup["documents"] == []
    check = wclient.post("/api/v1/documents/check", json={"items": [withheld.title]}).json()
    assert check["items"][0]["result"] == "not_found"
    facets = wclient.get("/api/v1/search", params={"q": "城市规划", "size": 100}).json()
    assert sum(facets["facets"]["status"].values()) == facets["total"]
