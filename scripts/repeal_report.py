"""Repeal detection over every document of ../shared/corpus.

Loads every corpus record as a document into a fresh archive (text only — no PDF
rendering, no search indexing), runs the ingest repeal-clause finder
(:func:`ingest.repeal.find_repeals`) on each, records the clauses and resolves them
against the archive exactly as ingest does (:meth:`gazette.archive.Archive.resolve_repeals`:
by 发文字号, else by title). Prints how many clauses and targets were found and
resolved, and a fixed random sample of clauses for a person to check (``--sample``).

    python scripts/repeal_report.py [--corpus DIR] [--sample 40] [--json]
"""

from __future__ import annotations

import os

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gazette.archive import Archive  # noqa: E402
from gazette.model import Document  # noqa: E402
from gazette.settings import Settings  # noqa: E402
from ingest.repeal import find_repeals  # noqa: E402
from renderer.corpus import record_to_document  # noqa: E402


def _documents(corpus: Path):
    """Every corpus record that is a document (title and text), as one."""
    for kind in ("state_council", "local_policies", "laws"):
        path = corpus / f"{kind}.jsonl"
        if not path.is_file():
            continue
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                doc = record_to_document(json.loads(line), kind)
                if doc is not None:
                    yield doc


def run(corpus: Path, sample: int = 40, seed: int = 1) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive(Settings(home=Path(tmp)))
        docs: list[Document] = []
        with archive.store.transaction():
            for doc in _documents(corpus):
                if archive.store.has_document(doc.id):
                    continue
                archive.store.put_document(doc)
                docs.append(doc)
        clauses = []
        with archive.store.transaction():
            for doc in docs:
                found = find_repeals(doc.text)
                if found:
                    archive.add_repeal_clauses(doc.id, found)
                    clauses.extend((doc, t) for t in found)
            changed = archive.resolve_repeals()
        rows = archive.store.conn.execute(
            "SELECT basis_document_id, doc_number, title, kind, sentence, target_document_id FROM repeal_clauses"
        ).fetchall()
        resolved = [r for r in rows if r["target_document_id"]]
        rng = random.Random(seed)
        picked = rng.sample(clauses, min(sample, len(clauses)))
        report = {
            "documents": len(docs),
            "documents_with_repeal_clauses": len({d.id for d, _ in clauses}),
            "targets_found": len(rows),
            "by_kind": {k: sum(1 for r in rows if r["kind"] == k) for k in ("repealed", "expired")},
            "with_doc_number": sum(1 for r in rows if r["doc_number"]),
            "resolved_in_corpus": len(resolved),
            "documents_marked": len(changed),
            "resolved": [
                {"basis": archive.store.get_document(r["basis_document_id"]).title,
                 "target": archive.store.get_document(r["target_document_id"]).title, "kind": r["kind"]}
                for r in resolved
            ],
            "sample": [
                {"in": d.title, "doc_number": t.doc_number, "title": t.title, "kind": t.kind, "sentence": t.sentence[:200]}
                for d, t in picked
            ],
        }
        archive.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("GAZETTE_CORPUS_DIR") or REPO.parent / "shared" / "corpus"))
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.corpus, args.sample)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for key in ("documents", "documents_with_repeal_clauses", "targets_found", "by_kind", "with_doc_number",
                "resolved_in_corpus", "documents_marked"):
        print(f"{key:32} {report[key]}")
    print("\nresolved:")
    for r in report["resolved"]:
        print(f"  {r['kind']:8} {r['target']}  ←  {r['basis']}")
    print(f"\nsample of {len(report['sample'])} targets to check:")
    for i, s in enumerate(report["sample"], 1):
        print(f"{i:3}. [{s['kind']}] {s['doc_number'] or ''} 《{s['title'] or ''}》\n     in {s['in']}\n     {s['sentence']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
