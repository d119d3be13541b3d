"""Atom feeds parse as valid Atom and carry only public documents."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest

from gazette import feeds
from gazette.model import Disclosure, Status
from gazette.store import Store
from tests.factories import make_doc, repeal_event


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "a")
    for d in [
        make_doc("静乐县住房公积金缴存管理办法", "正文。", number=("静政发", 2022, 8), written=dt.date(2022, 6, 10)),
        make_doc("静乐县城乡居民最低生活保障办法", "正文。", number=("静政发", 2019, 3), written=dt.date(2019, 3, 1),
                 events=[repeal_event(dt.date(2023, 5, 1))]),
        make_doc("静乐县内部规程", "内部。", number=("静政发", 2022, 11), disclosure=Disclosure.withheld,
                 events=[repeal_event(dt.date(2023, 6, 1))]),
    ]:
        s.put_document(d)
        for ev in d.events:
            s.add_event(ev)
    yield s
    s.close()


def test_documents_feed_is_valid_atom(store):
    parsed = feedparser.parse(feeds.documents_feed(store, base_url="http://example.test"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["静乐县住房公积金缴存管理办法", "静乐县城乡居民最低生活保障办法"]


def test_documents_feed_filters_by_status(store):
    parsed = feedparser.parse(feeds.documents_feed(store, base_url="http://x", status=Status.repealed))
    assert [e.title for e in parsed.entries] == ["静乐县城乡居民最低生活保障办法"]


def test_status_feed_lists_public_changes_only(store):
    parsed = feedparser.parse(feeds.status_changes_feed(store, base_url="http://example.test"))
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["废止：静乐县城乡居民最低生活保障办法"]
    assert "静政发〔2023〕4号" in parsed.entries[0].summary


def test_status_feed_valid_means_restorations(store):
    from gazette.model import StatusEvent

    doc = store.find_by_number("静政发〔2019〕3号")[0]
    store.add_event(StatusEvent(document_id=doc.id, kind="restored", date=dt.date(2024, 1, 1), cause="更正"))
    parsed = feedparser.parse(feeds.status_changes_feed(store, base_url="http://x", status=Status.valid))
    assert [e.title for e in parsed.entries] == ["恢复有效：静乐县城乡居民最低生活保障办法"]
