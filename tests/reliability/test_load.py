"""Sustained concurrent searches plus writes (a short run of scripts/load_test.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.conftest import load_script

pytestmark = [pytest.mark.slow, pytest.mark.corpus, pytest.mark.timeout(300)]


def test_load_short_run(tmp_path: Path, corpus_dir: Path) -> None:
    load = load_script("load_test")
    report = load.run(home=tmp_path / "home", docs=500, duration=15, warmup=5, window=5, clients=16,
                      write_every=1.0, rss_factor=1.5, p99_factor=5.0, log=lambda *a: None)
    assert report["errors"] == 0, report["error_samples"]
    assert report["requests"] > 100
    assert report["rss_last_mb"] <= 1.5 * report["rss_first_mb"]
    assert report["ok"], report["problems"]
    if not report["note"]:
        assert report["writes"] >= 5
