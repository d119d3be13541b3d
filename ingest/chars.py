"""Positioned characters of a PDF page, read with pypdfium2; lines built from them.

Reads: a page of an open pypdfium2 document (its pdfium handle: :func:`page_chars_at`).
Writes: a :class:`PageChars` — the page's characters as :class:`Char` records
(pdfplumber's geometry: ``x0``/``x1`` from the glyph's origin and advance, ``top``/
``bottom`` a font-size-high box on the text line, top-left origin), the number of
images, and whether ruled lines could form a table (then the extractor reads that page
with pdfplumber's table finder instead); and, from a set of characters,
:func:`build_lines`: text lines the way pdfplumber's ``extract_text_lines`` builds
them (rows by ``top`` within 3 pt, left to right, a space for a gap wider than 1.5 pt or
a blank character, fake-bold doubles dropped).

Why pypdfium2: it reads a page about ten times faster than pdfminer (pdfplumber's
parser). Through its C API, a character's box costs one call; its size and fill colour
are its text object's, read once per object (``bench/ingest_bench.py``). The loop over a
page's characters, the line building and the pass over the page's objects run compiled
(:mod:`ingest._chars`, built at install where a C compiler is found: a third of the
extract stage's time in Python, then line building about a tenth of a worker's; the
object pass, 0.03 ms a page in Python, takes 0.005) or, failing that, in Python
(:func:`read_chars_python`, :func:`build_lines_python`, :func:`page_objects_python`),
with identical results: ``tests/ingest/test_chars.py`` compares the two on every
rendered layout and on generated rows.
"""

from __future__ import annotations

import ctypes
import functools
import math
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

__all__ = [
    "Char",
    "PageChars",
    "page_chars",
    "page_chars_at",
    "page_objects",
    "page_objects_compiled",
    "page_objects_python",
    "read_chars",
    "read_chars_compiled",
    "read_chars_python",
    "build_lines",
    "build_lines_compiled",
    "build_lines_python",
    "RawLine",
]

#: Horizontal gap (pt) between two characters that reads as a space.
X_TOLERANCE = 1.5
#: Vertical distance (pt) within which characters share a text row.
Y_TOLERANCE = 3.0
#: Distance (pt) within which a second copy of a character is fake bold, not text.
DEDUPE_TOLERANCE = 1.5


