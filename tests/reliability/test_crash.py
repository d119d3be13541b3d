"""SIGKILL during ingest and during API writes (a short run of scripts/crash_ingest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.conftest import load_script

pytestmark = [pytest.mark.slow, pytest.mark.corpus, pytest.mark.timeout(400)]


def test_crash_short_run(corpus_dir: Path) -> None:
    crash = load_script("crash_ingest")
    report = crash.run(8, server_kills=3, seed=3, documents=12, issue_articles=4, timeout=60, log=lambda *a: None)
    assert report["ok"], "\n".join(report["errors"])
    ingest = report["ingest"]
    assert ingest["kills"] == ingest["kills_survived"] == 8
    assert ingest["kills_mid_batch"] >= 1
    assert ingest["final_export_equal"]
    assert ingest["orphan_workers"] == 0
    server = report["server"]
    if "skipped" in server:
        pytest.skip(server["skipped"])
    assert server["kills_survived"] == server["kills"] == 3
    assert server["writes_acknowledged"] > 0
