"""Saving several parsed files at once (gazette/archive.py: Archive.save_sources) has
the effect of saving them one by one, and a failure stays the failing file's.

Every file here is synthetic: documents built in code, saved the way batch ingest
saves parsed files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gazette.archive import Archive, SourceFile
from gazette.backends import SearchQuery
from gazette.errors import BackendUnavailable, IntegrityError
from gazette.model import Document
from gazette.settings import Settings
from gazette.store import copy_in
from ingest.pipeline import ParsedSource
from tests.factories import Clause, make_doc


def _source(folder: Path, name: str, *docs: Document, content: bytes | None = None, repeals=None) -> SourceFile:
    """A file and what ingest reports for it (``ingest.pipeline.ParsedSource``, as
    batch ingest passes it on)."""
    path = folder / name
    path.write_bytes(content or b"%PDF-1.4 synthetic source " + name.encode())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    parsed = ParsedSource(str(path), digest, 1, "document", documents=list(docs), repeals=repeals or {})
    return SourceFile(path, digest, parsed)


def _sources(folder: Path) -> list[SourceFile]:
    """Files whose saving depends on the ones before them: a clause settled by a later
    file, a later file repealing an earlier one, the same file twice, a document
    printed in two files."""
    old = make_doc("静乐县旧管理办法", "旧的规定。", number=("静政发", 2019, 3), normative=True)
    new = make_doc("静乐县新管理办法", "新的规定，自发布之日起施行。", number=("静政发", 2023, 8), normative=True)
    later = make_doc("静乐县另一办法", "另一规定。", number=("静政发", 2023, 9), normative=True)
    waiting = make_doc("静乐县待定办法", "待定的规定。", number=("静政发", 2020, 5), normative=True)
    return [
        _source(folder, "a.pdf", later, repeals={later.id: [Clause("静政发〔2020〕5号", None)]}),
        _source(folder, "b.pdf", old),
        _source(folder, "c.pdf", new, repeals={new.id: [Clause("静政发[2019]3号", None)]}),
        _source(folder, "c-again.pdf", new, content=(folder / "c.pdf").read_bytes()),
        _source(folder, "d.pdf", waiting, old),
    ]


def _state(archive: Archive) -> tuple:
    records = sorted((r["id"], r["status"], r["source_file"], len(r["events"])) for r in archive.export_records())
    found = archive.search(SearchQuery(q="规定", size=20))
    return records, found.total, sorted(h.id for h in found.hits), len(archive.store.files())


def test_a_group_saves_what_saving_one_by_one_saves(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    sources = _sources(tmp_path / "in")
    with Archive(Settings(home=tmp_path / "one")) as one, Archive(Settings(home=tmp_path / "all")) as together:
        singly = [
            one.save_source(
                path=s.path, sha256=s.sha256, kind=s.parsed.kind, page_count=s.parsed.page_count,
                documents=s.parsed.documents, repeals=s.parsed.repeals,
            )
            for s in sources
        ]
        grouped = together.save_sources(sources)
        assert [o.status for o in grouped] == ["ingested", "ingested", "ingested", "unchanged", "ingested"]
        assert grouped == singly
        assert sum(o.resolved_repeals for o in grouped) == 2  # 2019-3 by c, 2020-5 (waiting since a) by d
        assert _state(together) == _state(one)
        statuses = {r["id"]: r["status"] for r in together.export_records()}
        assert sorted(statuses.values()).count("repealed") == 2
        assert together.check() == [] and together.orphan_files() == []


def test_a_file_that_fails_in_a_group_fails_alone(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "in").mkdir()
    sources = _sources(tmp_path / "in")
    archive = Archive(Settings(home=tmp_path / "archive"))
    files_dir = archive.store.files_dir
    # as ingest workers do: each file copied into the store before it is saved
    for s in sources:
        s.copied = copy_in(files_dir, s.path, s.sha256, ".pdf")[1]
    put = archive.store.put_document
    refused = sources[2].parsed.documents[0].id

    def put_refusing_one(doc):
        if doc.id == refused:
            raise IntegrityError("refused for the test")
        return put(doc)

    monkeypatch.setattr(archive.store, "put_document", put_refusing_one)
    outcomes = archive.save_sources(sources)
    assert isinstance(outcomes[2], IntegrityError) and isinstance(outcomes[3], IntegrityError)
    assert [o.status for i, o in enumerate(outcomes) if i not in (2, 3)] == ["ingested"] * 3
    assert not archive.store.has_file(sources[2].sha256) and not archive.store.has_document(refused)
    assert archive.check() == [] and archive.orphan_files() == []
    assert len(archive.store.files()) == 3

    monkeypatch.undo()
    again = archive.save_sources(sources)
    assert [o.status for o in again] == ["unchanged", "unchanged", "ingested", "unchanged", "unchanged"]
    assert archive.check() == [] and archive.orphan_files() == []
    archive.close()


def test_an_unavailable_backend_records_nothing_of_the_group(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "in").mkdir()
    sources = _sources(tmp_path / "in")
    archive = Archive(Settings(home=tmp_path / "archive"))
    calls = []

    def refuse(docs):
        calls.append(list(docs))
        raise BackendUnavailable("index is down")

    monkeypatch.setattr(archive.backend, "index", refuse)
    with pytest.raises(BackendUnavailable):
        archive.save_sources(sources)
    assert len(calls) == 1  # one indexing call for the group, not one per file
    assert archive.store.files() == [] and archive.store.count_documents() == 0
    assert not any(p.is_file() for p in archive.store.files_dir.rglob("*"))

    monkeypatch.undo()
    assert [o.status for o in archive.save_sources(sources)].count("ingested") == 4
    assert archive.check() == [] and archive.orphan_files() == []
    archive.close()
