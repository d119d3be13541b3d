"""System fonts loaded once per process (ingest/fontcache.py).

The layer changes when pdfium reads a substitute font, never which font: each test that
compares readings runs the stock reading and the cached one in fresh processes, so that
neither inherits the other's pdfium state.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest import fontcache
from renderer import render_document

from .conftest import small_spec

#: Prints, as JSON, every character of the PDFs named in argv[2:] — text, loose and tight
#: box, size — read in order, with the layer installed when argv[1] starts with "cached"
#: (no page kept for "cached-unkept"); and how many whole system fonts pdfium read.
_READ_ALL = r"""
import json, sys, ctypes
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from ingest import fontcache
from ingest.extract import extract

cached = sys.argv[1].startswith("cached")
if cached:
    fontcache.install()
if sys.argv[1] == "cached-unkept":
    fontcache.KEEP_PAGES = 0
out = []
for path in sys.argv[2:]:
    doc = pdfium.PdfDocument(path)
    keeper = fontcache.PageKeeper(doc)
    for i in range(len(doc)):
        page = keeper.open(i) if cached else doc[i]
        handle = ctypes.cast(page, raw.FPDF_PAGE) if cached else page.raw
        tp = raw.FPDFText_LoadPage(handle)
        l, b, r, t = (ctypes.c_double() for _ in range(4))
        rect = raw.FS_RECTF()
        for k in range(raw.FPDFText_CountChars(tp)):
            raw.FPDFText_GetCharBox(tp, k, l, r, b, t)
            raw.FPDFText_GetLooseCharBox(tp, k, rect)
            out.append([raw.FPDFText_GetUnicode(tp, k), l.value, r.value, b.value, t.value,
                        rect.left, rect.right, rect.bottom, rect.top, raw.FPDFText_GetFontSize(tp, k)])
        raw.FPDFText_ClosePage(tp)
        keeper.close(page) if cached else page.close()
    keeper.close_document() if cached else doc.close()
    out.append(repr(extract(path, ocr=False).pages))
print(json.dumps({"chars": out, "reads": fontcache.font_reads()}))
"""


def _read(mode: str, paths: list[Path]) -> dict:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _READ_ALL, mode, *map(str, paths)],
        capture_output=True, text=True, check=True, cwd=root,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def three_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three documents printed in a CID font the file does not embed (STSong-Light)."""
    root = tmp_path_factory.mktemp("fontcache")
    paths = []
    for i, title in enumerate(["关于印发测试办法的通知", "关于公布规范性文件清理结果的决定", "关于加强粮食储备管理的意见"]):
        path = root / f"doc-{i}.pdf"
        render_document(small_spec(title=f"静乐县人民政府{title}"), path)
        paths.append(path)
    return paths


def _substituted(path: Path) -> bool:
    """Whether pdfium reads this file's text with a system font (a CJK font installed)."""
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        for obj in page.get_objects():
            if obj.type == raw.FPDF_PAGEOBJ_TEXT and not raw.FPDFFont_GetIsEmbedded(raw.FPDFTextObj_GetFont(obj.raw)):
                return True
        return False
    finally:
        doc.close()


def test_cached_fonts_read_the_same_characters_boxes_and_lines(three_pdfs: list[Path]) -> None:
    stock = _read("stock", three_pdfs)
    cached = _read("cached", three_pdfs)
    assert cached["chars"] == stock["chars"]
    assert len(stock["chars"]) > 300


def test_a_system_font_is_read_once_for_many_files(three_pdfs: list[Path]) -> None:
    if not _substituted(three_pdfs[0]):
        pytest.skip("the renderer embedded its font: no system font to cache")
    cached = _read("cached", three_pdfs + three_pdfs)
    assert cached["reads"] <= 1


def test_the_keeper_closes_pages_that_read_no_font_and_keeps_the_rest(three_pdfs: list[Path]) -> None:
    fontcache.install()
    kept = fontcache._state["kept"]
    # the first file may read a system font (unless this process has read it already):
    # its page is then kept open, as a pypdfium2 page, and so is its document
    first_doc = pdfium.PdfDocument(str(three_pdfs[0]))
    first = fontcache.PageKeeper(first_doc)
    reads, before = fontcache.font_reads(), len(kept)
    first.close(first.open(0))
    first.close_document()
    if fontcache.font_reads() > reads and before < fontcache.KEEP_PAGES:
        assert len(kept) == before + 1 and kept[-1][0] is first_doc
        assert kept[-1][1].raw is not None and first_doc.raw is not None
    else:
        assert len(kept) == before and first_doc.raw is None
    # a second file printed in the same font finds it cached: nothing of it is kept
    doc = pdfium.PdfDocument(str(three_pdfs[1]))
    keeper = fontcache.PageKeeper(doc)
    reads, before = fontcache.font_reads(), len(kept)
    page = keeper.open(0)
    assert isinstance(page, int) and page
    keeper.close(page)
    keeper.close_document()
    assert fontcache.font_reads() == reads
    assert len(kept) == before and doc.raw is None


def test_a_page_pdfium_cannot_load_is_pypdfiums_error(tmp_path: Path) -> None:
    """The keeper loads pages through pdfium directly; a page it cannot load raises
    pypdfium2's error, as pypdfium2's own loading does (the extractor reports the page
    by that error's name and reads the others)."""
    path = tmp_path / "doc.pdf"
    render_document(small_spec(), path)
    doc = pdfium.PdfDocument(str(path))
    keeper = fontcache.PageKeeper(doc)
    with pytest.raises(pdfium.PdfiumError, match="Failed to load page"):
        keeper.open(len(doc))
    page = keeper.open(0)
    keeper.close(page)
    keeper.close(page)  # a second close is ignored, not a second free in pdfium
    keeper.close_document()

def test_without_kept_pages_the_font_is_read_per_file_as_before(three_pdfs: list[Path]) -> None:
    if not _substituted(three_pdfs[0]):
        pytest.skip("the renderer embedded its font: no system font to cache")
    unkept = _read("cached-unkept", three_pdfs)
    # each file: once by the character reading, once by extract()
    assert unkept["reads"] == 2 * len(three_pdfs)
    assert unkept["chars"] == _read("stock", three_pdfs)["chars"]
