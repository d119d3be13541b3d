"""Assembly of the book: plan the pages from the 目录, then build the ebooklib book.

Reading order of an issue: cover, 目录 (the navigation document), then for each
section of the 目录 a section title page followed by its articles, then a short note
about the edition. An annual volume puts an issue title page before each issue's
sections. File names follow the reading order (``text/i03-a007.xhtml``), so a book
rebuilt from the same data has the same paths and the same bytes.

Works without an :class:`~gazette.archive.Archive`: :func:`build_issue_book` and
:func:`build_year_book` take issues and documents; :mod:`epub_builder.editions`
fetches them from the archive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from ebooklib import epub

from gazette.model import Document, GazetteIssue, TocEntry

from . import content
from .cover import cover_alt, cover_body, cover_jpeg
from .metadata import BookMeta, apply_metadata, book_identifier, modified_at
from .nav import NavNode, nav_document, ncx_toc
from .xhtml import cn_date, esc, page

UNTITLED = "（无标题）"
XHTML = "application/xhtml+xml"


@dataclass
class PlannedArticle:
    """One article line of the 目录; ``document`` is None when it is not archived."""

    title: str
    document: Document | None
    page: int | None = None


@dataclass
class PlannedSection:
    """A 目录 section (``title`` None: articles listed outside any section)."""

    title: str | None
    articles: list[PlannedArticle] = field(default_factory=list)


@dataclass
class GazetteBook:
    """A built book, ready for :func:`epub_builder.write.write_book`."""

    book: epub.EpubBook
    title: str
    identifier: str
    modified: dt.datetime
    nav: list[NavNode]


def _is_heading(entry: TocEntry, section_names: set[str]) -> bool:
    """A 目录 line without a document is a section heading when it names a section
    used by other lines, or has neither page nor section of its own."""
    if entry.document_id:
        return False
    title = entry.title.strip()
    return title in section_names or (entry.page is None and not (entry.section or "").strip())


def _page_key(doc: Document) -> tuple:
    return (doc.pages[0] if doc.pages else 10**9, doc.title, doc.id)


def plan_issue(issue: GazetteIssue, documents: Sequence[Document]) -> list[PlannedSection]:
    """Sections and articles in 目录 order.

    Sections come from :attr:`TocEntry.section` or from heading lines of the 目录;
    lines whose document is not among ``documents`` become stub pages. Documents the
    目录 does not list follow, by printed page, in their own section. Without a 目录
    the documents are laid out by page and section.
    """
    by_id = {d.id: d for d in documents}
    entries = list(issue.toc)
    names = {e.section.strip() for e in entries if e.section and e.section.strip()}
    sections: list[PlannedSection] = []
    heading: str | None = None
    listed: set[str] = set()

    def section_for(title: str | None, *, last_only: bool) -> PlannedSection:
        candidates = sections[-1:] if last_only else sections
        for s in candidates:
            if s.title == title:
                return s
        sections.append(PlannedSection(title))
        return sections[-1]

    for e in entries:
        if _is_heading(e, names):
            heading = e.title.strip() or None
            section_for(heading, last_only=True)
            continue
        doc = by_id.get(e.document_id) if e.document_id else None
        if doc is not None:
            listed.add(doc.id)
        title = e.title.strip() or (doc.title.strip() if doc else "") or UNTITLED
        sec = (e.section or "").strip() or heading
        section_for(sec, last_only=True).articles.append(PlannedArticle(title, doc, e.page))
    for doc in sorted((d for d in documents if d.id not in listed), key=_page_key):
        sec = (doc.section or "").strip() or None
        page_no = doc.pages[0] if doc.pages else None
        section_for(sec, last_only=False).articles.append(
            PlannedArticle(doc.title.strip() or UNTITLED, doc, page_no)
        )
    return sections


class _Assembler:
    """Collects pages (in reading order) and the navigation tree of one book."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.items: list[epub.EpubItem] = []

    def add(self, uid: str, title: str, body: str) -> str:
        href = f"text/{uid}.xhtml"
        self.items.append(epub.EpubItem(uid=uid, file_name=href, media_type=XHTML, content=page(title, body)))
        return href

    def issue_sections(self, prefix: str, sections: list[PlannedSection]) -> list[NavNode]:
        """Pages of one issue's sections and articles; returns their nav nodes."""
        nodes: list[NavNode] = []
        n_article = 0
        for s_no, sec in enumerate(sections, 1):
            hrefs = [f"text/{prefix}-a{n_article + i:03d}.xhtml" for i in range(1, len(sec.articles) + 1)]
            children: list[NavNode] = []
            if sec.title is not None:
                uid = f"{prefix}-s{s_no:02d}"
                links = [(h.removeprefix("text/"), a.title) for h, a in zip(hrefs, sec.articles, strict=True)]
                href = self.add(uid, sec.title, content.listing_body(sec.title, links, kind="section"))
                nodes.append(NavNode(sec.title, href, uid, children))
            for art in sec.articles:
                n_article += 1
                uid = f"{prefix}-a{n_article:03d}"
                if art.document is not None:
                    body = content.article_body(art.document, as_of=self.as_of, page=art.page)
                    page_title = art.document.title.strip() or art.title
                else:
                    body, page_title = content.stub_body(art.title, art.page), art.title
                href = self.add(uid, page_title, body)
                (children if sec.title is not None else nodes).append(NavNode(art.title, href, uid))
        return nodes

    def finish(
        self,
        *,
        title: str,
        identifier: str,
        meta: BookMeta,
        date: str,
        description: str,
        name: str,
        edition: str,
        cover_lines: list[str],
        printed: dt.date | None,
        nav: list[NavNode],
        modified: dt.datetime,
    ) -> GazetteBook:
        """The book: metadata, cover, 目录, the collected pages, the note on the edition."""
        book = epub.EpubBook()
        apply_metadata(book, identifier=identifier, title=title, meta=meta, date=date, description=description)
        footer = [f"{meta.publisher}编印"]
        if printed:
            footer.append(f"{cn_date(printed)}出版")
        book.set_cover("images/cover.jpg", cover_jpeg(name, cover_lines, footer), create_page=False)
        alt = cover_alt(name, cover_lines, footer)
        cover_page = epub.EpubItem(
            uid="cover",
            file_name="text/cover.xhtml",
            media_type=XHTML,
            content=page(title, cover_body("../images/cover.jpg", alt), body_class="cover"),
        )
        if not nav:  # an issue with neither 目录 nor documents: the nav may not be empty
            nav = [NavNode("关于本电子版", "text/about.xhtml", "about")]
        first = nav[0].href
        nav_item = epub.EpubItem(
            uid="nav",
            file_name="nav.xhtml",
            media_type=XHTML,
            content=nav_document(
                nav,
                heading="目录",
                landmarks=[
                    ("cover", cover_page.file_name, "封面"),
                    ("toc", "nav.xhtml#toc", "目录"),
                    ("bodymatter", first, "正文"),
                ],
            ),
        )
        nav_item.properties = ["nav"]
        css = epub.EpubItem(
            uid="css",
            file_name="styles/gazette.css",
            media_type="text/css",
            content=resources.files("epub_builder").joinpath("styles.css").read_bytes(),
        )
        about = epub.EpubItem(
            uid="about",
            file_name="text/about.xhtml",
            media_type=XHTML,
            content=page("关于本电子版", _about_body(name, edition, meta)),
        )
        for item in (cover_page, nav_item, css, *self.items, about):
            book.add_item(item)
        book.add_item(epub.EpubNcx())
        book.toc = ncx_toc(nav)
        book.spine = [cover_page, nav_item, *self.items, about]
        return GazetteBook(book, title, identifier, modified, nav)


