"""Build domain objects in code for tests (no hand-written JSON dumps)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from gazette.ids import document_id
from gazette.model import Disclosure, DocNumber, Document, StatusEvent

_seq = itertools.count(1)


def make_doc(
    title: str,
    text: str,
    *,
    number: tuple[str, int, int] | None = None,
    issuer: str = "静乐县人民政府",
    doc_type: str | None = "通知",
    written: dt.date | None = dt.date(2022, 6, 10),
    effective: dt.date | None = None,
    expiry: dt.date | None = None,
    normative: bool = False,
    disclosure: Disclosure = Disclosure.public,
    events: list[StatusEvent] | None = None,
) -> Document:
    """A document with sensible defaults; ids derive from number/title like ingest's."""
    dn = DocNumber(prefix=number[0], year=number[1], serial=number[2]) if number else None
    doc_id = document_id(title, dn.text if dn else None, written)
    return Document(
        id=doc_id,
        title=title,
        issuers=[issuer],
        doc_number=dn,
        doc_type=doc_type,
        is_normative=normative,
        written_date=written,
        published_date=written,
        effective_date=effective or written,
        expiry_date=expiry,
        disclosure=disclosure,
        paragraphs=[p for p in text.split("\n") if p],
        events=[e.model_copy(update={"document_id": doc_id}) for e in (events or [])],
    )


def repeal_event(date: dt.date, basis_number: str = "静政发〔2023〕4号") -> StatusEvent:
    return StatusEvent(
        document_id="",
        kind="repealed",
        date=date,
        cause=f"被《关于废止部分文件的决定》（{basis_number}）废止",
        basis_doc_number=basis_number,
    )


@dataclass(frozen=True)
class Clause:
    """A repeal clause as ingest reports it (``gazette.archive.RepealClause``)."""

    doc_number: str | None
    title: str | None
    kind: str = "repealed"
    sentence: str = "同时废止。"
