"""Batch ingest: walk paths, parse each new file, save it, and summarise.

Contract: every input file ends as ``ingested``, ``unchanged`` (its sha256 is already
archived) or ``failed`` with a one-line reason; a failure never stops the batch and
never leaves part of that file in the archive (see :meth:`gazette.archive.Archive.save_source`).
Parsing runs in isolated worker processes (see :mod:`gazette_cli.workers`) with a
time and memory limit per file, ``workers`` at a time so both cores are used; a worker
also copies its parsed file into the archive's store. Saving is done by this process,
one transaction per file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from gazette.archive import Archive
from gazette.errors import BackendUnavailable, GazetteError
from gazette.store import copy_in
from gazette_cli.workers import run_isolated

SOURCE_SUFFIXES = {".pdf", ".ofd"}

#: Parsed files that may wait, in memory and copied into the store, for an earlier
#: file still being parsed (files are saved in input order): past this many, no
#: further file is started until that one is done.
LOOKAHEAD = 32


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
    _, copied = copy_in(files_dir, path, digest, path.suffix.lower() or ".pdf")
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
    on_done: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Ingest files and folders; return one outcome per file (see module docstring)."""
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

    def save(path: Path, digest: str, parsed, copied: bool) -> None:
        try:
            result = archive.save_source(
                path=path,
                sha256=digest,
                kind=parsed.kind,
                page_count=parsed.page_count,
                documents=parsed.documents,
                issue=parsed.issue,
                repeals=parsed.repeals,
                copied=copied,
            )
        except BackendUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - reported per file, batch goes on
            finish(FileOutcome(path, "failed", _reason(exc)))
            return
        finish(
            FileOutcome(path, result.status, documents=len(result.documents), warnings=list(parsed.warnings or []))
        )

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
    for (i, _, _), result, error in results:
        done[i] = (result, error)
        while next_to_save in done:
            result, error = done.pop(next_to_save)
            path, digest = todo[next_to_save]
            if error is not None:
                finish(FileOutcome(path, "failed", _reason(error)))
            else:
                save(path, digest, *result)
            next_to_save += 1
    return outcomes
