"""save_source is all or nothing, stored copy included."""

from __future__ import annotations

import hashlib

import pytest

from gazette.archive import Archive
from gazette.errors import BackendUnavailable
from gazette.settings import Settings
from tests.factories import make_doc


def test_failed_save_leaves_no_record_and_no_copy(tmp_path, monkeypatch):
    archive = Archive(Settings(home=tmp_path / "a"))
    src = tmp_path / "x.pdf"
    src.write_bytes(b"%PDF-1.4 synthetic bytes for the store")
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    doc = make_doc("静乐县某办法", "正文。", number=("静政发", 2022, 1))

    def down(docs):
        raise BackendUnavailable("index is down")

    monkeypatch.setattr(archive.backend, "index", down)
    with pytest.raises(BackendUnavailable):
        archive.save_source(path=src, sha256=digest, kind="document", page_count=1, documents=[doc])
    assert not archive.store.has_file(digest)
    assert not archive.store.has_document(doc.id)
    assert archive.orphan_files() == []
    monkeypatch.undo()
    out = archive.save_source(path=src, sha256=digest, kind="document", page_count=1, documents=[doc])
    assert out.status == "ingested" and archive.check() == []
    archive.close()
