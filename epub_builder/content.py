"""Pages of the book as XHTML: one per article, plus section, issue and stub pages.

An article page has a header (title, the 【提示】 status note when the document is no
longer in force on the build date, and a list of its 发文字号, issuer and dates),
then the body, then each attachment. Markup the reading system and assistive
technology can use is derived from the text:

* paragraphs that are numbered headings in the usual official style — 第一章, 第一节,
  一、, （一）, 1., （1） — become ``h2``–``h6`` (``h3``–``h6`` in an attachment) when
  they stand alone; a paragraph opening with such a number keeps its lead sentence
  in bold instead (run-in heading). The rules, levels never skipping included, are
  :mod:`gazette.headings`.
* consecutive paragraphs holding TAB characters are rows of a table, cells split at
  the TABs (the convention proposed for ingest, which has no tables yet); the first
  row is the header.

Contract used by the read-back tests: the text of the elements inside
``div.body`` and ``section.attachment`` (each ``p``, heading and table row, in
order) is the document's :attr:`~gazette.model.Document.text`, paragraph for
paragraph, up to whitespace and XML-illegal characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from gazette.headings import classify, heading_levels
from gazette.model import STATUS_LABELS, Document, GazetteIssue, Status
from gazette.status import StatusView, status_at

from .xhtml import cn_date, esc


def _run_in(text: str, lead: str) -> str:
    """A paragraph whose lead sentence (the run-in heading) is set in bold."""
    rest = text.strip()[len(lead) :]
    return f'<p><b class="run-in">{esc(lead)}</b>{esc(rest)}</p>'


def _table(rows: Sequence[str]) -> str:
    cells = [r.split("\t") for r in rows]
    width = max(len(c) for c in cells)
    out = ['<div class="table-wrap"><table>']
    body = cells
    if len(cells) > 1:
        out.append("<thead><tr>" + "".join(f'<th scope="col">{esc(c)}</th>' for c in cells[0]) + "</tr></thead>")
        body = cells[1:]
    out.append("<tbody>")
    for row in body:
        padded = row + [""] * (width - len(row))
        out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in padded) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def render_blocks(paragraphs: Iterable[str], *, top: int = 2) -> str:
    """Paragraphs as XHTML blocks; heading rank 1 becomes ``h{top}`` (see :mod:`gazette.headings`)."""
    paragraphs = list(paragraphs)
    out: list[str] = []
    pending_rows: list[str] = []

    def flush() -> None:
        if pending_rows:
            out.append(_table(pending_rows))
            pending_rows.clear()

    for para, h in zip(paragraphs, heading_levels(paragraphs, top=top), strict=True):
        if "\t" in para.strip():
            pending_rows.append(para.strip())
            continue
        flush()
        if h:
            out.append(f"<h{h}>{esc(para)}</h{h}>")
            continue
        found = classify(para)
        out.append(_run_in(para, found.lead) if found and found.lead else f"<p>{esc(para)}</p>")
    flush()
    return "\n".join(out)


def status_note(doc: Document, as_of: dt.date) -> str | None:
    """The 【提示】 sentence for a document repealed or expired on ``as_of``, else None."""
    view: StatusView = status_at(doc, as_of)
    if view.status == Status.valid:
        return None
    label = STATUS_LABELS[view.status]
    when = f"已于{cn_date(view.since)}{label}" if view.since else f"已{label}"
    basis = view.basis_doc_number
    if basis:
        return f"【提示】本文件{when}，{label}依据：{basis}。"
    if view.reason:
        return f"【提示】本文件{when}（{view.reason.rstrip('。')}）。"
    return f"【提示】本文件{when}。"


def _meta_rows(doc: Document, page: int | None) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    number = doc.doc_number.text if doc.doc_number else doc.doc_number_raw
    if number:
        rows.append(("发文字号", number))
    if doc.issuers:
        rows.append(("发文机关", "、".join(doc.issuers)))
    for label, day in (
        ("成文日期", doc.written_date),
        ("发布日期", doc.published_date),
        ("施行日期", doc.effective_date),
        ("有效期至", doc.expiry_date),
    ):
        if day:
            rows.append((label, cn_date(day)))
    if page:
        rows.append(("印刷版页码", f"第{page}页"))
    return rows


def article_body(doc: Document, *, as_of: dt.date, page: int | None = None) -> str:
    """The ``<body>`` content of one article's page."""
    parts = ['<section class="document" epub:type="chapter" role="doc-chapter" aria-labelledby="doc-title">']
    parts.append(f'<header>\n<h1 id="doc-title">{esc(doc.title)}</h1>')
    note = status_note(doc, as_of)
    if note:
        parts.append(f'<p class="status-note" role="note">{esc(note)}</p>')
    rows = _meta_rows(doc, page)
    if rows:
        parts.append('<dl class="doc-meta">')
        parts.extend(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
        parts.append("</dl>")
    parts.append("</header>")
    if doc.addressee:
        parts.append(f'<p class="addressee">{esc(doc.addressee)}</p>')
    parts.append('<div class="body">')
    parts.append(render_blocks(doc.paragraphs))
    parts.append("</div>")
    for n, att in enumerate(doc.attachments, 1):
        title = f'<span class="label">{esc(att.label)}</span>'
        if att.title:
            title += f' <span class="title">{esc(att.title)}</span>'
        parts.append(
            f'<section class="attachment" aria-labelledby="att-{n}">\n<h2 id="att-{n}">{title}</h2>\n'
            + render_blocks(att.paragraphs, top=3)
            + "\n</section>"
        )
    tail = [
        ("signature", doc.signer and f"签发人：{doc.signer}"),
        ("note", doc.note),
        ("cc", doc.cc),
        ("printed-by", doc.printed_by),
    ]
    tail = [(cls, text) for cls, text in tail if text]
    if tail:
        parts.append('<footer class="doc-footer">')
        parts.extend(f'<p class="{cls}">{esc(text)}</p>' for cls, text in tail)
        parts.append("</footer>")
    parts.append("</section>")
    return "\n".join(parts)


def stub_body(title: str, page: int | None) -> str:
    """Page for a 目录 entry whose article is not in the archive."""
    where = f"（第{page}页）" if page else ""
    return (
        f'<section class="document stub" aria-labelledby="doc-title">\n<h1 id="doc-title">{esc(title)}</h1>\n'
        f'<p class="stub-note">本文未收录电子版全文，请查阅印刷版{where}。</p>\n</section>'
    )


def listing_body(heading: str, links: Sequence[tuple[str, str]], *, intro: Sequence[str] = (), kind: str) -> str:
    """A title page (section or issue) with the list of what it contains."""
    parts = [f'<section class="{kind}" epub:type="part" role="doc-part" aria-labelledby="part-title">']
    parts.append(f'<h1 id="part-title">{esc(heading)}</h1>')
    parts.extend(f'<p class="part-info">{esc(line)}</p>' for line in intro)
    if links:
        parts.append('<ol class="part-list">')
        parts.extend(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in links)
        parts.append("</ol>")
    parts.append("</section>")
    return "\n".join(parts)


def issue_label(issue: GazetteIssue) -> str:
    """2022年第3期 — how an issue is named on covers, titles and the 目录."""
    return f"{issue.year}年第{issue.issue}期"

