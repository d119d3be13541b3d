"""Atom feeds: newly published documents, and validity status changes.

Lawyers and citizens subscribe to these. Only publicly disclosed documents appear.
Feeds are generated with feedgen; links are absolute, built from ``base_url``.
"""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from gazette.model import STATUS_LABELS, Disclosure, Document, Status
from gazette.status import status_at
from gazette.store import Store

_KIND_LABELS = {"repealed": "废止", "expired": "失效", "restored": "恢复有效", "expiry_set": "有效期变更"}


def _dt(day: dt.date | None) -> dt.datetime:
    day = day or dt.date(1970, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _new_feed(feed_id: str, title: str, base_url: str, self_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.language("zh-CN")
    fg.link(href=base_url, rel="alternate")
    fg.link(href=self_url, rel="self")
    fg.author({"name": "Gazette Archive"})
    return fg


def _public(doc: Document, issuer: str | None) -> bool:
    return doc.disclosure == Disclosure.public and (issuer is None or issuer in doc.issuers)


def documents_feed(
    store: Store,
    *,
    base_url: str,
    issuer: str | None = None,
    status: Status | None = None,
    limit: int = 50,
    today: dt.date | None = None,
) -> bytes:
    """Newest documents first (by publish date, then 成文日期)."""
    base_url = base_url.rstrip("/")
    docs = []
    for d in store.newest_public_documents():
        if len(docs) >= limit:
            break
        if _public(d, issuer) and (status is None or status_at(d, today).status == status):
            docs.append(d)
    fg = _new_feed(f"{base_url}/feeds/documents", "新发布文件", base_url + "/", f"{base_url}/feeds/documents.atom")
    fg.updated(_dt(max((d.published_date or d.written_date for d in docs if d.published_date or d.written_date), default=None)))
    for doc in reversed(docs):  # feedgen prepends entries
        fe = fg.add_entry()
        url = f"{base_url}/documents/{doc.id}"
        fe.id(url)
        fe.title(doc.title)
        fe.link(href=url)
        fe.updated(_dt(doc.published_date or doc.written_date))
        number = doc.doc_number.text if doc.doc_number else ""
        fe.summary(f"{number} {'、'.join(doc.issuers)} 状态：{STATUS_LABELS[status_at(doc, today).status]}".strip())
    return fg.atom_str(pretty=True)


def status_changes_feed(
    store: Store,
    *,
    base_url: str,
    issuer: str | None = None,
    status: Status | None = None,
    limit: int = 50,
) -> bytes:
    """Validity events (repeal, expiry, restoration…), newest first."""
    base_url = base_url.rstrip("/")
    # a change *to* valid is recorded as a restoration
    kinds = list(_KIND_LABELS) if status is None else ["restored" if status == Status.valid else status.value]
    entries = []
    docs: dict[str, Document | None] = {}
    for ev in store.newest_events(kinds):
        if len(entries) >= limit:
            break
        if ev.document_id not in docs:
            doc = store.get_document(ev.document_id) if store.has_document(ev.document_id) else None
            docs[ev.document_id] = doc if doc is not None and _public(doc, issuer) else None
        doc = docs[ev.document_id]
        if doc is not None:
            entries.append((ev.date or dt.date.min, ev.id or 0, doc, ev))
    fg = _new_feed(
        f"{base_url}/feeds/status", "文件效力变化", base_url + "/", f"{base_url}/feeds/status.atom"
    )
    fg.updated(_dt(entries[0][0] if entries else None))
    for day, _, doc, ev in reversed(entries):
        fe = fg.add_entry()
        url = f"{base_url}/documents/{doc.id}"
        fe.id(f"{url}#event-{ev.id}")
        fe.title(f"{_KIND_LABELS[ev.kind]}：{doc.title}")
        fe.link(href=url)
        fe.updated(_dt(day))
        basis = f"，依据：{ev.basis_doc_number}" if ev.basis_doc_number else ""
        fe.summary(f"{day.year}年{day.month}月{day.day}日{_KIND_LABELS[ev.kind]}{basis}。{ev.cause}")
    return fg.atom_str(pretty=True)
