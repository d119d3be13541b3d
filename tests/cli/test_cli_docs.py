"""docs/cli.md is generated from the CLI's --help texts and must stay current.

Regenerate with: python -m typer gazette_cli.main utils docs --name gazette --output docs/cli.md
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_cli_reference_is_current(tmp_path):
    out = tmp_path / "cli.md"
    subprocess.run(
        [sys.executable, "-m", "typer", "gazette_cli.main", "utils", "docs", "--name", "gazette", "--output", str(out)],
        check=True,
        cwd=REPO,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8") == (REPO / "docs" / "cli.md").read_text(encoding="utf-8"), (
        "docs/cli.md is stale: regenerate it (see this test's docstring)"
    )
