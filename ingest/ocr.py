"""OCR of image-only pages with the Tesseract command-line program.

Reads: a page of an open pypdfium2 document.
Writes: an :class:`OcrResult` — positioned :class:`~ingest.extract.Line` objects (PDF
points, top-left origin, like the text extractors) and the mean word confidence
(0–1), or raises :class:`OcrUnavailable` when the ``tesseract`` binary or its
``chi_sim`` language data is missing, or it fails on the page.

How: the page is rendered with pypdfium2 at :data:`DPI` in greyscale, despeckled (median
filter) and deskewed (:func:`skew_angle`) when it is a scan, and passed to ``tesseract - - -l chi_sim --psm 4 tsv`` (Debian
``tesseract-ocr`` + ``tesseract-ocr-chi-sim``). The TSV output gives each word's box and
confidence; words are grouped into lines by Tesseract's block/paragraph/line numbers, and
lines Tesseract split on one baseline are joined again. A line's ``size`` is Tesseract's
line-box height (word boxes vary too much with the glyphs for the structure parser to
tell a title from the body). Dotted leaders of a 目录, which Tesseract drops with the page
number after them, are found in the image and the number read on its own
(:func:`_leader_number`). Tesseract writes spaces between Chinese characters; the clean
stage removes them like any other letter-spacing; :func:`tidy` restores full-width
punctuation. ``OMP_THREAD_LIMIT=1`` keeps one page on one core (ingest already runs
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

#: Render resolution for OCR. Tesseract's chi_sim model reads body-size text best at
#: about 200 DPI (a 16 pt character ≈ 44 px): measured on rendered gazette pages, 300 DPI
#: lost 1–2 points of character accuracy and 400 DPI lost 2–3.
DPI = 200
#: Tesseract language.
LANG = "chi_sim"
#: Median filter size (pixels at :data:`DPI`) applied to scanned pages before OCR.
MEDIAN = 3
#: Tesseract page segmentation mode 4: one column of text of variable sizes. Mode 6
#: (one uniform block) reads a large 发文机关标志 as two overlapping garbled lines.
PSM = 4
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


#: Largest page rotation :func:`skew_angle` looks for, in degrees.
MAX_SKEW = 2.0


def skew_angle(image) -> float:
    """The rotation (degrees, counter-clockwise) that levels the text lines of a scanned
    page: the angle whose horizontal ink profile is sharpest (largest variance of the
    row sums), searched in 0.1° steps within ±:data:`MAX_SKEW`, then in 0.02° steps."""
    from PIL import Image

    small = image.resize((max(1, image.size[0] // 4), max(1, image.size[1] // 4)), Image.Resampling.BOX)
    ink = small.point(lambda v: 255 if v < 160 else 0)

    def sharpness(angle: float) -> float:
        rows = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
        profile = rows.resize((1, rows.size[1]), Image.Resampling.BOX).tobytes()
        mean = sum(profile) / len(profile)
        return sum((v - mean) ** 2 for v in profile)

    coarse = max((k / 10 for k in range(-int(MAX_SKEW * 10), int(MAX_SKEW * 10) + 1)), key=sharpness)
    return max((coarse + k / 50 for k in range(-5, 6)), key=sharpness)


def _render(page, scanned: bool):
    """The page as a greyscale PIL image at :data:`DPI`; a scan is also cleaned up."""
    from PIL import Image, ImageFilter

    image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    if scanned:
        # a median filter removes the dust specks of scans, which Tesseract reads as
        # punctuation and which break its line finding; on a page drawn from vector
        # glyphs there is no dust and the filter only thins strokes (measured: −1 point)
        image = image.filter(ImageFilter.MedianFilter(MEDIAN))
        # a tilted scan makes Tesseract merge a line with the next one where they are
        # close (a title and the 发文字号 under it)
        angle = skew_angle(image)
        if abs(angle) >= 0.05:
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return image


_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_FULLWIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})
_ASCII_PUNCT_NEAR_HAN = re.compile(rf"(?<=[{_HAN}])\s*[,:;()?!]|[()]\s*(?=[{_HAN}])")
_PERIOD_AFTER_HAN = re.compile(rf"(?<=[{_HAN}])\s*\.(?!\d)")
# a 发文字号's year: 〔2019〕 comes back as [2019], 【2019j, (2019], （2019 … — any bracket-like
# opener, the year, any closer (〕 is often read as "j" or "]j"), then the serial and 号
_BRACKET_YEAR = re.compile(
    rf"(?:[\[【［〔(（]\s*(\d{{4}})\s*(?:[\]】］〕)）lj]\s*j?\s*)?|(?<=[{_HAN}])(\d{{4}})\s*[\]】］〕)）j]\s*j?\s*)(?=\d{{1,5}}\s*号)"
)
_HAS_HAN = re.compile(rf"[{_HAN}]")
_APOSTROPHE_NEAR_HAN = re.compile(rf"(?<=[{_HAN}])'|'(?=[{_HAN}])")


def _curly_quotes(text: str, inside: bool = False) -> str:
    """Double quotes in Chinese text as printed: ASCII " (and ' next to an ideograph, how
    Tesseract often reads “) → “ or ” by alternation, after any curly quote seen; a “
    inside an open quotation with no quote after it is its closing ”. ``inside``: the
    text starts within a quotation opened on an earlier line."""
    text = _APOSTROPHE_NEAR_HAN.sub('"', text)
    out = []
    opening = not inside
    for i, ch in enumerate(text):
        if ch == '"':
            ch = "“" if opening else "”"
        elif ch == "“" and not opening and not any(c in '"“”' for c in text[i + 1 :]):
            ch = "”"
        if ch in "“”":
            opening = ch == "”"
        out.append(ch)
    return "".join(out)


def _ends_inside_quote(text: str) -> bool:
    """Whether ``text`` leaves a “ open (its last curly quote is an opening one)."""
    last = max(text.rfind("“"), text.rfind("”"))
    return last >= 0 and text[last] == "“"


def tidy(text: str, *, inside_quote: bool = False) -> str:
    """Tesseract's punctuation in Chinese text as printed: ASCII , : ; ( ) ? ! next to an
    ideograph → full-width; a period after an ideograph → 。; ASCII double quotes in a
    line with ideographs → “ ” (``inside_quote``: the line continues a quotation opened
    on the line before); the year of a 发文字号 in any bracket-like signs ([2015],
    【2015j, (2015]) → 〔2015〕."""
    text = _ASCII_PUNCT_NEAR_HAN.sub(lambda m: m.group(0).strip().translate(_FULLWIDTH), text)
    text = _PERIOD_AFTER_HAN.sub("。", text)
    if any(q in text for q in "\"'“") and _HAS_HAN.search(text):
        text = _curly_quotes(text, inside_quote)
    return _BRACKET_YEAR.sub(lambda m: f"〔{m.group(1) or m.group(2)}〕", text)


@dataclass
class _Word:
    left: int
    top: int
    right: int
    bottom: int
    conf: float
    text: str


@dataclass
class _OcrLine:
    """One line of Tesseract output, in pixels of the rendered image."""

    words: list[_Word]
    height: int  # Tesseract's line box height: close to the font size (word boxes are not)

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    def without_leader(self) -> _OcrLine | None:
        """The line without what Tesseract read off a dotted leader and its page number
        ("…和0 9", "于", "ov": boxes far lower than the line, then perhaps digits), or
        ``None`` when it does not end that way. :func:`_leader_number` reads the number
        from the image instead."""
        words = sorted(self.words, key=lambda w: w.left)

        def low(w: _Word) -> bool:
            return w.bottom - w.top < 0.4 * self.height

        cut = len(words)
        while cut > 1 and (low(words[cut - 1]) or words[cut - 1].text.isdigit() or words[cut - 1].conf < 30):
            cut -= 1
        while cut < len(words) and not low(words[cut]):
            cut += 1  # the leader starts with a low word
        if cut == len(words) or cut == 0:
            return None
        kept = words[:cut]
        first = words[cut]
        # Tesseract sometimes boxes the title's last characters with the dots ("意见" on a
        # box as low as a dot): characters it is fairly sure of are kept
        han = "".join(re.findall(f"[{_HAN}]", first.text))
        if han and first.conf >= 30:
            kept.append(_Word(first.left, kept[-1].top, first.left + 1, kept[-1].bottom, first.conf, han))
        return _OcrLine(kept, self.height)

    def text(self) -> str:
        out = ""
        for w in sorted(self.words, key=lambda w: w.left):
            if out and out[-1].isascii() and out[-1].isalnum() and w.text[0].isascii() and w.text[0].isalnum():
                out += " "
            out += w.text
        return out


def _read_tsv(tsv: str, origin: tuple[int, int] = (0, 0)) -> list[_OcrLine]:
    """Tesseract's TSV → lines (words grouped by block/paragraph/line), top to bottom;
    boxes shifted by ``origin`` (the top-left corner of the crop that was read)."""
    dx, dy = origin
    heights: dict[tuple[int, int, int], int] = {}
    words: dict[tuple[int, int, int], list[_Word]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        left, top, width, height = (int(v) for v in cols[6:10])
        if cols[0] == "4":
            heights[key] = height
        elif cols[0] == "5" and cols[11].strip():
            words.setdefault(key, []).append(
                _Word(left + dx, top + dy, left + width + dx, top + height + dy, float(cols[10]), cols[11].strip())
            )
    lines = [_OcrLine(ws, heights.get(key) or max(w.bottom - w.top for w in ws)) for key, ws in words.items()]
    return sorted(lines, key=lambda ln: ln.top)


def _merge_same_baseline(lines: list[_OcrLine]) -> list[_OcrLine]:
    """Join lines Tesseract split on one baseline (a letter-spaced 目 录 comes back as two
    one-character lines): vertical overlap of most of the smaller line, close horizontally."""
    merged: list[_OcrLine] = []
    for ln in lines:
        for other in merged:
            overlap = min(ln.bottom, other.bottom) - max(ln.top, other.top)
            small = min(ln.bottom - ln.top, other.bottom - other.top)
            gap = max(ln.left - other.right, other.left - ln.right)
            if small > 0 and overlap >= 0.6 * small and 0 <= gap <= 3 * max(ln.height, other.height):
                other.words.extend(ln.words)
                other.height = max(other.height, ln.height)
                break
        else:
            merged.append(ln)
    return sorted(merged, key=lambda ln: ln.top)


def _reread_overlaps(image, lines: list[_OcrLine]) -> list[_OcrLine]:
    """Re-read where Tesseract's lines overlap one another.

    Tesseract's column mode sometimes takes a line and the smaller line close under it
    (a title's last line and the 发文字号) as one tall line of garbage, and then reads the
    smaller line again. Lines of a page do not overlap: each run of overlapping lines is
    read again from its own crop as one uniform block (mode 6, which separates them).
    """
    out: list[_OcrLine] = []
    i = 0
    while i < len(lines):
        group = [lines[i]]
        bottom = lines[i].bottom
        while i + len(group) < len(lines):
            nxt = lines[i + len(group)]
            small = min(nxt.bottom - nxt.top, max(ln.bottom - ln.top for ln in group))
            if bottom - nxt.top <= 0.25 * small:
                break
            group.append(nxt)
            bottom = max(bottom, nxt.bottom)
        i += len(group)
        if len(group) == 1:
            out.append(group[0])
            continue
        pad = min(ln.height for ln in group) // 3
        box = (
            max(0, min(ln.left for ln in group) - pad),
            max(0, min(ln.top for ln in group) - pad),
            min(image.size[0], max(ln.right for ln in group) + pad),
            min(image.size[1], bottom + pad),
        )
        again = _read_tsv(_tesseract(_png(image.crop(box)), ["-l", LANG, "--psm", "6", "tsv"]), box[:2])
        out.extend(again or group)
    return out


def _mean_conf(line: _OcrLine) -> float:
    confs = [w.conf for w in line.words if w.conf >= 0]
    return statistics.fmean(confs) if confs else 0.0


def _reread_large(image, lines: list[_OcrLine]) -> list[_OcrLine]:
    """Read title-size lines a second time, scaled down to the body's line height, and
    keep the reading Tesseract is more confident of.

    chi_sim misreads large characters more often than body-size ones (the cover's
    gazette name, titles: 静乐县 → 衣乐只, 支持 → 文持), but scaled down, a line
    sometimes falls apart instead; the confidence tells the two apart. The line keeps
    its box and height (its size is what marks it as a title)."""
    from PIL import Image, ImageOps

    heights = sorted(ln.height for ln in lines if len(ln.words) >= 2)
    if not heights:
        return lines
    body = heights[len(heights) // 2]
    out = []
    for ln in lines:
        if ln.height < 1.25 * body:
            out.append(ln)
            continue
        h = ln.bottom - ln.top
        crop = image.crop((max(0, ln.left - h // 3), max(0, ln.top - h // 6),
                           min(image.size[0], ln.right + h // 3), min(image.size[1], ln.bottom + h // 6)))
        factor = body / ln.height
        crop = crop.resize((max(1, round(crop.size[0] * factor)), max(1, round(crop.size[1] * factor))),
                           Image.Resampling.LANCZOS)
        again = _read_tsv(_tesseract(_png(ImageOps.expand(crop, border=body // 2, fill=255)),
                                     ["-l", LANG, "--psm", "7", "tsv"]))
        words = [w for a in again for w in a.words]
        if not words:
            out.append(ln)
            continue
        text = "".join(a.text() for a in again)
        conf = statistics.fmean(w.conf for w in words)
        if conf > _mean_conf(ln) and abs(len(text) - len(ln.text())) <= max(2, 0.2 * len(ln.text())):
            ln = _OcrLine([_Word(ln.left, ln.top, ln.right, ln.bottom, conf, text)], ln.height)
        out.append(ln)
    return out


def _ink_runs(strip, threshold: int = 140) -> list[tuple[int, int, int, int]]:
    """Dark column runs of a greyscale strip: (x0, x1, top, bottom) in strip pixels."""
    from PIL import Image

    ink = strip.point(lambda v: 255 if v < threshold else 0)
    w, h = ink.size
    profile = ink.resize((w, 1), Image.Resampling.BOX).tobytes()
    runs = []
    x = 0
    while x < w:
        if profile[x] == 0:
            x += 1
            continue
        start = x
        while x < w and profile[x] > 0:
            x += 1
        box = ink.crop((start, 0, x, h)).getbbox()
        if box:
            runs.append((start, x, box[1], box[3]))
    return runs


def _leader_number(image, line: _OcrLine) -> str | None:
    """The page number at the end of a dotted leader Tesseract dropped after ``line``
    (目录 entries: title ……… 12), read digits-only from its own crop; else ``None``.

    The strip right of the line must hold a row of small dots at one height and, at its
    right end, a cluster of tall glyphs; dust specks are neither in a row nor tall.
    """
    # Tesseract's line height: a word box of the line can be twice as tall as its glyphs
    h = min(line.bottom - line.top, line.height)
    pad = h // 4
    x0 = line.right + h // 4
    width = image.size[0] - x0
    if h <= 4 or width < 3 * h:
        return None
    strip = image.crop((x0, max(0, line.top - pad), image.size[0], line.bottom + pad))
    runs = _ink_runs(strip)
    tall = [r for r in runs if r[3] - r[2] >= 0.3 * h]
    if not tall:
        return None
    cluster = [tall[-1]]
    for r in reversed(tall[:-1]):
        if cluster[0][0] - r[1] > 0.6 * h:
            break
        cluster.insert(0, r)
    if cluster[-1][1] - cluster[0][0] > 3 * h:
        return None
    dots = [r for r in runs if r[1] <= cluster[0][0] and r[1] - r[0] <= 0.3 * h and r[3] - r[2] <= 0.2 * h]
    if len(dots) < 5:
        return None
    centre = statistics.median((r[2] + r[3]) / 2 for r in dots)
    in_row = [r for r in dots if abs((r[2] + r[3]) / 2 - centre) <= 0.15 * h]
    if len(in_row) < 5 or in_row[-1][1] - in_row[0][0] < 0.5 * (cluster[0][0] - in_row[0][0]):
        return None
    return _read_digits(strip.crop((cluster[0][0], 0, cluster[-1][1], strip.size[1])), h)


def _read_digits(image, height: int) -> str | None:
    """A number alone in ``image`` (Tesseract, digits only), else ``None``."""
    from PIL import ImageOps

    png = _png(ImageOps.expand(image, border=max(4, height // 2), fill=255))
    for psm in ("7", "8"):  # one line; a lone digit sometimes only reads as a word
        text = _tesseract(png, ["-l", "eng", "--psm", psm, "-c", "tessedit_char_whitelist=0123456789"]).strip()
        if text.isdigit():
            return text
    return None


#: Share of the page height below which a page number is looked for (cf. ingest.clean).
FOOTER_BAND = 0.88


def _footer_number(image, lines: list[_OcrLine]) -> tuple[_OcrLine, str] | None:
    """The page number of a footer printed between dashes (— 3 —, -3-), which Tesseract
    drops or garbles ("四1 E"): the only tall ink in the footer band, a cluster of at most
    four glyphs, read digits-only. Returns the line to put in place of what Tesseract
    read there, and the number."""
    w, h = image.size
    top = int(h * FOOTER_BAND)
    band = image.crop((0, top, w, h))
    runs = _ink_runs(band)
    if not runs:
        return None
    tallest = max(r[3] - r[2] for r in runs)
    if tallest < 0.008 * h:
        return None
    tall = [r for r in runs if r[3] - r[2] >= 0.6 * tallest]
    if tall[-1][1] - tall[0][0] > 2.5 * tallest:
        return None  # text, not a lone number: Tesseract's reading stands
    x0, x1 = tall[0][0], tall[-1][1]
    y0, y1 = min(r[2] for r in tall), max(r[3] for r in tall)
    number = _read_digits(band.crop((x0, y0, x1, y1)), y1 - y0)
    if number is None:
        return None
    line = _OcrLine([_Word(x0, top + y0, x1, top + y1, -1.0, f"— {number} —")], y1 - y0)
    return line, number


def _png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _tesseract(png: bytes, args: list[str]) -> str:
    """Run ``tesseract - - ARGS`` on ``png``; :class:`OcrUnavailable` when it fails."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(["tesseract", "-", "-", *args], input=png, capture_output=True, timeout=TIMEOUT, env=env)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"tesseract failed ({type(exc).__name__}: {exc})") from exc
    if proc.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return proc.stdout.decode("utf-8", "replace")


def ocr_page(page, number: int, *, scanned: bool = True) -> OcrResult:
    """OCR one pypdfium2 page (see the module docstring).

    ``scanned``: the page is an image of paper — despeckle and deskew it first; wrong for
    pages whose glyphs are vector text with an unusable Unicode map (nothing to clean,
    and the median filter thins their strokes).
    """
    from ingest.extract import Line

    reason = available()
    if reason:
        raise OcrUnavailable(reason)
    image = _render(page, scanned)
    lines = _merge_same_baseline(_read_tsv(_tesseract(_png(image), ["-l", LANG, "--psm", str(PSM), "tsv"])))
    lines = _reread_large(image, _reread_overlaps(image, lines))
    if scanned and (footer := _footer_number(image, lines)):
        # the recovered number replaces whatever Tesseract read in the footer band
        lines = [ln for ln in lines if ln.top < image.size[1] * FOOTER_BAND] + [footer[0]]
    scale = 72 / DPI
    result = OcrResult()
    confs: list[float] = []
    inside_quote = False
    for ln in lines:
        number_text = None
        if _HAS_HAN.search(ln.text()):
            for candidate in (ln, ln.without_leader()):
                if candidate is not None and (number_text := _leader_number(image, candidate)):
                    ln = candidate
                    break
        confs.extend(w.conf for w in ln.words if w.conf >= 0)
        text = tidy(ln.text(), inside_quote=inside_quote)
        inside_quote = _ends_inside_quote(text)
        right = ln.right
        if number_text:
            text += "……" + number_text
            right = image.size[0]
        result.lines.append(
            Line(
                text=fold(text),
                page=number,
                x0=ln.left * scale,
                x1=right * scale,
                top=ln.top * scale,
                bottom=ln.bottom * scale,
                size=round(ln.height * scale, 1),
            )
        )
    result.words = len(confs)
    result.confidence = round(statistics.fmean(confs) / 100, 3) if confs else 0.0
    return result
