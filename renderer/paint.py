"""Paint placed pages with reportlab: the only module that writes PDF operators.

:func:`paint` is deterministic (reportlab ``invariant=1``: fixed dates and document id)
and compresses page streams. Every :class:`~renderer.layout.TextOp` is one
``drawString`` call (with ``charSpace`` when the op asks for letter spacing). A page
listed in ``images`` is painted as that image covering the whole page instead of its
ops — how the scanned variants produce pages without a text layer.
"""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .fonts import FontSet
from .layout import PAGE_HEIGHT, PAGE_WIDTH, LineOp, Page, RuleOp, TextOp


def paint(pages: list[Page], fonts: FontSet, images: dict[int, object] | None = None) -> bytes:
    """PDF bytes of ``pages``; ``images`` maps 0-based page indexes to PIL images drawn instead."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1)
    canvas.setCreator("Gazette Archive renderer")
    canvas.setProducer("Gazette Archive renderer")
    for index, page in enumerate(pages):
        if images and index in images:
            canvas.drawImage(ImageReader(images[index]), 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
            canvas.showPage()
            continue
        for op in page.ops:
            if isinstance(op, TextOp):
                canvas.setFillColorRGB(*op.color)
                canvas.setFont(op.font, op.size)
                if op.char_space:
                    canvas.drawString(op.x, op.y, fonts.encode(op.text), charSpace=op.char_space)
                else:
                    canvas.drawString(op.x, op.y, fonts.encode(op.text))
            elif isinstance(op, RuleOp):
                canvas.setStrokeColorRGB(*op.color)
                canvas.setLineWidth(op.width)
                canvas.line(op.x1, op.y, op.x2, op.y)
            elif isinstance(op, LineOp):
                canvas.setStrokeColorRGB(*op.color)
                canvas.setLineWidth(op.width)
                canvas.line(op.x1, op.y1, op.x2, op.y2)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