def _about_body(name: str, edition: str, meta: BookMeta) -> str:
    return (
        '<section class="about" epub:type="colophon" role="doc-colophon" aria-labelledby="about-title">\n'
        '<h1 id="about-title">关于本电子版</h1>\n'
        f"<p>本电子版根据《{esc(name)}》{esc(edition)}印刷版编制，由{esc(meta.publisher)}发布。</p>\n"
        "<p>文件标题下的【提示】说明该文件在本电子版生成时已被废止或已失效的情况，阅读和引用时请留意。</p>\n"
        "</section>"
    )


def _issue_title(issue: GazetteIssue, meta: BookMeta) -> str:
    return f"{issue.gazette_name or meta.gazette_name} {content.issue_label(issue)}"


def build_issue_book(
    issue: GazetteIssue,
    documents: Sequence[Document],
    meta: BookMeta | None = None,
    *,
    as_of: dt.date | None = None,
) -> GazetteBook:
    """The EPUB of one gazette issue, status notes as of ``as_of`` (default today)."""
    meta = meta or BookMeta()
    as_of = as_of or dt.date.today()
    name = issue.gazette_name or meta.gazette_name
    title = _issue_title(issue, meta)
    asm = _Assembler(as_of)
    sections = plan_issue(issue, documents)
    nav = asm.issue_sections(f"i{issue.issue:02d}", sections)
    n_docs = sum(1 for s in sections for a in s.articles if a.document)
    return asm.finish(
        title=title,
        identifier=book_identifier(name, issue.year, issue.issue),
        meta=meta,
        date=(issue.published_date.isoformat() if issue.published_date else str(issue.year)),
        description=f"{name}{content.issue_label(issue)}，收录文件{n_docs}件。",
        name=name,
        edition=content.issue_label(issue),
        cover_lines=[content.issue_label(issue)] + ([f"总第{issue.overall_number}期"] if issue.overall_number else []),
        printed=issue.published_date,
        nav=nav,
        modified=modified_at([issue], documents, as_of),
    )


