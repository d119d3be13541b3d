"""A minimal OFD (GB/T 33190-2016) writer for placed pages: China's fixed-layout format.

:func:`write_ofd` turns the :class:`~renderer.layout.Page` objects any PDF-painting
layout produces into an OFD package — a zip with:

=================================  ===================================================
``OFD.xml``                        entry file: ``DocBody`` with ``DocInfo`` (title,
                                   creator, dates) and ``DocRoot`` → Doc_0/Document.xml
``Doc_0/Document.xml``             ``CommonData`` (``MaxUnitID``, A4 ``PageArea`` in mm,
                                   ``PublicRes``) and the ``Pages`` list
``Doc_0/PublicRes.xml``            the font resource (one ``Font``, ID 1, no font file)
``Doc_0/Pages/Page_N/Content.xml``  one ``Layer`` per page: a ``TextObject`` per text
                                   line with one ``TextCode`` (X, Y of the baseline,
                                   ``DeltaX`` per-character advances) and a
                                   ``PathObject`` per rule
=================================  ===================================================

Coordinates are millimetres from the top-left corner (OFD's convention), converted from
the PDF points of the placement; ``N`` counts from 0. Text is stored as Unicode in the
``TextCode`` elements exactly as placed (so the variants' text-layer effects — fake bold
duplicates, letter spacing, look-alike code points — carry over); the font is referenced
by name only (宋体), nothing is embedded. Output is deterministic (fixed zip timestamps,
fixed member order, ids counted in order).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from .fonts import FontSet
from .layout import PAGE_HEIGHT, PAGE_WIDTH, LineOp, Page, RuleOp, TextOp, text_width

NS = "http://www.ofdspec.org/2016"
MM = 25.4 / 72
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def _mm(v: float) -> str:
    return f"{v * MM:.3f}".rstrip("0").rstrip(".") or "0"


def _rgb(color: tuple[float, float, float]) -> str:
    return " ".join(str(round(c * 255)) for c in color)


def _delta_x(op: TextOp) -> str:
    """DeltaX: the advance after each character but the last, with 'g n v' for runs."""
    adv = [text_width(c, op.font, op.size) + op.char_space for c in op.text[:-1]]
    parts: list[str] = []
    i = 0
    while i < len(adv):
        j = i
        while j + 1 < len(adv) and abs(adv[j + 1] - adv[i]) < 1e-6:
            j += 1
        run = j - i + 1
        parts.append(f"g {run} {_mm(adv[i])}" if run > 1 else _mm(adv[i]))
        i = j + 1
    return " ".join(parts)


class _Ids:
    def __init__(self) -> None:
        self.n = 1  # ID 1 is the font

    def __call__(self) -> int:
        self.n += 1
        return self.n


def _content(page: Page, ids: _Ids) -> str:
    objs: list[str] = []
    for op in page.ops:
        if isinstance(op, TextOp):
            if not op.text:
                continue
            width = text_width(op.text, op.font, op.size) + op.char_space * len(op.text)
            top = PAGE_HEIGHT - op.y - op.size
            box = f"{_mm(op.x)} {_mm(top)} {_mm(width + 1)} {_mm(op.size * 1.3)}"
            delta = _delta_x(op)
            objs.append(
                f'<ofd:TextObject ID="{ids()}" Boundary="{box}" Font="1" Size="{_mm(op.size)}">'
                f'<ofd:FillColor Value="{_rgb(op.color)}"/>'
                f'<ofd:TextCode X="0" Y="{_mm(op.size)}"'
                + (f' DeltaX="{delta}"' if delta else "")
                + f">{escape(op.text)}</ofd:TextCode></ofd:TextObject>"
            )
        elif isinstance(op, (RuleOp, LineOp)):
            x1, x2 = op.x1, op.x2
            y1, y2 = (op.y, op.y) if isinstance(op, RuleOp) else (op.y1, op.y2)
            left, top = min(x1, x2), PAGE_HEIGHT - max(y1, y2)
            box = f"{_mm(left)} {_mm(top)} {_mm(abs(x2 - x1) or op.width)} {_mm(abs(y2 - y1) or op.width)}"
            path = (
                f"M {_mm(x1 - left)} {_mm(PAGE_HEIGHT - y1 - top)} L {_mm(x2 - left)} {_mm(PAGE_HEIGHT - y2 - top)}"
            )
            objs.append(
                f'<ofd:PathObject ID="{ids()}" Boundary="{box}" LineWidth="{_mm(op.width)}" Stroke="true" Fill="false">'
                f'<ofd:StrokeColor Value="{_rgb(op.color)}"/><ofd:AbbreviatedData>{path}</ofd:AbbreviatedData>'
                "</ofd:PathObject>"
            )
    layer = ids()
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
        f'<ofd:Layer ID="{layer}" Type="Body">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>\n'
    )


def write_ofd(pages: list[Page], fonts: FontSet, title: str = "", creation_date: str = "2000-01-01") -> bytes:
    """The OFD package (zip bytes) of ``pages``; see the module docstring."""
    ids = _Ids()
    contents = [_content(p, ids) for p in pages]
    page_ids = [ids() for _ in pages]
    page_list = "".join(
        f'<ofd:Page ID="{pid}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i, pid in enumerate(page_ids)
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{ids.n}</ofd:MaxUnitID>"
        f"<ofd:PageArea><ofd:PhysicalBox>0 0 {_mm(PAGE_WIDTH)} {_mm(PAGE_HEIGHT)}</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f"<ofd:Pages>{page_list}</ofd:Pages></ofd:Document>\n"
    )
    family = "宋体" if fonts.mode == "cid" else fonts.body
    public_res = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
        f'<ofd:Font ID="1" FontName={quoteattr(family)} FamilyName={quoteattr(family)}/></ofd:Fonts></ofd:Res>\n'
    )
    ofd = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>00000000000000000000000000000000</ofd:DocID>"
        f"<ofd:Title>{escape(title)}</ofd:Title><ofd:Creator>Gazette Archive renderer</ofd:Creator>"
        f"<ofd:CreationDate>{creation_date}</ofd:CreationDate></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>\n"
    )
    members = [("OFD.xml", ofd), ("Doc_0/Document.xml", document), ("Doc_0/PublicRes.xml", public_res)]
    members += [(f"Doc_0/Pages/Page_{i}/Content.xml", c) for i, c in enumerate(contents)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()
