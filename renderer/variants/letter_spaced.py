"""Letter-spaced justified lines and spaces typed inside Chinese words.

Body paragraphs (not headings) are wrapped narrower than the frame and every line but
the last is then justified to the full frame width, the slack spread evenly between
characters — as Word/WPS justify (or "distribute") CJK text. Paragraphs alternate
between the two ways producers write such lines:

* even paragraphs: wrapped five characters narrower, one ``drawString`` per character,
  each at its own x (gaps ≈ 3.6 pt);
* odd paragraphs: wrapped two characters narrower, one ``drawString`` per line with
  ``charSpace`` (PDF ``Tc``, ≈ 1.3 pt).

Titles get typed spaces: a title of at most 12 characters is printed with a space
between all characters ("通 知"), a longer one with spaces between its first four
characters ("关 于 印 发…"); "目录" becomes "目 录". The spaces are in the text layer.

What extractors see: pdfplumber (``x_tolerance`` 3 pt) and pypdfium2 return a space
between every two characters of the per-character lines ("坚 持 土 地 公 有 制"), the
charSpace lines without spaces (except where a line broken early by the punctuation
rules is spread wider), and every typed space of the titles as a space.
"""

from __future__ import annotations

from ..layout import BODY_SIZE, LINE_PITCH, Flow, TextOp, text_width, wrap
from ..plain import _CHAPTER, _H1, _H2, PlainLayout
from ..registry import register_layout

#: How much narrower than the frame paragraphs are wrapped before being spread to it.
NARROWER_PER_CHAR = 5 * BODY_SIZE
NARROWER_CHAR_SPACE = 2 * BODY_SIZE


def spaced_title(title: str) -> str:
    """The title as typed with spaces: all characters when short, else the first four."""
    if len(title) <= 12:
        return " ".join(title)
    head = title[:4]
    if all("\u4e00" <= c <= "\u9fff" for c in head):
        return " ".join(head) + " " + title[4:]
    return title


@register_layout("letter_spaced")
class LetterSpacedLayout(PlainLayout):
    """See the module docstring."""

    name = "letter_spaced"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._paragraphs = 0

    def _title(self, flow: Flow, title: str) -> None:
        super()._title(flow, spaced_title(title))

    def paragraphs(self, flow: Flow, paragraphs: list[str]) -> None:
        for para in paragraphs:
            if _CHAPTER.match(para) or _H1.match(para) or _H2.match(para):
                super().paragraphs(flow, [para])
            else:
                self._justified(flow, para, per_char=self._paragraphs % 2 == 0)
                self._paragraphs += 1

    def _justified(self, flow: Flow, text: str, per_char: bool) -> None:
        font, size = self.fonts.body, BODY_SIZE
        indent = 2 * BODY_SIZE
        narrower = NARROWER_PER_CHAR if per_char else NARROWER_CHAR_SPACE
        lines = wrap(text, font, size, flow.width - narrower, flow.width - indent - narrower)
        for i, ln in enumerate(lines):
            flow.need(1)
            x0 = flow.left + (indent if i == 0 else 0.0)
            avail = flow.right - x0
            natural = text_width(ln, font, size)
            last = i == len(lines) - 1
            gap = 0.0 if last or len(ln) < 2 else (avail - natural) / (len(ln) - 1)
            if per_char:
                x = x0
                for ch in ln:
                    if not ch.isspace():
                        flow.page.ops.append(TextOp(x, flow.y, ch, font, size))
                    x += text_width(ch, font, size) + gap
            else:
                flow.page.ops.append(TextOp(x0, flow.y, ln, font, size, char_space=gap))
            flow.y -= LINE_PITCH
