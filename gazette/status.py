"""Status of a document at any date, computed from its events in one place.

A document's record holds its ``effective_date``, the ``expiry_date`` of its stated
validity period, and an append-only list of :class:`~gazette.model.StatusEvent`.
:func:`status_at` is the single function that turns those into a status on a given
day; :func:`invalidation` condenses the events into the two fields every search
backend indexes (``invalid_from``, ``invalid_status``) so that status filters and
facets can be evaluated for any ``as_of`` date without reindexing.

Rules:

* an explicit ``repealed`` / ``expired`` event takes effect on its date (inclusive);
  a later ``restored`` event cancels it from its own date;
* an ``expiry_set`` event changes the stated expiry date (``data["expiry_date"]``);
* expiry by period takes effect at the end of the stated day: on ``expiry_date``
  itself the document is still valid, on the next day it is expired;
* without any of these the document is valid (a normative document without a stated
  period is flagged ``no_validity_period`` for review, see ingest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gazette.model import Document, Status, StatusEvent

INVALIDATING = {"repealed": Status.repealed, "expired": Status.expired}


@dataclass(frozen=True)
class StatusView:
    """A document's status on one day, with the reason and since when."""

    status: Status
    since: dt.date | None
    reason: str
    basis_document_id: str | None = None
    basis_doc_number: str | None = None


def _ordered(events: list[StatusEvent]) -> list[StatusEvent]:
    return sorted(events, key=lambda e: (e.date or dt.date.min, e.id or 0))


def effective_expiry(doc: Document, as_of: dt.date | None = None) -> dt.date | None:
    """The stated expiry date in force, after any ``expiry_set`` events up to ``as_of``."""
    expiry = doc.expiry_date
    for ev in _ordered(doc.events):
        if ev.kind == "expiry_set" and (as_of is None or ev.date is None or ev.date <= as_of):
            value = ev.data.get("expiry_date")
            expiry = dt.date.fromisoformat(value) if value else None
    return expiry


def invalidation(doc: Document) -> tuple[dt.date | None, Status | None, StatusEvent | None]:
    """Date from which the document is invalid by an explicit event, and how.

    Considers the whole event history: the last repeal/expiry not cancelled by a later
    ``restored`` event. Returns ``(None, None, None)`` when there is none.
    """
    current: StatusEvent | None = None
    for ev in _ordered(doc.events):
        if ev.kind in INVALIDATING:
            if current is None:
                current = ev
        elif ev.kind == "restored":
            current = None
    if current is None:
        return None, None, None
    return current.date, INVALIDATING[current.kind], current


def status_at(doc: Document, day: dt.date | None = None) -> StatusView:
    """The document's status on ``day`` (default: today)."""
    day = day or dt.date.today()
    current: StatusEvent | None = None
    for ev in _ordered(doc.events):
        if ev.date is not None and ev.date > day:
            break
        if ev.kind in INVALIDATING and current is None:
            current = ev
        elif ev.kind == "restored":
            current = None
    expiry = effective_expiry(doc, day)
    if current is not None:
        return StatusView(
            INVALIDATING[current.kind],
            current.date,
            current.cause,
            current.basis_document_id,
            current.basis_doc_number,
        )
    if expiry is not None and expiry < day:
        since = expiry + dt.timedelta(days=1)
        return StatusView(Status.expired, since, f"有效期至{expiry.year}年{expiry.month}月{expiry.day}日，已届满")
    return StatusView(Status.valid, None, "")


def index_fields(doc: Document) -> dict:
    """Fields every backend indexes to evaluate status for any ``as_of`` date."""
    inv_from, inv_status, _ = invalidation(doc)
    return {
        "expiry_date": effective_expiry(doc),
        "invalid_from": inv_from,
        "invalid_status": inv_status.value if inv_status else None,
    }


def indexed_status(expiry_date, invalid_from, invalid_status, as_of) -> Status:
    """The status at ``as_of`` from the fields :func:`index_fields` gives — the rule
    every backend evaluates over its index (in SQL, in Elasticsearch queries and here
    in Python). The dates may be :class:`datetime.date` objects or ISO strings, all of
    one kind (ISO dates order as the dates do); ``invalid_status`` is a status value.
    """
    if invalid_status is not None and (invalid_from is None or invalid_from <= as_of):
        return Status(invalid_status)
    if expiry_date is not None and expiry_date < as_of:
        return Status.expired
    return Status.valid


def refresh(doc: Document, today: dt.date | None = None) -> Document:
    """Set ``doc.status``/``status_reason``/``status_date`` from its events, as of today."""
    view = status_at(doc, today)
    doc.status = view.status
    doc.status_reason = view.reason
    doc.status_date = view.since
    return doc
