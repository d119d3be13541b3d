"""Stage 1 — extract: a PDF file → positioned text lines per page.

Reads: a path to a file that claims to be a PDF.
Writes: an :class:`Extraction` — the file's bytes hash, page count and, per page, its
text :class:`Line` objects (text, box, font size, colour) in reading order, with
look-alike code points folded (:func:`gazette.analysis.fold_lookalikes`) and nothing
else changed: punctuation stays as printed, spaces stay (the clean stage decides).

Why two libraries: pypdfium2 opens and validates the file quickly and gives clear
error codes (wrong password, bad format); pdfplumber gives per-character positions,
sizes and colours, which the clean stage needs to find header/footer bands, line
widths and red 发文机关标志 lines, and its ``dedupe_chars`` removes the doubled
characters of fake bold.

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
from dataclasses import dataclass, field
from pathlib import Path

from gazette.analysis import fold_lookalikes
from gazette.errors import EncryptedPDF, NoTextLayer, NotAPDF, UnreadablePDF

__all__ = ["Line", "PageText", "Extraction", "extract", "read_pdf_bytes", "plain_text"]


@dataclass
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

    @property
    def char_count(self) -> int:
        return sum(len(ln.text.strip()) for ln in self.lines)


@dataclass
class Extraction:
    """Everything the later stages need from the file itself."""

    path: str
    sha256: str
    page_count: int
    pages: list[PageText]
    warnings: list[str] = field(default_factory=list)


def read_pdf_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, after checking it looks like a PDF (raises :class:`NotAPDF`)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError as exc:
        raise NotAPDF(f"{p.name}: is a directory, not a PDF file") from exc
    except OSError as exc:
        raise NotAPDF(f"{p.name}: cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise NotAPDF(f"{p.name}: empty file (0 bytes), not a PDF")
    if b"%PDF-" not in data[:1024]:
        raise NotAPDF(f"{p.name}: not a PDF (no %PDF header; starts with {data[:8]!r})")
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


def _page_lines(page, number: int) -> list[Line]:
    """Positioned lines of one pdfplumber page, fake-bold duplicates removed."""
    page = page.dedupe_chars(tolerance=1.5)
    out: list[Line] = []
    raw = page.extract_text_lines(return_chars=True, strip=True, x_tolerance=1.5, y_tolerance=3)
    for item in raw:
        chars = [c for c in item["chars"] if c.get("text", "").strip()]
        if not chars:
            continue
        sizes = [round(float(c.get("size", 0.0)), 1) for c in chars]
        reds = sum(1 for c in chars if _is_red(c.get("non_stroking_color")))
        out.append(
            Line(
                text=fold_lookalikes(item["text"]),
                page=number,
                x0=float(item["x0"]),
                x1=float(item["x1"]),
                top=float(item["top"]),
                bottom=float(item["bottom"]),
                size=statistics.median(sizes) if sizes else None,
                red=reds * 2 > len(chars),
            )
        )
    out.sort(key=lambda ln: (round(ln.top or 0.0, 0), ln.x0 or 0.0))
    return out


def _pdfium_lines(doc, index: int) -> list[Line]:
    """Lines of one page read with pypdfium2: the second extractor for pages whose
    fonts pdfminer cannot map to Unicode (``(cid:N)`` output). Geometry comes from
    the character boxes; colour is not read (``red`` stays false)."""
    import pypdfium2.raw as pdfium_c

    page = doc[index]
    height = page.get_height()
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        lines: list[Line] = []
        cur: list[tuple[str, tuple[float, float, float, float], float]] = []

        def flush() -> None:
            chars = [c for c in cur if c[0].strip()]
            if chars:
                x0 = min(c[1][0] for c in chars)
                x1 = max(c[1][2] for c in chars)
                top = height - max(c[1][3] for c in chars)
                bottom = height - min(c[1][1] for c in chars)
                lines.append(
                    Line(
                        text=fold_lookalikes("".join(c[0] for c in cur).strip()),
                        page=index + 1,
                        x0=x0,
                        x1=x1,
                        top=top,
                        bottom=bottom,
                        size=statistics.median(c[2] for c in chars),
                    )
                )
            cur.clear()

        for i, ch in enumerate(text[:n]):
            if ch in "\r\n":
                flush()
                continue
            cur.append((ch, tp.get_charbox(i), float(pdfium_c.FPDFText_GetFontSize(tp.raw, i))))
        flush()
        return lines
    finally:
        tp.close()
        page.close()


def extract(path: str | os.PathLike[str]) -> Extraction:
    """Open ``path`` and return its positioned lines (see the module docstring).

    Raises an :class:`~gazette.errors.IngestError` subclass with a one-line reason
    for anything that is not a readable PDF with a text layer. Pages without text
    (scans) in an otherwise textual PDF are reported in ``warnings``.
    """
    name = Path(path).name
    data = read_pdf_bytes(path)
    sha = hashlib.sha256(data).hexdigest()
    doc = _open_pdfium(data, name)
    page_count = len(doc)
    try:
        pages, warnings = _extract_pages(data, name, doc)
    finally:
        doc.close()

    if not pages:
        raise UnreadablePDF(f"{name}: the PDF has no pages")
    textless = [p.number for p in pages if p.char_count == 0]
    if len(textless) == len(pages):
        if any(p.image_count for p in pages):
            raise NoTextLayer(
                f"{name}: no text layer — {len(pages)} page(s) hold only images (a scan?); OCR is needed"
            )
        raise NoTextLayer(f"{name}: no text on any of its {len(pages)} page(s)")
    for n in textless:
        kind = "only images" if pages[n - 1].image_count else "no text"
        warnings.append(f"page {n}: {kind}, nothing extracted (OCR would be needed)")
    return Extraction(path=str(path), sha256=sha, page_count=page_count, pages=pages, warnings=warnings)


def _extract_pages(data: bytes, name: str, doc) -> tuple[list[PageText], list[str]]:
    import pdfplumber

    pages: list[PageText] = []
    warnings: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i, page in enumerate(pdf.pages, start=1):
                try:
                    lines = _page_lines(page, i)
                    images = len(page.images)
                except Exception as exc:
                    warnings.append(f"page {i}: text could not be extracted ({type(exc).__name__})")
                    lines, images = [], 0
                pages.append(PageText(i, float(page.width), float(page.height), lines, images))
    except Exception as exc:
        cause = exc.__cause__ or exc
        if "password" in type(cause).__name__.lower() or "password" in str(cause).lower():
            raise EncryptedPDF(f"{name}: the PDF is password protected; ingest a decrypted copy") from exc
        raise UnreadablePDF(f"{name}: the PDF cannot be parsed ({type(cause).__name__}: {cause})") from exc
    for page in pages:
        if any("(cid:" in ln.text for ln in page.lines):
            try:
                retry = _pdfium_lines(doc, page.number - 1)
            except Exception:  # pragma: no cover - the fallback itself failed
                retry = []
            if retry and not any("(cid:" in ln.text for ln in retry):
                page.lines = retry
                warnings.append(f"page {page.number}: font without a ToUnicode map; text read with pypdfium2")
            else:
                warnings.append(f"page {page.number}: text contains unmapped (cid:N) codes")
    return pages, warnings


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
            out.append(fold_lookalikes(tp.get_text_range()))
            tp.close()
            page.close()
        return out
    finally:
        doc.close()
