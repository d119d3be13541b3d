"""What to print: pydantic models describing documents, gazette issues and render options.

A :class:`DocSpec` is both the input of the renderer and the *ground truth* that ingest
tests compare against: every string in it is printed verbatim (no punctuation mapping,
no inserted spaces), each in its GB/T 9704-2012 place. :class:`IssueSpec` groups
documents into the sections of one gazette issue. :class:`RenderOptions` selects the font,
the layout variant (a name registered in :data:`renderer.registry.LAYOUTS`: ``plain`` and
the issue-6 variants of :mod:`renderer.variants`), the page furniture, the scan settings
and the output format (PDF or OFD).

Tables (:class:`TableSpec`) belong to attachments: ``AttachmentSpec.tables`` are printed
after the attachment's paragraphs as ruled grids, one cell per string; their cells are
part of the ground truth (row by row, left to right).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_CN_DIGITS = "〇一二三四五六七八九"


def format_date(value: dt.date, chinese_numerals: bool = False) -> str:
    """Format a date as printed in documents: 2022年6月10日, or 二〇二二年六月十日."""
    if not chinese_numerals:
        return f"{value.year}年{value.month}月{value.day}日"
    year = "".join(_CN_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{_cn_number(value.month)}月{_cn_number(value.day)}日"


def _cn_number(n: int) -> str:
    """1..31 in Chinese numerals as used in dates (十, 十一, 二十, 三十一)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    prefix = "" if tens == 1 else _CN_DIGITS[tens]
    return prefix + "十" + (_CN_DIGITS[ones] if ones else "")


class TableSpec(BaseModel):
    """A ruled table (e.g. 序号 | 文件名称 | 发文字号 of documents to repeal).

    ``rows`` are lists of cell strings, all of the same length; the first ``header_rows``
    rows are the header (printed in the heading face, centred). ``widths`` are relative
    column widths (default: from the longest cell of each column, clamped).
    """

    model_config = ConfigDict(extra="forbid")

    rows: list[list[str]]
    header_rows: int = 1
    widths: list[float] | None = None

    @property
    def cells(self) -> list[str]:
        """Every cell, row by row: the order a reader (and the ground truth) takes them."""
        return [cell for row in self.rows for cell in row]


class AttachmentSpec(BaseModel):
    """An attachment (附件) printed on its own page(s) after the main text.

    An empty ``label`` prints no label line: the form used for the 方案/办法 that follows an
    印发 notice's signature block in real documents. ``tables`` follow the paragraphs.
    """

    label: str = Field(description="Printed at top-left of its first page, e.g. 附件1; may be empty.")
    title: str = Field(default="", description="Centred title of the attachment; may be empty.")
    paragraphs: list[str] = Field(default_factory=list)
    tables: list[TableSpec] = Field(default_factory=list, description="Ruled tables printed after the paragraphs.")


class DocSpec(BaseModel):
    """One official document (公文) to print in GB/T 9704-2012 layout.

    Optional elements left ``None`` / empty are simply not printed. ``source_id`` links a
    spec built from a real record (see :mod:`renderer.corpus`) back to that record, and
    ``dropped_chars`` lists characters removed because the CID font cannot render them.
    """

    model_config = ConfigDict(extra="forbid")

    issuer_mark: str | None = Field(default=None, description="发文机关标志, e.g. 静乐县人民政府文件 (red, top).")
    issuer: str | None = Field(default=None, description="Issuing organ, e.g. 静乐县人民政府 (metadata, not printed).")
    doc_number: str | None = Field(default=None, description="发文字号, e.g. 静政发〔2022〕8号.")
    signer: str | None = Field(default=None, description="签发人; printed right of the 发文字号 when present.")
    registration_number: str | None = Field(default=None, description="统一登记号, printed above the title.")
    title: str
    addressee: str | None = Field(default=None, description="主送机关, ends with '：'.")
    paragraphs: list[str] = Field(default_factory=list, description="Body paragraphs, headings included.")
    attachment_notes: list[str] = Field(default_factory=list, description="附件说明 items, e.g. '1.xxx名单'.")
    signature: str | None = Field(default=None, description="发文机关署名.")
    written_date: dt.date | None = Field(default=None, description="成文日期.")
    chinese_numerals_date: bool = Field(default=False, description="Print 成文日期 as 二〇二二年六月十日.")
    note: str | None = Field(default=None, description="附注, e.g. （此件公开发布）.")
    attachments: list[AttachmentSpec] = Field(default_factory=list)
    cc: str | None = Field(default=None, description="抄送 organs (without the 抄送： label).")
    printed_by: str | None = Field(default=None, description="印发机关.")
    printed_date: dt.date | None = Field(default=None, description="印发日期.")
    source_id: str | None = Field(default=None, description="record_id of the corpus record this was built from.")
    dropped_chars: str = Field(default="", description="Characters removed because the font lacks them.")

    @property
    def written_date_text(self) -> str | None:
        """成文日期 exactly as printed, or None."""
        if self.written_date is None:
            return None
        return format_date(self.written_date, self.chinese_numerals_date)


