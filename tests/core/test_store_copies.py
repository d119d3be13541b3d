"""Copies of source files in the store, in two halves (gazette.store.stage_copy and
place_copies): staged copies are never taken for stored ones, and placing a group is
all or nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gazette import store
from gazette.store import copy_in, place_copies, stage_copy, stored_path


def _source(folder: Path, name: str, content: bytes) -> tuple[Path, str]:
    path = folder / name
    path.write_bytes(content)
    return path, hashlib.sha256(content).hexdigest()


@pytest.fixture
def files_dir(tmp_path) -> Path:
    d = tmp_path / "files"
    d.mkdir()
    return d


def test_a_staged_copy_is_placed_whole_under_its_stored_name(tmp_path, files_dir):
    src, sha = _source(tmp_path, "a.pdf", b"%PDF-1.4 first" * 5000)
    staged = stage_copy(files_dir, src, sha, ".pdf")
    assert staged is not None and staged.name.startswith(".tmp-")
    assert staged.parent == stored_path(files_dir, sha, ".pdf").parent
    assert not stored_path(files_dir, sha, ".pdf").exists()  # not stored until placed
    assert place_copies(files_dir, [(staged, sha, ".pdf")]) == [True]
    assert stored_path(files_dir, sha, ".pdf").read_bytes() == src.read_bytes()
    assert not staged.exists()
    # once stored, nothing more is staged, and copy_in agrees
    assert stage_copy(files_dir, src, sha, ".pdf") is None
    assert copy_in(files_dir, src, sha, ".pdf") == (stored_path(files_dir, sha, ".pdf"), False)


def test_a_copy_staged_from_bytes_read_already_holds_those_bytes(tmp_path, files_dir):
    """Ingest's workers read a file once: the bytes they parsed are the bytes staged,
    whatever the file holds by then."""
    src, sha = _source(tmp_path, "a.pdf", b"%PDF-1.4 read once" * 4000)
    data = src.read_bytes()
    src.write_bytes(b"%PDF-1.4 replaced since")
    staged = stage_copy(files_dir, src, sha, ".pdf", data=data)
    assert staged is not None and staged.read_bytes() == data
    assert place_copies(files_dir, [(staged, sha, ".pdf")]) == [True]
    assert hashlib.sha256(stored_path(files_dir, sha, ".pdf").read_bytes()).hexdigest() == sha


def test_a_copy_placed_meanwhile_is_kept_and_the_second_staged_copy_dropped(tmp_path, files_dir):
    src, sha = _source(tmp_path, "a.pdf", b"same content")
    first = stage_copy(files_dir, src, sha, ".pdf")
    second = stage_copy(files_dir, src, sha, ".pdf")
    assert first != second
    assert place_copies(files_dir, [(first, sha, ".pdf"), (second, sha, ".pdf")]) == [True, False]
    assert [p.name for p in stored_path(files_dir, sha, ".pdf").parent.iterdir()] == [f"{sha}.pdf"]


def test_placing_a_group_is_all_or_nothing(tmp_path, files_dir):
    """One copy of the group cannot be placed (here: its staged file vanished): the
    error is raised, the copies placed before it are removed, and so are the staged
    copies after it."""
    sources = [_source(tmp_path, f"{n}.pdf", f"file {n}".encode()) for n in range(3)]
    staged = [(stage_copy(files_dir, src, sha, ".pdf"), sha, ".pdf") for src, sha in sources]
    staged[1][0].unlink()
    with pytest.raises(FileNotFoundError):
        place_copies(files_dir, staged)
    assert [p for p in files_dir.rglob("*") if p.is_file()] == []


def test_without_syncfs_each_copy_is_flushed_on_its_own(tmp_path, files_dir, monkeypatch):
    """Where the C library has no syncfs (not Linux), each copy is fsynced; the result
    is the same."""
    monkeypatch.setattr(store, "_syncfs", lambda: None)
    flushed: list[int] = []
    fsync = store.os.fsync
    monkeypatch.setattr(store.os, "fsync", lambda fd: (flushed.append(fd), fsync(fd)))
    sources = [_source(tmp_path, f"{n}.pdf", f"file {n}".encode()) for n in range(2)]
    staged = [(stage_copy(files_dir, src, sha, ".pdf"), sha, ".pdf") for src, sha in sources]
    assert place_copies(files_dir, staged) == [True, True]
    assert len(flushed) == 2
    for src, sha in sources:
        assert stored_path(files_dir, sha, ".pdf").read_bytes() == src.read_bytes()


def test_on_linux_groups_are_flushed_with_syncfs():
    """The one-call flush is found where it exists (a failed lookup would fall back to
    fsync for every file, silently slower)."""
    if not store.sys.platform.startswith("linux"):
        pytest.skip("syncfs is Linux's")
    assert store._syncfs() is not None


def test_another_process_reads_which_files_an_archive_records(tmp_path):
    """``file_recorded`` answers ``Store.has_file`` from a read-only connection of its
    own (an ingest worker's), whatever characters the archive's path holds; an archive
    it cannot read gives None (the worker then parses the file)."""
    import multiprocessing as mp

    from gazette.store import Store, file_recorded

    home = tmp_path / "县 档案 #1?x"
    st = Store(home)
    st.record_file(sha256="ab" * 32, name="a.pdf", size=1, kind="document", page_count=1, stored_path=None)
    assert file_recorded(st.db_path, "ab" * 32) is True
    assert file_recorded(st.db_path, "cd" * 32) is False
    with mp.get_context("fork").Pool(1) as pool:  # a forked process opens its own
        assert pool.apply(file_recorded, (st.db_path, "ab" * 32)) is True
    assert file_recorded(tmp_path / "none" / "archive.sqlite3", "ab" * 32) is None
    st.close()
