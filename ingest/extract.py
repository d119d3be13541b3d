"""Stage 1 — extract: a PDF file → positioned text lines per page.

Reads: a path to a file that claims to be a PDF.
Writes: an :class:`Extraction` — the file's bytes hash, page count and, per page, its
text :class:`Line` objects (text, box, font size, colour) in reading order, with
look-alike code points folded (:func:`gazette.analysis.fold_lookalikes`) and nothing
else changed: punctuation stays as printed, spaces stay (the clean stage decides).

Why two libraries: pypdfium2 opens and validates the file and reads every page's
characters with their boxes, sizes and fill colours (:mod:`ingest.chars`) about ten
times faster than pdfminer; lines, columns (:mod:`ingest.columns`) and fake-bold
doubles are worked out from those characters here. pdfplumber is opened only when it is
needed: for a page with ruled lines, whose tables its table finder keeps as rows, and as
the second extractor of :mod:`ingest.recover` for a page whose text pypdfium2 cannot map
to Unicode.

Every third-party failure is translated at this boundary into one of
:class:`~gazette.errors.NotAPDF`, :class:`~gazette.errors.EncryptedPDF`,
:class:`~gazette.errors.UnreadablePDF` or :class:`~gazette.errors.NoTextLayer`, each
with a one-line reason a person can act on.
"""

from __future__ import annotations

import hashlib
import io
import os
import statistics
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path

from gazette.errors import EncryptedPDF, NoTextLayer, NotAPDF, UnreadablePDF
from ingest.chars import Char, PageChars, RawLine, _compiled, build_lines, page_chars_at
from ingest.columns import Gutter, find_gutter, fits, widens
from ingest.fontcache import PageKeeper
from ingest.fontcache import install as install_font_cache
from ingest.lookalikes import fold
from ingest.recover import recover_pages

__all__ = ["Line", "PageText", "Extraction", "extract", "extract_with_pdfplumber", "read_file", "read_pdf_bytes", "plain_text"]


@dataclass(slots=True)
class Line:
    """One printed line of text.

    Coordinates are PDF points with the origin at the page's top-left (pdfplumber's
    ``top``/``bottom``). Fixtures built in code may leave the geometry at its defaults
    (``x0 = x1 = None``): text-level parsers then treat every line as a paragraph.
    """

    text: str
    page: int = 1
    x0: float | None = None
    x1: float | None = None
    top: float | None = None
    bottom: float | None = None
    size: float | None = None
    red: bool = False
    table_row: bool = False  # the cells of one table row, separated by TAB
    column: int = 0  # 0 full width, 1 left / 2 right column of a two-column page


    @property
    def has_geometry(self) -> bool:
        return self.x0 is not None and self.x1 is not None


@dataclass
class PageText:
    """The lines of one PDF page (1-based ``number``) and what else was on it."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    image_count: int = 0
    #: where the text came from: "text" (the file's text layer, pypdfium2), "reread"
    #: (the second extractor, pdfplumber, :mod:`ingest.recover`), "ocr" or "none"
    source: str = "text"
    ocr_confidence: float | None = None
    #: "ocr" (text read by OCR), "ocr_unavailable" (needed OCR, none ran)
    flags: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        """Whether any of the page's lines prints something other than blanks."""
        return any(not ln.text.isspace() for ln in self.lines if ln.text)


@dataclass
class Extraction:
    """Everything the later stages need from the file itself."""

    path: str
    sha256: str
    page_count: int
    pages: list[PageText]
    warnings: list[str] = field(default_factory=list)


def read_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the source file at ``path`` (raises :class:`NotAPDF` with the
    reason when it cannot be read)."""
    p = Path(path)
    try:
        return p.read_bytes()
    except IsADirectoryError as exc:
        raise NotAPDF(f"{p.name}: is a directory, not a PDF file") from exc
    except OSError as exc:
        raise NotAPDF(f"{p.name}: cannot be read ({exc.strerror or exc})") from exc


def read_pdf_bytes(path: str | os.PathLike[str], data: bytes | None = None) -> bytes:
    """The file's bytes (``data`` when the caller has read them already), after
    checking they look like a PDF (raises :class:`NotAPDF`)."""
    if data is None:
        data = read_file(path)
    name = Path(path).name
    if not data:
        raise NotAPDF(f"{name}: empty file (0 bytes), not a PDF")
    if b"%PDF-" not in data[:1024]:
        raise NotAPDF(f"{name}: not a PDF (no %PDF header; starts with {data[:8]!r})")
    return data


def _open_pdfium(data: bytes, name: str):
    """Validate with pypdfium2; map its error codes to our exceptions."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == 4 or "password" in str(exc).lower():
            raise EncryptedPDF(f"{name}: the PDF is password protected; ingest a decrypted copy") from exc
        if code == 5:
            raise EncryptedPDF(f"{name}: the PDF uses an unsupported security handler") from exc
        raise UnreadablePDF(f"{name}: the PDF is damaged or truncated and cannot be opened ({exc})") from exc
    except Exception as exc:  # pragma: no cover - any other crash of the native library
        raise UnreadablePDF(f"{name}: the PDF cannot be opened ({type(exc).__name__}: {exc})") from exc
    if len(doc) == 0:
        doc.close()
        raise UnreadablePDF(f"{name}: the PDF has no pages")
    return doc


