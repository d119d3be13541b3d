r"""Fuzz `gazette ingest` with hostile PDFs made from real rendered ones.

Renders a few ../shared/corpus documents and one gazette issue with the project's
renderer into a temporary folder, derives ``--count`` hostile files from them, and runs
the real CLI (``python -m gazette_cli.main ingest --json``) over the folder against a
fresh ``GAZETTE_HOME`` with small per-file limits. Mutation kinds:

=============  ===============================================================  ==========
kind           what the file is                                                 must end
=============  ===============================================================  ==========
valid          an unchanged rendered PDF (a trailing comment keeps shas apart)  ingested
truncated      cut at a random offset                                           any
bitflip        1–64 random bits flipped anywhere                                any
bad_xref       startxref pointing elsewhere, garbled xref rows, or no xref      any
encrypted      reportlab ``encrypt=`` with a user password                      failed
owner_only     reportlab encryption with an empty user password                 any
zero_pages     an incremental update whose /Pages has ``/Kids [] /Count 0``     failed
count_lie      an incremental update claiming ``/Count 1000000``                any
many_pages     a genuine PDF of ``--big-pages`` pages of real text              any
deep_nesting   arrays/dicts nested 100,000 deep in the catalog or a page        any
zip_bomb       a page content stream of ~1 MB deflating to ``--bomb-mb`` MB     failed*
not_pdf        PNG, HTML, random bytes, empty, or a bare %PDF header            failed
javascript     /OpenAction and /AA JavaScript added to a real PDF               ingested
=============  ===============================================================  ==========

\* when ``--bomb-mb`` is at least ``--memory-mb``; else any.

Checks: one outcome per file, ``failed`` always with a one-line reason; the batch ends
(the CLI exits 0 or 1, no traceback) within ``files × timeout / workers`` plus slack;
``Archive.check()`` is empty afterwards; no failed file left a document, a file record
or (reported, not an error) an orphan stored copy. Prints a table of outcomes by kind;
``--json`` prints the report as JSON instead.

    python scripts/fuzz_ingest.py --count 200 --seed 1 --timeout 20
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

KINDS = (
    "valid", "truncated", "bitflip", "bad_xref", "encrypted", "owner_only", "zero_pages", "count_lie",
    "many_pages", "deep_nesting", "zip_bomb", "not_pdf", "javascript",
)
#: Outcomes a kind must end with; kinds not listed may end any way (with a reason if failed).
EXPECTED = {
    "valid": {"ingested"},
    "javascript": {"ingested"},
    "encrypted": {"failed"},
    "zero_pages": {"failed"},
    "not_pdf": {"failed"},
}
NEST_DEPTH = 100_000


# -- real PDFs ------------------------------------------------------------------------
def render_real_pdfs(directory: Path, documents: int, *, seed: int = 0, issue_articles: int = 5) -> list[Path]:
    """Render ``documents`` corpus documents and one gazette issue of ``issue_articles`` more.

    Files go to ``directory`` (``doc-NN.pdf`` and ``gazette-2022-03.pdf``); returns their paths.
    """
    from renderer.corpus import build_issue_from_records, select_documents
    from renderer.pdf import render_document, render_issue

    specs = select_documents(documents + issue_articles, seed=seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, spec in enumerate(specs[:documents]):
        path = directory / f"doc-{i:02d}.pdf"
        render_document(spec, path)
        paths.append(path)
    if issue_articles:
        path = directory / "gazette-2022-03.pdf"
        render_issue(build_issue_from_records(specs[documents:], 2022, 3, overall_number=57), path)
        paths.append(path)
    return paths


def corpus_lines(n: int, seed: int = 0) -> list[str]:
    """Short lines of real text (for the PDFs built here with reportlab directly)."""
    from renderer.corpus import load_records

    rng = random.Random(seed)
    records = load_records("local_policies", limit=200)
    lines = []
    while len(lines) < n:
        text = rng.choice(records).get("text") or ""
        for para in text.split("\n"):
            para = para.strip()
            while para and len(lines) < n:
                lines.append(para[:30])
                para = para[30:]
    return lines


def reportlab_pdf(lines: list[str], *, pages: int = 1, per_page: int = 30, encrypt=None) -> bytes:
    """A plain PDF of ``pages`` pages of ``lines`` in STSong-Light, optionally encrypted."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt, invariant=1)
    k = 0
    for _ in range(pages):
        c.setFont("STSong-Light", 14)
        y = 800
        for _ in range(per_page):
            c.drawString(60, y, lines[k % len(lines)])
            k += 1
            y -= 25
        c.showPage()
    c.save()
    return buf.getvalue()