class SectionSpec(BaseModel):
    """A section of a gazette issue (县政府文件, 县政府办公室文件, 部门文件…)."""

    name: str
    documents: list[DocSpec] = Field(default_factory=list)


class IssueSpec(BaseModel):
    """One whole gazette issue: cover, 目录, then every document of every section."""

    gazette_name: str = "静乐县人民政府公报"
    year: int
    issue: int = Field(description="期 within the year.")
    overall_number: int | None = Field(default=None, description="总第N期, when printed.")
    published_date: dt.date | None = None
    publisher: str = "静乐县人民政府办公室编"
    sections: list[SectionSpec] = Field(default_factory=list)

    @property
    def issue_label(self) -> str:
        """e.g. 2022年第3期 (as in the running header)."""
        return f"{self.year}年第{self.issue}期"

    @property
    def documents(self) -> list[DocSpec]:
        """All documents in printing order."""
        return [doc for section in self.sections for doc in section.documents]


PageNumberStyle = Literal["em_dash", "hyphen", "di_ye", "bare", "di_gong"]


class FurnitureOptions(BaseModel):
    """Running headers, page numbers and footer lines (see :mod:`renderer.furniture`).

    Header templates may use ``{gazette_name}``, ``{year}``, ``{issue}``, ``{issue_label}``
    and ``{overall_number}``. ``header_align="alternate"`` prints ``header`` flush left on
    even printed pages and ``odd_header`` flush right on odd ones (issue label on the outer
    edge); ``page_number_align="outside"`` likewise puts page numbers on the outer edge.
    Page-number styles: em_dash "— 3 —", hyphen "-3-", di_ye "第3页", bare "3", di_gong
    "第 3 页 共 12 页" (total = numbered pages of the file).
    """

    model_config = ConfigDict(extra="forbid")

    header: str = Field(default="{gazette_name} {issue_label}", description="Running header of gazette article pages.")
    odd_header: str | None = Field(default=None, description="Header of odd pages when header_align='alternate'.")
    header_align: Literal["center", "alternate"] = "center"
    page_number: PageNumberStyle = "em_dash"
    page_number_align: Literal["center", "outside"] = "center"
    footer_lines: list[str] = Field(default_factory=list, description="Small centred lines under the page number.")
    document_header: str | None = Field(
        default=None, description="Running header on pages 2… of a standalone document (none by default)."
    )


class ScanOptions(BaseModel):
    """How the ``scanned``/``mixed`` variants turn pages into images (see :mod:`renderer.variants.scan`)."""

    model_config = ConfigDict(extra="forbid")

    dpi: int = Field(default=200, ge=72, le=600, description="Rasterisation resolution.")
    skew_degrees: float = Field(default=0.4, ge=0, le=5, description="Rotation, alternating sign page by page.")
    specks: float = Field(default=0.0004, ge=0, le=0.05, description="Share of pixels turned into dark specks.")
    seed: int = Field(default=0, description="Seed of the speck pattern (output stays deterministic).")


class RenderOptions(BaseModel):
    """How to render: font, layout variant, furniture, scan settings and output format.

    ``font="cid"`` uses reportlab's built-in STSong-Light (no font file, nothing embedded);
    ``font="ttf"`` embeds a subset of a TrueType CJK font (``ttf_path``, or the first one
    found among :data:`renderer.fonts.TTF_CANDIDATES`) and raises
    :class:`renderer.fonts.FontUnavailable` when none is installed. Layouts that need an
    embedded font (``kangxi``, ``broken_tounicode``) switch to ``ttf`` themselves.

    ``furniture=None`` keeps the layout's own furniture (plain: centred
    "静乐县人民政府公报 2022年第3期" headers and "— 3 —" page numbers). ``format="ofd"``
    writes an OFD package (GB/T 33190) instead of a PDF, from the same placed pages.
    """

    model_config = ConfigDict(extra="forbid")

    font: Literal["cid", "ttf"] = "cid"
    ttf_path: Path | None = Field(default=None, description="TrueType/TTC file for font='ttf'.")
    layout: str = Field(default="plain", description="Name of a registered layout (renderer.registry.LAYOUTS).")
    furniture: FurnitureOptions | None = Field(default=None, description="Headers/page numbers; None: the layout's.")
    scan: ScanOptions = Field(default_factory=ScanOptions, description="Used by the scanned and mixed layouts.")
    tounicode: Literal["missing", "garbage"] = Field(
        default="missing", description="broken_tounicode: drop the ToUnicode maps, or replace them with wrong ones."
    )
    format: Literal["pdf", "ofd"] = Field(default="pdf", description="Output format.")
