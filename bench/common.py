"""Shared pieces of the benchmark scripts: synthetic archives built from real text,
percentiles, tables, memory figures.

Inputs come from ``../shared/corpus`` (read only). To reach 10,000 or 100,000
documents the records are *replicated with variations*: document ``i`` takes a window
of paragraphs of one corpus record (its start and length vary with ``i``, about 1,000
characters on average, so 100,000 documents hold ≈ 300 MB of UTF-8 text), a title with
a variant suffix, and metadata drawn deterministically — issuer, document type, dates
over 1990–2025, a 发文字号 for a third of them, an expiry date (some already past) and a
non-public disclosure for a few. The same ``(n, seed)`` always gives the same documents.

Building a 100,000-document archive spends most of its time in jieba. Because jieba
splits its input at every non-word character before segmenting, the words of a text
whose paragraphs are joined by newlines are exactly the words of each paragraph in
turn; :class:`ParagraphWords` segments each distinct corpus paragraph once (in
``workers`` processes) and answers :func:`gazette.analysis.words_text` from that cache
while an archive is *built* (:func:`cached_words`). Figures that measure segmentation
(ingest, indexing throughput) never use the cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import pickle
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CORPUS = Path(os.environ.get("GAZETTE_CORPUS_DIR") or REPO.parent / "shared" / "corpus")
SOURCES = ("laws.jsonl", "state_council.jsonl", "local_policies.jsonl")

ISSUERS = [
    "静乐县人民政府",
    "静乐县人民政府办公室",
    "静乐县财政局",
    "静乐县自然资源局",
    "静乐县住房和城乡建设局",
    "静乐县教育局",
    "静乐县卫生健康局",
    "静乐县市场监督管理局",
    "静乐县农业农村局",
    "静乐县生态环境局",
    "忻州市人民政府",
    "山西省人民政府",
    "国务院办公厅",
    "全国人民代表大会常务委员会",
]
DOC_TYPES = [
    "通知",
    "意见",
    "办法",
    "规定",
    "决定",
    "方案",
    "批复",
    "通告",
    "条例",
    "细则",
]
PREFIXES = ["静政发", "静政办发", "静财发", "忻政发", "晋政发", "国办发"]


#: Archives at least this large are built with the paragraph cache (small ones segment directly).
CACHE_FROM = 5000


def default_work() -> Path:
    return Path(os.environ.get("TMPDIR", "/tmp")) / "gazette-bench-work"


# -- corpus ---------------------------------------------------------------------------
def corpus_records() -> list[tuple[str, dict]]:
    """(source file, record) for every corpus record with text, in file order."""
    out = []
    for name in SOURCES:
        with open(CORPUS / name, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if (rec.get("text") or "").strip():
                    out.append((name, rec))
    return out


def paragraphs_of(rec: dict) -> list[str]:
    return [p.strip() for p in rec["text"].split("\n") if p.strip()]


def corpus_fingerprint() -> str:
    h = hashlib.sha256()
    for name in SOURCES:
        st = (CORPUS / name).stat()
        h.update(f"{name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def synth_documents(n: int, seed: int = 0, records: list | None = None) -> Iterator:
    """``n`` varied :class:`~gazette.model.Document` objects built from corpus text."""
    from gazette.docnumber import parse_doc_number
    from gazette.model import Disclosure, Document

    records = records if records is not None else corpus_records()
    paras = [paragraphs_of(rec) for _, rec in records]
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        k = order[i % len(order)]
        copy = i // len(order)
        _, rec = records[k]
        ps = paras[k]
        # A window of paragraphs: about 1,000 characters on average, whole record when short.
        target = int(rng.lognormvariate(6.75, 0.7))
        start = rng.randrange(len(ps)) if len(ps) > 3 else 0
        window, size = [], 0
        for p in ps[start:] + ps[:start]:
            window.append(p)
            size += len(p)
            if size >= target:
                break
        title = (rec.get("title") or "").strip().strip("《》") or rec["record_id"]
        if copy:
            title = f"{title}（{rng.choice(['修订', '第', '摘编', '实施细则', '补充'])}{copy}）"
        year = rng.randrange(1990, 2026)
        written = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
        base = _date(
            rec.get("written_date")
            or rec.get("issuance_date")
            or rec.get("version_date")
        )
        if copy == 0 and base:
            written = base
        number = None
        if rng.random() < 0.33:
            number = parse_doc_number(
                f"{rng.choice(PREFIXES)}〔{written.year}〕{rng.randrange(1, 200)}号"
            )
        expiry = None
        if rng.random() < 0.3:
            expiry = written + dt.timedelta(
                days=rng.choice([365 * 2, 365 * 5, 365 * 10])
            )
        issuer = rec.get("issuer") or rng.choice(ISSUERS)
        yield Document(
            id=f"bench-{seed}-{i:07d}",
            title=title,
            issuers=[issuer],
            doc_number=number,
            doc_type=rng.choice(DOC_TYPES),
            is_normative=rng.random() < 0.4,
            written_date=written,
            published_date=written + dt.timedelta(days=rng.randrange(0, 20)),
            effective_date=written + dt.timedelta(days=rng.randrange(0, 40)),
            expiry_date=expiry,
            disclosure=Disclosure.public
            if rng.random() < 0.95
            else list(Disclosure)[-1],
            paragraphs=window or [title],
        )


# -- segmentation cache ---------------------------------------------------------------
def _segment_chunk(chunk: list[str]) -> list[str]:
    from gazette import analysis

    return [analysis.words_text(p) for p in chunk]


class ParagraphWords:
    """jieba words of every distinct corpus paragraph, computed once (see module doc)."""

    def __init__(self, cache: dict[str, str]) -> None:
        self.cache = cache

    @classmethod
    def load(cls, work: Path, workers: int = 2) -> ParagraphWords:
        path = work / f"paragraph-words-{corpus_fingerprint()}.pickle"
        if path.exists():
            with open(path, "rb") as fh:
                return cls(pickle.load(fh))
        distinct = sorted(
            {p for _, rec in corpus_records() for p in paragraphs_of(rec)},
            key=len,
            reverse=True,
        )
        chunks = [distinct[i::64] for i in range(64)]
        started = time.monotonic()
        with mp.get_context("fork").Pool(workers) as pool:
            results = pool.map(_segment_chunk, chunks)
        cache = {p: w for chunk, ws in zip(chunks, results) for p, w in zip(chunk, ws)}
        log(
            f"segmented {len(cache):,} distinct paragraphs in {time.monotonic() - started:.0f} s"
        )
        work.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(cache, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return cls(cache)

    def words_text(self, text: str, _real=None) -> str:
        parts = []
        for p in text.split("\n"):
            w = self.cache.get(p)
            if w is None:
                w = _real(p)
            if w:
                parts.append(w)
        return " ".join(parts)


@contextlib.contextmanager
def cached_words(pw: ParagraphWords | None) -> Iterator[None]:
    """Answer :func:`gazette.analysis.words_text` from ``pw`` inside the block (if any)."""
    from gazette import analysis

    if pw is None:
        yield
        return
    real = analysis.words_text
    analysis.words_text = lambda text: pw.words_text(text, real)
    try:
        yield
    finally:
        analysis.words_text = real


# -- figures ----------------------------------------------------------------------------
def percentiles(samples: list[float]) -> dict:
    """p50/p95/p99/max in milliseconds of latencies given in seconds."""
    if not samples:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    s = sorted(samples)
    q = (
        statistics.quantiles(s, n=100, method="inclusive")
        if len(s) >= 2
        else [s[0]] * 99
    )
    return {
        "n": len(s),
        "p50_ms": round(q[49] * 1000, 2),
        "p95_ms": round(q[94] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
        "max_ms": round(s[-1] * 1000, 2),
    }


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def rss_of(pid: int) -> dict:
    """RSS figures in MB of a running process, from /proc: current, peak, and the
    current split into private (anonymous) and file-backed (e.g. mmap of the archive)."""
    keys = {"VmRSS:": "rss", "VmHWM:": "peak", "RssAnon:": "anon", "RssFile:": "file"}
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            k = line.split(maxsplit=1)[0]
            if k in keys:
                out[keys[k]] = round(int(line.split()[1]) / 1024, 1)
    return out


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def table(rows: list[list], header: list[str]) -> str:
    cells = [[str(c) for c in header]] + [
        ["" if c is None else str(c) for c in r] for r in rows
    ]
    width = [max(_w(r[i]) for r in cells) for i in range(len(header))]

    def fmt(r: list[str]) -> str:
        return "  ".join(c + " " * (width[i] - _w(c)) for i, c in enumerate(r))

    return "\n".join(
        [fmt(cells[0]), "  ".join("-" * w for w in width)] + [fmt(r) for r in cells[1:]]
    )


def _w(s: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)


def machine() -> dict:
    model = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        model = next(
            (ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")),
            model,
        )
    mem = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as fh:
        mem = next(
            (
                int(ln.split()[1]) // 1024 // 1024
                for ln in fh
                if ln.startswith("MemTotal:")
            ),
            mem,
        )
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": mem,
        "python": sys.version.split()[0],
    }