# -- PDF surgery -------------------------------------------------------------------------
_OBJ = re.compile(rb"(?m)^(\d+) 0 obj\b")


class PdfParts:
    """Objects and trailer of a simple (reportlab-style) PDF, for incremental updates."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.objects: dict[int, bytes] = {}
        for m in _OBJ.finditer(data):
            end = data.find(b"endobj", m.end())
            if end > 0:
                self.objects[int(m.group(1))] = data[m.end() : end].strip()
        root = re.findall(rb"/Root (\d+) 0 R", data)
        size = re.findall(rb"/Size (\d+)", data)
        start = re.findall(rb"startxref\s+(\d+)", data)
        if not (root and size and start):
            raise ValueError("not a simple PDF")
        self.root, self.size, self.startxref = int(root[-1]), int(size[-1]), int(start[-1])

    def ref(self, num: int, key: bytes) -> int:
        m = re.search(rb"/" + key + rb" (\d+) 0 R", self.objects[num])
        if not m:
            raise ValueError(f"object {num} has no /{key.decode()}")
        return int(m.group(1))

    @property
    def pages(self) -> int:
        return self.ref(self.root, b"Pages")

    @property
    def first_page(self) -> int:
        m = re.search(rb"/Kids \[\s*(\d+) 0 R", self.objects[self.pages])
        if not m:
            raise ValueError("no page")
        return int(m.group(1))

    def update(self, changed: dict[int, bytes]) -> bytes:
        """The PDF with an incremental update (new xref section, /Prev chain) holding ``changed``."""
        out = bytearray(self.data if self.data.endswith(b"\n") else self.data + b"\n")
        offsets = {}
        for num in sorted(changed):
            offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + changed[num] + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n"
        for num in sorted(offsets):
            out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
        size = max(self.size, max(offsets) + 1)
        out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            size, self.root, self.startxref, xref,
        )
        return bytes(out)

    def next_number(self) -> int:
        return max(self.size, max(self.objects) + 1)


def add_entries(body: bytes, entries: bytes) -> bytes:
    """Insert dictionary entries before the closing ``>>`` of a dict object body."""
    end = body.rstrip().rfind(b">>")
    return body[:end] + b" " + entries + b" " + body[end:]


def nested(depth: int, kind: str) -> bytes:
    if kind == "array":
        return b"[" * depth + b"1" + b"]" * depth
    return b"<< /A " * depth + b"1" + b" >>" * depth


_BOMB_CACHE: dict[int, bytes] = {}


def bomb_stream(megabytes: int) -> bytes:
    """A FlateDecode stream object body that inflates to ``megabytes`` MB of a text
    operator repeated (``0 0 m `` — cheap to compress, expensive to hold and parse)."""
    if megabytes not in _BOMB_CACHE:
        comp = zlib.compressobj(9)
        chunk = b"0 0 m " * (1 << 18)
        parts, total = [], 0
        while total < megabytes << 20:
            parts.append(comp.compress(chunk))
            total += len(chunk)
        parts.append(comp.flush())
        _BOMB_CACHE[megabytes] = b"".join(parts)
    data = _BOMB_CACHE[megabytes]
    return b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def minimal_pdf(objects: list[bytes]) -> bytes:
    """A from-scratch PDF with a correct xref; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- mutations ---------------------------------------------------------------------------
@dataclass
class Context:
    rng: random.Random
    bases: list[bytes]
    lines: list[str]
    big_pages: int
    bomb_mb: int
    _big: bytes | None = None

    def base(self) -> bytes:
        return self.rng.choice(self.bases)

    def big(self) -> bytes:
        if self._big is None:
            self._big = reportlab_pdf(self.lines, pages=self.big_pages)
        return self._big