def _is_red(color) -> bool:
    try:
        if color is None:
            return False
        if isinstance(color, (int, float)):
            return False
        c = tuple(float(x) for x in color)
        if len(c) == 3:
            r, g, b = c
            return r > 0.6 and g < 0.35 and b < 0.35
        if len(c) == 4:  # CMYK: red is magenta + yellow
            _, m, y, k = c
            return m > 0.6 and y > 0.6 and k < 0.4
    except (TypeError, ValueError):
        return False
    return False


def _cell_text(cell: str | None) -> str:
    """A table cell's text on one line: wrapped lines joined (with a space only between
    two ASCII words), look-alikes folded."""
    parts = [p.strip() for p in (cell or "").splitlines() if p.strip()]
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return fold(out)


def _table_lines(page, number: int) -> tuple[list[Line], list[tuple[float, float, float, float]]]:
    """Ruled tables of a page: one TAB-separated :class:`Line` per row, and their boxes."""
    lines: list[Line] = []
    boxes = []
    try:
        tables = page.find_tables()
    except Exception:  # pragma: no cover - pdfplumber's table finder failed on odd geometry
        return [], []
    for table in tables:
        rows = table.extract()
        if not rows or len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        x0, top, x1, bottom = (float(v) for v in table.bbox)
        boxes.append((x0, top, x1, bottom))
        chars = page.within_bbox(table.bbox, strict=False).chars
        size = statistics.median(float(c.get("size", 0.0)) for c in chars) if chars else None
        for row, cells in zip(table.rows, rows):
            text = "\t".join(_cell_text(c) for c in cells)
            if not text.replace("\t", "").strip():
                continue
            rx0, rtop, rx1, rbottom = (float(v) for v in row.bbox)
            lines.append(Line(text, number, rx0, rx1, rtop, rbottom, size, False, table_row=True))
    return lines, boxes


def _plumber_chars(chars: list[dict]) -> list[Char]:
    """pdfplumber's character dicts as :class:`~ingest.chars.Char` records."""
    return [
        Char(
            c["text"],
            float(c["x0"]),
            float(c["x1"]),
            float(c["top"]),
            float(c["bottom"]),
            float(c.get("size") or 0.0),
            _is_red(c.get("non_stroking_color")),
        )
        for c in chars
    ]


def _page_lines(page, number: int, hint: Gutter | None = None, *, use_hint: bool = False) -> tuple[list[Line], Gutter | None]:
    """Positioned lines of one pdfplumber page in reading order: ruled tables become
    one TAB-separated line per row; the rest of the page's characters are read like
    pypdfium2's (:func:`_char_lines`, with ``hint`` and ``use_hint``). Returns the lines
    and the gutter used."""
    page = page.dedupe_chars(tolerance=1.5)  # fake bold inside table cells
    tables, boxes = _table_lines(page, number)
    text_page = page
    for box in boxes:
        text_page = text_page.outside_bbox(box, strict=False)
    chars = _plumber_chars(text_page.chars)
    return _char_lines(chars, number, float(page.height), hint, use_hint=use_hint, tables=tables)


