"""Batch ingest (gazette_cli.batch): the workers copy files into the store, and a file
whose save fails leaves neither records nor its copy behind while the batch goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gazette.archive import Archive
from gazette.errors import BackendUnavailable, IntegrityError
from gazette.settings import Settings
from gazette_cli.batch import ingest_paths
from gazette_cli.main import app


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    d = tmp_path_factory.mktemp("samples")
    result = CliRunner().invoke(app, ["samples", str(d)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return sorted((d / "docs").glob("*.pdf"))[:3]


def test_a_failed_save_removes_the_copy_its_worker_made(tmp_path, pdfs, monkeypatch):
    archive = Archive(Settings(home=tmp_path / "home"))
    index = archive.backend.index
    refused = pdfs[1].name

    def index_refusing_one_file(docs):
        docs = list(docs)
        if any(d.source_file == refused for d in docs):
            raise IntegrityError("refused for the test")
        return index(docs)

    monkeypatch.setattr(archive.backend, "index", index_refusing_one_file)
    outcomes = {o.path.name: o for o in ingest_paths(archive, pdfs, workers=2)}
    assert outcomes[refused].status == "failed" and "refused for the test" in outcomes[refused].reason
    assert all(outcomes[p.name].status == "ingested" for p in pdfs if p.name != refused)
    stored = sorted(p.name for p in archive.store.files_dir.rglob("*") if p.is_file())
    recorded = sorted(Path(f["stored_path"]).name for f in archive.store.files())
    assert stored == recorded and len(recorded) == len(pdfs) - 1
    assert archive.orphan_files() == [] and archive.check() == []

    monkeypatch.undo()
    again = ingest_paths(archive, pdfs, workers=2)
    assert sorted(o.status for o in again) == ["ingested"] + ["unchanged"] * (len(pdfs) - 1)
    assert len(archive.store.files()) == len(pdfs) and archive.orphan_files() == []
    archive.close()


def test_a_file_named_twice_is_ingested_once_and_the_batch_goes_on(tmp_path, pdfs):
    """Named directly and inside a named folder: one outcome per file, every file saved
    (keying the batch's order by path once lost the whole batch without a word)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in pdfs:
        (folder / p.name).write_bytes(p.read_bytes())
    twice = folder / pdfs[1].name
    archive = Archive(Settings(home=tmp_path / "home"))
    outcomes = ingest_paths(archive, [twice, folder, tmp_path / "in" / ".." / "in" / pdfs[1].name], workers=2)
    assert [o.path.name for o in outcomes] == [pdfs[1].name] + [p.name for p in pdfs if p != pdfs[1]]
    assert all(o.status == "ingested" for o in outcomes)
    assert len(archive.store.files()) == len(pdfs) and archive.check() == []
    archive.close()


def test_a_file_reached_through_links_is_ingested_once(tmp_path, pdfs):
    """A symbolic link named beside the folder, and a second (hard) link inside it,
    reach a file already listed: it is ingested once, under the name first reached."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in pdfs:
        (folder / p.name).write_bytes(p.read_bytes())
    os.link(folder / pdfs[0].name, folder / ("zz-" + pdfs[0].name))
    alias = tmp_path / "alias.pdf"
    alias.symlink_to(folder / pdfs[1].name)
    archive = Archive(Settings(home=tmp_path / "home"))
    outcomes = ingest_paths(archive, [folder, alias], workers=2)
    assert [o.path.name for o in outcomes] == [p.name for p in pdfs]
    assert all(o.status == "ingested" for o in outcomes)
    archive.close()


def test_groups_of_any_size_archive_the_same(tmp_path, pdfs):
    """Files saved several per transaction (the default) or one per transaction: the
    same outcomes, in input order (a broken file among them included), and the same
    archive."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in pdfs:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / pdfs[0].name.replace(".pdf", "-broken.pdf")).write_bytes(b"%PDF-1.4 not really")
    results = []
    for size in (1, 2, 32):
        with Archive(Settings(home=tmp_path / f"home-{size}")) as archive:
            outcomes = ingest_paths(archive, [folder], workers=2, group_files=size)
            records = sorted((r["id"], r["source_file"], r["status"]) for r in archive.export_records())
            assert archive.check() == [] and archive.orphan_files() == []
            results.append(([(o.path.name, o.status, o.documents) for o in outcomes], records))
    statuses = [status for _, status, _ in results[0][0]]
    assert statuses.count("failed") == 1 and statuses.count("ingested") == len(pdfs)
    assert results[0][0] == sorted(results[0][0])  # input order
    assert results[0] == results[1] == results[2]


@pytest.mark.parametrize("group_files", [1, 8])
def test_a_batch_stopped_by_the_backend_records_nothing_of_its_group(tmp_path, pdfs, monkeypatch, group_files):
    """The search backend is down when a group is saved: the batch stops with that
    error, nothing of the group is recorded, and the copies the workers made for it,
    or for files parsed ahead of it (groups of 1), are not left in the store; the next
    run archives everything."""
    archive = Archive(Settings(home=tmp_path / "home"))

    def refuse(docs):
        raise BackendUnavailable("index is down")

    monkeypatch.setattr(archive.backend, "index", refuse)
    with pytest.raises(BackendUnavailable):
        ingest_paths(archive, pdfs, workers=2, group_files=group_files)
    assert archive.store.files() == [] and archive.orphan_files() == []
    monkeypatch.undo()
    assert [o.status for o in ingest_paths(archive, pdfs, workers=2)] == ["ingested"] * len(pdfs)
    assert archive.check() == [] and archive.orphan_files() == []
    archive.close()


def test_a_group_whose_copies_cannot_be_placed_fails_and_the_batch_goes_on(tmp_path, pdfs, monkeypatch):
    """The disk refuses a group's copies (here: full, for the first group): its files
    fail with the reason, leave nothing behind, and the next group is archived."""
    import errno

    from gazette_cli import batch

    place = batch.place_copies
    calls = []

    def full_once(files_dir, staged):
        calls.append(len(staged))
        if len(calls) == 1:
            for copy, _, _ in staged:  # as place_copies does on failure
                copy.unlink()
            raise OSError(errno.ENOSPC, "No space left on device")
        return place(files_dir, staged)

    monkeypatch.setattr(batch, "place_copies", full_once)
    archive = Archive(Settings(home=tmp_path / "home"))
    outcomes = ingest_paths(archive, pdfs, workers=2, group_files=2)
    refused = calls[0]  # the first group: one file or two, as the parses come in
    assert len(calls) > 1 and sum(calls) == len(pdfs)
    assert [o.status for o in outcomes] == ["failed"] * refused + ["ingested"] * (len(pdfs) - refused)
    assert all("No space left on device" in o.reason for o in outcomes[:refused])
    assert len(archive.store.files()) == len(pdfs) - refused
    assert archive.orphan_files() == [] and archive.check() == []
    archive.close()


def test_files_are_listed_as_the_workers_need_them(tmp_path, pdfs, monkeypatch):
    """A batch starts parsing before it has listed every file (a backlog of thousands
    would otherwise wait for all of them first): some files are drawn only after the
    first file is saved. Every file still ends with its outcome, in order."""
    from gazette_cli import batch
    from gazette_cli.workers import AHEAD

    folder = tmp_path / "in"
    folder.mkdir()
    count = 2 * (AHEAD + 1) + 8  # more than two workers hold at once
    for n in range(count):  # distinct files: the same pages, a different trailing comment
        (folder / f"{n:02d}.pdf").write_bytes(pdfs[n % len(pdfs)].read_bytes() + f"\n%{n}\n".encode())
    events: list[tuple[str, str]] = []
    iter_sources = batch.iter_sources

    def listing(paths):
        for path in iter_sources(paths):
            events.append(("drawn", path.name))
            yield path

    monkeypatch.setattr(batch, "iter_sources", listing)
    archive = Archive(Settings(home=tmp_path / "home"))
    outcomes = ingest_paths(
        archive, [folder], workers=2, group_files=1, on_done=lambda o: events.append(("saved", o.path.name))
    )
    assert [o.path.name for o in outcomes] == [f"{n:02d}.pdf" for n in range(count)]
    assert all(o.status == "ingested" for o in outcomes)
    first_saved = events.index(("saved", "00.pdf"))
    assert any(kind == "drawn" for kind, _ in events[first_saved:])
    assert [name for kind, name in events if kind == "drawn"] == [o.path.name for o in outcomes]
    archive.close()


def _log_parses(monkeypatch, log: Path) -> None:
    """Make every parse (in the forked workers too) append its file's name to ``log``."""
    import ingest.pipeline

    parse_file = ingest.pipeline.parse_file

    def logged(path, **kw):
        with open(log, "a") as fh:
            fh.write(Path(path).name + "\n")
        return parse_file(path, **kw)

    monkeypatch.setattr(ingest.pipeline, "parse_file", logged)


def test_files_the_archive_holds_are_not_parsed_again(tmp_path, pdfs, monkeypatch):
    """The workers hash each file and look it up in the archive before parsing it: a
    second batch over the same files reports every one unchanged without parsing any,
    and a copy of an archived file under a new name is unchanged too."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in pdfs:
        (folder / p.name).write_bytes(p.read_bytes())
    log = tmp_path / "parsed.log"
    _log_parses(monkeypatch, log)
    archive = Archive(Settings(home=tmp_path / "home"))
    assert all(o.status == "ingested" for o in ingest_paths(archive, [folder], workers=2))
    assert sorted(log.read_text().split()) == sorted(p.name for p in pdfs)
    log.write_text("")
    (folder / "copy.pdf").write_bytes(pdfs[0].read_bytes())
    again = ingest_paths(archive, [folder], workers=2)
    assert [o.status for o in again] == ["unchanged"] * (len(pdfs) + 1)
    assert log.read_text() == ""
    assert len(archive.store.files()) == len(pdfs) and archive.check() == []
    archive.close()


@pytest.mark.parametrize("how", ["default", "nice=0", "nice=3", "GAZETTE_INGEST_WORKER_NICE=2"])
def test_files_are_parsed_at_the_lower_priority_asked_for(tmp_path, pdfs, monkeypatch, how):
    """The parser processes run :data:`~gazette_cli.batch.WORKER_NICE` below the batch by
    default, as batch work; ``nice=0`` leaves them at its own priority; ``gazette
    ingest`` takes its setting."""
    import ingest.pipeline
    from gazette_cli.batch import WORKER_NICE

    log = tmp_path / "priority.log"
    parse_file = ingest.pipeline.parse_file

    def logged(path, **kw):
        with open(log, "a") as fh:
            fh.write(f"{os.nice(0)} {os.sched_getscheduler(0)}\n")
        return parse_file(path, **kw)

    monkeypatch.setattr(ingest.pipeline, "parse_file", logged)
    home = tmp_path / "home"
    if how.startswith("GAZETTE_"):
        name, _, value = how.partition("=")
        result = CliRunner().invoke(
            app, ["--home", str(home), "ingest", *map(str, pdfs)], env={name: value}, catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        lowered = int(value)
    else:
        archive = Archive(Settings(home=home))
        kw = {"nice": int(how.partition("=")[2])} if how.startswith("nice=") else {}
        assert all(o.status == "ingested" for o in ingest_paths(archive, pdfs, workers=2, **kw))
        archive.close()
        lowered = kw.get("nice", WORKER_NICE)
    here = os.nice(0)
    expected = (min(here + lowered, 19), os.SCHED_BATCH if lowered else os.sched_getscheduler(0))
    assert {tuple(map(int, line.split())) for line in log.read_text().splitlines()} == {expected}


def test_a_file_that_changes_while_it_is_ingested_is_recorded_as_it_was_read(tmp_path, pdfs, monkeypatch):
    """A worker reads a file once: the hash it is recorded under, its stored copy and
    its documents all come from those bytes, however the file changes meanwhile (still
    being written, replaced). The next batch takes the file as it is then."""
    import hashlib

    import ingest.pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    for p in pdfs:
        (folder / p.name).write_bytes(p.read_bytes())
    moving = folder / pdfs[1].name
    first = moving.read_bytes()
    parse_file = ingest.pipeline.parse_file

    def parse_then_change(path, **kw):
        if Path(path) == moving:
            moving.write_bytes(first + b"\n% written while it was parsed\n")
        return parse_file(path, **kw)

    monkeypatch.setattr(ingest.pipeline, "parse_file", parse_then_change)
    archive = Archive(Settings(home=tmp_path / "home"))
    outcomes = {o.path.name: o.status for o in ingest_paths(archive, [folder], workers=2)}
    assert set(outcomes.values()) == {"ingested"}
    assert moving.read_bytes() != first
    [record] = [f for f in archive.store.files() if f["name"] == moving.name]
    assert record["sha256"] == hashlib.sha256(first).hexdigest()
    assert (archive.store.files_dir.parent / record["stored_path"]).read_bytes() == first
    assert {d.sha256 for d in archive.store.iter_documents() if d.source_file == moving.name} == {record["sha256"]}

    monkeypatch.undo()
    again = {o.path.name: o.status for o in ingest_paths(archive, [folder], workers=2)}
    assert again[moving.name] == "ingested"
    assert {f["sha256"] for f in archive.store.files() if f["name"] == moving.name} == {
        record["sha256"],
        hashlib.sha256(moving.read_bytes()).hexdigest(),
    }
    assert archive.check() == []
    archive.close()


def test_a_batch_removes_the_staged_copies_of_a_dead_batch_not_of_a_running_one(tmp_path, pdfs):
    """Staged copies carry their batch's tag, and a running batch holds its tag's lock
    file locked. A killed batch's lock can be taken: the next batch removes its staged
    copies (nothing would ever place them) and its lock file, and leaves alone those of
    a batch still running beside it (here, this test holding the lock)."""
    import fcntl
    import os

    from gazette.store import staged_prefix
    from gazette_cli.batch import BATCHES_DIR

    archive = Archive(Settings(home=tmp_path / "home"))
    files_dir = archive.store.files_dir
    locks = archive.store.home / BATCHES_DIR
    locks.mkdir(parents=True)
    staged = {}
    for tag in ("dead00000000", "live00000000"):
        (locks / f"{tag}.lock").touch()
        shard = files_dir / tag[:2]
        shard.mkdir(parents=True)
        staged[tag] = shard / f"{staged_prefix(tag)}copy"
        staged[tag].write_bytes(b"%PDF-1.4 staged, never placed")
    held = os.open(locks / "live00000000.lock", os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        outcomes = ingest_paths(archive, pdfs[:1], workers=1)
    finally:
        os.close(held)
    assert [o.status for o in outcomes] == ["ingested"]
    assert not staged["dead00000000"].exists() and not (locks / "dead00000000.lock").exists()
    assert staged["live00000000"].exists() and (locks / "live00000000.lock").exists()
    assert sorted(p.name for p in locks.iterdir()) == ["live00000000.lock"]  # its own is gone
    assert archive.orphan_files() == [staged["live00000000"]]
    archive.close()


def test_check_repair_leaves_the_staged_copies_of_a_running_batch(tmp_path):
    """`gazette check --repair` removes stored copies no record points at, but not
    those a running batch has staged and will place (its lock is held); once that
    batch is dead, they go too."""
    import fcntl
    import os

    from gazette.store import staged_prefix
    from gazette_cli.batch import BATCHES_DIR, running_batches

    home = tmp_path / "home"
    Archive(Settings(home=home)).close()
    files_dir = home / "files"
    locks = home / BATCHES_DIR
    locks.mkdir(parents=True)
    (locks / "live00000000.lock").touch()
    shard = files_dir / "ab"
    shard.mkdir(parents=True)
    live = shard / f"{staged_prefix('live00000000')}copy"
    stray = shard / ("ab" + "0" * 62 + ".pdf")  # a placed copy whose record was never written
    for path in (live, stray):
        path.write_bytes(b"%PDF-1.4 unrecorded")

    def repair() -> str:
        result = CliRunner().invoke(app, ["--home", str(home), "check", "--repair"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    held = os.open(locks / "live00000000.lock", os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        assert running_batches(home) == {"live00000000"}
        assert "1 unrecorded stored file(s) removed" in repair()
        assert live.exists() and not stray.exists()
    finally:
        os.close(held)
    assert running_batches(home) == set()
    assert "1 unrecorded stored file(s) removed" in repair()
    assert not live.exists()
