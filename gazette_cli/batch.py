"""Batch ingest: walk paths, parse each new file, save it, and summarise.

Contract: every input file ends as ``ingested``, ``unchanged`` (its sha256 is already
archived) or ``failed`` with a one-line reason; a failure never stops the batch and
never leaves part of that file in the archive (see :meth:`gazette.archive.Archive.save_source`).
Parsing runs in isolated worker processes (see :mod:`gazette_cli.workers`) with a
time and memory limit per file, ``workers`` at a time so both cores are used; a worker
also copies its parsed file into the archive's store. Saving is done by this process,
in input order, several files per transaction (:data:`GROUP_FILES`); a file that fails
to save fails alone (see :meth:`gazette.archive.Archive.save_sources`). An interrupted
batch keeps the groups it saved; the files after them are not recorded (nor left in
the store, but for a file a worker was still on), and the next run parses them again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from gazette.archive import Archive, SourceFile
from gazette.errors import GazetteError
from gazette.store import copy_in, stored_path, stored_suffix
from gazette_cli.workers import run_isolated

SOURCE_SUFFIXES = {".pdf", ".ofd"}

#: Parsed files that may wait, in memory and copied into the store, for an earlier
#: file still being parsed (files are saved in input order): past this many, no
#: further file is started until that one is done.
LOOKAHEAD = 32

#: Parsed files saved together (:meth:`gazette.archive.Archive.save_sources`), by
#: default (``GAZETTE_INGEST_GROUP_FILES``): a group is saved once it holds this many
#: files, or once :data:`GROUP_SECONDS` have passed since its first file was ready
#: (checked as each parse finishes), and at the end.
GROUP_FILES = 8
GROUP_SECONDS = 1.0


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
    seen: set[Path] = set()

    def first_time(f: Path) -> bool:
        key = f.resolve()
        if key in seen:
            return False
        seen.add(key)
        return True

    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SOURCE_SUFFIXES)
            yield from (f for f in found if first_time(f))
        elif first_time(p):
            yield p


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _parse_and_copy(files_dir: Path, item: tuple[int, Path, str]):
    """A worker's job: parse the file, then copy it into the archive's store.

    Returns ``(parsed, copied)``. Copying here (durably, see
    :func:`gazette.store.copy_in`) keeps the file copy and its flush to disk out of
    the parent, which saves every file one after another and would otherwise be the
    stage the workers wait for. A file that fails to parse is not copied.
    """
    from ingest.pipeline import parse_file

    _, path, digest = item
    parsed = parse_file(path)
    _, copied = copy_in(files_dir, path, digest, stored_suffix(path))
    return parsed, copied


def _warm_up() -> None:
    """Load what every parse needs lazily (the PDF libraries, the language-score pairs)
    once here, so that forked workers inherit it instead of each loading it again;
    then freeze it out of garbage collection. Ingest needs no segmenter: the SQLite
    index reads characters, and only the Elasticsearch backend loads jieba (in this
    process, when it indexes)."""
    import gc

    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    from ingest import pipeline  # noqa: F401
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
    on_done: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Ingest files and folders; return one outcome per file (see module docstring).

    ``group_files``: parsed files saved per transaction (see :data:`GROUP_FILES`)."""
    outcomes: list[FileOutcome] = []

    def finish(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)

    todo: list[tuple[Path, str]] = []
    for path in iter_sources(paths):
        if not path.exists():
            finish(FileOutcome(path, "failed", "no such file"))
            continue
        try:
            digest = sha256_of(path)
        except OSError as exc:
            finish(FileOutcome(path, "failed", f"cannot read file: {exc.strerror or exc}"))
            continue
        if archive.store.has_file(digest):
            finish(FileOutcome(path, "unchanged"))
            continue
        todo.append((path, digest))

    # Saved files are grouped: one transaction and one indexing call per group
    # (Archive.save_sources) instead of one per file. A group holds the next files in
    # input order, parse failures included, so that outcomes keep that order.
    group: list[tuple[Path, SourceFile | None, BaseException | None]] = []
    group_started = 0.0

    def save_group() -> None:
        saved = iter(archive.save_sources([source for _, source, _ in group if source is not None]))
        for path, source, error in group:
            outcome = error if source is None else next(saved)
            if isinstance(outcome, BaseException):
                finish(FileOutcome(path, "failed", _reason(outcome)))
            else:
                warnings = list(source.parsed.warnings or [])
                finish(FileOutcome(path, outcome.status, documents=len(outcome.documents), warnings=warnings))
        group.clear()

    # Parsing finishes in any order; saving follows the input order, so the archive
    # (and its exports) come out the same however the workers were scheduled.
    if todo:
        _warm_up()
    done: dict[int, tuple[object, BaseException | None]] = {}
    next_to_save = 0
    job = partial(_parse_and_copy, archive.store.files_dir)
    results = run_isolated(
        job,
        [(i, path, digest) for i, (path, digest) in enumerate(todo)],
        workers=workers,
        timeout=timeout,
        memory_mb=memory_mb,
        hold=lambda: len(done) >= LOOKAHEAD,
    )
    try:
        for (i, _, _), result, error in results:
            done[i] = (result, error)
            while next_to_save in done:
                result, error = done.pop(next_to_save)
                path, digest = todo[next_to_save]
                if not group:
                    group_started = time.monotonic()
                source = None if error else SourceFile(path, digest, *result)
                group.append((path, source, error))
                next_to_save += 1
            if group and (len(group) >= group_files or time.monotonic() - group_started >= GROUP_SECONDS):
                save_group()
        if group:
            save_group()
    except BaseException:
        # Stopped (interrupted, or the search backend is down): the files parsed and
        # not saved leave no copy behind (a group that failed to save removed its own).
        # A file still being parsed may, as after a kill: harmless, the next run reuses
        # it and `gazette check --repair` removes it.
        results.close()  # stop the workers first
        unsaved = [SourceFile(*todo[i], *result) for i, (result, error) in done.items() if error is None]
        unsaved += [source for _, source, _ in group if source is not None]
        for source in unsaved:
            if source.copied and not archive.store.has_file(source.sha256):
                stored_path(archive.store.files_dir, source.sha256, stored_suffix(source.path)).unlink(missing_ok=True)
        raise
    return outcomes