def build_year_book(
    issues: Sequence[tuple[GazetteIssue, Sequence[Document]]],
    meta: BookMeta | None = None,
    *,
    as_of: dt.date | None = None,
) -> GazetteBook:
    """The annual volume: every given issue (in issue order) in one book.

    The table of contents has an entry per issue, under it the issue's sections and
    under them the articles.
    """
    if not issues:
        raise ValueError("an annual volume needs at least one issue")
    meta = meta or BookMeta()
    as_of = as_of or dt.date.today()
    ordered = sorted(issues, key=lambda pair: (pair[0].year, pair[0].issue))
    first = ordered[0][0]
    year = first.year
    name = first.gazette_name or meta.gazette_name
    title = f"{name} {year}年合订本"
    asm = _Assembler(as_of)
    nav: list[NavNode] = []
    all_docs: list[Document] = []
    for issue, documents in ordered:
        prefix = f"i{issue.issue:02d}"
        label = content.issue_label(issue)
        if issue.overall_number:
            label += f"（总第{issue.overall_number}期）"
        sections = plan_issue(issue, documents)
        # The issue page lists its sections (or articles outside sections); it goes
        # before them in the reading order, once their hrefs are known.
        slot = len(asm.items)
        children = asm.issue_sections(prefix, sections)
        links = [(c.href.removeprefix("text/"), c.title) for c in children]
        intro = [f"{cn_date(issue.published_date)}出版"] if issue.published_date else []
        body = content.listing_body(label, links, intro=intro, kind="issue")
        issue_href = f"text/{prefix}.xhtml"
        issue_page = epub.EpubItem(uid=prefix, file_name=issue_href, media_type=XHTML, content=page(label, body))
        asm.items.insert(slot, issue_page)
        nav.append(NavNode(label, issue_href, prefix, children))
        all_docs.extend(documents)
    nums = [i.issue for i, _ in ordered]
    overall = [i.overall_number for i, _ in ordered if i.overall_number]
    lines = [f"{year}年合订本", f"第{nums[0]}期至第{nums[-1]}期" if len(nums) > 1 else f"第{nums[0]}期"]
    if overall:
        lines.append(f"总第{min(overall)}期至第{max(overall)}期" if len(overall) > 1 else f"总第{overall[0]}期")
    dates = [i.published_date for i, _ in ordered if i.published_date]
    return asm.finish(
        title=title,
        identifier=book_identifier(name, year),
        meta=meta,
        date=max(dates).isoformat() if dates else str(year),
        description=f"{name}{year}年各期合订本，共{len(ordered)}期，收录文件{len({d.id for d in all_docs})}件。",
        name=name,
        edition=f"{year}年各期",
        cover_lines=lines,
        printed=None,
        nav=nav,
        modified=modified_at([i for i, _ in ordered], all_docs, as_of),
    )
