"""Validity catalogues of normative documents (规范性文件清理目录).

Issuing authorities publish which of their normative documents remain valid (继续有效),
were repealed (废止) or expired (失效). :func:`build_catalogue` computes the catalogue
from the archive as of a date; the writers turn it into CSV (UTF-8 with BOM, so Excel
and WPS open it correctly), XLSX (openpyxl), print-ready HTML, and JSON.

Only publicly disclosed (主动公开) documents appear in a catalogue.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from html import escape

from gazette.model import Disclosure, Document, Status
from gazette.status import effective_expiry, status_at
from gazette.store import Store

#: Group headings, in publishing order.
GROUPS: dict[Status, str] = {
    Status.valid: "继续有效",
    Status.repealed: "废止",
    Status.expired: "失效",
}

COLUMNS = (
    "序号", "文件名称", "发文字号", "统一登记号", "发文机关", "成文日期",
    "施行日期", "有效期至", "状态", "废止或失效依据", "备注",
)


def cn_date(value: dt.date | None) -> str:
    """2023年5月1日 — dates as people read them in catalogues."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


@dataclass
class CatalogueRow:
    number: int
    title: str
    doc_number: str
    registration_number: str
    issuer: str
    written_date: str
    effective_date: str
    expiry_date: str
    status: str
    basis: str
    remark: str
    document_id: str = ""

    def cells(self) -> list[str | int]:
        return [
            self.number, self.title, self.doc_number, self.registration_number, self.issuer,
            self.written_date, self.effective_date, self.expiry_date, self.status, self.basis, self.remark,
        ]


@dataclass
class Catalogue:
    title: str
    as_of: dt.date
    issuer: str | None
    groups: dict[str, list[CatalogueRow]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.groups.values())


def _row(doc: Document, as_of: dt.date) -> tuple[Status, CatalogueRow]:
    view = status_at(doc, as_of)
    basis = ""
    if view.status != Status.valid:
        basis = view.basis_doc_number or view.reason
    remark = ""
    if "no_validity_period" in doc.flags:
        remark = "未载明有效期，待审查"
    expiry = effective_expiry(doc, as_of)
    return view.status, CatalogueRow(
        number=0,
        title=doc.title,
        doc_number=doc.doc_number.text if doc.doc_number else (doc.doc_number_raw or ""),
        registration_number=doc.registration_number or "",
        issuer="、".join(doc.issuers),
        written_date=cn_date(doc.written_date),
        effective_date=cn_date(doc.effective_date),
        expiry_date=cn_date(expiry),
        status={Status.valid: "有效", Status.repealed: "废止", Status.expired: "失效"}[view.status],
        basis=basis,
        remark=remark,
        document_id=doc.id,
    )


def build_catalogue(
    store: Store,
    *,
    as_of: dt.date | None = None,
    issuer: str | None = None,
    status: Status | None = None,
    normative_only: bool = True,
) -> Catalogue:
    """The catalogue of (normative, public) documents as of a date, grouped by status.

    Rows are ordered by 成文日期 then title; 序号 restarts in each group.
    """
    as_of = as_of or dt.date.today()
    groups: dict[Status, list[tuple[tuple, CatalogueRow]]] = {s: [] for s in GROUPS}
    for doc in store.iter_documents():
        if doc.disclosure != Disclosure.public:
            continue
        if normative_only and not doc.is_normative:
            continue
        if issuer and issuer not in doc.issuers:
            continue
        if doc.written_date and doc.written_date > as_of:
            continue  # did not exist yet
        st, row = _row(doc, as_of)
        if status and st != status:
            continue
        groups[st].append(((doc.written_date or dt.date.min, doc.title), row))
    title = f"{issuer or ''}行政规范性文件目录（截至{cn_date(as_of)}）"
    cat = Catalogue(title=title, as_of=as_of, issuer=issuer)
    for st, rows in groups.items():
        if status and st != status:
            continue
        ordered = [r for _, r in sorted(rows, key=lambda x: x[0])]
        for i, r in enumerate(ordered, 1):
            r.number = i
        cat.groups[GROUPS[st]] = ordered
    return cat


def to_json(cat: Catalogue) -> dict:
    return {
        "title": cat.title,
        "as_of": cat.as_of.isoformat(),
        "issuer": cat.issuer,
        "total": cat.total,
        "columns": list(COLUMNS),
        "groups": [{"name": name, "rows": [asdict(r) for r in rows]} for name, rows in cat.groups.items()],
    }


def to_csv(cat: Catalogue) -> bytes:
    """UTF-8 with BOM; one header row; a 分类 column says the group."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["分类", *COLUMNS])
    for name, rows in cat.groups.items():
        for r in rows:
            w.writerow([name, *r.cells()])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(cat: Catalogue) -> bytes:
    """One sheet per group with a bold header row and column widths fit for Chinese text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    widths = (6, 48, 22, 22, 24, 16, 16, 16, 8, 30, 20)
    for name, rows in cat.groups.items():
        ws = wb.create_sheet(title=name)
        ws.append(list(COLUMNS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for r in rows:
            ws.append(r.cells())
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        for row in ws.iter_rows(min_row=2):
            row[1].alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    if not wb.sheetnames:
        wb.create_sheet(title="继续有效").append(list(COLUMNS))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_html(cat: Catalogue) -> str:
    """A standalone, print-ready HTML page (also pasteable into a website's editor)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(cat.title)}</title>",
        "<style>body{font-family:'SimSun','Songti SC','Noto Serif CJK SC',serif;margin:2em}"
        "table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid #333;"
        "padding:4px 6px;vertical-align:top}th{background:#eee}h1{text-align:center;font-size:22px}"
        "h2{font-size:18px;margin-top:1.5em}@media print{h2{page-break-before:auto}thead{display:table-header-group}}"
        "</style></head><body>",
        f"<h1>{escape(cat.title)}</h1>",
    ]
    for name, rows in cat.groups.items():
        parts.append(f"<h2>{escape(name)}（{len(rows)}件）</h2>")
        parts.append("<table><thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in COLUMNS) + "</tr></thead><tbody>")
        for r in rows:
            parts.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r.cells()) + "</tr>")
        if not rows:
            parts.append(f'<tr><td colspan="{len(COLUMNS)}">无</td></tr>')
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
