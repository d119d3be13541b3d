"""Repeal clauses become status events on the documents they name
(gazette/archive.py: Archive.save_source, resolve_repeals).

Every file here is synthetic: documents built in code, saved the way batch ingest
saves a parsed file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.backends import SearchQuery
from gazette.model import Document, Status
from gazette.settings import Settings
from tests.factories import Clause, make_doc


class Saver:
    """Saves documents as one source file each, the way batch ingest does."""

    def __init__(self, archive: Archive, folder: Path) -> None:
        self.archive = archive
        self.folder = folder
        self.n = 0

    def save(self, *docs: Document, repeals: dict[str, list[Clause]] | None = None):
        self.n += 1
        src = self.folder / f"file-{self.n}.pdf"
        src.write_bytes(b"%PDF-1.4 synthetic source " + str(self.n).encode())
        digest = hashlib.sha256(src.read_bytes()).hexdigest()
        return self.archive.save_source(
            path=src, sha256=digest, kind="document", page_count=1, documents=list(docs), repeals=repeals
        )


@pytest.fixture
def saver(tmp_path: Path):
    archive = Archive(Settings(home=tmp_path / "archive"))
    yield Saver(archive, tmp_path)
    archive.close()


def _old(n: int = 3) -> Document:
    return make_doc(f"静乐县旧管理办法{n}", "旧的规定。", number=("静政发", 2019, n), normative=True)


def _new(n: int = 8) -> Document:
    return make_doc(f"静乐县新管理办法{n}", "新的规定。", number=("静政发", 2023, n), normative=True)


def _status(archive: Archive, doc: Document) -> str:
    return archive.store.get_document(doc.id).status.value


def test_a_clause_naming_an_archived_document_repeals_it(saver: Saver) -> None:
    old, new = _old(), _new()
    saver.save(old)
    # typed with other brackets than the archived number
    out = saver.save(new, repeals={new.id: [Clause("静政发[2019]3号", None)]})
    assert out.resolved_repeals == 1
    assert _status(saver.archive, old) == "repealed"
    [event] = saver.archive.store.get_document(old.id).events
    assert event.basis_document_id == new.id and event.actor == "ingest"
    assert saver.archive.unresolved_repeals() == []


def test_a_clause_waits_for_its_target_by_number_or_by_title(saver: Saver) -> None:
    by_number, by_title, new = _old(3), _old(4), _new()
    clauses = [Clause("静政发〔2019〕3号", None), Clause(None, f"《{by_title.title}》", "expired")]
    saver.save(new, repeals={new.id: clauses})
    assert len(saver.archive.unresolved_repeals()) == 2
    out = saver.save(by_number)
    assert out.resolved_repeals == 1 and _status(saver.archive, by_number) == "repealed"
    out = saver.save(by_title)
    assert out.resolved_repeals == 1 and _status(saver.archive, by_title) == "expired"
    assert saver.archive.unresolved_repeals() == []


def test_an_ambiguous_or_self_naming_clause_stays_unresolved(saver: Saver) -> None:
    # the same title, no number, written in two years: two documents
    twin_a = make_doc("静乐县甲办法", "甲。", written=dt.date(2018, 3, 1))
    twin_b = make_doc("静乐县甲办法", "甲。", written=dt.date(2019, 3, 1))
    new = _new()
    saver.save(twin_a)
    saver.save(new, repeals={new.id: [Clause(None, "《静乐县甲办法》"), Clause(new.doc_number.text, None)]})
    assert _status(saver.archive, twin_a) == "repealed"  # while it was the only one
    saver.save(twin_b)  # a second one arrives: the clause was settled before
    assert _status(saver.archive, twin_b) == "valid"
    assert len(saver.archive.unresolved_repeals()) == 1  # the one naming its own document

    other = _new(9)  # a clause naming a title two documents have stays unresolved
    saver.save(other, repeals={other.id: [Clause(None, "《静乐县甲办法》", "expired")]})
    assert len(saver.archive.unresolved_repeals()) == 2
    assert [e.kind for e in saver.archive.store.get_document(twin_b.id).events] == []


def _statements_to_save(saver: Saver, *docs: Document) -> int:
    conn = saver.archive.store.conn
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        saver.save(*docs)
    finally:
        conn.set_trace_callback(None)
    return len(seen)


def test_saving_costs_what_the_file_brings_not_the_clauses_left_waiting(saver: Saver) -> None:
    """Clauses naming documents never archived pile up over a backlog; saving a file
    must not look at each of them again (it did: one lookup per waiting clause)."""
    new = _new()
    waiting = [Clause(f"外政发〔2001〕{k}号", f"外县某办法{k}") for k in range(10)]
    saver.save(new, repeals={new.id: waiting})
    few = _statements_to_save(saver, _old(1))
    more = _new(9)
    saver.save(more, repeals={more.id: [Clause(f"外政发〔2002〕{k}号", f"外县另一办法{k}") for k in range(300)]})
    assert len(saver.archive.unresolved_repeals()) == 310
    many = _statements_to_save(saver, _old(2))
    assert many == few
    # and a waiting clause is still found when its target arrives
    target = make_doc("外县另一办法7", "外县的规定。", number=("外政发", 2002, 7))
    assert saver.save(target).resolved_repeals == 1
    assert _status(saver.archive, target) == "repealed"


def test_an_archive_from_before_the_clause_keys_is_upgraded(tmp_path: Path) -> None:
    """An archive whose clause table has no lookup keys gets them at its first
    opening, filled in for the clauses already waiting."""
    home = tmp_path / "archive"
    saver = Saver(Archive(Settings(home=home)), tmp_path)
    new = _new()
    saver.save(new, repeals={new.id: [Clause("静政发〔2019〕3号", None), Clause(None, "《静乐县旧管理办法4》")]})
    saver.archive.close()
    with sqlite3.connect(saver.archive.store.db_path) as conn:  # the table as it was made before
        conn.execute("DROP INDEX repeal_clauses_number")
        conn.execute("DROP INDEX repeal_clauses_title")
        conn.execute("DROP INDEX repeal_clauses_basis")
        conn.execute("ALTER TABLE repeal_clauses DROP COLUMN number_key")
        conn.execute("ALTER TABLE repeal_clauses DROP COLUMN title_key")
    conn.close()

    saver.archive = Archive(Settings(home=home))
    try:
        keys = saver.archive.store.conn.execute(
            "SELECT number_key IS NOT NULL, title_key FROM repeal_clauses ORDER BY id"
        ).fetchall()
        assert [tuple(k) for k in keys] == [(1, None), (0, "静乐县旧管理办法4")]
        assert saver.save(_old(3)).resolved_repeals == 1
        assert saver.save(_old(4)).resolved_repeals == 1
        assert saver.archive.unresolved_repeals() == []
    finally:
        saver.archive.close()


def test_a_corrected_number_settles_the_clause_waiting_for_it(saver: Saver) -> None:
    new = _new()
    saver.save(new, repeals={new.id: [Clause("静政发〔2019〕3号", None)]})
    mistyped = make_doc("静乐县旧管理办法3", "旧的规定。", number=("静政发", 2019, 8))  # should be 3号
    saver.save(mistyped)
    assert _status(saver.archive, mistyped) == "valid"
    saver.archive.update_document(mistyped.id, {"doc_number": "静政发〔2019〕3号"}, actor="法制办")
    assert _status(saver.archive, mistyped) == "repealed"
    assert saver.archive.unresolved_repeals() == []
    hits = saver.archive.search(SearchQuery(q="旧管理办法", status=Status.repealed)).hits
    assert [h.id for h in hits] == [mistyped.id]  # the index knows too
