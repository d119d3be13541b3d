"""Page furniture: page-number strings and running-header wording (:class:`FurnitureOptions`).

Every layout prints its furniture through :class:`renderer.plain.PlainLayout` hooks
(``page_label``, ``add_header``, ``add_footer``); this module only formats the strings.
Page-number forms, for page 3 of 12:

===========  ====================
em_dash      — 3 —   (plain; GB/T 9704 4号 半角 with em dashes)
hyphen       -3-
di_ye        第3页
bare         3
di_gong      第 3 页 共 12 页
===========  ====================
"""

from __future__ import annotations

from .spec import FurnitureOptions, IssueSpec, PageNumberStyle

PAGE_NUMBER_FORMATS: dict[str, str] = {
    "em_dash": "— {n} —",
    "hyphen": "-{n}-",
    "di_ye": "第{n}页",
    "bare": "{n}",
    "di_gong": "第 {n} 页 共 {total} 页",
}


def format_page_number(style: PageNumberStyle, n: int, total: int) -> str:
    """The printed page-number string for page ``n`` of ``total`` in ``style``."""
    return PAGE_NUMBER_FORMATS[style].format(n=n, total=total)


def format_header(template: str, issue: IssueSpec) -> str:
    """Fill a header template with the issue's name and numbers."""
    return template.format(
        gazette_name=issue.gazette_name,
        year=issue.year,
        issue=issue.issue,
        issue_label=issue.issue_label,
        overall_number=issue.overall_number or "",
    )


def header_for_page(furniture: FurnitureOptions, header: str, odd_header: str | None, number: int | None) -> tuple[str, str]:
    """(text, alignment) of the running header on printed page ``number``.

    Centred headers are the same on every page; alternating ones use ``header`` flush left on
    even pages and ``odd_header`` (falling back to ``header``) flush right on odd pages.
    """
    if furniture.header_align != "alternate" or number is None:
        return header, "center"
    if number % 2 == 0:
        return header, "left"
    return odd_header or header, "right"
