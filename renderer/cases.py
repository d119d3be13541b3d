"""The fidelity cases of issue 6: how each kind of real-world file is rendered from a spec.

A :class:`Case` names one kind of file ingest must read — a registered layout, the
options it needs and, for content-level cases, a transformation of the spec (which then
is the ground truth). :data:`CASES` is what the fidelity report
(``scripts/fidelity_report.py``) and ingest tests iterate over:

=====================  ============================================================
plain                   the reference: plain layout, CID font
two_column              two-column article/body pages
two_column_mixed        two-column and single-column articles in one file
header_footer           other header wordings, all page-number forms, footer lines
                        (cycled over the documents, :data:`~renderer.variants.header_footer.FURNITURE_VARIANTS`)
fake_bold               titles/headings drawn twice, slightly offset
letter_spaced           per-character justified lines, spaces inside words
kangxi                  Kangxi / radicals-supplement look-alikes, full-width digits
broken_tounicode        embedded subsets without ToUnicode ((cid:N) in pdfminer)
garbage_tounicode       embedded subsets with wrong ToUnicode maps
scanned                 image-only pages (OCR needed)
mixed                   some pages text, some image-only
tables                  a ruled table attachment (序号 | 文件名称 | 发文字号) added
ofd                     the plain placement written as OFD instead of PDF
=====================  ============================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .spec import AttachmentSpec, DocSpec, IssueSpec, RenderOptions, SectionSpec, TableSpec
from .variants.header_footer import FURNITURE_VARIANTS

REPEAL_TABLE_TITLE = "拟废止的规范性文件目录"
REPEAL_TABLE_HEADER = ["序号", "文件名称", "发文字号"]


def add_repeal_table(spec: DocSpec, catalogue: Sequence[tuple[str, str]]) -> DocSpec:
    """``spec`` with an attachment "附件 拟废止的规范性文件目录" holding a ruled table of ``catalogue``.

    ``catalogue`` is (title, 发文字号) pairs; the 附件说明 names the attachment unless the
    spec already has notes.
    """
    rows = [REPEAL_TABLE_HEADER] + [[str(i), title, number] for i, (title, number) in enumerate(catalogue, start=1)]
    table = TableSpec(rows=rows, widths=[1.2, 6.0, 3.2])
    attachment = AttachmentSpec(label="附件", title=REPEAL_TABLE_TITLE, tables=[table])
    notes = spec.attachment_notes or [REPEAL_TABLE_TITLE]
    return spec.model_copy(update={"attachments": [*spec.attachments, attachment], "attachment_notes": notes})


def repeal_catalogue(specs: Sequence[DocSpec], index: int, size: int = 4) -> list[tuple[str, str]]:
    """(title, 发文字号) of ``size`` other specs after ``index`` (a made-up number when a spec has none)."""
    out = []
    for k in range(1, size + 1):
        other = specs[(index + k) % len(specs)] if specs else None
        title = other.title if other else f"示例文件{k}"
        number = (other.doc_number if other and other.doc_number else None) or f"静政发〔2019〕{(index * 7 + k) % 40 + 1}号"
        out.append((title, number))
    return out


@dataclass(frozen=True)
class Case:
    """One kind of file: layout and options, an optional spec transformation, a file suffix."""

    name: str
    description: str
    options: RenderOptions = field(default_factory=RenderOptions)
    transform: Callable[[DocSpec, int, Sequence[DocSpec]], DocSpec] | None = None
    cycle_furniture: bool = False
    suffix: str = ".pdf"
    needs_ocr: bool = False

    def options_for(self, index: int) -> RenderOptions:
        """Options for the ``index``-th file (header_footer cycles its furniture variants)."""
        if self.cycle_furniture:
            return self.options.model_copy(update={"furniture": FURNITURE_VARIANTS[index % len(FURNITURE_VARIANTS)]})
        return self.options

    def spec_for(self, spec: DocSpec, index: int, specs: Sequence[DocSpec]) -> DocSpec:
        """The spec to render (and to compare against) for the ``index``-th document."""
        return self.transform(spec, index, specs) if self.transform else spec

    def issue_for(self, issue: IssueSpec, offset: int, specs: Sequence[DocSpec]) -> IssueSpec:
        """``issue`` with :meth:`spec_for` applied to its documents (numbered from ``offset``)."""
        if not self.transform:
            return issue
        k = offset
        sections = []
        for section in issue.sections:
            docs = []
            for doc in section.documents:
                docs.append(self.spec_for(doc, k, specs))
                k += 1
            sections.append(SectionSpec(name=section.name, documents=docs))
        return issue.model_copy(update={"sections": sections})


def _tables(spec: DocSpec, index: int, specs: Sequence[DocSpec]) -> DocSpec:
    return add_repeal_table(spec, repeal_catalogue(specs, index))


CASES: dict[str, Case] = {
    c.name: c
    for c in (
        Case("plain", "plain GB/T 9704 layout (reference)"),
        Case("two_column", "two-column pages", RenderOptions(layout="two_column")),
        Case("two_column_mixed", "two- and single-column pages in one file", RenderOptions(layout="two_column_mixed")),
        Case("header_footer", "other headers, page-number forms, footer lines", RenderOptions(layout="header_footer"),
             cycle_furniture=True),
        Case("fake_bold", "titles and headings drawn twice", RenderOptions(layout="fake_bold")),
        Case("letter_spaced", "letter-spaced lines, spaces inside words", RenderOptions(layout="letter_spaced")),
        Case("kangxi", "Kangxi radicals and full-width digits in the text layer", RenderOptions(layout="kangxi")),
        # no extractor can map these fonts to Unicode: their pages are read by OCR
        Case("broken_tounicode", "no ToUnicode map", RenderOptions(layout="broken_tounicode"), needs_ocr=True),
        Case("garbage_tounicode", "wrong ToUnicode map", RenderOptions(layout="broken_tounicode", tounicode="garbage"),
             needs_ocr=True),
        Case("scanned", "image-only pages", RenderOptions(layout="scanned"), needs_ocr=True),
        Case("mixed", "text and image-only pages", RenderOptions(layout="mixed"), needs_ocr=True),
        Case("tables", "a ruled table in an attachment", transform=_tables),
        Case("ofd", "OFD package instead of PDF", RenderOptions(format="ofd"), suffix=".ofd"),
    )
}
