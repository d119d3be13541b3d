"""Validity catalogues: grouping as of a date, and every format readable with Chinese intact."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from gazette import catalogue
from gazette.model import Disclosure, Status
from gazette.store import Store
from tests.factories import make_doc, repeal_event


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "a")
    docs = [
        make_doc("静乐县住房公积金缴存管理办法", "本办法自2022年7月1日起施行，有效期5年。", number=("静政发", 2022, 8),
                 normative=True, effective=dt.date(2022, 7, 1), expiry=dt.date(2027, 6, 30)),
        make_doc("静乐县城乡居民最低生活保障办法", "制定本办法。", number=("静政发", 2019, 3), normative=True,
                 written=dt.date(2019, 3, 1), events=[repeal_event(dt.date(2023, 5, 1))]),
        make_doc("静乐县农村公路养护管理办法", "有效期两年。", number=("静政发", 2020, 2), normative=True,
                 written=dt.date(2020, 1, 1), expiry=dt.date(2021, 12, 31)),
        make_doc("关于召开会议的通知", "定于明日开会。", number=("静政办发", 2022, 9)),
        make_doc("静乐县内部管理办法", "内部。", number=("静政发", 2022, 10), normative=True,
                 disclosure=Disclosure.withheld),
    ]
    for d in docs:
        s.put_document(d)
        for ev in d.events:
            s.add_event(ev)
    yield s
    s.close()


def test_groups_as_of_today(store):
    cat = catalogue.build_catalogue(store, as_of=dt.date(2026, 11, 28))
    assert [r.title for r in cat.groups["继续有效"]] == ["静乐县住房公积金缴存管理办法"]
    repealed = cat.groups["废止"]
    assert [r.title for r in repealed] == ["静乐县城乡居民最低生活保障办法"]
    assert repealed[0].basis == "静政发〔2023〕4号"
    assert [r.title for r in cat.groups["失效"]] == ["静乐县农村公路养护管理办法"]
    assert cat.total == 3  # the notice is not normative; the withheld one is not public


def test_as_of_before_repeal_and_expiry(store):
    cat = catalogue.build_catalogue(store, as_of=dt.date(2021, 6, 1))
    assert {r.title for r in cat.groups["继续有效"]} == {"静乐县城乡居民最低生活保障办法", "静乐县农村公路养护管理办法"}
    assert cat.groups["废止"] == [] and cat.groups["失效"] == []


def test_status_filter(store):
    cat = catalogue.build_catalogue(store, as_of=dt.date(2026, 11, 28), status=Status.repealed)
    assert list(cat.groups) == ["废止"]


def test_csv_has_bom_and_reads_back(store):
    data = catalogue.to_csv(catalogue.build_catalogue(store, as_of=dt.date(2026, 11, 28)))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["分类", *catalogue.COLUMNS]
    assert ["废止", "1", "静乐县城乡居民最低生活保障办法", "静政发〔2019〕3号"] == rows[2][:4]


def test_xlsx_reads_back(store):
    data = catalogue.to_xlsx(catalogue.build_catalogue(store, as_of=dt.date(2026, 11, 28)))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["继续有效", "废止", "失效"]
    ws = wb["继续有效"]
    assert [c.value for c in ws[1]] == list(catalogue.COLUMNS)
    assert ws["B2"].value == "静乐县住房公积金缴存管理办法"
    assert ws["H2"].value == "2027年6月30日"


def test_html_and_json(store):
    cat = catalogue.build_catalogue(store, as_of=dt.date(2026, 11, 28))
    html = catalogue.to_html(cat)
    assert "<h2>继续有效（1件）</h2>" in html and 'lang="zh-CN"' in html
    payload = json.loads(json.dumps(catalogue.to_json(cat), ensure_ascii=False))
    assert payload["total"] == 3
