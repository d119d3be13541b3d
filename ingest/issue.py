"""Stage 3 for gazettes — a whole issue: cover, 目录, and the split into articles.

Reads: the :class:`~ingest.clean.Cleaned` pages of a file (body lines, and the printed
page number of each page from its footer).
Writes: an :class:`IssueLayout` — the issue's metadata (:class:`IssueInfo`: gazette
name, year, 期, 总第N期, date), its 目录 entries (section, title, printed page), and
per article the lines that belong to it with its PDF page range, ready for
:func:`ingest.gb9704.parse_document`.

Detection (:func:`detect_issue`): the first page names a 公报 and prints 年第N期.
Mapping pages: printed page numbers come from the footers (clean stage); an entry's
PDF page is the page whose footer prints its number, else the offset most pages agree
on. An article that starts in the middle of a page is cut where its title begins.
Without a usable 目录 the issue is split where a title-size line opens a page.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from gazette.dates import find_dates
from ingest.clean import Cleaned, TextBlock, compact, text_block
from ingest.extract import Line, PageText

__all__ = ["IssueInfo", "TocItem", "ArticleLines", "IssueLayout", "detect_issue", "parse_toc", "split_issue"]

_ISSUE_NO = re.compile(r"(?P<y>\d{4})\s*年\s*第\s*(?P<n>\d{1,3})\s*期(?:\s*[（(]\s*总第\s*(?P<o>\d{1,5})\s*期\s*[)）])?")
_LEADER = re.compile(r"^(?P<t>.*?)\s*(?:[…⋯·．.]{2,}|\s{3,}|…)\s*(?P<p>\d{1,4})\s*$")
_TOC_TITLE = re.compile(r"^目\s*录$")
# an OCR'd 目录 heading: two letter-spaced characters, one of them often misread (目秒, 日录)
_TOC_TITLE_OCR = re.compile(r"^(?:目\s*\S|\S\s*录)$")
_REGISTRATION_LINE = re.compile(r"^(?:统一登记号|登记号)\s*[:：]")


@dataclass
class IssueInfo:
    gazette_name: str
    year: int
    issue: int
    overall_number: int | None = None
    published_date: dt.date | None = None


@dataclass
class TocItem:
    title: str
    section: str | None
    page: int | None  # printed page number


@dataclass
class ArticleLines:
    """One article's lines, its PDF pages and where the 目录 placed it."""

    lines: list[Line]
    pages: tuple[int, int]
    toc: TocItem | None = None


@dataclass
class IssueLayout:
    info: IssueInfo
    toc: list[TocItem] = field(default_factory=list)
    toc_pages: list[int] = field(default_factory=list)
    articles: list[ArticleLines] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect_issue(cleaned: Cleaned) -> IssueInfo | None:
    """Issue metadata when the first page is a gazette cover, else ``None``."""
    if not cleaned.pages:
        return None
    cover = cleaned.pages[0].lines
    text = "\n".join(ln.text for ln in cover)
    m = _ISSUE_NO.search(text)
    names = [ln for ln in cover if "公报" in ln.text and len(compact(ln.text)) <= 30]
    if not m or not names:
        return None
    name_line = max(names, key=lambda ln: ln.size or 0)
    name = compact(name_line.text)
    name = _ISSUE_NO.sub("", name).strip() or name
    date = None
    for ln in cover:
        if ln is name_line or _ISSUE_NO.search(ln.text):
            continue
        found = find_dates(ln.text)
        if found:
            date = found[0][0]
    return IssueInfo(
        gazette_name=name,
        year=int(m.group("y")),
        issue=int(m.group("n")),
        overall_number=int(m.group("o")) if m.group("o") else None,
        published_date=date,
    )


def parse_toc(pages: list[PageText], block: TextBlock | None = None) -> tuple[list[TocItem], list[int]]:
    """The 目录 entries and the PDF pages they were read from.

    ``block`` is the text block of the whole issue (a 目录 page alone has too few
    flush-left lines to tell section headings from indented titles).
    """
    if block is None:
        block = text_block([ln for p in pages for ln in p.lines])
    items: list[TocItem] = []
    toc_pages: list[int] = []
    started = False
    section: str | None = None
    pending: list[str] = []
    for page in pages:
        lines = page.lines
        if not started:
            idx = _toc_heading(lines)
            if idx is None:
                continue
            started = True
            lines = lines[idx + 1 :]
        elif not any(_LEADER.match(ln.text.strip()) for ln in lines):
            break
        toc_pages.append(page.number)
        for ln in lines:
            text = ln.text.strip()
            m = _LEADER.match(text)
            if m:
                title = "".join(pending) + m.group("t").rstrip("…⋯·．. ")
                items.append(TocItem(compact(title) if _no_ascii(title) else title, section, int(m.group("p"))))
                pending = []
                continue
            indented = block is not None and ln.has_geometry and (ln.x0 or 0) > block.left + block.size * 0.9
            if indented or (not ln.has_geometry and pending):
                pending.append(text)
            elif not ln.has_geometry and len(compact(text)) > 16:
                pending.append(text)
            else:
                section = text
                pending = []
    return items, toc_pages


