"""Batch ingest: walk paths, parse each new file, save it, and summarise.

Contract: every input file ends as ``ingested``, ``unchanged`` (its sha256 is already
archived) or ``failed`` with a one-line reason; a failure never stops the batch and
never leaves part of that file in the archive (see :meth:`gazette.archive.Archive.save_source`).
Parsing runs in isolated worker processes (see :mod:`gazette_cli.workers`) with a
time and memory limit per file, ``workers`` at a time so both cores are used; a worker
also stages a copy of its parsed file in the archive's store. Saving is done by this
process, in input order, several files per transaction (:data:`GROUP_FILES`), each
group's copies flushed to disk together first; a file that fails to save fails alone
(see :meth:`gazette.archive.Archive.save_sources`). An interrupted batch keeps the
groups it saved; the files after them are not recorded (nor left in the store), and
the next run parses them again. A batch killed outright leaves the copies its workers
had staged; the next batch removes them (:func:`batch_tag`).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from gazette.archive import Archive, SourceFile
from gazette.errors import GazetteError
from gazette.store import (
    file_recorded,
    place_copies,
    remove_staged,
    stage_copy,
    stored_path,
    stored_suffix,
)
from gazette_cli.workers import run_isolated

SOURCE_SUFFIXES = {".pdf", ".ofd"}

#: Parsed files that may wait, in memory and staged in the store, for an earlier
#: file still being parsed (files are saved in input order): past this many, no
#: further file is started until that one is done.
LOOKAHEAD = 32

#: Parsed files saved together (:meth:`gazette.archive.Archive.save_sources`), at
#: most, by default (``GAZETTE_INGEST_GROUP_FILES``): a group is saved once it holds
#: this many files, or once :data:`GROUP_SECONDS` have passed since its first file
#: was ready (checked as each parse finishes), and at the end.
GROUP_FILES = 8
GROUP_SECONDS = 1.0

#: How much lower the parser processes' CPU priority is than the batch's own, by
#: default (``GAZETTE_INGEST_WORKER_NICE``; nice(1)'s scale, 0–19). The batch saves
#: every file itself, one group after another, in input order; while the workers kept
#: it from a core, they often finished their last files with two or three groups still
#: to save, which it then saved alone. With the workers at 10 (and Linux's
#: ``SCHED_BATCH``), the median batch of the bench's TrueType files ran 0–6 % more
#: pages/s on the project's 2-core test machine (four series of alternated runs, 24–40
#: batches each; 2.5 % in the longest; 5 and 19 did no better than 10). Other work on
#: a busy machine (a search server) also comes before parsing.
WORKER_NICE = 10


@dataclass
class FileOutcome:
    path: Path
    status: str  # ingested | unchanged | failed
    reason: str = ""
    documents: int = 0
    warnings: list[str] = field(default_factory=list)


def iter_sources(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly (any suffix: a wrong one gets a clear rejection) and the
    PDF/OFD files found under named folders, in a stable order; a file reached twice
    (named and inside a named folder, or through a link) once, where first reached."""
    seen: set[object] = set()

    def first_time(f: Path) -> bool:
        # the file itself (device and inode: one stat), which every link to it shares;
        # a name that cannot be read is reported by the caller
        try:
            st = f.stat()
            key: object = (st.st_dev, st.st_ino)
        except OSError:
            key = f.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in SOURCE_SUFFIXES and f.is_file())
            yield from (f for f in found if first_time(f))
        elif first_time(p):
            yield p


def _parse_and_copy(files_dir: Path, tag: str, db_path: Path, item: tuple[int, Path]):
    """A worker's job: read the file and hash it; unless the archive records that
    hash already, parse the file, then stage its copy in the archive's store.

    Returns None for a file the archive holds (``unchanged``: it is not parsed), else
    ``(parsed, staged)``: the staged copy (:func:`gazette.store.stage_copy`), or None
    when the store holds the file already. Hashing and copying here keep both out of
    the parent, which saves every file one after another and would otherwise be the
    stage the workers wait for. Flushing the copy to disk is left to the save, which
    flushes a group's copies together (:func:`gazette.store.place_copies`). A file
    that fails to parse is not copied.

    The file is read once: the bytes hashed are the bytes parsed and copied, so a
    file that changes while it is being ingested (still being written, replaced) is
    recorded as it was read, and the next batch takes it as it is then. Whether the
    archive records the hash is read from the archive file (:func:`file_recorded`);
    saving checks it again, so a file another batch saved meanwhile, or one that
    comes twice, is still recorded once.
    """
    from ingest.extract import read_file
    from ingest.pipeline import parse_file

    _, path = item
    data = read_file(path)
    digest = hashlib.sha256(data).hexdigest()
    if file_recorded(db_path, digest):
        return None
    parsed = parse_file(path, data=data, sha256=digest)
    return parsed, stage_copy(files_dir, path, digest, stored_suffix(path), tag=tag, data=data)


