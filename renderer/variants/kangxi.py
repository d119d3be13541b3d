"""Look-alike code points in the text layer: Kangxi radicals and full-width digits.

Some PDF producers map a glyph shared by an ideograph and a radical to the radical's code
point, so the page shows 行 but the text layer says ⾏ (U+2F8F). This layout prints every
character listed in ``renderer/data/kangxi.tsv`` (行 文 一 人 日 月 大 工 长 见 …) as its
look-alike — U+2F00–U+2FD5 Kangxi radicals or U+2E80–U+2EFF CJK radicals supplement —
everywhere on the page (titles, body, headers, the 目录, the cover). The glyphs look the
same: the variant embeds a TrueType font (``font = "ttf"``) that has them.

It also writes full-width digits (０–９) in 发文字号 (静政发〔２０２２〕８号) and in dates
(２０２２年６月１０日), in the body (wrapped with the wider digits) and on the 发文字号 and
成文日期 lines. CJK punctuation is left as it is.

What extractors see: pdfplumber and pypdfium2 both return the look-alike code points
(they read the ToUnicode map); NFKC folds the Kangxi radicals and full-width digits back,
not the supplement characters (⻓ U+2EBB, ⻅ U+2EC5, ⻔, ⻋, ⻢).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ..layout import PAGE_WIDTH, RIGHT, Page, TextOp, text_width
from ..plain import PlainLayout
from ..registry import register_layout
from ..spec import AttachmentSpec, DocSpec, IssueSpec

DATA = Path(__file__).resolve().parents[1] / "data" / "kangxi.tsv"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*第?\s*\d{1,5}\s*号")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?")


@functools.cache
def lookalikes() -> dict[str, str]:
    """ideograph → look-alike code point, from ``renderer/data/kangxi.tsv``."""
    table = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            ideograph, lookalike = line.split("\t")[:2]
            table[ideograph] = lookalike
    return table


def to_lookalikes(text: str) -> str:
    """``text`` with every listed ideograph replaced by its look-alike."""
    return text.translate(str.maketrans(lookalikes()))


def fullwidth_numbers(text: str) -> str:
    """``text`` with the digits of 发文字号 and dates made full-width (other digits kept)."""
    def fw(m: re.Match[str]) -> str:
        return m.group(0).translate(_FULLWIDTH)

    return _DATE.sub(fw, _DOC_NUMBER.sub(fw, text))


def _spec_text_layer(spec: DocSpec) -> DocSpec:
    """Full-width numbers in the body before wrapping, so lines still fit."""
    return spec.model_copy(
        update={
            "doc_number": fullwidth_numbers(spec.doc_number) if spec.doc_number else None,
            "paragraphs": [fullwidth_numbers(p) for p in spec.paragraphs],
            "attachments": [
                AttachmentSpec(
                    label=a.label, title=a.title, paragraphs=[fullwidth_numbers(p) for p in a.paragraphs], tables=a.tables
                )
                for a in spec.attachments
            ],
        }
    )


@register_layout("kangxi")
class KangxiLayout(PlainLayout):
    """See the module docstring."""

    name = "kangxi"
    font = "ttf"

    def _text_layer(self, pages: list[Page]) -> list[Page]:
        for page in pages:
            ops = []
            for op in page.ops:
                if isinstance(op, TextOp):
                    text = to_lookalikes(fullwidth_numbers(op.text))
                    if text != op.text:
                        op = self._refit(op, text)
                ops.append(op)
            page.ops[:] = ops
        return pages

    def _refit(self, op: TextOp, text: str) -> TextOp:
        """Keep a centred line centred and a line within the right margin after widening."""
        old = text_width(op.text, op.font, op.size)
        new = text_width(text, op.font, op.size)
        x = op.x
        if abs(op.x + old / 2 - PAGE_WIDTH / 2) < 1:
            x = (PAGE_WIDTH - new) / 2
        elif x + new > RIGHT + 0.5:
            x = max(RIGHT - new, x - (new - old))
        return TextOp(x, op.y, text, op.font, op.size, op.color, op.char_space)

    def document_pages(self, spec: DocSpec) -> list[Page]:
        return self._text_layer(super().document_pages(_spec_text_layer(spec)))

    def article_pages(self, spec: DocSpec) -> list[Page]:
        return self._text_layer(super().article_pages(_spec_text_layer(spec)))

    def cover_page(self, issue: IssueSpec) -> Page:
        return self._text_layer([super().cover_page(issue)])[0]

    def toc_pages(self, issue: IssueSpec, printed_pages: list[int]) -> list[Page]:
        return self._text_layer(super().toc_pages(issue, printed_pages))

    def add_header(self, page: Page, header: str, number: int | None = None, odd_header: str | None = None) -> None:
        super().add_header(page, to_lookalikes(header), number, to_lookalikes(odd_header) if odd_header else None)
