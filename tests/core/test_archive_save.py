"""save_source is all or nothing, stored copy included."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.errors import BackendUnavailable
from gazette.model import Document
from gazette.settings import Settings
from gazette.store import copy_in
from tests.factories import make_doc


@dataclass
class Setup:
    archive: Archive
    src: Path
    digest: str
    doc: Document

    def save(self, **kw):
        return self.archive.save_source(path=self.src, sha256=self.digest, kind="document", page_count=1, documents=[self.doc], **kw)


@pytest.fixture
def down(tmp_path, monkeypatch):
    """An archive whose index refuses every write (undo with ``monkeypatch.undo()``)."""
    archive = Archive(Settings(home=tmp_path / "a"))
    src = tmp_path / "x.pdf"
    src.write_bytes(b"%PDF-1.4 synthetic bytes for the store")
    doc = make_doc("静乐县某办法", "正文。", number=("静政发", 2022, 1))

    def refuse(docs):
        raise BackendUnavailable("index is down")

    monkeypatch.setattr(archive.backend, "index", refuse)
    yield Setup(archive, src, hashlib.sha256(src.read_bytes()).hexdigest(), doc)
    archive.close()


def test_failed_save_leaves_no_record_and_no_copy(down, monkeypatch):
    with pytest.raises(BackendUnavailable):
        down.save()
    assert not down.archive.store.has_file(down.digest)
    assert not down.archive.store.has_document(down.doc.id)
    assert down.archive.orphan_files() == []
    monkeypatch.undo()
    assert down.save().status == "ingested" and down.archive.check() == []


def test_failed_save_removes_a_copy_the_caller_made_for_it(down, monkeypatch):
    """Ingest copies its file in before the save (here with copy_in); a failed save
    removes that copy too, and an existing copy the caller did not make stays."""
    files_dir = down.archive.store.files_dir
    stored, copied = copy_in(files_dir, down.src, down.digest, ".pdf")
    assert copied and stored.read_bytes() == down.src.read_bytes()
    assert copy_in(files_dir, down.src, down.digest, ".pdf") == (stored, False)
    with pytest.raises(BackendUnavailable):
        down.save(copied=True)
    assert not stored.exists() and down.archive.orphan_files() == []

    copy_in(files_dir, down.src, down.digest, ".pdf")
    with pytest.raises(BackendUnavailable):
        down.save()
    assert stored.exists()  # not made for this save: left for the save that made it
    monkeypatch.undo()
    assert down.save(copied=True).status == "ingested"
    assert down.archive.check() == [] and down.archive.orphan_files() == []
