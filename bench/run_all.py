"""Every benchmark of issue 7 in one run: a table on stdout and all figures as JSON.

    python bench/run_all.py --size full [--es http://127.0.0.1:9200] [--work DIR]
    python bench/run_all.py --size small          # the CI smoke configuration

``full`` measures what the issue asks (ingest of 100 rendered documents, in both font
sets of ``ingest_bench.py``: fonts named and fonts embedded; indexing of 5,000
documents, search on archives of 10,000 and 100,000 documents, API at 16 and 64
clients on 100,000 with the result cache off — every request searches — then on, a
100-page EPUB, and the instructions a worker executes to parse 20 of the ingest files,
counted by callgrind when valgrind is installed); ``small`` runs every step on tiny
inputs in about a minute. Each part runs in its own process (clean peak-RSS figures);
built inputs are cached under ``--work`` (default /tmp/gazette-bench-work), never
under ../shared. Elasticsearch is measured when ``--es`` (or ``GAZETTE_ES_URL``) is given.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import machine

SIZES = {
    "small": {
        "ingest": ["--pdfs", "2", "--segment-mb", "0.05", "--repeat", "1", "--waiting", "0", "50"],
        "search": ["--sizes", "300", "--index-docs", "60", "--rounds", "1"],
        "api": [
            "--docs",
            "300",
            "--clients",
            "4",
            "16",
            "--duration",
            "1",
            "--server-workers",
            "1",
        ],
        "epub_pages": 10,
        "instructions": ["--pdfs", "2", "--files", "1", "--fonts", "cid"],
    },
    "full": {
        "ingest": ["--pdfs", "100", "--segment-mb", "2"],
        "search": [
            "--sizes",
            "10000",
            "100000",
            "--index-docs",
            "5000",
            "--rounds",
            "5",
        ],
        "api": ["--docs", "100000", "--clients", "16", "64", "--duration", "20"],
        "epub_pages": 100,
        "instructions": ["--pdfs", "100", "--files", "20"],
    },
}


def part(script: str, args: list[str], out: Path) -> dict:
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(HERE / script), *args, "--json", str(out)],
        text=True,
        capture_output=True,
        check=False,
    )
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        raise SystemExit(f"{script} failed (exit {proc.returncode})")
    print(proc.stdout, flush=True)
    result = json.loads(out.read_text())
    result["wall_s"] = round(time.monotonic() - t0, 1)
    return result


def epub(pages: int) -> dict:
    from epub_build import build_seconds, issue_of_pages

    with tempfile.TemporaryDirectory() as tmp:
        r = build_seconds(
            issue_of_pages(Path(os.environ.get("GAZETTE_CORPUS_DIR") or HERE.parents[0].parent / "shared" / "corpus"), pages),
            Path(tmp),
        )
    print(
        f"EPUB of a {r['printed_pages']}-page issue ({r['documents']} documents): {r['seconds']} s"
        " (target ≤ 1 s for 100 pages)\n",
        flush=True,
    )
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "gazette-bench-work"
    )
    parser.add_argument(
        "--es", default=os.environ.get("GAZETTE_ES_URL"), help="Elasticsearch URL"
    )
    parser.add_argument(
        "--only", nargs="+", choices=["ingest", "search", "api", "epub", "instructions"]
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="write all figures here (default: WORK/results-SIZE.json)",
    )
    args = parser.parse_args()
    cfg = SIZES[args.size]
    args.work.mkdir(parents=True, exist_ok=True)
    common = ["--work", str(args.work)]
    only = set(args.only or ["ingest", "search", "api", "epub", "instructions"])
    results: dict = {"size": args.size, "machine": machine()}
    if "ingest" in only:
        results["ingest"] = part(
            "ingest_bench.py", common + cfg["ingest"], args.work / "ingest.json"
        )
    if "search" in only:
        es = ["--es", args.es] if args.es else []
        results["search"] = part(
            "search_bench.py", common + cfg["search"] + es, args.work / "search.json"
        )
    if "api" in only:
        # The target figure: result cache off, every request searches. Then the same
        # load as a server runs by default, the cache answering repeated queries.
        results["api"] = part(
            "api_bench.py", common + cfg["api"] + ["--no-cache"], args.work / "api.json"
        )
        results["api_cached"] = part(
            "api_bench.py", common + cfg["api"], args.work / "api-cached.json"
        )
    if "epub" in only:
        results["epub"] = epub(cfg["epub_pages"])
    if "instructions" in only:
        if shutil.which("valgrind"):
            results["instructions"] = part(
                "parse_instructions.py", common + cfg["instructions"], args.work / "instructions.json"
            )
        else:
            results["instructions"] = {"skipped": "valgrind is not installed"}
            print("instruction counts skipped: valgrind is not installed\n", flush=True)
    out = args.json or args.work / f"results-{args.size}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