def m_valid(ctx: Context) -> tuple[bytes, str]:
    return ctx.base(), "copy"


def m_truncated(ctx: Context) -> tuple[bytes, str]:
    data = ctx.base()
    cut = ctx.rng.randrange(0, len(data))
    return data[:cut], f"cut at {cut}/{len(data)}"


def m_bitflip(ctx: Context) -> tuple[bytes, str]:
    data = bytearray(ctx.base())
    n = ctx.rng.choice([1, 2, 4, 16, 64])
    for _ in range(n):
        i = ctx.rng.randrange(len(data))
        data[i] ^= 1 << ctx.rng.randrange(8)
    return bytes(data), f"{n} bits"


def m_bad_xref(ctx: Context) -> tuple[bytes, str]:
    data = ctx.base()
    variant = ctx.rng.choice(["startxref", "rows", "no_xref", "startxref_past_end"])
    if variant == "startxref":
        pos = ctx.rng.randrange(len(data))
        data = re.sub(rb"startxref\s+\d+", b"startxref\n%d" % pos, data)
    elif variant == "startxref_past_end":
        data = re.sub(rb"startxref\s+\d+", b"startxref\n%d" % (len(data) * 10), data)
    elif variant == "rows":
        start = data.rfind(b"xref\n")

        def garble(m: re.Match[bytes]) -> bytes:
            return b"%010d" % ctx.rng.randrange(10**10) if ctx.rng.random() < 0.5 else m.group(0)

        data = data[:start] + re.sub(rb"\d{10}", garble, data[start:])
    else:
        start, end = data.rfind(b"xref\n"), data.rfind(b"trailer")
        data = data[:start] + data[end:]
    return data, variant


def m_encrypted(ctx: Context) -> tuple[bytes, str]:
    return reportlab_pdf(ctx.lines, pages=2, encrypt="secret"), "user password"


def m_owner_only(ctx: Context) -> tuple[bytes, str]:
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0)
    return reportlab_pdf(ctx.lines, pages=2, encrypt=enc), "empty user password, copy forbidden"


def m_zero_pages(ctx: Context) -> tuple[bytes, str]:
    if ctx.rng.random() < 0.3:
        return minimal_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]), "minimal"
    parts = PdfParts(ctx.base())
    return parts.update({parts.pages: b"<< /Type /Pages /Kids [ ] /Count 0 >>"}), "incremental"


def m_count_lie(ctx: Context) -> tuple[bytes, str]:
    parts = PdfParts(ctx.base())
    body = re.sub(rb"/Count \d+", b"/Count 1000000", parts.objects[parts.pages])
    return parts.update({parts.pages: body}), "/Count 1000000"


def m_many_pages(ctx: Context) -> tuple[bytes, str]:
    return ctx.big(), f"{ctx.big_pages} pages"


def m_deep_nesting(ctx: Context) -> tuple[bytes, str]:
    parts = PdfParts(ctx.base())
    shape = ctx.rng.choice(["array", "dict"])
    where = ctx.rng.choice(["catalog", "page", "annots"])
    deep = nested(NEST_DEPTH, shape)
    if where == "catalog":
        changed = {parts.root: add_entries(parts.objects[parts.root], b"/Deep " + deep)}
    elif where == "page":
        changed = {parts.first_page: add_entries(parts.objects[parts.first_page], b"/Deep " + deep)}
    else:
        n = parts.next_number()
        page = add_entries(parts.objects[parts.first_page], b"/Annots %d 0 R" % n)
        changed = {parts.first_page: page, n: b"[" + deep + b"]" if shape == "dict" else deep}
    return parts.update(changed), f"{shape} {NEST_DEPTH} deep in {where}"


def m_zip_bomb(ctx: Context) -> tuple[bytes, str]:
    parts = PdfParts(ctx.base())
    page = parts.objects[parts.first_page]
    n = parts.next_number()
    old = parts.ref(parts.first_page, b"Contents")
    page = re.sub(rb"/Contents \d+ 0 R", b"/Contents [ %d 0 R %d 0 R ]" % (n, old), page)
    return parts.update({parts.first_page: page, n: bomb_stream(ctx.bomb_mb)}), f"{ctx.bomb_mb} MB content stream"


