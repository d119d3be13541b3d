"""The benchmark scripts run end to end on the small configuration (no thresholds).

Figures are not checked — CI machines are too noisy for that; the test only proves that
`python bench/run_all.py --size small` still works and writes every part's figures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.corpus
def test_run_all_small(tmp_path, corpus_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
    env["GAZETTE_CORPUS_DIR"] = str(corpus_dir)
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "run_all.py"),
            "--size",
            "small",
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text())
    assert set(results) >= {"machine", "ingest", "search", "api", "epub"}
    ingest = results["ingest"]["sets"]
    assert set(ingest) == {"cid", "ttf"}
    assert "skipped" not in ingest["cid"]
    # The ttf set needs a CJK TrueType font; without one it is skipped with a note.
    measured = [s for s in ingest.values() if "skipped" not in s]
    assert all(s["end to end (ingest_paths)"]["failed_files"] == 0 for s in measured)
    saving = results["ingest"]["save_ms_per_file_by_waiting_clauses"]
    assert all(v["one_by_one"] > 0 and v["grouped"] > 0 for v in saving.values())
    # the timed runs' archives are removed at the end of the bench, not left behind
    assert not list((tmp_path / "work").glob("timed-*"))
    sqlite_300 = results["search"]["search"]["sqlite_300"]
    assert {"word", "short", "phrase", "filtered", "faceted"} <= set(sqlite_300)
    assert 2 <= sqlite_300["warm_up"]["rounds"] <= 40
    assert results["api"]["result_cache"] is False and results["api_cached"]["result_cache"] is True
    for api in (results["api"], results["api_cached"]):
        assert all(run["requests"] > 0 for run in api["runs"].values())
    assert "Search latency" in proc.stdout
    # instruction counts need valgrind, which CI installs (.ci/run)
    counted = results["instructions"]
    if shutil.which("valgrind"):
        assert counted["sets"]["cid"]["instructions_per_page"] > 1_000_000
        assert "M per page" in proc.stdout
    else:
        assert counted == {"skipped": "valgrind is not installed"}
