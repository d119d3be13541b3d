"""Latency of ``GET /api/v1/search`` under concurrent clients, on real documents.

Builds (once, cached in ``--home``) an archive from ``../shared/corpus`` — laws,
local policies and State Council documents loaded directly as documents
(:func:`renderer.corpus.record_to_document`: title, text → paragraphs, a date, an
issuer, a 发文字号) — until it holds at least ``--min-docs`` documents. The corpus has 4,560 distinct records; to pass 5,000 the local policies
are loaded a second time under distinct ids (said so in the report). Then it starts
``gazette serve`` in a subprocess on a free loopback port and drives it from this process
with ``--clients`` threads, each with its own httpx client, for ``--duration``
seconds after a warm-up, cycling through a fixed mix of realistic queries (words,
phrases, two-term queries, single characters, status filters, date sort, deeper
pages). Prints p50/p95/p99 latency and throughput; ``--json`` writes them as JSON.

    python bench/api_latency.py --home /tmp/gazette-bench --clients 16 --duration 30
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from itertools import cycle
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CORPUS = Path(os.environ.get("GAZETTE_CORPUS_DIR") or REPO.parent / "shared" / "corpus")

QUERIES: list[dict] = [
    {"q": "住房公积金"},
    {"q": "城市规划"},
    {"q": "行政处罚"},
    {"q": "环境保护", "sort": "date"},
    {"q": "土地 出让"},
    {"q": "公积金 贷款", "status": "valid"},
    {"q": '"法律责任"'},
    {"q": "安全生产", "page": 2},
    {"q": "房"},
    {"q": "税收优惠", "normative_only": "false"},
    {"q": "国务院办公厅"},
    {"q": "消费者权益保护"},
    {"q": "不动产登记", "status": "repealed"},
    {"q": "人民代表大会常务委员会", "page": 3},
    {"q": "数据"},
    {"q": "棚户区改造"},
    {"q": "", "sort": "date"},
    {"q": "医疗保障 基金"},
    {"q": "AND (NEAR*)"},
    {"q": "物业管理", "size": 20},
]


def _records(copies_of_policies: int):
    """(kind, record, copy) for every corpus record, policies repeated as asked."""
    for kind in ("laws", "state_council"):
        with open(CORPUS / f"{kind}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                yield kind, json.loads(line), 0
    for copy in range(copies_of_policies):
        with open(CORPUS / "local_policies.jsonl", encoding="utf-8") as fh:
            for line in fh:
                yield "local_policies", json.loads(line), copy


def build_archive(home: Path, min_docs: int) -> int:
    """Load the corpus into a fresh archive at ``home``; returns the document count."""
    from gazette.archive import Archive
    from gazette.settings import Settings
    from renderer.corpus import record_to_document

    archive = Archive(Settings(home=home))
    if archive.store.count_documents() >= min_docs:
        n = archive.store.count_documents()
        archive.close()
        return n
    distinct = sum(1 for name in ("laws.jsonl", "state_council.jsonl", "local_policies.jsonl")
                   for _ in open(CORPUS / name, encoding="utf-8"))
    policies = sum(1 for _ in open(CORPUS / "local_policies.jsonl", encoding="utf-8"))
    copies = 1
    while distinct + (copies - 1) * policies < min_docs:
        copies += 1
    started = time.monotonic()
    batch = []
    n = 0
    for kind, rec, copy in _records(copies):
        batch.append(record_to_document(rec, kind, key=f"{rec['record_id']}#{copy}"))
        if len(batch) >= 200:
            n += _store(archive, batch)
            batch = []
            print(f"\r  loaded {n} documents ({time.monotonic() - started:.0f} s)", end="", file=sys.stderr)
    if batch:
        n += _store(archive, batch)
    print(f"\r  loaded {n} documents in {time.monotonic() - started:.0f} s", file=sys.stderr)
    archive.close()
    return n


def _store(archive, docs) -> int:
    with archive.store.transaction():
        stored = [archive.store.put_document(d) for d in docs]
        archive.backend.index(stored)
    return len(stored)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    home: Path, port: int, workers: int, no_cache: bool = False, threads: int | None = None
) -> subprocess.Popen:
    """``gazette serve`` with ``workers`` processes (handed the connections in turn,
    see :mod:`gazette_cli.serve`) of ``threads`` request threads (``None``:
    anyio's default), access log off, on the archive at ``home``; returns once every
    worker has started its application and the server answers a search.

    Waiting for every worker matters: clients keep their connections alive, and a
    connection handed to a worker that is still starting waits for it. uvicorn logs
    "Application startup complete" once per worker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
    env.update(GAZETTE_HOME=str(home), PYTHONPATH=str(REPO))
    if no_cache:
        env["GAZETTE_SEARCH_CACHE_SIZE"] = "0"
    if threads:
        env["GAZETTE_SERVER_THREADS"] = str(threads)
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gazette_cli.main", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--no-access-log"],
        env=env,
        cwd=str(REPO),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        log.seek(0)
        if log.read().count("Application startup complete") >= workers:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "法"}, timeout=30).status_code == 200:
                    return proc
            except httpx.HTTPError:
                pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.terminate()
    log.seek(0)
    raise SystemExit("server did not start:\n" + log.read()[-2000:])


def run_load(base: str, clients: int, duration: float, warmup: float) -> dict:
    """``clients`` threads issue searches back to back; latencies after warm-up."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_at = time.monotonic() + warmup
    stop_at = start_at + duration

    def worker(offset: int) -> None:
        queries = cycle(QUERIES[offset % len(QUERIES):] + QUERIES[: offset % len(QUERIES)])
        mine: list[float] = []
        with httpx.Client(base_url=base, timeout=30) as client:
            while (now := time.monotonic()) < stop_at:
                params = next(queries)
                t0 = time.perf_counter()
                try:
                    r = client.get("/api/v1/search", params=params)
                    ok = r.status_code == 200
                except httpx.HTTPError as exc:
                    ok, r = False, exc
                elapsed = time.perf_counter() - t0
                if not ok:
                    with lock:
                        errors.append(str(getattr(r, "status_code", r)))
                elif now >= start_at:
                    mine.append(elapsed)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    return {
        "clients": clients,
        "duration_s": duration,
        "requests": len(latencies),
        "errors": len(errors),
        "throughput_rps": round(len(latencies) / duration, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/gazette-bench"), help="Archive directory (cached).")
    parser.add_argument("--min-docs", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0, help="Measured seconds (after warm-up).")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes.")
    parser.add_argument("--no-cache", action="store_true", help="Turn the search result cache off (every request searches).")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()

    docs = build_archive(args.home, args.min_docs)
    port = _free_port()
    server = start_server(args.home, port, args.workers, no_cache=args.no_cache)
    try:
        figures = run_load(f"http://127.0.0.1:{port}", args.clients, args.duration, args.warmup)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures.update(documents=docs, workers=args.workers, queries=len(QUERIES))
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