def extract(
    path: str | os.PathLike[str], *, ocr: bool = True, data: bytes | None = None, sha256: str | None = None
) -> Extraction:
    """Open ``path`` and return its positioned lines (see the module docstring);
    ``data``: the file's bytes when the caller has read them (the file is then not read),
    and ``sha256`` their hash when the caller has taken it (taken again otherwise).

    Each page's text is judged (:func:`ingest.quality.judge`); a page whose font has
    no usable ToUnicode map is read again with pypdfium2, and pages that still have no
    real text — or only images — are OCR'd (:mod:`ingest.ocr`) unless ``ocr`` is false
    or Tesseract is missing: those pages are flagged ``ocr_unavailable`` and listed in
    ``warnings``. Raises an :class:`~gazette.errors.IngestError` subclass with a
    one-line reason for anything that is not a readable PDF or yields no text at all.
    """
    name = Path(path).name
    data = read_pdf_bytes(path, data)
    sha = sha256 or hashlib.sha256(data).hexdigest()
    install_font_cache()
    doc = _open_pdfium(data, name)
    page_count = len(doc)
    reader = _Reader(data, doc)
    try:
        pages, warnings = _extract_pages(reader, name)
        if not pages:
            raise UnreadablePDF(f"{name}: the PDF has no pages")
        recover_pages(doc, pages, warnings, ocr=ocr, reread=reader.reread)
    finally:
        reader.close()
    return _finish(str(path), name, sha, page_count, pages, warnings)