def m_not_pdf(ctx: Context) -> tuple[bytes, str]:
    variant = ctx.rng.choice(["png", "html", "random", "empty", "header_only"])
    if variant == "png":
        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", (64, 64), (200, 20, 20)).save(buf, "PNG")
        return buf.getvalue(), variant
    if variant == "html":
        return "<!doctype html><html><body><h1>静乐县人民政府公报</h1></body></html>".encode(), variant
    if variant == "random":
        return ctx.rng.randbytes(ctx.rng.randrange(1, 50_000)), variant
    if variant == "empty":
        return b"", variant
    return b"%PDF-1.7\n" + ctx.rng.randbytes(ctx.rng.randrange(0, 5000)), variant


def m_javascript(ctx: Context) -> tuple[bytes, str]:
    parts = PdfParts(ctx.base())
    n = parts.next_number()
    js = b"<< /S /JavaScript /JS (app.alert\\('x'\\); this.exportDataObject\\({cName: 'a', nLaunch: 2}\\);) >>"
    catalog = add_entries(
        parts.objects[parts.root], b"/OpenAction %d 0 R /Names << /JavaScript << /Names [ (a) %d 0 R ] >> >>" % (n, n)
    )
    page = add_entries(parts.objects[parts.first_page], b"/AA << /O %d 0 R >>" % n)
    return parts.update({parts.root: catalog, parts.first_page: page, n: js}), "OpenAction + page AA"


MUTATIONS: dict[str, Callable[[Context], tuple[bytes, str]]] = {
    "valid": m_valid, "truncated": m_truncated, "bitflip": m_bitflip, "bad_xref": m_bad_xref,
    "encrypted": m_encrypted, "owner_only": m_owner_only, "zero_pages": m_zero_pages,
    "count_lie": m_count_lie, "many_pages": m_many_pages, "deep_nesting": m_deep_nesting,
    "zip_bomb": m_zip_bomb, "not_pdf": m_not_pdf, "javascript": m_javascript,
}


@dataclass
class FuzzFile:
    name: str
    kind: str
    detail: str
    size: int
    sha256: str
    status: str = ""
    reason: str = ""
    documents: int = 0
    problems: list[str] = field(default_factory=list)


def make_files(directory: Path, count: int, *, seed: int, big_pages: int, bomb_mb: int, work: Path) -> list[FuzzFile]:
    """Write ``count`` hostile files into ``directory``: every kind in turn, then random kinds."""
    import hashlib

    rng = random.Random(seed)
    bases = [p.read_bytes() for p in render_real_pdfs(work / "real", documents=6, seed=seed)]
    ctx = Context(rng, bases, corpus_lines(400, seed), big_pages, bomb_mb)
    heavy = {"many_pages", "zip_bomb"}
    kinds = list(KINDS)
    while len(kinds) < count:
        kind = rng.choice(KINDS)
        # At most one heavy file per 20: each can cost a full timeout.
        if kind in heavy and sum(k in heavy for k in kinds) * 20 >= len(kinds):
            continue
        kinds.append(kind)
    kinds = kinds[:count]
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for i, kind in enumerate(kinds):
        data, detail = MUTATIONS[kind](ctx)
        if data and kind not in ("not_pdf", "truncated"):
            data += b"\n%% fuzz file %d\n" % i  # distinct sha256 for every file
        name = f"{i:04d}-{kind}.pdf"
        (directory / name).write_bytes(data)
        files.append(FuzzFile(name, kind, detail, len(data), hashlib.sha256(data).hexdigest()))
    return files


