"""Documents built directly from real records of ../shared/corpus, and issues of them.

For the EPUB tests and ``bench/epub_build.py``: no ingest involved, so what goes into
the book is exactly the record's text (one paragraph per non-empty line).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from gazette.ids import document_id
from gazette.model import DocNumber, Document, GazetteIssue, TocEntry

try:  # written by a teammate; a minimal stand-in keeps these tests independent of it
    from gazette.docnumber import parse_doc_number
except ImportError:  # pragma: no cover
    import re

    def parse_doc_number(text: str) -> DocNumber | None:
        m = re.search(r"(\S+?)[〔\[［（(](\d{4})[〕\]］）)]第?(\d+)号?", text or "")
        return DocNumber(prefix=m.group(1), year=int(m.group(2)), serial=int(m.group(3))) if m else None


try:
    from gazette.dates import parse_cn_date
except ImportError:  # pragma: no cover

    def parse_cn_date(text: str) -> dt.date | None:
        import re

        m = re.search(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", text or "")
        return dt.date(*map(int, m.groups())) if m else None


SECTIONS = {"state_council.jsonl": "国务院文件", "local_policies.jsonl": "地方文件"}

#: Characters per printed page in GB/T 9704 layout (22 lines of 28 characters).
CHARS_PER_PAGE = 22 * 28


def _date(value: str | None) -> dt.date | None:
    return parse_cn_date(value) if value else None


def _record_document(rec: dict, section: str) -> Document | None:
    title = (rec.get("title") or "").strip().strip("《》").strip()
    paragraphs = [line.strip() for line in (rec.get("text") or "").splitlines() if line.strip()]
    if not title or not paragraphs:
        return None
    dn = parse_doc_number(rec["doc_number"]) if rec.get("doc_number") else None
    written = _date(rec.get("written_date") or rec.get("issuance_date"))
    published = _date(rec.get("publish_date") or rec.get("publication_date"))
    issuer = rec.get("issuer") or rec.get("geography")
    return Document(
        id=document_id(title, dn.text if dn else None, written),
        title=title,
        issuers=[issuer] if issuer else [],
        doc_number=dn,
        doc_number_raw=None if dn else rec.get("doc_number"),
        written_date=written,
        published_date=published,
        effective_date=_date(rec.get("effective_date")),
        expiry_date=_date(rec.get("expiry_date")),
        section=section,
        paragraphs=paragraphs,
    )


def corpus_documents(corpus_dir: Path) -> Iterator[Document]:
    """Every usable record, state council first, each id once."""
    seen: set[str] = set()
    for name, section in SECTIONS.items():
        with open(corpus_dir / name, encoding="utf-8") as fh:
            for line in fh:
                doc = _record_document(json.loads(line), section)
                if doc is not None and doc.id not in seen:
                    seen.add(doc.id)
                    yield doc


def pages_of(doc: Document) -> int:
    return max(1, -(-len(doc.text) // CHARS_PER_PAGE))


def corpus_issue(documents: list[Document], *, year: int = 2022, number: int = 3) -> GazetteIssue:
    """An issue whose 目录 lists ``documents`` by section (国务院文件, then 地方文件)."""
    ordered = sorted(documents, key=lambda d: list(SECTIONS.values()).index(d.section))
    toc, page = [], 1
    for doc in ordered:
        toc.append(TocEntry(title=doc.title, section=doc.section, page=page, document_id=doc.id))
        page += pages_of(doc)
    return GazetteIssue(
        id=f"{year}-{number}",
        gazette_name="静乐县人民政府公报",
        year=year,
        issue=number,
        overall_number=40 + number,
        published_date=dt.date(year, min(12, number * 2), 28),
        page_count=page - 1,
        toc=toc,
    )


def corpus_sample(corpus_dir: Path, *, state: int, local: int) -> list[Document]:
    """The first ``state`` State Council and ``local`` local documents."""
    docs = list(corpus_documents(corpus_dir))
    return [d for d in docs if d.section == "国务院文件"][:state] + [d for d in docs if d.section == "地方文件"][:local]
