#!/usr/bin/env python3
"""Ingest fidelity report (issue 6): render real texts in every layout, ingest them, score.

For each fidelity case of :data:`renderer.cases.CASES` (plain, two_column, header_footer,
fake_bold, letter_spaced, kangxi, broken/garbage ToUnicode, scanned, mixed, tables, OFD)
the report renders a fixed sample of real corpus records
(:func:`renderer.corpus.select_documents`) as standalone documents and as gazette issues
(:func:`renderer.corpus.build_issue_from_records`, ``--issue-size`` documents each), runs
:func:`ingest.pipeline.parse_file` on every file and compares the documents it returns
with the specs they were rendered from (the ground truth):

* found / expected — documents returned vs documents printed (an issue counts its
  articles); each expected document is paired with the found one whose title is closest;
* char — character accuracy of the body, whitespace ignored and full-width digits and
  letters read as ASCII (ingest keeps them as printed; search folds them): body paragraphs
  (+ 附件说明, attachment titles, paragraphs and table cells) of the spec vs the
  document's paragraphs and attachments, as matched characters (difflib) divided by the
  longer of the two; a missing document scores 0;
* title, 发文字号, 成文日期, effective, expiry — share of expected documents whose field
  is right. Expected effective/expiry dates come from :func:`gazette.validity.parse_validity`
  on the spec's text, with ingest's rule that a document without a stated date takes
  effect on its 成文日期;
* split — gazette issues split into exactly their articles (same count, same titles in
  order; on OCR layouts, where a title may carry a misread character, the i-th article
  is the one paired with the i-th expected document).

A file whose rendering or parsing fails scores 0 for its documents (the error is
listed), never aborts the run. Files are processed in ``--workers`` processes (2 by
default). Exit code 0, or 1 with ``--check`` when a case misses the issue-6 targets
(text layouts: char ≥ 99.5 %, each field ≥ 98 %, every issue split exactly; OCR
layouts: char ≥ 95 %, every issue split exactly); 2 on bad arguments or a missing corpus.

    python scripts/fidelity_report.py --sample 20            # CI sample, table
    python scripts/fidelity_report.py --layouts plain,kangxi --json
    python scripts/fidelity_report.py --sample 200 --json-out report.json
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gazette.docnumber import normalize_doc_number  # noqa: E402
from gazette.validity import parse_validity  # noqa: E402
from renderer import DocSpec, IssueSpec, render_document, render_issue  # noqa: E402
from renderer.cases import CASES, Case  # noqa: E402
from renderer.corpus import build_issue_from_records, corpus_dir, select_documents  # noqa: E402

FIELDS = ("title", "doc_number", "written_date", "effective_date", "expiry_date")
FIELD_LABELS = {"title": "title", "doc_number": "发文字号", "written_date": "成文日期",
                "effective_date": "effective", "expiry_date": "expiry"}
TEXT_TARGETS = {"char": 0.995, "field": 0.98}
OCR_TARGET = 0.95
_WS = re.compile(r"\s+")
# Full-width digits and letters only; full-width punctuation still has to match.
_FULLWIDTH_ALNUM = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def squash(text: str | None) -> str:
    return _WS.sub("", text or "").translate(_FULLWIDTH_ALNUM)


# ------------------------------------------------------------------ expectations
def expected_body(spec: DocSpec) -> str:
    """The body text a perfect ingest returns for ``spec`` (whitespace removed)."""
    parts = list(spec.paragraphs)
    if spec.attachment_notes:
        parts += ["附件：" + spec.attachment_notes[0], *spec.attachment_notes[1:]]
    for att in spec.attachments:
        parts += [att.title, *att.paragraphs, *(c for t in att.tables for c in t.cells)]
    return squash("".join(parts))


def expected_fields(spec: DocSpec, published=None) -> dict:
    """Ground-truth values of the scored fields for ``spec``."""
    text = "\n".join([*spec.paragraphs, *(p for a in spec.attachments for p in a.paragraphs)])
    validity = parse_validity(text, written_date=spec.written_date, published_date=published)
    return {
        "title": squash(spec.title),
        "doc_number": normalize_doc_number(spec.doc_number) if spec.doc_number else None,
        "written_date": spec.written_date,
        "effective_date": validity.effective_date or spec.written_date,
        "expiry_date": validity.expiry_date,
    }


def actual_body(doc) -> str:
    parts = list(doc.paragraphs)
    for att in doc.attachments:
        parts += [att.title, *att.paragraphs]
    return squash("".join(parts))


def actual_fields(doc) -> dict:
    number = doc.doc_number.text if doc.doc_number else (normalize_doc_number(doc.doc_number_raw or "") or None)
    return {
        "title": squash(doc.title),
        "doc_number": number,
        "written_date": doc.written_date,
        "effective_date": doc.effective_date,
        "expiry_date": doc.expiry_date,
    }


def char_accuracy(expected: str, actual: str) -> float:
    """Matched characters / the longer string (1.0 for two empty strings)."""
    if not expected and not actual:
        return 1.0
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / max(len(expected), len(actual))


def pair_documents(specs: list[DocSpec], docs: list) -> list:
    """For each spec, the found document with the closest title (each used once), or None."""
    if len(specs) == len(docs) and all(squash(s.title) == squash(d.title) for s, d in zip(specs, docs)):
        return list(docs)
    free = list(range(len(docs)))
    out = []
    for spec in specs:
        best, best_score = None, 0.0
        for i in free:
            score = difflib.SequenceMatcher(None, squash(spec.title), squash(docs[i].title)).ratio()
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score >= 0.5:
            free.remove(best)
            out.append(docs[best])
        else:
            out.append(None)
    return out


# ----------------------------------------------------------------------- tasks
@dataclass
class Task:
    case: str
    kind: str  # "document" | "issue"
    index: int
    path: str
    doc: DocSpec | None = None
    issue: IssueSpec | None = None
    file_index: int = 0


@dataclass
class Outcome:
    case: str
    kind: str
    index: int
    expected: int
    found: int = 0
    docs: list[dict] = field(default_factory=list)  # per expected document: char + fields
    split_exact: bool | None = None
    error: str | None = None
    seconds: float = 0.0


def run_task(task: Task) -> Outcome:
    """Render one file, parse it, score it; never raises."""
    from ingest.pipeline import parse_file

    started = time.monotonic()
    case = CASES[task.case]
    specs = [task.doc] if task.kind == "document" else task.issue.documents
    published = task.issue.published_date if task.issue else None
    outcome = Outcome(task.case, task.kind, task.index, expected=len(specs))
    found_docs: list = []
    try:
        options = case.options_for(task.file_index)
        if task.kind == "document":
            render_document(task.doc, task.path, options)
        else:
            render_issue(task.issue, task.path, options)
        source = parse_file(task.path)
        found_docs = list(source.documents)
        outcome.found = len(found_docs)
        issue_split = source.kind == "issue" and len(found_docs) == len(specs)
    except Exception as exc:  # a failing layout scores 0, it does not stop the report
        outcome.error = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        if os.environ.get("FIDELITY_TRACEBACK"):
            traceback.print_exc()
        issue_split = False
    paired = pair_documents(specs, found_docs)
    if task.kind == "issue":
        if case.needs_ocr:
            # an OCR'd title may carry a misread character (scored under "title"): the
            # split is exact when the i-th article is the one paired with the i-th
            # expected document
            in_order = all(p is d for p, d in zip(paired, found_docs))
        else:
            in_order = all(squash(s.title) == squash(d.title) for s, d in zip(specs, found_docs))
        outcome.split_exact = issue_split and in_order
    for spec, doc in zip(specs, paired):
        want = expected_fields(spec, published)
        if doc is None:
            outcome.docs.append({"char": 0.0, **{f: False for f in FIELDS}})
            continue
        try:
            got = actual_fields(doc)
            row = {"char": char_accuracy(expected_body(spec), actual_body(doc))}
            row.update({f: got[f] == want[f] for f in FIELDS})
        except Exception as exc:  # a malformed Document scores 0
            row = {"char": 0.0, **{f: False for f in FIELDS}}
            outcome.error = outcome.error or f"scoring: {type(exc).__name__}: {exc}"
        outcome.docs.append(row)
    outcome.seconds = round(time.monotonic() - started, 2)
    return outcome


def plan(cases: list[Case], specs: list[DocSpec], issue_size: int, out_dir: Path) -> list[Task]:
    """Every file to render: each spec standalone, and the specs grouped into issues, per case."""
    tasks = []
    for case in cases:
        folder = out_dir / case.name
        folder.mkdir(parents=True, exist_ok=True)
        rendered = [case.spec_for(s, i, specs) for i, s in enumerate(specs)]
        for i, spec in enumerate(rendered):
            tasks.append(Task(case.name, "document", i, str(folder / f"doc-{i:03d}{case.suffix}"), doc=spec, file_index=i))
        for k, start in enumerate(range(0, len(specs), issue_size)):
            group = specs[start : start + issue_size]
            issue = case.issue_for(build_issue_from_records(group, 2022, k + 1, 40 + k), start, specs)
            tasks.append(Task(case.name, "issue", k, str(folder / f"issue-{k + 1:02d}{case.suffix}"), issue=issue,
                              file_index=k))
    return tasks


# ---------------------------------------------------------------------- summary
def summarise(case: Case, outcomes: list[Outcome]) -> dict:
    """Aggregate one case's outcomes (all files) into the report row."""
    docs = [d for o in outcomes for d in o.docs]
    n = len(docs) or 1
    issues = [o for o in outcomes if o.kind == "issue"]

    def part(kind: str) -> dict:
        sel = [d for o in outcomes if o.kind == kind for d in o.docs]
        return {
            "expected": sum(o.expected for o in outcomes if o.kind == kind),
            "found": sum(o.found for o in outcomes if o.kind == kind),
            "char_accuracy": round(sum(d["char"] for d in sel) / (len(sel) or 1), 4),
        }

    row = {
        "layout": case.name,
        "description": case.description,
        "ocr": case.needs_ocr,
        "expected": sum(o.expected for o in outcomes),
        "found": sum(o.found for o in outcomes),
        "char_accuracy": round(sum(d["char"] for d in docs) / n, 4),
        "fields": {f: round(sum(d[f] for d in docs) / n, 4) for f in FIELDS},
        "documents": part("document"),
        "issues": {**part("issue"), "count": len(issues), "split_exactly": sum(bool(o.split_exact) for o in issues)},
        "errors": [f"{o.kind} {o.index}: {o.error}" for o in outcomes if o.error],
        "seconds": round(sum(o.seconds for o in outcomes), 1),
    }
    row["meets_targets"] = meets_targets(row)
    return row