# -- running and checking ------------------------------------------------------------------
def gazette_env(home: Path, **settings: object) -> dict[str, str]:
    """The environment for a `gazette` subprocess: no inherited GAZETTE_*, these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
    env["GAZETTE_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    for key, value in settings.items():
        env[f"GAZETTE_{key.upper()}"] = str(value)
    return env


def gazette_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gazette_cli.main", *args]


def orphan_files(home: Path, recorded: set[str]) -> list[str]:
    """Stored copies under ``files/`` that no file record points to (and leftover temp files)."""
    out = []
    for p in (home / "files").rglob("*"):
        if p.is_file() and (p.name.startswith(".tmp-") or p.stem not in recorded):
            out.append(str(p.relative_to(home)))
    return sorted(out)


def verify_archive(home: Path) -> dict:
    """Open the archive and return its check() problems, documents, files and orphans."""
    from gazette.archive import Archive
    from gazette.settings import Settings

    with Archive(Settings(home=home)) as archive:
        problems = archive.check()
        files = {f["sha256"]: f for f in archive.store.files()}
        by_sha = collections.Counter(
            r[0] for r in archive.store.conn.execute("SELECT sha256 FROM documents")
        )
        count = archive.store.count_documents()
    return {
        "problems": problems,
        "files": files,
        "documents_by_sha": dict(by_sha),
        "documents": count,
        "orphans": orphan_files(home, set(files)),
    }


def run(count: int = 60, *, seed: int = 0, timeout: float = 20.0, memory_mb: int = 1024, workers: int = 2,
        big_pages: int = 2000, bomb_mb: int = 1024, keep: Path | None = None) -> dict:
    """Make ``count`` hostile files, ingest them with the CLI, and check; returns the report."""
    tmp = tempfile.TemporaryDirectory(prefix="gazette-fuzz-")
    work = keep or Path(tmp.name)
    folder, home = work / "pdfs", work / "home"
    try:
        t0 = time.monotonic()
        files = make_files(folder, count, seed=seed, big_pages=big_pages, bomb_mb=bomb_mb, work=work)
        made = time.monotonic() - t0
        limit = (count / max(1, workers) + 2) * timeout + 120
        env = gazette_env(home, ingest_timeout=timeout, ingest_memory_mb=memory_mb, ingest_workers=workers)
        t0 = time.monotonic()
        try:
            proc = subprocess.run(
                gazette_command("ingest", "--json", str(folder)),
                env=env, capture_output=True, text=True, timeout=limit, cwd=work,
            )
        except subprocess.TimeoutExpired:
            return {"ok": False, "errors": [f"the batch did not finish within {limit:.0f} s (hang)"]}
        took = time.monotonic() - t0
        errors: list[str] = []
        if proc.returncode not in (0, 1):
            errors.append(f"`gazette ingest` exited with {proc.returncode}: {proc.stderr.strip()[-500:]}")
        if "Traceback" in proc.stderr:
            errors.append("traceback on stderr: " + proc.stderr.strip()[-500:])
        try:
            outcome = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
        except (ValueError, KeyError):
            outcome = {}
            errors.append(f"no JSON outcome from `gazette ingest`: {proc.stdout[-300:]!r} {proc.stderr[-300:]!r}")
        state = verify_archive(home)
        errors += [f"check(): {p}" for p in state["problems"]]
        expected = dict(EXPECTED)
        if bomb_mb >= memory_mb:  # the stream alone cannot fit in the worker's address space
            expected["zip_bomb"] = {"failed"}
        for f in files:
            o = outcome.get(f.name)
            if o is None:
                f.problems.append("no outcome")
            else:
                f.status, f.reason, f.documents = o["status"], o["reason"], o["documents"]
                if f.status not in ("ingested", "unchanged", "failed"):
                    f.problems.append(f"unknown status {f.status}")
                if f.status == "failed" and (not f.reason.strip() or "\n" in f.reason):
                    f.problems.append(f"failed without a one-line reason: {f.reason!r}")
                if f.status not in expected.get(f.kind, {f.status}):
                    f.problems.append(f"expected {'/'.join(sorted(expected[f.kind]))}, got {f.status}: {f.reason}")
            if f.status == "failed":
                if f.sha256 in state["files"]:
                    f.problems.append("failed but recorded as a file")
                if state["documents_by_sha"].get(f.sha256):
                    f.problems.append(f"failed but left {state['documents_by_sha'][f.sha256]} document(s)")
            elif f.status == "ingested" and f.sha256 not in state["files"]:
                f.problems.append("ingested but not recorded")
            errors += [f"{f.name} ({f.kind}, {f.detail}): {p}" for p in f.problems]
        failed_orphans = [o for o in state["orphans"] if any(f.sha256 in o for f in files if f.status == "failed")]
        table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        reasons: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for f in files:
            table[f.kind][f.status or "missing"] += 1
            if f.status == "failed":
                reasons[f.kind][_reason_class(f.reason)] += 1
        return {
            "ok": not errors,
            "files": len(files),
            "seed": seed,
            "timeout_s": timeout,
            "memory_mb": memory_mb,
            "make_s": round(made, 1),
            "ingest_s": round(took, 1),
            "exit_code": proc.returncode,
            "documents": state["documents"],
            "orphan_stored_files": state["orphans"],
            "orphans_of_failed_files": failed_orphans,
            "internal_errors": sum(1 for f in files if "internal error" in f.reason),
            "by_kind": {k: dict(table[k]) for k in KINDS if k in table},
            "reasons_by_kind": {k: dict(v) for k, v in reasons.items()},
            "errors": errors,
            "outcomes": [asdict(f) for f in files],
        }
    finally:
        if keep is None:
            tmp.cleanup()


def _reason_class(reason: str) -> str:
    """A short label for a failure reason, for the summary table."""
    r = reason.lower()
    for key, label in (
        ("timed out", "timeout"), ("out of memory", "memory"), ("memory limit", "memory"),
        ("password", "encrypted"), ("security handler", "encrypted"), ("no pages", "no pages"),
        ("not a pdf", "not a PDF"), ("empty file", "not a PDF"), ("no text", "no text"),
        ("damaged or truncated", "damaged"), ("cannot be parsed", "damaged"), ("cannot be opened", "damaged"),
        ("internal error", "internal error"), ("died", "worker died"),
    ):
        if key in r:
            return label
    return "other"


def print_table(report: dict) -> None:
    cols = ("ingested", "unchanged", "failed")
    print(f"{'kind':<14}" + "".join(f"{c:>10}" for c in cols) + "  failure reasons")
    for kind, counts in report["by_kind"].items():
        why = ", ".join(f"{k} {v}" for k, v in sorted(report["reasons_by_kind"].get(kind, {}).items()))
        print(f"{kind:<14}" + "".join(f"{counts.get(c, 0):>10}" for c in cols) + f"  {why}")
    total = collections.Counter()
    for counts in report["by_kind"].values():
        total.update(counts)
    print(f"{'total':<14}" + "".join(f"{total.get(c, 0):>10}" for c in cols))
    print(
        f"\n{report['files']} files (seed {report['seed']}), made in {report['make_s']} s, ingested in "
        f"{report['ingest_s']} s with timeout {report['timeout_s']:g} s / memory {report['memory_mb']} MB; "
        f"{report['documents']} documents archived; check() problems: "
        f"{sum(e.startswith('check()') for e in report['errors'])}; internal errors: {report['internal_errors']}; "
        f"orphan stored files: {len(report['orphan_stored_files'])}"
    )
    for e in report["errors"]:
        print("ERROR", e)
    print("OK" if report["ok"] else "FAILED")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="Number of files (every kind at least once).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=20.0, help="GAZETTE_INGEST_TIMEOUT per file, seconds.")
    parser.add_argument("--memory-mb", type=int, default=1024, help="GAZETTE_INGEST_MEMORY_MB per file.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--big-pages", type=int, default=2000, help="Pages of the many_pages PDF.")
    parser.add_argument("--bomb-mb", type=int, default=1024, help="Inflated size of the zip_bomb stream, MB.")
    parser.add_argument("--keep", type=Path, help="Keep the files and archive in this folder.")
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
    args = parser.parse_args()
    report = run(
        args.count, seed=args.seed, timeout=args.timeout, memory_mb=args.memory_mb, workers=args.workers,
        big_pages=args.big_pages, bomb_mb=args.bomb_mb, keep=args.keep,
    )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif "by_kind" in report:
        print_table(report)
    else:
        print("FAILED:", "; ".join(report["errors"]))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
