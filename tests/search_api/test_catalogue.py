"""The validity catalogue: four formats read back, file names, filters, the web page."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from gazette.catalogue import COLUMNS
from tests.search_api.conftest import Fixture
from tests.search_api.test_error_shape import assert_error_shape

OLD_TITLE = "静乐县城市规划管理办法"
EXPIRED_TITLE = "静乐县农村危房改造补助办法"


def _filename(response) -> str:
    """The UTF-8 file name of an RFC 5987 ``filename*`` parameter."""
    disposition = response.headers["content-disposition"]
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
    assert match, disposition
    assert re.search(r'filename="[\x20-\x7e]+"', disposition), "an ASCII fallback for old clients"
    return unquote(match.group(1))


def test_json(client, fx: Fixture):
    r = client.get("/api/v1/catalogue", params={"as_of": "2024-01-01"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["as_of"] == "2024-01-01" and body["columns"] == list(COLUMNS)
    groups = {g["name"]: g["rows"] for g in body["groups"]}
    assert list(groups) == ["继续有效", "废止", "失效"]
    [repealed] = groups["废止"]
    assert repealed["title"] == OLD_TITLE and repealed["basis"] == "静政发〔2023〕4号"
    assert repealed["document_id"] == fx.old.id and repealed["number"] == 1
    assert [r["title"] for r in groups["失效"]] == [EXPIRED_TITLE]
    assert body["total"] == 2  # normative, public documents only


def test_csv_reads_back_with_chinese(client):
    r = client.get("/api/v1/catalogue", params={"format": "csv", "as_of": "2024-01-01"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.content.startswith("\ufeff".encode())  # BOM: Excel and WPS detect UTF-8
    assert r.headers["content-disposition"].startswith("attachment;")
    name = _filename(r)
    assert name == "行政规范性文件目录（截至2024年1月1日）.csv"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["分类", *COLUMNS]
    by_title = {row[2]: row for row in rows[1:]}
    assert by_title[OLD_TITLE][0] == "废止" and by_title[OLD_TITLE][3] == "静政发〔2019〕3号"
    assert by_title[OLD_TITLE][9] == "废止" and by_title[EXPIRED_TITLE][8] == "2021年12月31日"


def test_xlsx_reads_back_with_chinese(client):
    r = client.get("/api/v1/catalogue", params={"format": "xlsx", "as_of": "2024-01-01"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert _filename(r).endswith("）.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["继续有效", "废止", "失效"]
    sheet = wb["废止"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet["B2"].value == OLD_TITLE and sheet["C2"].value == "静政发〔2019〕3号"
    assert sheet.column_dimensions["B"].width >= 30
    assert wb["失效"]["B2"].value == EXPIRED_TITLE


def test_html_is_standalone_and_print_ready(client):
    r = client.get("/api/v1/catalogue", params={"format": "html", "as_of": "2024-01-01"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"].startswith("inline;") and _filename(r).endswith(".html")
    assert "<table>" in r.text and OLD_TITLE in r.text and "<script" not in r.text
    csp = r.headers["content-security-policy"]
    assert "style-src 'sha256-" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_filters_and_as_of(client, fx: Fixture):
    def titles(**params) -> dict[str, list[str]]:
        body = client.get("/api/v1/catalogue", params=params).json()
        return {g["name"]: [r["title"] for r in g["rows"]] for g in body["groups"]}

    assert titles(as_of="2023-04-30") == {"继续有效": [OLD_TITLE], "废止": [], "失效": [EXPIRED_TITLE]}
    assert titles(as_of="2023-05-01")["废止"] == [OLD_TITLE]
    assert titles(as_of="2021-12-31")["继续有效"] == [EXPIRED_TITLE, OLD_TITLE]
    assert titles(as_of="2019-02-01")["继续有效"] == [EXPIRED_TITLE]  # the other was not written yet
    assert titles(status="repealed", as_of="2024-01-01") == {"废止": [OLD_TITLE]}
    assert sum(map(len, titles(issuer="静乐县自然资源局").values())) == 0
    body = client.get("/api/v1/catalogue", params={"issuer": "静乐县人民政府", "format": "csv"})
    assert _filename(body).startswith("静乐县人民政府行政规范性文件目录")


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"as_of": "2024-02-30"}, {"status": "gone"}, {"issuer": "长" * 101}])
def test_bad_parameters(client, params):
    assert_error_shape(client.get("/api/v1/catalogue", params=params), 400, "invalid_parameter")


def test_file_name_cannot_escape(client):
    r = client.get("/api/v1/catalogue", params={"issuer": '../"x\\y\r\n', "format": "csv"})
    assert r.status_code == 200
    name = _filename(r)
    assert "/" not in name and "\\" not in name and '"' not in name and "\n" not in name


def test_catalogue_page(client, fx: Fixture):
    r = client.get("/catalogue", params={"as_of": "2024-01-01", "issuer": "静乐县人民政府"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<link rel="stylesheet" href="/static/site.css">' in page  # the site layout
    assert "行政规范性文件目录（截至2024年1月1日）" in page
    assert f'href="/documents/{fx.old.id}?as_of=2024-01-01"' in page
    assert "/api/v1/catalogue?issuer=%E9%9D%99" in page
    assert "as_of=2024-01-01&amp;format=csv" in page and "as_of=2024-01-01&amp;format=xlsx" in page
    assert "<style" not in page and " style=" not in page
    assert 'href="/catalogue"' in client.get("/").text  # linked from every page


def test_catalogue_page_ignores_bad_fields_with_a_notice(client):
    r = client.get("/catalogue", params={"as_of": "someday", "status": "repealed"})
    assert r.status_code == 400
    assert "as_of" in r.text and "废止（1件）" in r.text
