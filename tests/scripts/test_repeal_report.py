"""Repeal detection over the whole real corpus (scripts/repeal_report.py)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import REPO


@pytest.mark.corpus
def test_repeal_report_over_the_corpus(corpus_dir):
    spec = importlib.util.spec_from_file_location("repeal_report", REPO / "scripts" / "repeal_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = module.run(corpus_dir, sample=10)
    print({k: report[k] for k in ("documents", "targets_found", "resolved_in_corpus", "documents_marked")})
    assert report["documents"] > 4000
    assert report["targets_found"] > 500
    # targets that are themselves in the corpus get resolved and marked repealed
    assert report["resolved_in_corpus"] >= 50
    titles = {(r["target"], r["basis"]) for r in report["resolved"]}
    assert ("中华人民共和国增值税暂行条例", "中华人民共和国增值税法") in titles
    assert len(report["sample"]) == 10
