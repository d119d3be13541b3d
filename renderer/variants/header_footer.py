"""Running headers and page numbers of other wordings, and footer lines.

The ``header_footer`` layout is the plain layout with different default furniture:
header "静乐县人民政府公报  第3期", page numbers "-3-", a footer line
"静乐县人民政府办公室印制" under the page number on every numbered page, and a running
header "静乐县人民政府行政规范性文件" on pages 2… of standalone documents. Any other
combination is a :class:`~renderer.spec.FurnitureOptions` away (``RenderOptions.furniture``
works with every layout); :data:`FURNITURE_VARIANTS` lists the combinations the fidelity
report cycles through so that every page-number form and header wording is exercised,
including alternating headers ("2022年第3期 · 静乐县人民政府公报" flush left on even pages,
"静乐县人民政府公报 · 2022年第3期" flush right on odd ones) with page numbers on the
outer edge.
"""

from __future__ import annotations

from ..plain import PlainLayout
from ..registry import register_layout
from ..spec import FurnitureOptions

PRINTER_LINE = "静乐县人民政府办公室印制"
DOCUMENT_HEADER = "静乐县人民政府行政规范性文件"

#: Furniture combinations covering every header wording and page-number form.
FURNITURE_VARIANTS: tuple[FurnitureOptions, ...] = (
    FurnitureOptions(header="{gazette_name}  第{issue}期", page_number="hyphen", footer_lines=[PRINTER_LINE],
                     document_header=DOCUMENT_HEADER),
    FurnitureOptions(header="{issue_label} · {gazette_name}", odd_header="{gazette_name} · {issue_label}",
                     header_align="alternate", page_number="bare", page_number_align="outside"),
    FurnitureOptions(header="{gazette_name}（{issue_label}）", page_number="di_ye", footer_lines=[PRINTER_LINE]),
    FurnitureOptions(header="{gazette_name} {year}年第{issue}期（总第{overall_number}期）", page_number="di_gong",
                     document_header=DOCUMENT_HEADER),
    FurnitureOptions(header="{issue_label} · {gazette_name}", odd_header="{gazette_name} · {issue_label}",
                     header_align="alternate", page_number="em_dash", page_number_align="outside",
                     footer_lines=[PRINTER_LINE]),
)


@register_layout("header_footer")
class HeaderFooterLayout(PlainLayout):
    """Plain placement with the first of :data:`FURNITURE_VARIANTS` as default furniture."""

    name = "header_footer"
    default_furniture = FURNITURE_VARIANTS[0]
