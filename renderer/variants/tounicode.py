"""Fonts without a usable ToUnicode map: glyphs look right, the text layer does not.

The layout embeds TrueType subsets (``font = "ttf"``; reportlab writes simple TrueType
fonts of ≤ 256 glyphs each, ASCII at its own codes in the first subset, CJK at codes
1…n in order of first use) and then rewrites the painted PDF:

* ``RenderOptions.tounicode = "missing"`` (the ``broken_tounicode`` layout's default):
  every ``/ToUnicode`` entry of the font dictionaries is blanked out (same byte length,
  so the xref stays valid). What extractors return — pdfplumber/pdfminer:
  ``(cid:N)`` for codes without a standard-encoding name (the CJK codes below 32) and
  Latin letters for the others; ASCII text of the first subset survives. pypdfium2:
  Latin-1/Mac-Roman-looking garbage ("Ä ÅÇÉÑÖ…") for the CJK codes.
* ``"garbage"``: each ToUnicode CMap is replaced by one whose CJK targets are rotated
  by one entry, so every CJK character extracts as another real CJK character of the
  same document (plausible text, all wrong) — the case only OCR or a glyph-based
  check can catch. ASCII (codes 32–126) keeps its identity mapping.

The PDF is rebuilt object by object from reportlab's classic xref table (see
:func:`rebuild_pdf`); output stays deterministic.
"""

from __future__ import annotations

import re
import zlib

from ..layout import Page
from ..plain import PlainLayout
from ..registry import register_layout

_TOUNICODE_REF = re.compile(rb"/ToUnicode (\d+) 0 R")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{2})> <([0-9A-Fa-f]{4,8})>")


def pdf_objects(data: bytes) -> tuple[bytes, dict[int, bytes], bytes]:
    """(header, {object number: bytes from 'N 0 obj' to the next object}, trailer dict bytes).

    Works on classic-xref PDFs without object streams, such as reportlab writes.
    """
    xref_at = int(re.search(rb"startxref\s+(\d+)", data[-200:]).group(1))
    m = re.match(rb"xref\s+0 (\d+)\s+", data[xref_at:])
    count = int(m.group(1))
    table = data[xref_at + m.end() : xref_at + m.end() + 20 * count]
    offsets = {}
    for i in range(count):
        entry = table[20 * i : 20 * i + 20]
        if entry[17:18] == b"n":
            offsets[i] = int(entry[:10])
    ordered = sorted(offsets.items(), key=lambda kv: kv[1])
    objects = {}
    for k, (num, off) in enumerate(ordered):
        end = ordered[k + 1][1] if k + 1 < len(ordered) else xref_at
        objects[num] = data[off:end]
    trailer = re.search(rb"trailer\s*(<<.*?>>)\s*startxref", data[xref_at:], re.S).group(1)
    return data[: ordered[0][1]], objects, trailer


def rebuild_pdf(data: bytes, replace: dict[int, bytes]) -> bytes:
    """``data`` with the objects in ``replace`` (full 'N 0 obj … endobj' text) swapped in, new xref."""
    header, objects, trailer = pdf_objects(data)
    out = bytearray(header)
    offsets = {}
    for num in sorted(objects, key=lambda n: data.find(objects[n])):
        offsets[num] = len(out)
        body = replace.get(num, objects[num])
        out += body if body.endswith(b"\n") else body + b"\n"
    size = max(offsets) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _stream(obj: bytes) -> tuple[bytes, bytes]:
    """(dictionary, decoded stream) of a stream object."""
    m = re.search(rb"obj\s*(<<.*?>>)\s*stream\r?\n", obj, re.S)
    length = int(re.search(rb"/Length (\d+)", m.group(1)).group(1))
    raw = obj[m.end() : m.end() + length]
    return m.group(1), zlib.decompress(raw) if b"FlateDecode" in m.group(1) else raw


def garbled_cmap(cmap: bytes) -> bytes:
    """The CMap with its non-ASCII targets rotated by one entry (ASCII identity kept)."""
    entries = _BFCHAR.findall(cmap)
    cjk = [(c, u) for c, u in entries if int(u, 16) > 0x7F]
    if len(cjk) < 2:
        return cmap
    rotated = dict(zip((c for c, _ in cjk), [u for _, u in cjk[1:]] + [cjk[0][1]], strict=True))
    return _BFCHAR.sub(lambda m: b"<%s> <%s>" % (m.group(1), rotated.get(m.group(1), m.group(2))), cmap)


def break_tounicode(data: bytes, mode: str) -> bytes:
    """Apply ``mode`` ("missing" or "garbage") to every ToUnicode map of ``data``."""
    if mode == "missing":
        return _TOUNICODE_REF.sub(lambda m: b" " * len(m.group(0)), data)
    _, objects, _ = pdf_objects(data)
    refs = {int(n) for n in _TOUNICODE_REF.findall(data)}
    replace = {}
    for num in refs:
        _, cmap = _stream(objects[num])
        new = garbled_cmap(cmap)
        replace[num] = b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (num, len(new) + 1, new)
    return rebuild_pdf(data, replace)


@register_layout("broken_tounicode")
class BrokenToUnicodeLayout(PlainLayout):
    """Plain placement, embedded subsets, ToUnicode maps removed or garbled; see the module docstring."""

    name = "broken_tounicode"
    font = "ttf"

    def finish(self, data: bytes, pages: list[Page]) -> bytes:
        return break_tounicode(data, self.options.tounicode)
