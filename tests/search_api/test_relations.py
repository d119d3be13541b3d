"""gazette.relations: repeals / repealed_by / cites / cited_by, and the disclosure rule."""

from __future__ import annotations

import datetime as dt

from gazette.archive import Archive
from gazette.model import Disclosure, StatusEvent
from gazette.relations import relations_of
from gazette.settings import Settings
from tests.factories import make_doc
from tests.search_api.conftest import Fixture


def test_relations_from_clauses_and_citations(fx: Fixture):
    old = relations_of(fx.archive, fx.old)
    assert [(r.kind, r.document_id, r.date) for r in old.repealed_by] == [("repealed", fx.new.id, dt.date(2023, 5, 1))]
    assert {r.document_id for r in old.cited_by} == {fx.new.id, fx.citing.id}
    assert old.repeals == [] and old.cites == []
    new = relations_of(fx.archive, fx.new)
    assert [r.document_id for r in new.repeals] == [fx.old.id]
    assert [r.document_id for r in new.cites] == [fx.old.id]


def _archive(tmp_path, docs):
    archive = Archive(Settings(home=tmp_path))
    for d in docs:
        archive.store.put_document(d)
        for ev in d.events:
            archive.store.add_event(ev)
    archive.backend.index([archive.get(d.id) for d in docs])
    return archive


def test_hand_recorded_repeal_and_private_basis(tmp_path):
    basis = make_doc("内部决定", "决定废止静政发〔2020〕1号。", number=("静政发", 2021, 9), disclosure=Disclosure.withheld)
    target = make_doc(
        "公开办法",
        "内容。",
        number=("静政发", 2020, 1),
        events=[StatusEvent(document_id="", kind="repealed", date=dt.date(2021, 3, 1), cause="废止",
                            basis_document_id=basis.id, basis_doc_number="静政发〔2021〕9号", actor="legal-office")],
    )
    archive = _archive(tmp_path, [basis, target])
    rel = relations_of(archive, archive.get(target.id))
    # the basis is not public: only the number the event prints, no id or title
    assert [(r.document_id, r.title, r.doc_number) for r in rel.repealed_by] == [(None, None, "静政发〔2021〕9号")]
    assert rel.cited_by == []  # the citing document is not public
    full = relations_of(archive, archive.get(target.id), include_private=True)
    assert [r.document_id for r in full.repealed_by] == [basis.id]
    assert [r.document_id for r in full.cited_by] == [basis.id]
    assert [r.document_id for r in relations_of(archive, archive.get(basis.id), include_private=True).repeals] == [target.id]
    archive.close()


def test_citation_of_own_number_is_not_a_relation(tmp_path):
    doc = make_doc("通知", "本通知即静政发〔2022〕8号，另见静政发〔2022〕9号。", number=("静政发", 2022, 8))
    archive = _archive(tmp_path, [doc])
    rel = relations_of(archive, archive.get(doc.id))
    assert [(r.doc_number, r.document_id) for r in rel.cites] == [("静政发〔2022〕9号", None)]
    assert rel.cited_by == []
    archive.close()
