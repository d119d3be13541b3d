"""OCR of image-only pages with the Tesseract command-line program.

Reads: a page of an open pypdfium2 document.
Writes: an :class:`OcrResult` — positioned :class:`~ingest.extract.Line` objects (PDF
points, top-left origin, like the text extractors) and the mean word confidence
(0–1), or raises :class:`OcrUnavailable` when the ``tesseract`` binary or its
``chi_sim`` language data is missing, or it fails on the page.

How: the page is rendered with pypdfium2 at :data:`DPI` in greyscale, despeckled (median
filter) and passed to
``tesseract - - -l chi_sim --psm 6 tsv`` (Debian ``tesseract-ocr`` +
``tesseract-ocr-chi-sim``). The TSV output gives each word's box and confidence; words
are grouped into lines by Tesseract's block/paragraph/line numbers. Tesseract writes
spaces between Chinese characters; the clean stage removes them like any other
letter-spacing; :func:`tidy` restores full-width punctuation. ``OMP_THREAD_LIMIT=1`` keeps one page on one core (ingest already runs
files in parallel worker processes).
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import re
import statistics
import subprocess
from dataclasses import dataclass, field

from ingest.lookalikes import fold

__all__ = ["DPI", "LANG", "OcrResult", "OcrUnavailable", "available", "ocr_page", "tidy"]

#: Render resolution for OCR.
DPI = 300
#: Tesseract language.
LANG = "chi_sim"
#: Median filter size (pixels at :data:`DPI`) applied before OCR.
MEDIAN = 5
#: Seconds before Tesseract is given up on one page.
TIMEOUT = 300


class OcrUnavailable(RuntimeError):
    """Tesseract (or its chi_sim data) is missing, or it failed on the page."""


@dataclass
class OcrResult:
    lines: list = field(default_factory=list)  # list[ingest.extract.Line]
    confidence: float = 0.0  # mean word confidence, 0..1
    words: int = 0


@functools.cache
def available() -> str | None:
    """Why OCR cannot run (one line), or ``None`` when it can."""
    exe = shutil.which("tesseract")
    if exe is None:
        return "the tesseract program is not installed (Debian: tesseract-ocr, tesseract-ocr-chi-sim)"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract cannot be run ({exc})"
    if LANG not in out.stdout.split():
        return f"tesseract has no {LANG} language data (Debian: tesseract-ocr-chi-sim)"
    return None


def _render_png(page) -> bytes:
    from PIL import ImageFilter

    # a median filter removes the dust specks of scans, which Tesseract reads as
    # punctuation and which break its line finding (measured: +2–4 points of accuracy)
    image = page.render(scale=DPI / 72, grayscale=True).to_pil().filter(ImageFilter.MedianFilter(MEDIAN))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_FULLWIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})
_ASCII_PUNCT_NEAR_HAN = re.compile(rf"(?<=[{_HAN}])\s*[,:;()?!]|[()]\s*(?=[{_HAN}])")
_BRACKET_YEAR = re.compile(r"[\[【［〔]\s*(\d{4})\s*[\]】］〕]")


def tidy(text: str) -> str:
    """Tesseract's punctuation in Chinese text as printed: ASCII , : ; ( ) ? ! next to an
    ideograph → full-width; [2015] / 【2015】 in a 发文字号 → 〔2015〕."""
    text = _ASCII_PUNCT_NEAR_HAN.sub(lambda m: m.group(0).strip().translate(_FULLWIDTH), text)
    return _BRACKET_YEAR.sub(lambda m: f"〔{m.group(1)}〕", text)


def ocr_page(page, number: int) -> OcrResult:
    """OCR one pypdfium2 page (see the module docstring)."""
    from ingest.extract import Line

    reason = available()
    if reason:
        raise OcrUnavailable(reason)
    png = _render_png(page)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(
            ["tesseract", "-", "-", "-l", LANG, "--psm", "6", "tsv"],
            input=png, capture_output=True, timeout=TIMEOUT, env=env,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"tesseract failed ({type(exc).__name__}: {exc})") from exc
    if proc.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
    scale = 72 / DPI
    groups: dict[tuple[int, int, int], list[tuple[int, int, int, int, float, str]]] = {}
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(v) for v in cols[6:10])
        groups.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), []).append(
            (left, top, width, height, float(cols[10]), cols[11].strip())
        )
    result = OcrResult()
    confs: list[float] = []
    for key in sorted(groups, key=lambda k: min(w[1] for w in groups[k])):
        words = sorted(groups[key], key=lambda w: w[0])
        confs.extend(w[4] for w in words if w[4] >= 0)
        text = ""
        for w in words:
            if text and text[-1].isascii() and text[-1].isalnum() and w[5][0].isascii() and w[5][0].isalnum():
                text += " "
            text += w[5]
        heights = [w[3] for w in words]
        result.lines.append(
            Line(
                text=fold(tidy(text)),
                page=number,
                x0=min(w[0] for w in words) * scale,
                x1=max(w[0] + w[2] for w in words) * scale,
                top=min(w[1] for w in words) * scale,
                bottom=max(w[1] + w[3] for w in words) * scale,
                size=round(statistics.median(heights) * scale, 1),
            )
        )
    result.words = len(confs)
    result.confidence = round(statistics.fmean(confs) / 100, 3) if confs else 0.0
    return result