#: Where running batches hold their locks, under the archive's home.
BATCHES_DIR = "ingest-batches"


def _take(lock: Path) -> int | None:
    """A descriptor holding ``lock`` locked (``flock``), or None when a running batch
    holds it (or it is gone). A batch holds ``<home>/ingest-batches/<tag>.lock``
    locked for as long as it runs, and the kernel releases the lock when the process
    dies, however it dies: a lock that can be taken is a dead batch's."""
    import fcntl

    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:  # removed by another batch meanwhile
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a running batch holds it
        os.close(fd)
        return None
    return fd


def running_batches(home: Path) -> set[str]:
    """The tags of the ingest batches running on the archive at ``home``: their
    staged copies are theirs to place or remove (``gazette check --repair`` leaves
    them alone). Empty on a system without ``flock``."""
    try:
        import fcntl  # noqa: F401
    except ImportError:  # pragma: no cover - not a Unix system
        return set()
    running = set()
    for lock in (home / BATCHES_DIR).glob("*.lock"):
        fd = _take(lock)
        if fd is None:
            if lock.exists():
                running.add(lock.stem)
        else:
            os.close(fd)
    return running


@contextmanager
def batch_tag(home: Path, files_dir: Path) -> Iterator[str]:
    """A new batch's tag (its workers' staged copies carry it), held as a lock for
    as long as the batch runs; first, the staged copies of batches that died without
    cleaning up (killed, or their machine stopped) are removed, with their lock files
    (a lock that can be taken is a dead batch's: :func:`_take`). Batches running
    beside this one keep theirs. Without ``flock`` (not a Unix system), nothing is
    removed: ``gazette check --repair`` still does it.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a Unix system
        yield secrets.token_hex(6)
        return
    locks = home / BATCHES_DIR
    locks.mkdir(parents=True, exist_ok=True)
    for lock in locks.glob("*.lock"):
        fd = _take(lock)
        if fd is None:
            continue
        try:
            remove_staged(files_dir, lock.stem)
            lock.unlink(missing_ok=True)
        finally:
            os.close(fd)
    tag = secrets.token_hex(6)
    mine = locks / f"{tag}.lock"
    # locked before it is given its name: no other batch ever sees it free
    fresh = locks / f".{tag}.new"
    fd = os.open(fresh, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.rename(fresh, mine)
        yield tag
    finally:
        fresh.unlink(missing_ok=True)
        mine.unlink(missing_ok=True)
        os.close(fd)


def _warm_up() -> None:
    """Load what every parse needs lazily (the PDF libraries, the language-score pairs)
    once here, so that forked workers inherit it instead of each loading it again;
    then freeze it out of garbage collection. Ingest needs no segmenter: the SQLite
    index reads characters, and only the Elasticsearch backend loads jieba (in this
    process, when it indexes)."""
    import gc

    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    from ingest import ofd, pipeline  # noqa: F401 - ofd: every parse checks for OFD
    from ingest.quality import language_score

    language_score("公报" * 30)
    # Keep the garbage collector away from everything loaded so far: otherwise each
    # full collection in a worker walks those objects and, by writing their headers,
    # copies the parent's memory pages into the worker (the Python documentation's
    # advice for forking servers).
    gc.freeze()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, GazetteError):
        return str(exc)
    return f"internal error while reading the file ({type(exc).__name__}: {exc})"


def ingest_paths(
    archive: Archive,
    paths: Iterable[Path],
    *,
    workers: int = 2,
    timeout: float = 120.0,
    memory_mb: int | None = 2048,
    group_files: int = GROUP_FILES,
    nice: int = WORKER_NICE,
    on_done: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Ingest files and folders; return one outcome per file (see module docstring).

    ``group_files``: parsed files saved per transaction (see :data:`GROUP_FILES`);
    ``nice``: the parser processes' lower CPU priority (see :data:`WORKER_NICE`)."""
    outcomes: list[FileOutcome] = []

    def finish(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)

    # Files are listed as the workers need them, and read, hashed and looked up in the
    # archive by the workers: a backlog of thousands of files starts parsing at once.
    todo: list[Path] = []
    listed = False  # every file to parse is in todo

    def to_parse() -> Iterator[tuple[int, Path]]:
        nonlocal listed
        for path in iter_sources(paths):
            if not path.exists():
                finish(FileOutcome(path, "failed", "no such file"))
                continue
            if not todo:
                _warm_up()  # before the first worker is forked
            todo.append(path)
            yield len(todo) - 1, path
        listed = True

    # Saved files are grouped: one transaction and one indexing call per group
    # (Archive.save_sources) instead of one per file. A group holds the next files in
    # input order, parse failures included, so that outcomes keep that order.
    # Entries: (index in todo, parsed, staged copy, error); parsed and error both None:
    # the archive holds the file (unchanged).
    group: list[tuple[int, object, Path | None, BaseException | None]] = []
    group_started = 0.0
    files_dir = archive.store.files_dir
    placed: list[Path] = []  # the current group's copies, placed and not yet saved

    def save_group() -> None:
        # The group's staged copies are flushed to disk together and placed first
        # (gazette.store.place_copies), so a record never points at a copy that a
        # crash of the machine could lose.
        staged = [(copy, parsed.sha256, stored_suffix(todo[i])) for i, parsed, copy, _ in group if copy is not None]
        try:
            was_placed = dict(zip((copy for copy, _, _ in staged), place_copies(files_dir, staged)))
            copy_error = None
        except OSError as exc:
            was_placed = {}
            copy_error = GazetteError(f"cannot copy the file into the archive: {exc.strerror or exc}")
        placed.extend(stored_path(files_dir, sha, suffix) for copy, sha, suffix in staged if was_placed.get(copy))
        entries: list[tuple[Path, SourceFile | None, BaseException | None]] = []
        for i, parsed, copy, error in group:
            path = todo[i]
            if error is None and copy is not None and copy_error is not None:
                error = copy_error
            source = None
            if error is None and parsed is not None:
                source = SourceFile(path, parsed.sha256, parsed, copied=was_placed.get(copy, False))
            entries.append((path, source, error))
        group.clear()
        saved = iter(archive.save_sources([source for _, source, _ in entries if source is not None]))
        placed.clear()
        for path, source, error in entries:
            if source is None and error is None:
                finish(FileOutcome(path, "unchanged"))
                continue
            outcome = error if source is None else next(saved)
            if isinstance(outcome, BaseException):
                finish(FileOutcome(path, "failed", _reason(outcome)))
            else:
                warnings = list(source.parsed.warnings or [])
                finish(FileOutcome(path, outcome.status, documents=len(outcome.documents), warnings=warnings))

    # Parsing finishes in any order; saving follows the input order, so the archive
    # (and its exports) come out the same however the workers were scheduled.
    done: dict[int, tuple[object, Path | None, BaseException | None]] = {}
    next_to_save = 0
    # the batch's tag names its staged copies (see batch_tag)
    with batch_tag(archive.store.home, files_dir) as tag:
        job = partial(_parse_and_copy, files_dir, tag, archive.store.db_path)
        results = run_isolated(
            job,
            to_parse(),
            workers=workers,
            timeout=timeout,
            memory_mb=memory_mb,
            hold=lambda: len(done) >= LOOKAHEAD,
            nice=nice,
        )
        try:
            for (i, _), result, error in results:
                done[i] = (None, None, error) if error or result is None else (*result, None)
                while next_to_save in done:
                    if not group:
                        group_started = time.monotonic()
                    group.append((next_to_save, *done.pop(next_to_save)))
                    next_to_save += 1
                    if len(group) >= group_files:
                        save_group()
                # the last group as soon as its last file is in (not once the
                # workers have exited), else a group kept waiting too long
                last = listed and next_to_save == len(todo)
                if group and (last or time.monotonic() - group_started >= GROUP_SECONDS):
                    save_group()
            if group:
                save_group()
        except BaseException:
            # Stopped (interrupted, or the search backend is down): the files parsed and
            # not saved leave no copy behind (a group that failed to save removed its own),
            # nor do those the workers were on (staged copies carry this batch's tag).
            results.close()  # stop the workers first
            remove_staged(files_dir, tag)
            for target in placed:
                if not archive.store.has_file(target.stem):
                    target.unlink(missing_ok=True)
            raise
        return outcomes