class Char(NamedTuple):
    """One character: text, box (pt, top-left origin), font size, red fill.

    A named tuple: the compiled character loop (:mod:`ingest._chars`) makes one in C,
    as :data:`_new_char` does in Python, without a Python-level constructor per
    character.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    red: bool = False


#: ``Char`` from a tuple of all its fields, made in C (``Char(...)`` runs a
#: Python-level ``__new__``).
_new_char = functools.partial(tuple.__new__, Char)

try:
    from ingest import _chars as _compiled
except ImportError:  # not built (no C compiler where it was installed): Python loop
    _compiled = None


@dataclass
class PageChars:
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    image_count: int = 0
    #: ruled lines that could be a table: read this page with pdfplumber's table finder
    has_rules: bool = False


class RawLine(NamedTuple):
    """A built line: its text (stripped, not yet folded), its characters, and what
    :func:`build_lines` works out from them as it goes: the box, the median size, and
    whether most characters are red.

    A named tuple, as :class:`Char` is: the compiled :func:`build_lines` makes one
    without a Python-level constructor per line."""

    text: str
    chars: list[Char]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    red: bool


def _median(values: list[float]) -> float:
    """``statistics.median`` without its overhead (a line's sizes are mostly equal)."""
    values.sort()
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


#: Codes pdfium reports that print nothing (NUL, its line breaks, non-characters).
_NOT_PRINTED = frozenset((0, 10, 13, 0xFFFE, 0xFFFF))


def _is_red(r: int, g: int, b: int) -> bool:
    return r > 153 and g < 90 and b < 90


def page_objects(handle: int) -> tuple[int, bool]:
    """Images on the pdfium page at address ``handle``, and whether its path objects
    could be a ruled table: a path whose box is both wide and tall (a frame or a grid
    drawn as one path), or at least two vertical rules. The horizontal rules of a
    GB/T 9704 版头 and 版记 are neither. :func:`page_objects_compiled` when
    :mod:`ingest._chars` was built, else :func:`page_objects_python`."""
    if _compiled is not None:
        return page_objects_compiled(handle)
    return page_objects_python(handle)


#: pdfium's page-object functions, in the order :mod:`ingest._chars` takes them.
_OBJECT_FUNCTIONS = (
    "FPDFPage_CountObjects",
    "FPDFPage_GetObject",
    "FPDFPageObj_GetType",
    "FPDFPageObj_GetBounds",
)


def page_objects_compiled(handle: int) -> tuple[int, bool]:
    """:func:`page_objects_python` in C (:mod:`ingest._chars`); raises ``ImportError``
    when the extension was not built."""
    if _compiled is None:
        raise ImportError("ingest._chars was not built")
    import pypdfium2.raw as raw

    return _compiled.page_objects(
        handle, _addresses(_OBJECT_FUNCTIONS),
        raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM,
    )


def page_objects_python(handle_value: int) -> tuple[int, bool]:
    """The object pass of :func:`page_objects` in Python — the reference for the
    compiled one."""
    import pypdfium2.raw as raw

    handle = ctypes.c_void_p(handle_value)
    count_objects = _unchecked("FPDFPage_CountObjects", ctypes.c_int)
    get_object = _unchecked("FPDFPage_GetObject", ctypes.c_void_p)
    object_type = _unchecked("FPDFPageObj_GetType", ctypes.c_int)
    object_bounds = _unchecked("FPDFPageObj_GetBounds", ctypes.c_int)
    images = 0
    verticals = 0
    boxed = False
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    refs = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    for i in range(count_objects(handle)):
        obj = ctypes.c_void_p(get_object(handle, i))
        kind = object_type(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == raw.FPDF_PAGEOBJ_PATH and not boxed:
            if not object_bounds(obj, *refs):
                continue
            w, h = right.value - left.value, top.value - bottom.value
            if w >= 10 and h >= 10:
                boxed = True
            elif h >= 8 and w <= 3:
                verticals += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            boxed = True  # nested content: let pdfplumber decide
    return images, boxed or verticals >= 2


@functools.cache
def _unchecked(name: str, restype):
    """pdfium function ``name`` called without ctypes' per-argument conversion: about
    three times cheaper per call than pypdfium2's binding (which declares argument
    types), and the character loop makes three calls per character. Callers pass a
    ``c_void_p`` handle, Python ints for C ints and ``byref`` pointers — exactly the C
    signature."""
    import pypdfium2.raw as raw

    address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
    function = ctypes.CFUNCTYPE(restype)(address)
    function.argtypes = None  # no checks: arguments pass as given
    return function


def page_chars(page) -> PageChars:
    """The characters of one pypdfium2 page: :func:`page_chars_at` of its handle."""
    return page_chars_at(ctypes.cast(page.raw, ctypes.c_void_p).value)


def page_chars_at(handle: int) -> PageChars:
    """The characters of the pdfium page at address ``handle`` (see the module
    docstring).

    Characters pdfium generates (the line breaks and spaces of its own text flow) are
    left out; a blank character printed in the file is kept (it separates words).
    Size and colour belong to the text object that prints a character, so they are read
    once per object, not once per character. The loop over the characters is
    :func:`read_chars`: compiled when the extension was built, else in Python. The page
    and its text are read through pdfium's functions directly, not pypdfium2's page
    objects, whose making and closing (a finalizer each) had cost 0.015–0.03 ms of CPU
    per page, about a tenth of the extract stage's own work beside pdfium's.
    """
    page = ctypes.c_void_p(handle)
    height = _unchecked("FPDF_GetPageHeightF", ctypes.c_float)(page)
    width = _unchecked("FPDF_GetPageWidthF", ctypes.c_float)(page)
    images, rules = page_objects(handle)
    out = PageChars(float(width), float(height), [], images, rules)
    text = _unchecked("FPDFText_LoadPage", ctypes.c_void_p)(page)
    if not text:
        import pypdfium2 as pdfium

        raise pdfium.PdfiumError("Failed to load text page.")
    try:
        n = _unchecked("FPDFText_CountChars", ctypes.c_int)(ctypes.c_void_p(text))
        if n > 0:
            out.chars = read_chars(text, n, height)
        return out
    finally:
        _unchecked("FPDFText_ClosePage", None)(ctypes.c_void_p(text))


#: pdfium's per-character functions, in the order :mod:`ingest._chars` takes them.
_FUNCTIONS = (
    "FPDFText_GetUnicode",
    "FPDFText_GetLooseCharBox",
    "FPDFText_GetTextObject",
    "FPDFText_IsGenerated",
    "FPDFText_GetFontSize",
    "FPDFText_GetMatrix",
    "FPDFText_GetFillColor",
)


@functools.cache
def _addresses(names: tuple[str, ...] = _FUNCTIONS) -> tuple[int, ...]:
    import pypdfium2.raw as raw

    return tuple(ctypes.cast(getattr(raw, name), ctypes.c_void_p).value for name in names)


def read_chars(handle: int, count: int, height: float) -> list[Char]:
    """The characters of the pdfium text page at address ``handle`` (``count`` of
    them as pdfium counts, its generated ones included) on a page ``height`` pt high:
    :func:`read_chars_compiled` when :mod:`ingest._chars` was built, else
    :func:`read_chars_python` — the same characters either way."""
    if _compiled is not None:
        return read_chars_compiled(handle, count, height)
    return read_chars_python(handle, count, height)


def read_chars_compiled(handle: int, count: int, height: float) -> list[Char]:
    """:func:`read_chars_python` in C (:mod:`ingest._chars`); raises ``ImportError``
    when the extension was not built."""
    if _compiled is None:
        raise ImportError("ingest._chars was not built")
    return _compiled.read_chars(handle, count, height, _addresses(), Char, math.hypot)


def read_chars_python(handle_value: int, count: int, height: float) -> list[Char]:
    """The character loop of :func:`page_chars` in Python — the reference for the
    compiled one."""
    import pypdfium2.raw as raw

    handle = ctypes.c_void_p(handle_value)
    rect = raw.FS_RECTF()
    prect = ctypes.byref(rect)
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    pr, pg, pb, pa = ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)
    get_unicode = _unchecked("FPDFText_GetUnicode", ctypes.c_uint)
    get_box = _unchecked("FPDFText_GetLooseCharBox", ctypes.c_int)
    get_object = _unchecked("FPDFText_GetTextObject", ctypes.c_void_p)
    is_generated = _unchecked("FPDFText_IsGenerated", ctypes.c_int)
    get_size = _unchecked("FPDFText_GetFontSize", ctypes.c_double)
    get_fill = _unchecked("FPDFText_GetFillColor", ctypes.c_int)
    get_matrix = _unchecked("FPDFText_GetMatrix", ctypes.c_int)
    matrix = raw.FS_MATRIX()
    pmatrix = ctypes.byref(matrix)
    chars: list[Char] = []
    append = chars.append
    new_char = _new_char
    pending_high = 0
    last_object = -1
    size, red = 0.0, False
    for i in range(count):
        code = get_unicode(handle, i)
        if 0xD800 <= code < 0xE000:
            if code < 0xDC00:  # first half of a character beyond the BMP
                pending_high = code
                continue
            if not pending_high:
                continue  # a lone second half (a damaged file): no character
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
        pending_high = 0
        if code in _NOT_PRINTED or code >= 0x110000:
            continue
        # pdfium reports the 间隔号 (U+00B7 in the file's ToUnicode map, as pdfminer
        # reads it) as the katakana middle dot U+30FB: mapped back
        ch = "\u00b7" if code == 0x30FB else chr(code)
        if ch.isspace() and is_generated(handle, i):
            continue
        if not get_box(handle, i, prect):
            continue
        obj = get_object(handle, i)
        if obj != last_object or obj is None:  # no object (generated): read each
            last_object = obj
            # the font size set by Tf, scaled by the text and graphics matrices (Word
            # and WPS often print at "Tf 1" and scale with Tm): the size as printed
            size = get_size(handle, i)
            if get_matrix(handle, i, pmatrix):
                size *= math.hypot(matrix.c, matrix.d)
            red = bool(get_fill(handle, i, pr, pg, pb, pa)) and _is_red(r.value, g.value, b.value)
        bottom_ = height - rect.bottom
        append(new_char((ch, rect.left, rect.right, bottom_ - size, bottom_, size, red)))
    return chars


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Characters in rows by ``top``: sorted, a new row where the next ``top`` is more
    than :data:`Y_TOLERANCE` below the previous one (pdfplumber's clustering)."""
    rows: list[list[Char]] = []
    row: list[Char] = []
    last = -math.inf
    for c in sorted(chars, key=attrgetter("top")):
        if c.top - last > Y_TOLERANCE:
            row = []
            rows.append(row)
        row.append(c)
        last = c.top
    return rows


def build_lines(chars: list[Char]) -> list[RawLine]:
    """Text lines of ``chars``, top to bottom (see the module docstring):
    :func:`build_lines_compiled` when :mod:`ingest._chars` was built, else
    :func:`build_lines_python` — the same lines either way."""
    if _compiled is not None and type(chars) is list:
        lines = _compiled.build_lines(chars, RawLine, DEDUPE_TOLERANCE, X_TOLERANCE, Y_TOLERANCE)
        if lines is not NotImplemented:
            return lines
    return build_lines_python(chars)


def build_lines_compiled(chars: list[Char]) -> list[RawLine]:
    """:func:`build_lines_python` in C (:mod:`ingest._chars`); raises ``ImportError``
    when the extension was not built, ``TypeError`` for characters that are not
    :class:`Char` records of floats (:func:`build_lines` then builds in Python)."""
    if _compiled is None:
        raise ImportError("ingest._chars was not built")
    lines = _compiled.build_lines(list(chars), RawLine, DEDUPE_TOLERANCE, X_TOLERANCE, Y_TOLERANCE)
    if lines is NotImplemented:
        raise TypeError("build_lines_compiled takes Char records of floats")
    return lines


def build_lines_python(chars: list[Char]) -> list[RawLine]:
    """Text lines of ``chars``, top to bottom, in Python: the reference for the
    compiled :func:`build_lines_compiled`."""
    lines: list[RawLine] = []
    x0_of = attrgetter("x0")
    for row in _rows(chars):
        row.sort(key=x0_of)
        kept: list[Char] = []
        parts: list[str] = []
        space = False
        last: Char | None = None
        x1 = bottom = -math.inf
        top = math.inf
        reds = 0
        for c in row:
            text = c.text
            if text.isspace():
                space = last is not None
                continue
            if last is not None:
                # fake bold: the same glyph drawn again a little offset; rows are sorted
                # by x0, so only the last few kept characters can be its first copy
                if c.x0 - last.x0 <= DEDUPE_TOLERANCE and any(
                    k.text == text
                    and abs(k.x0 - c.x0) <= DEDUPE_TOLERANCE
                    and abs(k.top - c.top) <= DEDUPE_TOLERANCE
                    for k in kept[-3:]
                ):
                    continue
                if space or c.x0 - last.x1 > X_TOLERANCE:
                    parts.append(" ")
            parts.append(text)
            kept.append(c)
            last = c
            space = False
            if c.x1 > x1:
                x1 = c.x1
            if c.top < top:
                top = c.top
            if c.bottom > bottom:
                bottom = c.bottom
            reds += c.red
        if kept:
            lines.append(
                RawLine(
                    "".join(parts).strip(),
                    kept,
                    kept[0].x0,
                    x1,
                    top,
                    bottom,
                    _median([c.size for c in kept]),
                    reds * 2 > len(kept),
                )
            )
    return lines
