"""Instructions per page of ingest's parsing, counted by callgrind.

    python bench/parse_instructions.py [--files 20] [--fonts cid ttf] [--work DIR]

Time on a shared machine moves by a fifth from run to run; an instruction count
repeats to the last digit, so it shows a change of 1 % in the work a worker does.
For each font set, the first ``--files`` of ``ingest_bench.py``'s ``--pdfs`` rendered
documents (cached under ``--work``, rendered there if missing) are parsed with
``ingest.pipeline.parse_file`` once, and in a second run twice, each run under
``valgrind --tool=callgrind``, in a process set up as an ingest worker is (the
parent's warm-up, the worker's garbage-collection threshold). The difference of the
two counts is one pass over the files, without start-up and first-use costs.

What it does not show: caches, page faults and system calls, and SIMD code, which
valgrind runs as several instructions (SHA-256 counts many times its share of time).
Needs valgrind (Debian package ``valgrind``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import default_work, log, table  # noqa: E402
from ingest_bench import FONT_SETS, render_pdfs  # noqa: E402

#: The counted process: set up as an ingest worker, then ``passes`` passes over files.
_PROGRAM = """
import gc, sys
from pathlib import Path
from gazette_cli.batch import _warm_up
from gazette_cli.workers import GC_YOUNG
_warm_up()
gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
from ingest.pipeline import parse_file
files = [Path(p) for p in sys.argv[2:]]
for _ in range(int(sys.argv[1])):
    for f in files:
        parse_file(f)
"""


def instructions(files: list[Path], passes: int) -> int:
    """Instructions callgrind counts for a worker-like process making ``passes``."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            _PROGRAM,
            str(passes),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=HERE.parent,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"callgrind failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return int(found.group(1))


def pages_of(files: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for f in files:
        doc = pdfium.PdfDocument(str(f))
        total += len(doc)
        doc.close()
    return total


def measure(work: Path, pdfs: int, n_files: int, fonts: list[str]) -> dict:
    out: dict = {"files": n_files, "sets": {}}
    for font in fonts:
        folder, _ = render_pdfs(work, pdfs, font)
        files = sorted(folder.glob("*.pdf"))[:n_files]
        pages = pages_of(files)
        log(f"callgrind ({font}): {len(files)} files, {pages} pages, one pass then two")
        one, two = instructions(files, 1), instructions(files, 2)
        per_pass = two - one
        out["sets"][font] = {
            "description": FONT_SETS[font],
            "files": len(files),
            "pages": pages,
            "instructions_per_pass": per_pass,
            "instructions_per_page": round(per_pass / pages),
        }
    return out


def render(result: dict) -> str:
    rows = [
        [
            font,
            s["files"],
            s["pages"],
            f"{s['instructions_per_pass'] / 1e6:,.0f}",
            f"{s['instructions_per_page'] / 1e6:.2f}",
        ]
        for font, s in result["sets"].items()
    ]
    return "Parsing, instructions counted by callgrind (one pass, start-up excluded)\n" + table(
        rows, ["set", "files", "pages", "M instructions", "M per page"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=default_work())
    parser.add_argument("--pdfs", type=int, default=100, help="the rendered set the files are taken from")
    parser.add_argument("--files", type=int, default=20, help="files parsed per pass (the set's first)")
    parser.add_argument("--fonts", nargs="+", choices=sorted(FONT_SETS), default=["cid", "ttf"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    args.work.mkdir(parents=True, exist_ok=True)
    result = measure(args.work, args.pdfs, min(args.files, args.pdfs), args.fonts)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