def _toc_heading(lines: list[Line]) -> int | None:
    """Index of the 目录 heading on a page: the exact word, or a two-character line that
    reads like a misread 目录 when entries with dotted leaders follow it."""
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if _TOC_TITLE.match(text):
            return i
        if _TOC_TITLE_OCR.match(text) and any(_LEADER.match(x.text.strip()) for x in lines[i + 1 :]):
            return i
    return None


def _no_ascii(text: str) -> bool:
    return not re.search(r"[A-Za-z0-9]\s+[A-Za-z0-9]", text)


def _pdf_page_map(cleaned: Cleaned) -> tuple[dict[int, int], int | None]:
    """printed → PDF page from footers, and the offset most pages agree on."""
    inverse: dict[int, int] = {}
    for pdf, printed in cleaned.page_labels.items():
        inverse.setdefault(printed, pdf)
    offsets = [pdf - printed for pdf, printed in cleaned.page_labels.items()]
    offset = Counter(offsets).most_common(1)[0][0] if offsets else None
    return inverse, offset


def _title_start(lines: list[Line], title: str) -> int | None:
    """Index of the line where an article titled ``title`` begins."""
    key = compact(title)[:8]
    if not key:
        return None
    for i, ln in enumerate(lines):
        t = compact(ln.text)
        if t and (key.startswith(t[: len(key)]) or t.startswith(key)) and len(t) >= min(4, len(key)):
            return i
    return None


def split_issue(cleaned: Cleaned, info: IssueInfo) -> IssueLayout:
    """Split an issue into its articles (see module docstring)."""
    layout = IssueLayout(info=info)
    body_pages = cleaned.pages[1:]
    toc, toc_pages = parse_toc(body_pages)
    layout.toc, layout.toc_pages = toc, toc_pages
    content = [p for p in cleaned.pages[1:] if p.number not in toc_pages]
    if not content:
        return layout
    first_content = content[0].number
    inverse, offset = _pdf_page_map(cleaned)
    page_by_no = {p.number: p for p in cleaned.pages}
    last_page = cleaned.pages[-1].number

    starts: list[tuple[int, int, TocItem | None]] = []  # (pdf page, line index, toc item)
    for item in toc:
        pdf = None
        if item.page is not None:
            pdf = inverse.get(item.page)
            if pdf is None and offset is not None:
                pdf = item.page + offset
        if pdf is None or pdf < first_content or pdf > last_page:
            layout.warnings.append(f"目录 entry {item.title!r}: printed page {item.page} not found in the file")
            continue
        # the title may start on the mapped page or, when the 目录 is off by one, the next
        idx = None
        for cand in (pdf, pdf + 1, pdf - 1):
            if cand in page_by_no and cand >= first_content:
                idx = _title_start(page_by_no[cand].lines, item.title)
                if idx is not None:
                    pdf = cand
                    break
        idx = idx or 0
        lines_on = page_by_no[pdf].lines if pdf in page_by_no else []
        while idx > 0 and _REGISTRATION_LINE.match(lines_on[idx - 1].text.strip()):
            idx -= 1  # the 统一登记号 printed above the title belongs to the article
        starts.append((pdf, idx, item))
    if not starts:
        starts = _fallback_starts(content)
        if toc:
            layout.warnings.append("目录 could not be mapped to pages; split by title lines instead")
    starts.sort(key=lambda s: (s[0], s[1]))

    for k, (pdf, idx, item) in enumerate(starts):
        end_pdf, end_idx = (starts[k + 1][0], starts[k + 1][1]) if k + 1 < len(starts) else (last_page + 1, 0)
        lines: list[Line] = []
        for n in range(pdf, min(end_pdf, last_page) + 1):
            page = page_by_no.get(n)
            if page is None:
                continue
            a = idx if n == pdf else 0
            b = end_idx if n == end_pdf else len(page.lines)
            lines.extend(page.lines[a:b])
        if not lines:
            continue
        pages = (lines[0].page, lines[-1].page)
        layout.articles.append(ArticleLines(lines=lines, pages=pages, toc=item))
    return layout


def _fallback_starts(content: list[PageText]) -> list[tuple[int, int, TocItem | None]]:
    """Articles open a page with a title-size line (or, failing that, each page run)."""
    sizes = [ln.size for p in content for ln in p.lines if ln.size]
    body = statistics.median(sizes) if sizes else None
    starts = []
    for p in content:
        if p.lines and body and (p.lines[0].size or 0) >= body * 1.15:
            starts.append((p.number, 0, None))
    return starts or [(content[0].number, 0, None)]