def meets_targets(row: dict) -> bool:
    if row["ocr"]:
        return row["char_accuracy"] >= OCR_TARGET and row["issues"]["split_exactly"] == row["issues"]["count"]
    return (
        row["char_accuracy"] >= TEXT_TARGETS["char"]
        and all(v >= TEXT_TARGETS["field"] for v in row["fields"].values())
        and row["issues"]["split_exactly"] == row["issues"]["count"]
    )


def format_table(rows: list[dict]) -> str:
    """A fixed-width text table, one line per layout."""
    head = ["layout", "found/exp", "char", "char doc", "char iss", *(FIELD_LABELS[f] for f in FIELDS), "split", "errors"]
    lines = []
    for r in rows:
        lines.append([
            r["layout"] + (" (OCR)" if r["ocr"] else ""),
            f"{r['found']}/{r['expected']}",
            f"{100 * r['char_accuracy']:.1f}%",
            f"{100 * r['documents']['char_accuracy']:.1f}%",
            f"{100 * r['issues']['char_accuracy']:.1f}%",
            *(f"{100 * r['fields'][f]:.0f}%" for f in FIELDS),
            f"{r['issues']['split_exactly']}/{r['issues']['count']}",
            str(len(r["errors"])),
        ])

    def width(cell: str) -> int:  # CJK characters take two terminal columns
        return sum(2 if ord(c) > 0x2E7F else 1 for c in cell)

    widths = [max(width(x) for x in [h, *(ln[i] for ln in lines)]) for i, h in enumerate(head)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [fmt(head), fmt(["-" * w for w in widths])]
    out += [fmt(ln) for ln in lines]
    return "\n".join(out)


# -------------------------------------------------------------------------- CLI
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="fidelity_report.py", description="Render real texts in every issue-6 layout, ingest them, report fidelity."
    )
    parser.add_argument("--sample", type=int, default=20, help="number of corpus documents (default 20, the CI sample)")
    parser.add_argument("--layouts", default="", help=f"comma-separated cases (default all: {','.join(CASES)})")
    parser.add_argument("--issue-size", type=int, default=5, help="documents per rendered gazette issue (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the local_policies draw")
    parser.add_argument("--corpus", default=os.environ.get("GAZETTE_CORPUS_DIR"),
                        help="corpus directory (default GAZETTE_CORPUS_DIR, else ../shared/corpus)")
    parser.add_argument("--out-dir", help="keep the rendered files here (default: a temporary directory)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of the table")
    parser.add_argument("--json-out", help="also write the JSON report to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a layout misses the issue-6 targets")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = [x.strip() for x in args.layouts.split(",") if x.strip()] or list(CASES)
    unknown = [x for x in names if x not in CASES]
    if unknown:
        print(f"error: unknown layout(s) {', '.join(unknown)}; known: {', '.join(CASES)}", file=sys.stderr)
        return 2
    if corpus_dir(args.corpus) is None:
        print("error: corpus not found (pass --corpus or set GAZETTE_CORPUS_DIR)", file=sys.stderr)
        return 2
    specs = select_documents(args.sample, seed=args.seed, directory=args.corpus)
    cases = [CASES[x] for x in names]
    with tempfile.TemporaryDirectory(prefix="fidelity-") as tmp:
        out_dir = Path(args.out_dir or tmp)
        tasks = plan(cases, specs, max(1, args.issue_size), out_dir)
        outcomes = run_all(tasks, args.workers)
    rows = [summarise(c, [o for o in outcomes if o.case == c.name]) for c in cases]
    report = {"sample": len(specs), "issue_size": args.issue_size, "layouts": rows}
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"Fidelity report: {len(specs)} corpus documents, standalone and in gazette issues of {args.issue_size}")
        print(format_table(rows))
        for r in rows:
            for err in r["errors"][:3]:
                print(f"  {r['layout']}: {err}")
    if args.check and not all(r["meets_targets"] for r in rows):
        return 1
    return 0


def run_all(tasks: list[Task], workers: int) -> list[Outcome]:
    """Run the tasks (in ``workers`` processes when > 1), reporting progress on stderr."""
    outcomes: list[Outcome] = []
    total = len(tasks)

    def progress(o: Outcome) -> None:
        outcomes.append(o)
        if sys.stderr.isatty():
            print(f"\r{len(outcomes)}/{total} files", end="" if len(outcomes) < total else "\n", file=sys.stderr)

    if workers <= 1:
        for t in tasks:
            progress(run_task(t))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for o in pool.map(run_task, tasks):
                progress(o)
    return outcomes


if __name__ == "__main__":
    sys.exit(main())