def _finish(path: str, name: str, sha: str, page_count: int, pages: list[PageText], warnings: list[str]) -> Extraction:
    """The :class:`Extraction`, or :class:`NoTextLayer` when no page has text."""
    textless = [p for p in pages if not p.has_text]
    if len(textless) == len(pages):
        unavailable = [p for p in pages if "ocr_unavailable" in p.flags]
        if unavailable:
            why = next((w for w in warnings if "OCR unavailable" in w), "OCR unavailable")
            raise NoTextLayer(f"{name}: no text layer — {len(pages)} page(s) need OCR, which is not available ({why})")
        if any(p.source == "ocr" for p in pages):
            kind = "hold only images" if any(p.image_count for p in pages) else "have no usable text"
            raise NoTextLayer(f"{name}: no text layer — {len(pages)} page(s) {kind}, and OCR found no text")
        if any(p.image_count for p in pages):
            raise NoTextLayer(f"{name}: no text layer — {len(pages)} page(s) hold only images (a scan?); OCR is needed")
        raise NoTextLayer(f"{name}: no text on any of its {len(pages)} page(s)")
    for p in textless:
        if "ocr_unavailable" not in p.flags and p.source != "ocr":
            kind = "only images" if p.image_count else "no text"
            warnings.append(f"page {p.number}: {kind}, nothing extracted")
    return Extraction(path=path, sha256=sha, page_count=page_count, pages=pages, warnings=warnings)


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is, or wraps, a :class:`MemoryError` (pdfplumber re-raises
    pdfminer's errors as ``PdfminerException(original)``)."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        e = todo.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        if isinstance(e, MemoryError):
            return True
        seen.add(id(e))
        todo.extend([e.__cause__, e.__context__, *e.args])
    return False


def _line_of(raw: RawLine, number: int, gutter: Gutter | None = None, column: int = 0) -> Line:
    """A :class:`Line` from a line built of pypdfium2 characters; column lines get block
    coordinates."""
    x0, x1 = raw.x0, raw.x1
    if gutter is not None and column:
        x0, x1 = gutter.to_block(x0, column), gutter.to_block(x1, column)
    # positional: one is made for every printed line, and keywords cost more to match
    # (text, page, x0, x1, top, bottom, size, red, table_row, column)
    return Line(
        fold(raw.text),
        number,
        x0,
        x1,
        raw.top,
        raw.bottom,
        round(raw.size, 1),
        raw.red,
        False,
        column if gutter is not None else 0,
    )


#: Line's slots in field order, for the compiled :func:`_lines_of`.
_LINE_SLOTS = tuple(Line.__dict__[f.name] for f in fields(Line))


def _lines_of(raws: list[RawLine], number: int) -> list[Line]:
    """``[_line_of(raw, number) for raw in raws]`` — the full-width lines of page
    ``number`` — made in C when :mod:`ingest._chars` was built (a third of the time:
    ``Line(...)`` runs Python code for each of a page's 20-odd lines), else in Python;
    the same lines either way (``tests/ingest/test_chars.py``)."""
    make = getattr(_compiled, "make_lines", None)
    if make is not None:
        return make(raws, number, Line, _LINE_SLOTS, fold, round)
    return [_line_of(raw, number) for raw in raws]


def _char_lines(
    chars: list[Char],
    number: int,
    height: float,
    hint: Gutter | None = None,
    *,
    use_hint: bool = False,
    tables: list[Line] = (),
) -> tuple[list[Line], Gutter | None]:
    """Positioned lines of one page's characters in reading order, with the page's
    table rows (``tables``, each a segment of its own) in place.

    A two-column page (:mod:`ingest.columns`) is read as full-width rows and
    two-column bands, each band left column first. A page without a gutter of its own
    uses ``hint`` (the file's) when its text fits those columns
    (:func:`ingest.columns.fits`); with ``use_hint`` the page is read with ``hint``
    outright (its own gutter widens the file's, :func:`ingest.columns.widens`).
    Returns the lines and the gutter used.
    """
    gutter = hint if use_hint and hint is not None else find_gutter(chars)
    if gutter is None and hint is not None and fits(chars, hint):
        gutter = hint
    if gutter is None and not tables:
        # most pages: build_lines gives lines top to bottom, each top more than
        # ingest.chars.Y_TOLERANCE below the one before — the order the sort below
        # would give them
        return _lines_of(build_lines(chars), number), None
    segments: list[tuple[float, list[Line]]] = [(ln.top or 0.0, [ln]) for ln in tables]
    if gutter is None:
        segments += [(ln.top, [ln]) for ln in _lines_of(build_lines(chars), number)]
    else:
        segments += _column_segments(chars, number, height, gutter)
    segments.sort(key=lambda s: (round(s[0], 0), s[1][0].x0 or 0.0))
    return [ln for _, lines in segments for ln in lines], gutter


def _column_segments(chars: list[Char], number: int, height: float, gutter: Gutter) -> list[tuple[float, list[Line]]]:
    """Full-width rows and two-column bands of a two-column page, each with its top."""
    lo, hi = gutter.band()
    full = [raw for raw in build_lines(chars) if any(c.x1 > lo and c.x0 < hi for c in raw.chars)]
    segments: list[tuple[float, list[Line]]] = [(ln.top, [ln]) for ln in _lines_of(full, number)]
    taken = {id(c) for raw in full for c in raw.chars}
    rest = [c for c in chars if id(c) not in taken and not c.text.isspace()]
    cuts = [0.0] + [v for raw in full for v in (raw.top, raw.bottom)] + [height + 1]
    middle = gutter.middle
    for top, bottom in zip(cuts[::2], cuts[1::2]):
        if bottom - top < 1:
            continue
        inside = [c for c in rest if top <= (c.top + c.bottom) / 2 < bottom]
        band: list[Line] = []
        for column in (1, 2):
            side = [c for c in inside if ((c.x0 + c.x1) / 2 < middle) == (column == 1)]
            band.extend(_line_of(raw, number, gutter, column) for raw in build_lines(side))
        if band:
            segments.append((band[0].top or top, band))
    return segments


class _Reader:
    """Reads the pages of one file: pypdfium2 characters first; pdfplumber (opened
    once, on first need) for pages with ruled lines — its table finder keeps a table's
    rows — and as the second extractor of :mod:`ingest.recover`.

    A page's characters are kept after its first reading, up to :attr:`KEPT_CHARS`
    characters per file, so the second pass over a two-column file (pages that follow
    the file's common gutter) does not load and read those pages again.
    """

    #: Characters kept for second readings (about 200 bytes each).
    KEPT_CHARS = 200_000

    def __init__(self, data: bytes, doc) -> None:
        self.data = data
        self.doc = doc
        self._pages = PageKeeper(doc) if doc is not None else None
        self._pdf = None
        self._kept: dict[int, PageChars] = {}
        self._kept_chars = 0

    def plumber(self):
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(io.BytesIO(self.data))
        return self._pdf

    def close(self) -> None:
        """Close pdfplumber's reading and the pypdfium2 document (which may stay open
        for the system fonts it holds: :class:`~ingest.fontcache.PageKeeper`)."""
        self._kept.clear()
        if self._pages is not None:
            self._pages.close_document()
        if self._pdf is not None:
            pdf, self._pdf = self._pdf, None
            try:
                pdf.close()
            except Exception:  # noqa: BLE001 - pdfplumber closes page by page, and a
                pass  # page it cannot parse raises again here: nothing is left open

    def page(self, number: int, hint: Gutter | None = None, *, use_hint: bool = False) -> tuple[list[Line], int, Gutter | None]:
        """Lines, image count and gutter of page ``number`` (1-based)."""
        chars = self._kept.get(number)
        if chars is None:
            page = self._pages.open(number - 1)
            try:
                chars = page_chars_at(page)
            finally:
                self._pages.close(page)
            if self._kept_chars + len(chars.chars) <= self.KEPT_CHARS:
                self._kept[number] = chars
                self._kept_chars += len(chars.chars)
        if chars.has_rules:
            lines, gutter = _page_lines(self.plumber().pages[number - 1], number, hint, use_hint=use_hint)
            return lines, chars.image_count, gutter
        lines, gutter = _char_lines(chars.chars, number, chars.height, hint, use_hint=use_hint)
        return lines, chars.image_count, gutter

    def reread(self, number: int) -> list[Line]:
        """Page ``number`` read by pdfplumber (pdfminer's font decoding)."""
        return _page_lines(self.plumber().pages[number - 1], number)[0]


def _extract_pages(reader: _Reader, name: str) -> tuple[list[PageText], list[str]]:
    pages: list[PageText] = []
    warnings: list[str] = []
    gutters: dict[int, Gutter] = {}
    try:
        for i in range(1, len(reader.doc) + 1):
            try:
                lines, images, gutter = reader.page(i)
            except Exception as exc:
                if _out_of_memory(exc):
                    # A page that exhausts the worker's memory limit (e.g. a zip-bomb
                    # content stream) must reject the file, not silently drop the page.
                    raise MemoryError(f"page {i}") from exc
                warnings.append(f"page {i}: text could not be extracted ({type(exc).__name__})")
                lines, images, gutter = [], 0, None
            if gutter is not None:
                gutters[i] = gutter
            width, height = reader.doc.get_page_size(i - 1)
            pages.append(PageText(i, float(width), float(height), lines, images))
        # pages too short to show their columns, and pages whose white band is wider than
        # the gutter (a short column), follow the file's most common gutter
        if gutters:
            common = Counter((round(g.x0), round(g.x1)) for g in gutters.values()).most_common(1)[0][0]
            hint = next(g for g in gutters.values() if (round(g.x0), round(g.x1)) == common)
            for pt in pages:
                own = gutters.get(pt.number)
                wider = own is not None and widens(own, hint)
                if (own is not None and not wider) or not pt.lines:
                    continue
                try:
                    lines, _, gutter = reader.page(pt.number, hint, use_hint=wider)
                except Exception:  # pragma: no cover - the first pass read this page
                    continue
                if gutter is not None:
                    pt.lines = lines
    except MemoryError:
        raise
    except Exception as exc:
        if _out_of_memory(exc):
            raise MemoryError(str(exc)) from exc
        cause = exc.__cause__ or exc
        if "password" in type(cause).__name__.lower() or "password" in str(cause).lower():
            raise EncryptedPDF(f"{name}: the PDF is password protected; ingest a decrypted copy") from exc
        raise UnreadablePDF(f"{name}: the PDF cannot be parsed ({type(cause).__name__}: {cause})") from exc
    return pages, warnings


def extract_with_pdfplumber(path: str | os.PathLike[str]) -> Extraction:
    """Every page read by pdfplumber alone — the reading ingest used before pypdfium2
    became its first extractor, and still uses for ruled tables: lines, columns and
    tables as :func:`extract` builds them, without the text-layer verdict, the second
    extractor or OCR.

    The reference for benchmarks (``bench/ingest_bench.py``: the pdfplumber-only
    pipeline) and for comparing the two readings of a problem file. Raises what
    :func:`extract` raises for files that cannot be opened.
    """
    name = Path(path).name
    data = read_pdf_bytes(path)
    _open_pdfium(data, name).close()  # the same validation and error messages
    reader = _Reader(data, None)
    pages: list[PageText] = []
    try:
        for number, page in enumerate(reader.plumber().pages, start=1):
            lines, _ = _page_lines(page, number)
            pages.append(PageText(number, float(page.width), float(page.height), lines, len(page.images)))
    except Exception as exc:
        raise UnreadablePDF(f"{name}: the PDF cannot be parsed ({type(exc).__name__}: {exc})") from exc
    finally:
        reader.close()
    return _finish(str(path), name, hashlib.sha256(data).hexdigest(), len(pages), pages, [])


def plain_text(path: str | os.PathLike[str]) -> list[str]:
    """Fast plain text per page with pypdfium2 (no positions), look-alikes folded.

    For callers that need the words only (e.g. a quick check of what a file holds);
    raises the same errors as :func:`extract` for files that cannot be opened.
    """
    data = read_pdf_bytes(path)
    doc = _open_pdfium(data, Path(path).name)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            out.append(fold(tp.get_text_range()))
            tp.close()
            page.close()
        return out
    finally:
        doc.close()
