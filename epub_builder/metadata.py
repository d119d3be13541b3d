"""Package metadata: identity, titles, dates and EPUB Accessibility 1.1 metadata.

The identifier is a URN derived from the gazette name and the issue (or year), so
every rebuild of an issue carries the same identifier and reading systems treat a
rebuilt file as a new version of the same book. ``dcterms:modified`` is derived from
the data, not the clock (see :func:`modified_at`), so an unchanged issue rebuilds to
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from ebooklib import epub

from gazette.model import Document, GazetteIssue
from gazette.settings import Settings
from gazette.status import status_at

LANGUAGE = "zh-CN"

A11Y_SUMMARY = (
    "本电子版为可重排的文字版：全部正文均为文本，未嵌入字体，读者可自行调整字号、字体和行距；"
    "目录、栏目与文章顺序与印刷版目录一致，文件中的各级标题标记为真正的标题；"
    "封面图片附有替代文字；不含闪烁、声音或动画。"
)

#: (property, value) pairs every book carries.
A11Y_METADATA: tuple[tuple[str, str], ...] = (
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary", A11Y_SUMMARY),
    ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"),
)


@dataclass(frozen=True)
class BookMeta:
    """What the book needs to know beyond the issue itself (from :class:`Settings`)."""

    gazette_name: str = "静乐县人民政府公报"
    publisher: str = "静乐县人民政府"

    @classmethod
    def from_settings(cls, settings: Settings) -> BookMeta:
        return cls(gazette_name=settings.gazette_name, publisher=settings.publisher)


def book_identifier(gazette_name: str, year: int, issue: int | None = None) -> str:
    """``urn:uuid:…`` stable for one issue (or, with ``issue=None``, one annual volume)."""
    name = f"{gazette_name}/{year}" + (f"/{issue}" if issue is not None else "")
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def modified_at(issues: Iterable[GazetteIssue], documents: Iterable[Document], as_of: dt.date) -> dt.datetime:
    """The last date the book's content changed, as far as the data tells.

    The latest of: issue and document dates, the dates from which status notes shown
    on ``as_of`` apply, and when the events behind them were recorded. Midnight UTC.
    """
    issues = list(issues)
    days: list[dt.date] = [i.published_date for i in issues if i.published_date]
    for doc in documents:
        days.extend(d for d in (doc.written_date, doc.published_date) if d)
        view = status_at(doc, as_of)
        if view.since:
            days.append(view.since)
        for ev in doc.events:
            if (ev.date is None or ev.date <= as_of) and ev.recorded_at and ev.recorded_at.date() <= as_of:
                days.append(ev.recorded_at.date())
    day = max(days) if days else dt.date(min((i.year for i in issues), default=2000), 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def apply_metadata(
    book: epub.EpubBook, *, identifier: str, title: str, meta: BookMeta, date: str, description: str
) -> None:
    """Set Dublin Core, accessibility and cover metadata on ``book``."""
    book.set_identifier(identifier)
    book.set_title(title)
    book.set_language(LANGUAGE)
    book.add_metadata("DC", "creator", meta.publisher, {"id": "creator"})
    book.add_metadata("DC", "publisher", meta.publisher)
    book.add_metadata("DC", "date", date)
    book.add_metadata("DC", "subject", "政府公报")
    book.add_metadata("DC", "description", description)
    for prop, value in A11Y_METADATA:
        book.add_metadata(None, "meta", value, {"property": prop})
