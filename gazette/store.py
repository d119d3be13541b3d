"""The archive's record: one SQLite file holding issues, documents, events and files.

This is the single source every channel (search, API, catalogues, EPUB, exports)
publishes from. Search indexes are derived from it and can be rebuilt from it
(``gazette reindex``). Contracts:

* Writes of one source file happen in one transaction (:meth:`Store.transaction`):
  after a crash the archive holds the whole file's documents or none of them.
* Status events are append-only; documents are replaced whole by id.
* Source files are stored content-addressed under ``files/<sha256[:2]>/<sha256>.pdf``,
  written to a temporary name and renamed before the transaction that records them
  commits, so a recorded file always exists.
* Connections are per thread (SQLite objects may not cross threads); WAL mode lets
  readers proceed during a write.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import functools
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from gazette import privacy
from gazette.errors import GazetteError, NotFound
from gazette.model import Document, GazetteIssue, StatusEvent
from gazette.status import index_fields, refresh

SCHEMA_VERSION = 1

#: Page size of a new archive file, in bytes (a file keeps the size it was made with).
#: Twice SQLite's default: saving parsed files writes the full-text tables' segments,
#: a few kilobytes each, and commits them through the write-ahead log page by page; at
#: 8 KiB that took about 7 % less CPU than at 4 KiB (``bench/ingest_bench.py``'s
#: files saved in ingest's groups, medians of 10 alternated runs).
PAGE_SIZE = 8192

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    kind TEXT NOT NULL,
    page_count INTEGER NOT NULL DEFAULT 0,
    stored_path TEXT,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS issues (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    issue INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    doc_number TEXT,
    doc_number_key TEXT,
    doc_number_prefix TEXT,
    year INTEGER,
    issuer TEXT,
    doc_type TEXT,
    is_normative INTEGER NOT NULL DEFAULT 0,
    written_date TEXT,
    published_date TEXT,
    effective_date TEXT,
    expiry_date TEXT,
    invalid_from TEXT,
    invalid_status TEXT,
    disclosure TEXT NOT NULL,
    gazette_issue TEXT,
    sha256 TEXT,
    body TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_number ON documents(doc_number_key);
CREATE INDEX IF NOT EXISTS documents_title ON documents(title);
CREATE INDEX IF NOT EXISTS documents_issue ON documents(gazette_issue);
CREATE INDEX IF NOT EXISTS documents_written ON documents(written_date);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    date TEXT,
    data TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_document ON events(document_id);
CREATE TABLE IF NOT EXISTS originals (
    document_id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS masks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    masked TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
"""


def doc_number_key(text: str | None) -> str | None:
    """Lenient lookup key of a 发文字号 (brackets, digit widths and 号 ignored)."""
    if not text:
        return None
    from gazette.docnumber import doc_number_key as _key

    return _key(text)


def title_key(title: str | None) -> str | None:
    """Lookup key of a title as a clause cites it: book-title marks and blanks dropped."""
    if not title:
        return None
    return "".join(title.strip().strip("《》").split())


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def stored_suffix(source: Path) -> str:
    """The suffix a source file is stored under: its own, lower-cased (``.pdf`` when it
    has none)."""
    return source.suffix.lower() or ".pdf"


def stored_path(files_dir: Path, sha256: str, suffix: str = ".pdf") -> Path:
    """Where the content-addressed files of a store keep a file (see :func:`copy_in`)."""
    return files_dir / sha256[:2] / f"{sha256}{suffix}"


def copy_in(files_dir: Path, source: Path, sha256: str, suffix: str = ".pdf") -> tuple[Path, bool]:
    """Copy ``source`` into the content-addressed files of a store; ``(path, copied)``.

    Durable and atomic: the copy is written to a temporary name, flushed to disk and
    renamed, so the stored path holds the whole file or nothing. Idempotent: when the
    path exists already nothing is written and ``copied`` is false. Needs no database
    connection. :func:`stage_copy` and :func:`place_copies` are its two halves, which
    ingest runs apart: staging in its workers, placing for a group of files at once.
    """
    staged = stage_copy(files_dir, source, sha256, suffix)
    if staged is None:
        return stored_path(files_dir, sha256, suffix), False
    [copied] = place_copies(files_dir, [(staged, sha256, suffix)])
    return stored_path(files_dir, sha256, suffix), copied


