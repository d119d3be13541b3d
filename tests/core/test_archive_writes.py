"""The legal office's writes: audited events, status changes, concurrency."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from gazette.archive import Archive, export_record
from gazette.auth import hash_token, new_token, verify
from gazette.backends.base import SearchQuery
from gazette.errors import NotFound, ParseError
from gazette.model import Disclosure, Status, StatusEvent
from gazette.settings import Settings
from tests.factories import make_doc


@pytest.fixture
def archive(tmp_path):
    a = Archive(Settings(home=tmp_path / "a"))
    doc = make_doc("静乐县住房公积金缴存管理办法", "为规范住房公积金缴存管理，制定本办法。", number=("静政发", 2022, 8), normative=True)
    a.import_jsonl([json.dumps(export_record(doc), ensure_ascii=False)])
    yield a
    a.close()


def _id(archive):
    return archive.find_by_number("静政发[2022]8号")[0].id


def test_tokens_are_verified_by_hash():
    tok = new_token()
    stored = {"legal-office": hash_token(tok)}
    assert verify(tok, stored) == "legal-office"
    assert verify(tok + "x", stored) is None
    assert verify(None, stored) is None
    assert tok not in str(stored)


def test_repeal_by_hand_is_an_event_and_searchable_as_of(archive):
    doc_id = _id(archive)
    archive.record_event(StatusEvent(document_id=doc_id, kind="repealed", date=dt.date(2024, 1, 1),
                                     cause="经清理决定废止", basis_doc_number="静政发〔2023〕20号", actor="legal-office"))
    doc = archive.get(doc_id)
    assert doc.status == Status.repealed and doc.events[-1].actor == "legal-office"
    assert archive.search(SearchQuery(q="公积金", status=Status.repealed)).total == 1
    assert archive.search(SearchQuery(q="公积金", status=Status.valid, as_of=dt.date(2023, 12, 31))).total == 1
    archive.record_event(StatusEvent(document_id=doc_id, kind="restored", date=dt.date(2024, 2, 1), cause="更正"))
    assert archive.get(doc_id).status == Status.valid


def test_metadata_corrections_are_audited(archive):
    doc_id = _id(archive)
    archive.update_document(doc_id, {"registration_number": "JLDR-2022-0010008"}, actor="legal-office")
    archive.update_document(doc_id, {"disclosure": Disclosure.on_request}, actor="legal-office")
    doc = archive.get(doc_id)
    assert doc.registration_number == "JLDR-2022-0010008"
    changes = [e.data["changes"] for e in doc.events if e.kind == "metadata"]
    assert changes[0] == {"registration_number": {"from": None, "to": "JLDR-2022-0010008"}}
    assert archive.search(SearchQuery(q="公积金")).total == 0  # no longer public
    with pytest.raises(ParseError):
        archive.update_document(doc_id, {"id": "x"}, actor="legal-office")
    with pytest.raises(NotFound):
        archive.update_document("nope", {"title": "x"}, actor="legal-office")


def test_concurrent_writes_are_all_kept(tmp_path, archive):
    doc_id = _id(archive)
    home = archive.settings.home

    def writer(i):
        a = Archive(Settings(home=home))
        for j in range(5):
            a.update_document(doc_id, {"section": f"s{i}-{j}"}, actor=f"w{i}")
        a.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = [e for e in archive.get(doc_id).events if e.kind == "metadata"]
    assert len(events) == 20
