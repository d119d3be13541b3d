"""The archive service: the record store plus the configured search backend.

Every channel (CLI, API, EPUB, exports) goes through :class:`Archive`, so that what
is stored, what is searchable and what is published come from one source. Contracts:

* :meth:`Archive.save_source` stores one parsed source file — its issue, documents,
  repeal clauses — in one transaction, indexes it, and only then records the file as
  ingested. If anything fails, nothing of that file is recorded and re-running ingest
  redoes it; a file already recorded (same sha256) is reported ``unchanged``.
  :meth:`Archive.save_sources` saves several files to the same effect, at less cost.
* Repeal clauses found in a document become ``repealed``/``expired`` events on the
  documents they name, resolved by 发文字号 and else by title; targets not (yet) in the
  archive are kept and resolved when the target arrives.
* Exports are JSON Lines, one document per line, that :meth:`import_jsonl` reads back
  with nothing lost.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any, Protocol

from gazette.backends import SearchBackend, SearchQuery, SearchResult, open_backend
from gazette.errors import BackendUnavailable, GazetteError, IntegrityError, ParseError
from gazette.model import Document, GazetteIssue, StatusEvent
from gazette.settings import Settings, get_settings
from gazette.store import Store, copy_in, doc_number_key, stored_suffix, title_key


class RepealClause(Protocol):
    """What ingest reports for a repeal clause (see ``ingest.repeal``)."""

    doc_number: str | None
    title: str | None
    kind: str
    sentence: str


class ParsedFile(Protocol):
    """What ingest reports for a source file (see ``ingest.pipeline.ParsedSource``)."""

    kind: str
    page_count: int
    documents: list[Document]
    issue: GazetteIssue | None
    repeals: Mapping[str, Iterable[RepealClause]] | None


@dataclass
class SourceFile:
    """A source file to save (:meth:`Archive.save_sources`): the file, its sha256 and
    what ingest made of it."""

    path: Path
    sha256: str
    parsed: ParsedFile
    #: the caller copied the file into the store for this save (see ``save_source``)
    copied: bool = False


@dataclass
class SaveOutcome:
    status: str  # "ingested" | "unchanged"
    documents: list[str] = field(default_factory=list)
    issue: str | None = None
    resolved_repeals: int = 0


_REPEAL_SCHEMA = """
CREATE TABLE IF NOT EXISTS repeal_clauses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    basis_document_id TEXT NOT NULL,
    doc_number TEXT,
    title TEXT,
    kind TEXT NOT NULL,
    sentence TEXT NOT NULL,
    target_document_id TEXT,
    number_key TEXT,  -- doc_number_key(doc_number): how a target's 发文字号 is looked up
    title_key TEXT,  -- title_key(title): how a target's title is looked up
    UNIQUE (basis_document_id, doc_number, title, kind)
);
"""

# Unresolved clauses by what could resolve them: a target arriving with that number or
# title, or the basis document itself arriving (its clauses can be recorded first).
_REPEAL_INDEXES = """
CREATE INDEX IF NOT EXISTS repeal_clauses_number ON repeal_clauses(number_key) WHERE target_document_id IS NULL;
CREATE INDEX IF NOT EXISTS repeal_clauses_title ON repeal_clauses(title_key) WHERE target_document_id IS NULL;
CREATE INDEX IF NOT EXISTS repeal_clauses_basis ON repeal_clauses(basis_document_id) WHERE target_document_id IS NULL;
"""


def _add_clause_keys(store: Store) -> None:
    """Give an archive made before the lookup keys its ``number_key``/``title_key``
    columns, filled in for every clause (one pass, at the first opening)."""
    columns = {r["name"] for r in store.conn.execute("PRAGMA table_info(repeal_clauses)")}
    if "number_key" in columns and "title_key" in columns:
        return
    with store.transaction() as conn:
        for name in ("number_key", "title_key"):
            if name not in columns:
                conn.execute(f"ALTER TABLE repeal_clauses ADD COLUMN {name} TEXT")
        rows = conn.execute("SELECT id, doc_number, title FROM repeal_clauses").fetchall()
        conn.executemany(
            "UPDATE repeal_clauses SET number_key=?, title_key=? WHERE id=?",
            [(doc_number_key(r["doc_number"]), title_key(r["title"]), r["id"]) for r in rows],
        )


class Archive:
    """One gazette archive: records in SQLite, search in the configured backend."""

    def __init__(self, settings: Settings | None = None, *, backend: SearchBackend | None = None) -> None:
        self.settings = settings or get_settings()
        self.store = Store(self.settings.home, official_numbers=frozenset(self.settings.official_numbers))
        if self.settings.userdict:
            from gazette import analysis

            analysis.add_user_dictionary(self.settings.userdict)
        self.store.executescript(_REPEAL_SCHEMA)
        _add_clause_keys(self.store)
        self.store.executescript(_REPEAL_INDEXES)
        self.backend = backend or open_backend(self.settings, self.store)

    def close(self) -> None:
        self.backend.close()
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest --------------------------------------------------------------------
    def save_source(
        self,
        *,
        path: Path,
        sha256: str,
        kind: str,
        page_count: int,
        documents: list[Document],
        issue: GazetteIssue | None = None,
        repeals: dict[str, list[RepealClause]] | None = None,
        copied: bool = False,
    ) -> SaveOutcome:
        """Store and index one parsed source file atomically (see module docstring).

        ``copied``: the caller has just copied the file into the store for this save
        (:func:`gazette.store.copy_in`, or as ingest does: staged by a worker, then
        placed with its group), so a failed save removes that copy as it removes one
        made here; the copy is made here when missing.
        """
        parsed = SimpleNamespace(kind=kind, page_count=page_count, documents=documents, issue=issue, repeals=repeals)
        return self._save_together([SourceFile(path, sha256, parsed, copied)])[0]

    def save_sources(self, sources: Sequence[SourceFile]) -> list[SaveOutcome | Exception]:
        """Save several parsed files, in order, as :meth:`save_source` would save each
        of them; return each file's outcome, or the exception its save raised.

        The files are saved in one transaction with one call to the search backend,
        which costs much less than one each: SQLite's full-text tables write their
        pending terms once, and Elasticsearch gets one bulk request and one refresh.
        The outcomes are those of saving the files one by one: when any file fails,
        the whole group is rolled back (its store copies removed, as a failed
        :meth:`save_source` removes its own) and each file is saved on its own, so
        only the failing one fails. :class:`~gazette.errors.BackendUnavailable` is
        raised instead, with nothing of the group recorded: no other file would fare
        better.
        """
        try:
            return list(self._save_together(sources))
        except BackendUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - redone one by one below
            if len(sources) == 1:
                return [exc]
        outcomes: list[SaveOutcome | Exception] = []
        for source in sources:
            try:
                outcomes.append(self._save_together([source])[0])
            except BackendUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - this file's outcome
                outcomes.append(exc)
        return outcomes

    def _save_together(self, sources: Sequence[SourceFile]) -> list[SaveOutcome]:
        """Store ``sources`` in one transaction and index what they touched in one
        call: all or nothing, store copies included (a failure removes every copy made
        for, or by the caller for, this save)."""
        made: list[Path] = []
        stored: list[Path | None] = []
        try:
            for source in sources:
                if self.store.has_file(source.sha256):
                    stored.append(None)
                    continue
                suffix = stored_suffix(source.path)
                path, copied_here = copy_in(self.store.files_dir, source.path, source.sha256, suffix)
                if source.copied or copied_here:
                    made.append(path)
                stored.append(path)
            if not any(stored):
                return [SaveOutcome("unchanged") for _ in sources]
            outcomes: list[SaveOutcome] = []
            touched: dict[str, Document] = {}
            with self.store.transaction():
                for source, path in zip(sources, stored):
                    # checked again: the same file may come twice in a group
                    if path is None or self.store.has_file(source.sha256):
                        outcomes.append(SaveOutcome("unchanged"))
                        continue
                    outcome, changed = self._put_source(source, path)
                    outcomes.append(outcome)
                    touched.update(changed)
                if touched:
                    self.backend.index(touched.values())
        except BaseException:
            for path in made:  # no record points at the copy: do not leave it behind
                path.unlink(missing_ok=True)
            raise
        return outcomes

    def _put_source(self, source: SourceFile, stored: Path) -> tuple[SaveOutcome, dict[str, Document]]:
        """Store one file's issue, documents and repeal clauses, resolve the clauses
        they settle and record the file, inside the caller's transaction; return the
        outcome and the documents to index (the caller indexes them)."""
        touched: dict[str, Document] = {}
        resolved = 0
        parsed = source.parsed
        issue = parsed.issue
        if issue is not None:
            self.store.put_issue(issue)
        for doc in parsed.documents:
            if self.store.has_document(doc.id):
                # The same document printed elsewhere (e.g. standalone and in a
                # gazette): keep the gazette placement once known, with the file
                # and pages it refers to.
                old = self.store.get_document(doc.id)
                if doc.gazette_issue is None and old.gazette_issue:
                    doc = doc.model_copy(
                        update={
                            "gazette_issue": old.gazette_issue,
                            "section": old.section,
                            "pages": old.pages,
                            "sha256": old.sha256,
                            "source_file": old.source_file,
                        }
                    )
            touched[doc.id] = self.store.put_document(doc)
        for basis_id, clauses in (parsed.repeals or {}).items():
            self.add_repeal_clauses(basis_id, clauses)
        for doc in self.resolve_repeals(touched):
            touched[doc.id] = doc
            resolved += 1
        self.store.record_file(
            sha256=source.sha256,
            name=source.path.name,
            size=source.path.stat().st_size,
            kind=parsed.kind,
            page_count=parsed.page_count,
            stored_path=stored,
        )
        outcome = SaveOutcome(
            "ingested", [d.id for d in parsed.documents], issue.id if issue else None, resolved_repeals=resolved
        )
        return outcome, touched

    def add_repeal_clauses(self, basis_id: str, clauses: Iterable[RepealClause]) -> None:
        """Record what a document says it repeals; resolved by :meth:`resolve_repeals`."""
        with self.store.transaction() as conn:
            for c in clauses:
                conn.execute(
                    "INSERT OR IGNORE INTO repeal_clauses(basis_document_id, doc_number, title, kind, sentence,"
                    " number_key, title_key) VALUES (?,?,?,?,?,?,?)",
                    (basis_id, c.doc_number, c.title, c.kind, c.sentence, doc_number_key(c.doc_number), title_key(c.title)),
                )

    def resolve_repeals(self, arrived: Iterable[str] | None = None) -> list[Document]:
        """Turn unresolved repeal clauses whose target is now archived into events.

        A target is resolved by its 发文字号, else by its exact title, and only when
        exactly one other document matches. Returns the documents that changed (the
        caller indexes them). Must run inside a transaction.

        With ``arrived`` (ids of documents just stored, their clauses just recorded),
        only the clauses those documents can settle are looked at: theirs, and those
        naming their 发文字号 or title. A clause stays unresolved until a document with
        its number or title arrives, or until its own document does, so this finds what
        a look at every clause would; but it costs what the new documents bring, not
        what the archive has gathered (a province's backlog leaves thousands of clauses
        naming documents never archived). Without ``arrived``, every clause is looked at.
        """
        conn = self.store.conn
        changed: list[Document] = []
        if arrived is None:
            rows = conn.execute("SELECT * FROM repeal_clauses WHERE target_document_id IS NULL").fetchall()
        else:
            rows = self._clauses_settled_by(list(arrived))
        for row in rows:
            targets = self.store.find_by_number(row["doc_number"]) if row["doc_number"] else []
            if not targets and row["title"]:
                targets = self.store.find_by_title(row["title"])
            targets = [t for t in targets if t.id != row["basis_document_id"]]
            if len(targets) != 1 or not self.store.has_document(row["basis_document_id"]):
                continue
            target = targets[0]
            basis = self.store.get_document(row["basis_document_id"])
            date = basis.effective_date or basis.published_date or basis.written_date
            conn.execute("UPDATE repeal_clauses SET target_document_id=? WHERE id=?", (target.id, row["id"]))
            if self.store.has_event(target.id, row["kind"], basis.id):
                continue
            changed.append(
                self.store.add_event(
                    StatusEvent(
                        document_id=target.id,
                        kind=row["kind"],
                        date=date,
                        cause=row["sentence"],
                        basis_document_id=basis.id,
                        basis_doc_number=basis.doc_number.text if basis.doc_number else None,
                        actor="ingest",
                    )
                )
            )
        return changed

    def _clauses_settled_by(self, ids: list[str]) -> list:
        """The unresolved clauses the documents ``ids`` can settle (see
        :meth:`resolve_repeals`), in the order they were recorded."""
        conn = self.store.conn
        found: dict[int, Any] = {}
        for start in range(0, len(ids), 300):  # SQLite binds at most 999 parameters
            chunk = ids[start : start + 300]
            marks = ",".join("?" * len(chunk))
            keys = conn.execute(
                f"SELECT doc_number_key, title FROM documents WHERE id IN ({marks})", chunk
            ).fetchall()
            numbers = sorted({r["doc_number_key"] for r in keys if r["doc_number_key"]})
            titles = sorted({r["title"] for r in keys if r["title"]})
            for column, values in (("basis_document_id", chunk), ("number_key", numbers), ("title_key", titles)):
                if not values:
                    continue
                rows = conn.execute(
                    f"SELECT * FROM repeal_clauses WHERE target_document_id IS NULL"
                    f" AND {column} IN ({','.join('?' * len(values))})",
                    values,
                )
                found.update((r["id"], r) for r in rows)
        return [found[k] for k in sorted(found)]

    def unresolved_repeals(self) -> list[dict]:
        rows = self.store.conn.execute(
            "SELECT basis_document_id, doc_number, title, kind, sentence FROM repeal_clauses"
            " WHERE target_document_id IS NULL ORDER BY id"
        )
        return [dict(r) for r in rows]

    # -- the legal office's writes ---------------------------------------------------
    # Each write is an audited, append-only event recorded in the same transaction as
    # the change it makes, then the document is re-indexed. BEGIN IMMEDIATE serialises
    # writers, so concurrent writes cannot lose one another.

    def record_event(self, event: StatusEvent) -> Document:
        """Append a status event (repealed / expired / restored / expiry_set) and reindex."""
        if event.kind not in {"repealed", "expired", "restored", "expiry_set", "effective"}:
            raise ParseError(f"unknown status event kind: {event.kind}")
        with self.store.transaction():
            doc = self.store.add_event(event)
            self.backend.index([doc])
        return doc

    def update_document(self, doc_id: str, changes: dict[str, Any], *, actor: str, cause: str = "") -> Document:
        """Correct metadata fields (registration number, disclosure, title, dates…).

        The old and new values are kept in a ``metadata`` event; the id never changes.
        A corrected 发文字号 or title settles the repeal clauses waiting for it, as the
        document's arrival would have (:meth:`resolve_repeals`).
        """
        allowed = {
            "title", "registration_number", "disclosure", "doc_type", "is_normative", "written_date",
            "published_date", "effective_date", "issuers", "doc_number", "section",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise ParseError(f"fields that cannot be changed here: {', '.join(sorted(unknown))}")
        with self.store.transaction():
            doc = self.store.get_document(doc_id)
            before = export_record(doc)
            data = doc.model_dump()
            if "doc_number" in changes:
                from gazette.docnumber import parse_doc_number

                raw = changes.pop("doc_number")
                parsed = parse_doc_number(raw) if raw else None
                if raw and parsed is None:
                    raise ParseError(f"not a 发文字号: {raw}")
                data["doc_number"] = parsed
            data.update(changes)
            try:
                updated = Document.model_validate(data)
            except ValueError as exc:
                raise ParseError(f"invalid value: {str(exc).splitlines()[0]}") from exc
            updated.events = []
            self.store.put_document(updated)
            after = export_record(self.store.get_document(doc_id))
            diff = {
                k: {"from": before.get(k), "to": after.get(k)}
                for k in after
                if k not in ("events", "text", "status", "status_reason", "status_date") and before.get(k) != after.get(k)
            }
            self.store.add_event(
                StatusEvent(
                    document_id=doc_id,
                    kind="metadata",
                    date=dt.date.today(),
                    cause=cause or "更正文件信息",
                    actor=actor,
                    data={"changes": diff},
                )
            )
            settled = self.resolve_repeals([doc_id]) if {"title", "doc_number"} & diff.keys() else []
            doc = self.store.get_document(doc_id)
            self.backend.index([doc, *(d for d in settled if d.id != doc_id)])
        return doc

    # -- reading -------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        return self.backend.search(query)

    def get(self, doc_id: str) -> Document:
        return self.store.get_document(doc_id)

    def find_by_number(self, number: str) -> list[Document]:
        return self.store.find_by_number(number)

    def reindex(self) -> int:
        """Rebuild the search index from the archive's own documents."""
        return self.backend.reindex(self.store.iter_documents())

    def check(self) -> list[str]:
        """Consistency problems between records, index and stored files (empty = fine)."""
        problems: list[str] = []
        stored = self.store.document_ids()
        indexed = self.backend.indexed_ids()
        for doc_id in sorted(stored - indexed):
            problems.append(f"document {doc_id} is archived but not indexed")
        for doc_id in sorted(indexed - stored):
            problems.append(f"document {doc_id} is indexed but not archived")
        for f in self.store.files():
            if not f["stored_path"] or not (self.store.home / f["stored_path"]).is_file():
                problems.append(f"file {f['name']} ({f['sha256'][:12]}) is recorded but missing")
        row = self.store.conn.execute("PRAGMA integrity_check").fetchone()
        if row[0] != "ok":
            problems.append(f"SQLite integrity check: {row[0]}")
        return problems

    def orphan_files(self) -> list[Path]:
        """Stored copies that no record points at (left by a crash between copying a
        file and committing its records; harmless — the next ingest reuses them)."""
        recorded = {self.store.home / f["stored_path"] for f in self.store.files() if f["stored_path"]}
        return sorted(p for p in self.store.files_dir.rglob("*") if p.is_file() and p not in recorded)

    def ensure_consistent(self) -> None:
        problems = self.check()
        if problems:
            raise IntegrityError("; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))

    # -- export / import -----------------------------------------------------------
    def export_records(self) -> Iterator[dict[str, Any]]:
        for doc in self.store.iter_documents():
            yield export_record(doc)

    def export_jsonl(self, out: IO[str]) -> int:
        n = 0
        for rec in self.export_records():
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
        return n

    def import_jsonl(self, lines: Iterable[str], *, batch: int = 500) -> int:
        """Load documents (with their events) exported by :meth:`export_jsonl`.

        Each batch is one transaction. A malformed line raises :class:`ParseError`
        naming its line number; the batches before it stay loaded.
        """
        n = 0
        pending: list[Document] = []
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                pending.append(import_record(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise ParseError(f"line {lineno}: not a valid document record: {exc}") from exc
            if len(pending) >= batch:
                n += self._import_batch(pending)
                pending = []
        if pending:
            n += self._import_batch(pending)
        return n

    # -- full backups ----------------------------------------------------------------
    def export_full(self, target: Path) -> dict[str, int]:
        """Write a complete backup folder: everything needed to rebuild this archive.

        ``documents.jsonl`` (export records plus, where personal data was masked, the
        unmasked ``original`` text), ``issues.jsonl``, ``files.jsonl`` with the
        original files under ``files/``, and ``repeal_clauses.jsonl``. Written to a
        temporary folder beside ``target`` and renamed into place when complete.
        """
        import shutil
        import tempfile

        target = Path(target)
        if target.exists():
            raise GazetteError(f"backup target already exists: {target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".backup-", dir=target.parent))
        counts = {"documents": 0, "issues": 0, "files": 0, "repeal_clauses": 0}
        try:
            with open(tmp / "documents.jsonl", "w", encoding="utf-8") as fh:
                for doc in self.store.iter_documents():
                    rec = export_record(doc)
                    original = self.store.original_text(doc.id)
                    if original:
                        rec["original"] = original
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    counts["documents"] += 1
            with open(tmp / "issues.jsonl", "w", encoding="utf-8") as fh:
                for issue in self.store.issues():
                    fh.write(issue.model_dump_json() + "\n")
                    counts["issues"] += 1
            (tmp / "files").mkdir()
            with open(tmp / "files.jsonl", "w", encoding="utf-8") as fh:
                for f in self.store.files():
                    src = self.store.home / f["stored_path"] if f["stored_path"] else None
                    if src is None or not src.is_file():
                        raise IntegrityError(f"stored file missing: {f['name']} ({f['sha256'][:12]})")
                    shutil.copy2(src, tmp / "files" / src.name)
                    fh.write(json.dumps({**f, "stored_name": src.name}, ensure_ascii=False) + "\n")
                    counts["files"] += 1
            with open(tmp / "repeal_clauses.jsonl", "w", encoding="utf-8") as fh:
                for row in self.store.conn.execute(
                    "SELECT basis_document_id, doc_number, title, kind, sentence, target_document_id"
                    " FROM repeal_clauses ORDER BY id"
                ):
                    fh.write(json.dumps(dict(row), ensure_ascii=False) + "\n")
                    counts["repeal_clauses"] += 1
            tmp.rename(target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return counts

    def import_full(self, source: Path) -> dict[str, int]:
        """Restore a backup folder written by :meth:`export_full` into this archive."""
        source = Path(source)
        if not (source / "documents.jsonl").is_file():
            raise ParseError(f"not a backup folder (no documents.jsonl): {source}")
        counts = {"documents": 0, "issues": 0, "files": 0, "repeal_clauses": 0}
        for line in _read_lines(source / "files.jsonl"):
            f = json.loads(line)
            stored, _ = copy_in(self.store.files_dir, source / "files" / f["stored_name"], f["sha256"], Path(f["stored_name"]).suffix)
            self.store.record_file(
                sha256=f["sha256"], name=f["name"], size=f["size"], kind=f["kind"],
                page_count=f["page_count"], stored_path=stored,
            )
            counts["files"] += 1
        for line in _read_lines(source / "issues.jsonl"):
            self.store.put_issue(GazetteIssue.model_validate_json(line))
            counts["issues"] += 1

        def documents() -> Iterator[str]:
            for line in _read_lines(source / "documents.jsonl"):
                rec = json.loads(line)
                original = rec.pop("original", None)
                if original:
                    # Restore the unmasked text; storing masks it again and keeps the original.
                    rec["title"] = original.get("title", rec["title"])
                    rec["paragraphs"] = original["paragraphs"]
                    rec["attachments"] = original["attachments"]
                yield json.dumps(rec, ensure_ascii=False)

        counts["documents"] = self.import_jsonl(documents())
        with self.store.transaction() as conn:
            for line in _read_lines(source / "repeal_clauses.jsonl"):
                r = json.loads(line)
                conn.execute(
                    "INSERT OR IGNORE INTO repeal_clauses(basis_document_id, doc_number, title, kind, sentence,"
                    " target_document_id, number_key, title_key) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        r["basis_document_id"], r["doc_number"], r["title"], r["kind"], r["sentence"],
                        r["target_document_id"], doc_number_key(r["doc_number"]), title_key(r["title"]),
                    ),
                )
                counts["repeal_clauses"] += 1
        return counts

    def _import_batch(self, docs: list[Document]) -> int:
        with self.store.transaction() as conn:
            stored = []
            for doc in docs:
                events = doc.events
                conn.execute("DELETE FROM events WHERE document_id=?", (doc.id,))
                for ev in events:
                    conn.execute(
                        "INSERT INTO events(document_id, kind, date, data, recorded_at) VALUES (?,?,?,?,?)",
                        (
                            doc.id,
                            ev.kind,
                            ev.date.isoformat() if ev.date else None,
                            ev.model_dump_json(exclude={"id"}),
                            (ev.recorded_at or dt.datetime.now(dt.UTC)).isoformat(),
                        ),
                    )
                stored.append(self.store.put_document(doc.model_copy(update={"events": []})))
            self.backend.index(stored)
        return len(docs)


def _read_lines(path: Path) -> Iterator[str]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield line


_FLAT_ORDER = (
    "id", "title", "issuer", "issuers", "doc_number", "doc_number_prefix", "doc_number_year",
    "doc_number_serial", "doc_number_raw", "registration_number", "doc_type", "is_normative",
    "written_date", "published_date", "effective_date", "expiry_date", "status", "status_reason",
    "status_date", "disclosure", "gazette_issue", "section", "pages", "source_file", "sha256",
    "signer", "addressee", "cc", "printed_by", "note", "validity_sentence", "flags", "text",
    "paragraphs", "attachments", "events",
)


def export_record(doc: Document) -> dict[str, Any]:
    """One document as a flat JSON-ready dict (the export format)."""
    data = doc.model_dump(mode="json")
    for ev in data["events"]:
        ev.pop("id", None)  # internal row id; order is kept by position
    num = doc.doc_number
    data.update(
        issuer=doc.issuer,
        doc_number=num.text if num else None,
        doc_number_prefix=num.prefix if num else None,
        doc_number_year=num.year if num else None,
        doc_number_serial=num.serial if num else None,
        text=doc.text,
    )
    return {k: data.get(k) for k in _FLAT_ORDER}


def import_record(rec: dict[str, Any]) -> Document:
    """Inverse of :func:`export_record`."""
    rec = dict(rec)
    for derived in ("issuer", "text", "doc_number_prefix", "doc_number_year", "doc_number_serial"):
        rec.pop(derived, None)
    number = rec.pop("doc_number", None)
    parsed = None
    if number:
        from gazette.docnumber import parse_doc_number

        parsed = parse_doc_number(number)
        if parsed is None:
            rec["doc_number_raw"] = rec.get("doc_number_raw") or number
    return Document.model_validate({**rec, "doc_number": parsed})
