"""Stage 1 for OFD (GB/T 33190-2016) files: the text objects of each page → positioned lines.

Reads: a path to an OFD package — a zip whose ``OFD.xml`` names the document root
(``DocBody/DocRoot``), whose ``Document.xml`` lists the pages (``Pages/Page/@BaseLoc``)
and the default page area, and whose page ``Content.xml`` files hold ``TextObject``
elements (``Boundary`` in mm, ``Size``, ``FillColor``, and ``TextCode`` runs with
``X``/``Y`` of the baseline and ``DeltaX`` advances, ``g n v`` meaning n times v).
Writes: the same :class:`~ingest.extract.Extraction` the PDF extractor returns —
characters placed from their TextCode positions, grouped into lines by baseline,
converted to PDF points (top-left origin), look-alikes folded, characters painted twice
at (almost) the same place (fake bold) kept once — so every later stage is shared.

Text is read as stored (OFD text is Unicode); glyph-only text (``CGTransform`` without
Unicode) is not decoded. Errors: :class:`~gazette.errors.UnreadablePDF` for a damaged
package or XML (the message says OFD), :class:`~gazette.errors.NoTextLayer` when no page
has text.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import statistics
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

from gazette.errors import NoTextLayer, NotAPDF, UnreadablePDF
from ingest.extract import Extraction, Line, PageText
from ingest.lookalikes import fold

__all__ = ["is_ofd", "extract_ofd"]

PT_PER_MM = 72 / 25.4
_A4 = (210.0, 297.0)


def is_ofd(path: str | os.PathLike[str], data: bytes | None = None) -> bool:
    """Whether ``path`` (or ``data``, its bytes when already read) is a zip package
    with an ``OFD.xml`` entry (OFD magic)."""
    try:
        if data is None:
            with open(path, "rb") as fh:
                if fh.read(4) != b"PK\x03\x04":
                    return False
            package = path
        elif data[:4] != b"PK\x03\x04":
            return False
        else:
            package = io.BytesIO(data)
        with zipfile.ZipFile(package) as zf:
            return any(n.lstrip("/").lower() == "ofd.xml" for n in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el.iter() if _local(c.tag) == name), None)


def _findall(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el.iter() if _local(c.tag) == name]


def _floats(text: str | None) -> list[float]:
    return [float(v) for v in (text or "").split()]


def _deltas(spec: str | None, count: int) -> list[float]:
    """Advances after each of ``count`` characters but the last (``g n v`` expanded)."""
    out: list[float] = []
    tokens = (spec or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out += [float(tokens[i + 2])] * int(tokens[i + 1])
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    last = out[-1] if out else 0.0
    while len(out) < count - 1:
        out.append(last)
    return out[: max(0, count - 1)]


def _resolve(base: str, loc: str) -> str:
    loc = loc.strip()
    if loc.startswith("/"):
        return loc.lstrip("/")
    return posixpath.normpath(posixpath.join(base, loc))


def _is_red(value: str | None) -> bool:
    rgb = _floats(value)
    return len(rgb) >= 3 and rgb[0] > 150 and rgb[1] < 90 and rgb[2] < 90


def _page_chars(root: ET.Element) -> list[dict]:
    chars: list[dict] = []
    for obj in _findall(root, "TextObject"):
        box = _floats(obj.get("Boundary"))
        if len(box) < 4:
            continue
        size = float(obj.get("Size") or 0) or box[3]
        fill = _find(obj, "FillColor")
        red = _is_red(fill.get("Value") if fill is not None else None)
        x, y = 0.0, size
        for code in _findall(obj, "TextCode"):
            text = code.text or ""
            x = float(code.get("X", x))
            y = float(code.get("Y", y))
            adv = _deltas(code.get("DeltaX"), len(text))
            cx = x
            for k, ch in enumerate(text):
                step = adv[k] if k < len(adv) else size
                base = box[1] + y
                chars.append({
                    "text": ch,
                    "x0": (box[0] + cx) * PT_PER_MM,
                    "x1": (box[0] + cx + (step if k < len(adv) else size)) * PT_PER_MM,
                    "top": (base - size * 0.88) * PT_PER_MM,
                    "bottom": (base + size * 0.12) * PT_PER_MM,
                    "baseline": base * PT_PER_MM,
                    "size": size * PT_PER_MM,
                    "red": red,
                })
                cx += step
    return chars


def _lines(chars: list[dict], number: int) -> list[Line]:
    """Characters → lines by baseline; duplicates (fake bold) dropped; ASCII words spaced."""
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: c["baseline"]):
        if rows and abs(c["baseline"] - rows[-1][0]["baseline"]) <= max(1.5, c["size"] * 0.2):
            rows[-1].append(c)
        else:
            rows.append([c])
    out: list[Line] = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        kept: list[dict] = []
        for c in row:
            if kept and c["text"] == kept[-1]["text"] and abs(c["x0"] - kept[-1]["x0"]) < 1.5:
                continue
            kept.append(c)
        text = ""
        for k, c in enumerate(kept):
            if k and c["x0"] - kept[k - 1]["x1"] > c["size"] * 0.3 and not text.endswith(" "):
                text += " "
            text += c["text"]
        visible = [c for c in kept if c["text"].strip()]
        if not visible:
            continue
        out.append(Line(
            text=fold(text.strip()),
            page=number,
            x0=min(c["x0"] for c in visible),
            x1=max(c["x1"] for c in visible),
            top=min(c["top"] for c in visible),
            bottom=max(c["bottom"] for c in visible),
            size=round(statistics.median(c["size"] for c in visible), 1),
            red=sum(c["red"] for c in visible) * 2 > len(visible),
        ))
    return out


def extract_ofd(path: str | os.PathLike[str], data: bytes | None = None, sha256: str | None = None) -> Extraction:
    """Read an OFD package (see the module docstring); ``data``: its bytes when the
    caller has read them (the file is then not read), and ``sha256`` their hash when
    the caller has taken it."""
    p = Path(path)
    name = p.name
    if data is None:
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise NotAPDF(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    sha = sha256 or hashlib.sha256(data).hexdigest()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = {n.lstrip("/"): n for n in zf.namelist()}
            entry = next(n for n in names if n.lower() == "ofd.xml")
            ofd = ET.fromstring(zf.read(names[entry]))
            root_el = _find(ofd, "DocRoot")
            if root_el is None or not (root_el.text or "").strip():
                raise UnreadablePDF(f"{name}: OFD package without a DocRoot")
            doc_path = _resolve("", root_el.text)
            doc_dir = posixpath.dirname(doc_path)
            document = ET.fromstring(zf.read(names[doc_path]))
            area = _find(document, "PhysicalBox")
            default_box = _floats(area.text) if area is not None else [0, 0, *_A4]
            pages: list[PageText] = []
            for i, page_el in enumerate(_findall(document, "Page"), start=1):
                loc = page_el.get("BaseLoc")
                if not loc:
                    continue
                content = ET.fromstring(zf.read(names[_resolve(doc_dir, loc)]))
                box = _find(content, "PhysicalBox")
                w, h = (_floats(box.text) if box is not None else default_box)[2:4]
                pages.append(PageText(i, w * PT_PER_MM, h * PT_PER_MM, _lines(_page_chars(content), i)))
    except (zipfile.BadZipFile, KeyError, StopIteration, ET.ParseError, ValueError) as exc:
        raise UnreadablePDF(f"{name}: the OFD package is damaged ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise UnreadablePDF(f"{name}: the OFD document has no pages")
    if not any(pg.has_text for pg in pages):
        raise NoTextLayer(f"{name}: no text objects on any of the OFD's {len(pages)} page(s)")
    return Extraction(path=str(path), sha256=sha, page_count=len(pages), pages=pages)
