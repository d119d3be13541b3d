"""The fidelity report script runs end to end on a tiny sample (no accuracy thresholds here)."""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path

from renderer.cases import CASES
from renderer.corpus import select_documents
from tests.conftest import REPO


def load_report():
    name = "fidelity_report"
    if name not in sys.modules:  # worker processes unpickle tasks by this module name
        spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "fidelity_report.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def ocr_document_row(corpus_dir: Path, layout: str, documents: int) -> dict:
    """The fidelity report's row for ``layout`` on ``documents`` standalone corpus
    documents (no issues): what the OCR target tests assert on."""
    report = load_report()
    specs = select_documents(documents, seed=0, directory=corpus_dir)
    case = CASES[layout]
    with tempfile.TemporaryDirectory() as tmp:
        tasks = [t for t in report.plan([case], specs, documents, Path(tmp)) if t.kind == "document"]
        outcomes = report.run_all(tasks, workers=min(2, documents))
    return report.summarise(case, outcomes)


def test_report_prints_a_table_per_layout(corpus_dir, capsys, tmp_path):
    report = load_report()
    code = report.main(
        ["--sample", "2", "--issue-size", "2", "--layouts", "plain,fake_bold", "--corpus", str(corpus_dir),
         "--json-out", str(tmp_path / "report.json")]
    )
    out = capsys.readouterr().out
    assert code == 0
    header = next(ln for ln in out.splitlines() if ln.startswith("layout"))
    for column in ("found/exp", "char", "title", "发文字号", "成文日期", "effective", "expiry", "split"):
        assert column in header
    rows = [ln.split()[0] for ln in out.splitlines()[out.splitlines().index(header) + 2 :] if ln and not ln.startswith(" ")]
    assert rows == ["plain", "fake_bold"]
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [r["layout"] for r in data["layouts"]] == ["plain", "fake_bold"]
    for row in data["layouts"]:
        assert row["expected"] == 4  # 2 standalone documents + 2 articles in one issue
        assert row["issues"]["count"] == 1
        assert set(row["fields"]) == {"title", "doc_number", "written_date", "effective_date", "expiry_date"}


def test_unknown_layout_is_a_usage_error(capsys):
    assert load_report().main(["--layouts", "nope"]) == 2
    assert "unknown layout" in capsys.readouterr().err