def stage_copy(
    files_dir: Path, source: Path, sha256: str, suffix: str = ".pdf", *, tag: str = "", data: bytes | None = None
) -> Path | None:
    """Write a copy of ``source`` under a temporary name beside its stored path, not
    yet flushed to disk; return that name, or None when the stored path exists already.
    ``data``: the source's bytes when the caller has read them (written as they are;
    the caller has checked them against ``sha256``).

    The first half of :func:`copy_in`, for ingest workers; the process that saves
    their files places a group of staged copies at once (:func:`place_copies`). A
    staged copy is never read as stored. Its name starts with :func:`staged_prefix`
    of ``tag``, so a batch stopped early finds and removes the copies its workers
    staged; the next ingest batch removes any left by a batch that was killed, and
    so does ``gazette check --repair``.
    """
    target = stored_path(files_dir, sha256, suffix)
    if target.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=staged_prefix(tag))
    try:
        with os.fdopen(fd, "wb") as out:
            if data is not None:
                out.write(data)
            else:
                with open(source, "rb") as src:
                    shutil.copyfileobj(src, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def staged_prefix(tag: str = "") -> str:
    """How the names of copies staged with ``tag`` begin (:func:`stage_copy`)."""
    return f".tmp-{tag}-" if tag else ".tmp-"


def remove_staged(files_dir: Path, tag: str) -> None:
    """Remove the copies staged with ``tag`` (:func:`stage_copy`) and not placed."""
    for copy in files_dir.glob(f"*/{staged_prefix(tag)}*"):
        copy.unlink(missing_ok=True)


def place_copies(files_dir: Path, staged: Sequence[tuple[Path, str, str]]) -> list[bool]:
    """Flush copies made by :func:`stage_copy` to disk, then rename each to its
    stored path; ``staged`` holds ``(staged copy, sha256, suffix)``. Returns, for each,
    whether it was placed: false when its stored path exists already (the same file
    placed meanwhile), its staged copy then removed.

    All or nothing: on failure every staged copy is removed, and so is every copy this
    call placed, before the error is raised. The copies are flushed together
    (:func:`_flush`): flushing each new file on its own costs a journal commit each,
    and with that flush in the ingest workers, ingest ran 5–10 % slower on the
    project's 2-core test machine (median pages/s of interleaved runs on the files of
    ``bench/ingest_bench.py``).
    """
    placed: list[Path] = []
    try:
        _flush(files_dir, [copy for copy, _, _ in staged])
        out: list[bool] = []
        for copy, sha256, suffix in staged:
            target = stored_path(files_dir, sha256, suffix)
            if target.exists():
                copy.unlink()
                out.append(False)
            else:
                os.replace(copy, target)
                placed.append(target)
                out.append(True)
        return out
    except BaseException:
        for copy, _, _ in staged:
            copy.unlink(missing_ok=True)
        for target in placed:
            target.unlink(missing_ok=True)
        raise


def _flush(files_dir: Path, paths: Sequence[Path]) -> None:
    """Flush the data of ``paths`` (files under ``files_dir``) to disk.

    Several files, with Linux's ``syncfs(2)``: one call flushes the store's file
    system, one journal commit for all of them (and it writes whatever else waits to
    be written on that file system, which is little where the archive has a disk of
    its own). One file, or where there is no ``syncfs``: ``fsync`` each.
    """
    syncfs = _syncfs() if len(paths) > 1 else None
    if syncfs is not None:
        fd = os.open(files_dir, os.O_RDONLY)
        try:
            if syncfs(fd) != 0:
                err = ctypes.get_errno()
                raise OSError(err, os.strerror(err), str(files_dir))
        finally:
            os.close(fd)
        return
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@functools.cache
def _syncfs():
    """The C library's ``syncfs``, or None where there is none (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn


#: file_recorded's connections, by (process id, archive file)
_readers: dict[tuple[int, str], sqlite3.Connection] = {}


def file_recorded(db_path: Path, sha256: str) -> bool | None:
    """:meth:`Store.has_file` for another process (an ingest worker): whether the
    archive file ``db_path`` records a source file of this sha256, or None when that
    cannot be read. Reads on a read-only connection of the calling process's own,
    opened on first use and kept (one made before a fork is never used after it)."""
    key = (os.getpid(), str(db_path))
    try:
        conn = _readers.get(key)
        if conn is None:
            uri = Path(db_path).absolute().as_uri() + "?mode=ro"
            conn = _readers[key] = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        return conn.execute("SELECT 1 FROM files WHERE sha256=?", (sha256,)).fetchone() is not None
    except sqlite3.Error:
        return None


class Store:
    """Access to one archive file. Cheap to create; safe to share across threads."""

    def __init__(self, home: Path, *, official_numbers: frozenset[str] = frozenset()) -> None:
        self.home = Path(home)
        self.official_numbers = official_numbers
        self.db_path = self.home / "archive.sqlite3"
        self.files_dir = self.home / "files"
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self.home.mkdir(parents=True, exist_ok=True)
        self.files_dir.mkdir(exist_ok=True)
        self.executescript(_SCHEMA)
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    def executescript(self, sql: str) -> None:
        """Run idempotent DDL (``CREATE … IF NOT EXISTS``); it commits by itself."""
        with self._write_lock:
            self.conn.executescript(sql)

    # -- connections ---------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit off; use :meth:`transaction` to write)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise GazetteError(f"cannot open archive {self.db_path}: {exc}") from exc
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file's; else a no-op
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, rolled back on error).

        Nested use joins the outer transaction.
        """
        conn = self.conn
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield conn
            finally:
                self._local.depth = depth
            return
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            self._local.depth = 1
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._local.depth = 0

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- files ---------------------------------------------------------------------
    def has_file(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM files WHERE sha256=?", (sha256,)).fetchone() is not None

    def record_file(self, *, sha256: str, name: str, size: int, kind: str, page_count: int, stored_path: Path | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO files(sha256, name, size, kind, page_count, stored_path, ingested_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (
                    sha256,
                    name,
                    size,
                    kind,
                    page_count,
                    str(stored_path.relative_to(self.home)) if stored_path else None,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )

    def file_path(self, sha256: str) -> Path:
        """Path of a stored original file; NotFound if it is not in the archive."""
        row = self.conn.execute("SELECT stored_path FROM files WHERE sha256=?", (sha256,)).fetchone()
        if row is None or not row["stored_path"]:
            raise NotFound(f"no stored file {sha256}")
        return self.home / row["stored_path"]

    def file_has_public_document(self, sha256: str) -> bool:
        """Whether a 主动公开 document comes from this stored file."""
        row = self.conn.execute(
            "SELECT 1 FROM documents WHERE sha256=? AND disclosure='主动公开' LIMIT 1", (sha256,)
        ).fetchone()
        return row is not None

    def files(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM files ORDER BY ingested_at, name")]

    # -- issues --------------------------------------------------------------------
    def put_issue(self, issue: GazetteIssue) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO issues(id, year, issue, data) VALUES (?,?,?,?)",
                (issue.id, issue.year, issue.issue, issue.model_dump_json()),
            )

    def get_issue(self, issue_id: str) -> GazetteIssue:
        row = self.conn.execute("SELECT data FROM issues WHERE id=?", (issue_id,)).fetchone()
        if row is None:
            raise NotFound(f"no gazette issue {issue_id}")
        return GazetteIssue.model_validate_json(row["data"])

    def issues(self, year: int | None = None) -> list[GazetteIssue]:
        sql = "SELECT data FROM issues" + (" WHERE year=?" if year else "") + " ORDER BY year, issue"
        return [GazetteIssue.model_validate_json(r["data"]) for r in self.conn.execute(sql, (year,) if year else ())]

    # -- documents -----------------------------------------------------------------
    def put_document(self, doc: Document) -> Document:
        """Insert or replace a document (events are kept; they live in their own table).

        Returns the stored document with its events and derived status loaded, a new
        object: ``doc`` is left as it was. The copy is shallow but for what the store
        changes or callers edit (lists of text, attachments, flags): a deep copy of a
        long document had been a twentieth of the CPU that saving a parsed file took.
        """
        with self.transaction() as conn:
            doc = doc.model_copy(
                update={
                    "paragraphs": list(doc.paragraphs),
                    "attachments": [
                        a.model_copy(update={"paragraphs": list(a.paragraphs)}) for a in doc.attachments
                    ],
                    "issuers": list(doc.issuers),
                    "flags": list(doc.flags),
                }
            )
            self._deidentify(conn, doc)
            doc.events = self._events(doc.id)
            refresh(doc)
            self._write_row(conn, doc)
        return doc

    def _deidentify(self, conn: sqlite3.Connection, doc: Document) -> None:
        """Mask personal data in the text everyone sees; keep the original aside.

        The original paragraphs go to ``originals`` (for authorised users) and every
        mask is logged in ``masks``. Masked text contains no further matches, so
        storing a document again keeps the first original.
        """
        original = {
            "title": doc.title,
            "paragraphs": list(doc.paragraphs),
            "attachments": [a.model_dump() for a in doc.attachments],
        }
        log: list[tuple[str, str, str]] = []

        def clean(text: str, where: str) -> str:
            masked, spans = privacy.mask(text, official_numbers=self.official_numbers)
            for sp in spans:
                log.append((sp.kind, where, masked[sp.start : sp.end]))
            return masked

        doc.title = clean(doc.title, "title")
        doc.paragraphs = [clean(p, f"p{i}") for i, p in enumerate(doc.paragraphs)]
        for j, att in enumerate(doc.attachments):
            att.paragraphs = [clean(p, f"a{j}p{i}") for i, p in enumerate(att.paragraphs)]
        if not log:
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        conn.execute(
            "INSERT OR REPLACE INTO originals(document_id, data) VALUES (?, ?)",
            (doc.id, json.dumps(original, ensure_ascii=False)),
        )
        conn.execute("DELETE FROM masks WHERE document_id=?", (doc.id,))
        conn.executemany(
            "INSERT INTO masks(document_id, kind, location, masked, recorded_at) VALUES (?,?,?,?,?)",
            [(doc.id, kind, where, masked, now) for kind, where, masked in log],
        )

    def original_text(self, doc_id: str) -> dict | None:
        """The unmasked paragraphs/attachments of a document, if anything was masked."""
        row = self.conn.execute("SELECT data FROM originals WHERE document_id=?", (doc_id,)).fetchone()
        return json.loads(row["data"]) if row else None

    def masks(self, doc_id: str | None = None) -> list[dict]:
        sql = "SELECT document_id, kind, location, masked, recorded_at FROM masks"
        rows = self.conn.execute(sql + (" WHERE document_id=?" if doc_id else "") + " ORDER BY id", (doc_id,) if doc_id else ())
        return [dict(r) for r in rows]

    def _write_row(self, conn: sqlite3.Connection, doc: Document) -> None:
        fields = index_fields(doc)
        data = doc.model_dump(mode="json", exclude={"events"})
        number = doc.doc_number.text if doc.doc_number else doc.doc_number_raw
        conn.execute(
            """INSERT INTO documents(id, title, doc_number, doc_number_key, doc_number_prefix, year, issuer,
                   doc_type, is_normative, written_date, published_date, effective_date, expiry_date,
                   invalid_from, invalid_status, disclosure, gazette_issue, sha256, body, data, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET title=excluded.title, doc_number=excluded.doc_number,
                   doc_number_key=excluded.doc_number_key, doc_number_prefix=excluded.doc_number_prefix,
                   year=excluded.year, issuer=excluded.issuer, doc_type=excluded.doc_type,
                   is_normative=excluded.is_normative, written_date=excluded.written_date,
                   published_date=excluded.published_date, effective_date=excluded.effective_date,
                   expiry_date=excluded.expiry_date, invalid_from=excluded.invalid_from,
                   invalid_status=excluded.invalid_status, disclosure=excluded.disclosure,
                   gazette_issue=excluded.gazette_issue, sha256=excluded.sha256, body=excluded.body,
                   data=excluded.data, updated_at=excluded.updated_at""",
            (
                doc.id,
                doc.title,
                number,
                doc_number_key(number),
                doc.doc_number.prefix if doc.doc_number else None,
                doc.year,
                doc.issuer,
                doc.doc_type,
                int(doc.is_normative),
                _iso(doc.written_date),
                _iso(doc.published_date),
                _iso(doc.effective_date),
                _iso(fields["expiry_date"]),
                _iso(fields["invalid_from"]),
                fields["invalid_status"],
                doc.disclosure.value,
                doc.gazette_issue,
                doc.sha256,
                doc.text,
                json.dumps(data, ensure_ascii=False),
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            ),
        )

    def _events(self, document_id: str) -> list[StatusEvent]:
        rows = self.conn.execute(
            "SELECT id, data FROM events WHERE document_id=? ORDER BY id", (document_id,)
        ).fetchall()
        out = []
        for r in rows:
            ev = StatusEvent.model_validate_json(r["data"])
            ev.id = r["id"]
            out.append(ev)
        return out

    def add_event(self, event: StatusEvent) -> Document:
        """Append a status event and update the document's derived fields atomically."""
        with self.transaction() as conn:
            doc = self.get_document(event.document_id)
            event = event.model_copy()
            # Causes are published (pages, feeds, catalogues): no personal data in them.
            event.cause = privacy.mask(event.cause, official_numbers=self.official_numbers)[0]
            if event.kind == "expiry_set" and event.data.get("expiry_date") and "no_validity_period" in doc.flags:
                doc.flags = [f for f in doc.flags if f != "no_validity_period"]
            event.recorded_at = event.recorded_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
            cur = conn.execute(
                "INSERT INTO events(document_id, kind, date, data, recorded_at) VALUES (?,?,?,?,?)",
                (
                    event.document_id,
                    event.kind,
                    _iso(event.date),
                    event.model_dump_json(exclude={"id"}),
                    event.recorded_at.isoformat(),
                ),
            )
            event.id = cur.lastrowid
            doc.events.append(event)
            refresh(doc)
            self._write_row(conn, doc)
        return doc

    def has_event(self, document_id: str, kind: str, basis_document_id: str | None) -> bool:
        return any(
            e.kind == kind and e.basis_document_id == basis_document_id for e in self._events(document_id)
        )

    def _load(self, row: sqlite3.Row) -> Document:
        doc = Document.model_validate_json(row["data"])
        doc.events = self._events(doc.id)
        return refresh(doc)

    def get_document(self, doc_id: str) -> Document:
        row = self.conn.execute("SELECT data FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no document {doc_id}")
        return self._load(row)

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None

    def find_by_number(self, number: str) -> list[Document]:
        """Documents whose 发文字号 matches ``number`` however it was typed."""
        key = doc_number_key(number)
        if not key:
            return []
        rows = self.conn.execute("SELECT data FROM documents WHERE doc_number_key=? ORDER BY id", (key,))
        return [self._load(r) for r in rows]

    def find_by_title(self, title: str) -> list[Document]:
        """Documents with exactly this title (book-title marks and spaces ignored)."""
        rows = self.conn.execute("SELECT data FROM documents WHERE title=? ORDER BY id", (title_key(title) or "",))
        return [self._load(r) for r in rows]

    def documents_in_issue(self, issue_id: str) -> list[Document]:
        rows = self.conn.execute("SELECT data FROM documents WHERE gazette_issue=?", (issue_id,))
        return [self._load(r) for r in rows]

    def iter_documents(self, batch: int = 500) -> Iterator[Document]:
        """Every document, in insertion order, loaded in batches."""
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT rowid, data FROM documents WHERE rowid>? ORDER BY rowid LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            for r in rows:
                yield self._load(r)
            last = rows[-1]["rowid"]

    def newest_public_documents(self) -> Iterator[Document]:
        """主动公开 documents, newest first (publish date, else 成文日期, then id), read
        lazily so a caller that needs the first few reads only those."""
        cur = self.conn.execute(
            "SELECT data FROM documents WHERE disclosure='主动公开'"
            " ORDER BY coalesce(published_date, written_date, '') DESC, id DESC"
        )
        for row in cur:
            yield self._load(row)

    def newest_events(self, kinds: Iterable[str]) -> Iterator[StatusEvent]:
        """Events of the given kinds, newest first (date, then recording order), lazily."""
        kinds = list(kinds)
        cur = self.conn.execute(
            f"SELECT id, data FROM events WHERE kind IN ({','.join('?' * len(kinds))})"
            " ORDER BY coalesce(date, '') DESC, id DESC",
            kinds,
        )
        for row in cur:
            ev = StatusEvent.model_validate_json(row["data"])
            ev.id = row["id"]
            yield ev

    def document_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM documents")}

    def count_documents(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def delete_document(self, doc_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
