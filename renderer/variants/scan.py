"""Scanned (image-only) pages, and files mixing text pages with scanned ones.

The layout places and paints the plain PDF, rasterises the chosen pages with pypdfium2
at ``RenderOptions.scan.dpi`` (200 by default) in greyscale, degrades each image a
little — rotated by ±``skew_degrees`` (alternating page by page, white fill) and
sprinkled with dark specks (a ``specks`` share of pixels, from ``random.Random(seed +
page)``) — and paints the file again with those pages replaced by their image (no text
layer at all; :mod:`renderer.paint`). Everything is deterministic.

* ``scanned``: every page is an image.
* ``mixed``: a standalone document has its even PDF pages (2, 4, …) scanned; a gazette
  issue keeps cover and 目录 as text and has the pages of every other article (the 2nd,
  4th, …) scanned — the signed paper inserted into a typeset issue.

``RenderedDocument.scanned_pages`` / ``RenderedIssue.scanned_pages`` list the image pages.
What extractors see there: no characters at all (pdfplumber ``chars == []``, pypdfium2
empty text) and one image covering the page; only OCR recovers the text.
"""

from __future__ import annotations

import random

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from ..layout import Page
from ..paint import paint
from ..plain import PlainLayout
from ..registry import register_layout


def rasterise(data: bytes, indexes: list[int], dpi: int) -> dict[int, Image.Image]:
    """Greyscale images of the 0-based pages ``indexes`` of the PDF ``data``."""
    doc = pdfium.PdfDocument(data)
    try:
        return {i: doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in indexes}
    finally:
        doc.close()


def degrade(image: Image.Image, index: int, skew: float, specks: float, seed: int) -> Image.Image:
    """Rotate by ±``skew`` degrees (sign alternating with ``index``) and add dark specks."""
    if skew:
        angle = skew if index % 2 == 0 else -skew
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if specks:
        rng = random.Random(seed * 100_003 + index)
        draw = ImageDraw.Draw(image)
        w, h = image.size
        for _ in range(int(w * h * specks)):
            x, y = rng.randrange(w), rng.randrange(h)
            r = rng.choice((0, 0, 1))
            draw.rectangle((x, y, x + r, y + r), fill=rng.randrange(40, 140))
    return image


@register_layout("scanned")
class ScannedLayout(PlainLayout):
    """Every page image-only; see the module docstring."""

    name = "scanned"

    def scanned_indexes(self, pages: list[Page]) -> list[int]:
        """0-based indexes of the pages to scan."""
        return list(range(len(pages)))

    def scanned_pages(self, pages: list[Page]) -> list[int]:
        return [i + 1 for i in self.scanned_indexes(pages)]

    def finish(self, data: bytes, pages: list[Page]) -> bytes:
        indexes = self.scanned_indexes(pages)
        if not indexes:
            return data
        scan = self.options.scan
        images = {
            i: degrade(img, i, scan.skew_degrees, scan.specks, scan.seed)
            for i, img in rasterise(data, indexes, scan.dpi).items()
        }
        return paint(pages, self.fonts, images)


@register_layout("mixed")
class MixedLayout(ScannedLayout):
    """Some pages text, some image-only; see the module docstring."""

    name = "mixed"

    def scanned_indexes(self, pages: list[Page]) -> list[int]:
        if any(p.article is not None for p in pages):
            return [i for i, p in enumerate(pages) if p.article is not None and p.article % 2 == 1]
        return [i for i in range(len(pages)) if i % 2 == 1]
