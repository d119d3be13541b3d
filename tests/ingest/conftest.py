"""Fixtures for ingest tests: sample PDFs rendered once per session, bad files built in code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from renderer import DocSpec, render_document


@pytest.fixture(scope="session")
def samples_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's sample corpus, written by the renderer."""
    from renderer.samples import write_samples

    root = tmp_path_factory.mktemp("samples")
    write_samples(root)
    return root


def small_spec(**overrides) -> DocSpec:
    """A short GB/T 9704 document used where any valid PDF will do."""
    fields = dict(
        issuer_mark="静乐县人民政府文件",
        issuer="静乐县人民政府",
        doc_number="静政发〔2022〕8号",
        title="静乐县人民政府关于印发静乐县测试管理办法的通知",
        addressee="各乡镇人民政府，县直各有关单位：",
        paragraphs=["现将《静乐县测试管理办法》印发给你们，请认真贯彻执行。本办法自2022年7月1日起施行，有效期5年。"],
        signature="静乐县人民政府",
        written_date=dt.date(2022, 6, 10),
        note="（此件公开发布）",
    )
    fields.update(overrides)
    return DocSpec(**fields)


@pytest.fixture
def good_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "good.pdf"
    render_document(small_spec(), path)
    return path


def _cid_canvas(path: Path, **kw) -> Canvas:
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return Canvas(str(path), **kw)


@pytest.fixture
def bad_files(tmp_path: Path, good_pdf: Path) -> dict[str, Path]:
    """One file per kind of bad input, each built in code."""
    files: dict[str, Path] = {}
    files["empty"] = tmp_path / "empty.pdf"
    files["empty"].write_bytes(b"")
    files["not_pdf"] = tmp_path / "notes.pdf"
    files["not_pdf"].write_text("这不是PDF文件", encoding="utf-8")
    data = good_pdf.read_bytes()
    files["truncated"] = tmp_path / "truncated.pdf"
    files["truncated"].write_bytes(data[: len(data) // 2])
    files["encrypted"] = tmp_path / "encrypted.pdf"
    c = _cid_canvas(files["encrypted"], encrypt="secret")
    c.setFont("STSong-Light", 16)
    c.drawString(100, 700, "加密的文件")
    c.showPage()
    c.save()
    from PIL import Image

    img = tmp_path / "scan.png"
    Image.new("RGB", (400, 200), "white").save(img)
    files["image_only"] = tmp_path / "scan.pdf"
    c = Canvas(str(files["image_only"]))
    c.drawImage(str(img), 100, 500, 400, 200)
    c.showPage()
    c.save()
    return files
