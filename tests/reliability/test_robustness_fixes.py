"""Regression tests for robustness bugs found by the fuzz and crash runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ingest import extract


def _two_page_reader(tmp_path: Path) -> extract._Reader:
    """A reader over a real two-page PDF (made by the project's renderer)."""
    import pypdfium2 as pdfium

    from renderer import DocSpec, render_document

    path = tmp_path / "two.pdf"
    spec = DocSpec(title="关于测试两页文件的通知", paragraphs=["正文段落。" * 60] * 12)
    render_document(spec, path)
    data = path.read_bytes()
    doc = pdfium.PdfDocument(data)
    assert len(doc) >= 2
    return extract._Reader(data, doc)


def _pdfminer_memory_error(*args, **kwargs):
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        raise MemoryError()
    except MemoryError as exc:
        raise PdfminerException(exc)  # how pdfplumber wraps pdfminer's errors


def test_page_out_of_memory_rejects_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page exhausting the memory limit (a zip-bomb content stream) used to be dropped
    with a warning and the rest of the file ingested: a document silently missing a page."""
    reader = _two_page_reader(tmp_path)
    monkeypatch.setattr(extract._Reader, "page", _pdfminer_memory_error)
    with pytest.raises(MemoryError):
        extract._extract_pages(reader, "bomb.pdf")


def test_other_page_errors_stay_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise ValueError("odd operator")

    reader = _two_page_reader(tmp_path)
    monkeypatch.setattr(extract._Reader, "page", broken)
    pages, warnings = extract._extract_pages(reader, "odd.pdf")
    assert len(pages) == len(reader.doc) and all("could not be extracted" in w for w in warnings)


def test_out_of_memory_detection() -> None:
    from pdfplumber.utils.exceptions import PdfminerException

    assert extract._out_of_memory(PdfminerException(MemoryError()))
    assert not extract._out_of_memory(PdfminerException(ValueError("x")))
    loop = ValueError("a")
    loop.__context__ = loop
    assert not extract._out_of_memory(loop)


def test_workers_die_with_a_killed_batch(tmp_path: Path) -> None:
    """SIGKILL of `gazette ingest` used to leave its parser workers running; the time
    limit is enforced by the parent, so a worker stuck on a hostile file ran forever."""
    pid_file = tmp_path / "worker.pid"
    code = textwrap.dedent(
        f"""
        import os, time
        from gazette_cli.workers import run_isolated

        def stuck(path):
            open(path, "w").write(str(os.getpid()))
            time.sleep(600)

        for _ in run_isolated(stuck, [{str(pid_file)!r}], timeout=600):
            pass
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 30
        while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        worker = int(pid_file.read_text())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _alive(worker):
            time.sleep(0.05)
        assert not _alive(worker), "the worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
