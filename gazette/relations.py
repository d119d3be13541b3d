"""Relations of a document to other documents: repeals, repealed_by, cites, cited_by.

Every channel that shows a document (API, web pages, EPUB notes, catalogues) asks this
module, so that they all tell the same story. Sources:

* **repealed_by** — the document's own status events of kind ``repealed``/``expired``
  that name a basis (the basis document id and/or its printed 发文字号), plus repeal
  clauses recorded against it in the archive's ``repeal_clauses`` table.
* **repeals** — repeal clauses found in the document (resolved to a target or not),
  plus status events on other documents whose basis is this document (e.g. recorded
  by hand by the legal office).
* **cites** — every 发文字号 found in the document's text by
  :func:`gazette.docnumber.find_doc_numbers`, resolved through
  :meth:`gazette.store.Store.find_by_number`; its own number is not a citation.
* **cited_by** — documents whose text contains this document's 发文字号, found through
  the search backend (so it works on every backend) and then confirmed by parsing the
  candidate's text, so a near miss in the index never becomes a relation.

Disclosure contract: unless ``include_private`` is set, a related document that is not
主动公开 is never identified — no id, no title. A relation that rests on such a
document keeps only what the public document itself prints (the 发文字号 in its own
text or event), and ``cited_by`` omits non-public citing documents entirely.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gazette.backends.base import SearchQuery
from gazette.errors import GazetteError, NotFound
from gazette.model import STATUS_LABELS, Disclosure, Document, Status

if TYPE_CHECKING:
    from gazette.archive import Archive

__all__ = ["Related", "Relations", "relations_of"]

#: How many candidate citing documents are checked for ``cited_by``.
CITED_BY_LIMIT = 100


@dataclass(frozen=True)
class Related:
    """One end of a relation.

    ``document_id``/``title``/``status`` are set only when the other document is in the
    archive and may be shown; ``doc_number`` is the number as printed or resolved.
    ``kind`` says how the relation came about: ``repealed``/``expired`` for repeals,
    ``cites`` for citations. ``date`` is the date a repeal took effect, when known;
    ``sentence`` the clause or cause that states it.
    """

    kind: str
    document_id: str | None = None
    title: str | None = None
    doc_number: str | None = None
    status: Status | None = None
    date: dt.date | None = None
    sentence: str | None = None

    @property
    def status_label(self) -> str | None:
        return STATUS_LABELS[self.status] if self.status else None

    @property
    def resolved(self) -> bool:
        return self.document_id is not None


@dataclass
class Relations:
    """All relations of one document (each list ordered, without duplicates)."""

    repeals: list[Related] = field(default_factory=list)
    repealed_by: list[Related] = field(default_factory=list)
    cites: list[Related] = field(default_factory=list)
    cited_by: list[Related] = field(default_factory=list)


def _number_of(doc: Document) -> str | None:
    return doc.doc_number.text if doc.doc_number else doc.doc_number_raw


class _Resolver:
    """Looks documents up once and applies the disclosure rule."""

    def __init__(self, archive: Archive, include_private: bool) -> None:
        self.archive = archive
        self.include_private = include_private
        self._cache: dict[str, Document | None] = {}

    def visible(self, doc: Document) -> bool:
        return self.include_private or doc.disclosure == Disclosure.public

    def get(self, doc_id: str | None) -> Document | None:
        """The document if it exists and may be shown, else ``None``."""
        if not doc_id:
            return None
        if doc_id not in self._cache:
            try:
                doc = self.archive.store.get_document(doc_id)
            except NotFound:
                doc = None
            self._cache[doc_id] = doc if doc is not None and self.visible(doc) else None
        return self._cache[doc_id]

    def related(self, kind: str, doc: Document | None, *, number: str | None = None, **extra) -> Related:
        if doc is None:
            return Related(kind=kind, doc_number=number, **extra)
        return Related(
            kind=kind,
            document_id=doc.id,
            title=doc.title,
            doc_number=_number_of(doc) or number,
            status=doc.status,
            **extra,
        )


def _dedupe(items: list[Related]) -> list[Related]:
    seen: set[tuple] = set()
    out: list[Related] = []
    for r in items:
        key = (r.kind, r.document_id or r.doc_number or r.sentence)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def _repealed_by(doc: Document, res: _Resolver) -> list[Related]:
    out: list[Related] = []
    for ev in doc.events:
        if ev.kind not in ("repealed", "expired"):
            continue
        if not (ev.basis_document_id or ev.basis_doc_number):
            continue
        basis = res.get(ev.basis_document_id)
        out.append(res.related(ev.kind, basis, number=ev.basis_doc_number, date=ev.date, sentence=ev.cause or None))
    rows = res.archive.store.conn.execute(
        "SELECT basis_document_id, kind, sentence FROM repeal_clauses WHERE target_document_id=? ORDER BY id",
        (doc.id,),
    ).fetchall()
    for row in rows:
        basis = res.get(row["basis_document_id"])
        if basis is None:
            # The clause lives in a document that may not be shown: it adds nothing the
            # public document prints itself.
            continue
        date = basis.effective_date or basis.published_date or basis.written_date
        out.append(res.related(row["kind"], basis, date=date, sentence=row["sentence"]))
    return _dedupe(out)


def _repeals(doc: Document, res: _Resolver) -> list[Related]:
    out: list[Related] = []
    conn = res.archive.store.conn
    date = doc.effective_date or doc.published_date or doc.written_date
    rows = conn.execute(
        "SELECT doc_number, title, kind, sentence, target_document_id FROM repeal_clauses"
        " WHERE basis_document_id=? ORDER BY id",
        (doc.id,),
    ).fetchall()
    for row in rows:
        target = res.get(row["target_document_id"])
        rel = res.related(row["kind"], target, number=row["doc_number"], date=date, sentence=row["sentence"])
        if target is None and row["title"]:
            # The title is printed in this document's own clause, so it may be shown.
            rel = Related(
                kind=rel.kind, title=row["title"], doc_number=row["doc_number"], date=date, sentence=row["sentence"]
            )
        out.append(rel)
    rows = conn.execute(
        "SELECT document_id, kind, date, data FROM events"
        " WHERE kind IN ('repealed', 'expired') AND json_extract(data, '$.basis_document_id') = ? ORDER BY id",
        (doc.id,),
    ).fetchall()
    for row in rows:
        target = res.get(row["document_id"])
        if target is None:
            continue
        cause = json.loads(row["data"]).get("cause") or None
        ev_date = dt.date.fromisoformat(row["date"]) if row["date"] else None
        out.append(res.related(row["kind"], target, date=ev_date, sentence=cause))
    return _dedupe(out)


def _cites(doc: Document, res: _Resolver) -> list[Related]:
    from gazette.docnumber import doc_number_key, find_doc_numbers

    own_key = doc_number_key(_number_of(doc) or "")
    out: list[Related] = []
    seen: set[str] = set()
    for number, _span in find_doc_numbers(doc.text):
        key = doc_number_key(number.text)
        if key is None or key == own_key or key in seen:
            continue
        seen.add(key)
        targets = [t for t in res.archive.store.find_by_number(number.text) if t.id != doc.id and res.visible(t)]
        if not targets:
            out.append(Related(kind="cites", doc_number=number.text))
        for t in targets:
            out.append(res.related("cites", t, number=number.text))
    return out


def _cited_by(doc: Document, res: _Resolver) -> list[Related]:
    from gazette.docnumber import doc_number_key, find_doc_numbers

    number = _number_of(doc)
    key = doc_number_key(number or "")
    if not number or key is None:
        return []
    query = SearchQuery(
        q=f'"{number}"',
        size=CITED_BY_LIMIT,
        sort="date",
        include_private=res.include_private,
        facets=False,
    )
    try:
        hits = res.archive.search(query).hits
    except GazetteError:
        return []
    out: list[Related] = []
    for hit in hits:
        if hit.id == doc.id:
            continue
        citing = res.get(hit.id)
        if citing is None:
            continue
        if any(doc_number_key(n.text) == key for n, _ in find_doc_numbers(citing.text)):
            out.append(res.related("cites", citing))
    return out


def relations_of(archive: Archive, doc: Document, *, include_private: bool = False) -> Relations:
    """All relations of ``doc`` in ``archive`` (see the module docstring for sources
    and the disclosure contract). Never raises for a missing related document."""
    res = _Resolver(archive, include_private)
    return Relations(
        repeals=_repeals(doc, res),
        repealed_by=_repealed_by(doc, res),
        cites=_cites(doc, res),
        cited_by=_cited_by(doc, res),
    )
