"""Sustained load on `gazette serve`: concurrent searches plus occasional writes.

Builds (once, cached in ``--home``) an archive of ``--docs`` real ../shared/corpus
records loaded as documents (title, paragraphs, date, issuer, 发文字号 — by
:func:`renderer.corpus.record_to_document`, as ``bench/api_latency.py`` does), starts
``python -m gazette_cli.main serve`` on a free loopback port with a write token, and drives it from this process for ``--duration``
seconds after ``--warmup``: ``--clients`` threads searching back to back (a fixed mix
of real queries, filters, sorts and deeper pages) and one legal-office writer posting
``POST /api/v1/documents/{id}/status`` every ``--write-every`` seconds. Concurrency is
bounded by the number of threads; nothing leaves the loopback interface.

Reports, per ``--window`` seconds: requests, errors, p50/p99 latency, and the server's
RSS (sampled every second from /proc). Passes when there are no errors, the last
window's p99 is within ``--p99-factor`` of the first's, and the last window's RSS is
at most ``--rss-factor`` × the first's. ``--json`` prints the report as JSON.

    python scripts/load_test.py --duration 120 --clients 16
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from itertools import cycle
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from crash_ingest import _free_port, start_server, write_endpoint_present, write_token  # noqa: E402

CORPUS = Path(os.environ.get("GAZETTE_CORPUS_DIR") or REPO.parent / "shared" / "corpus")

QUERIES: list[dict] = [
    {"q": "住房公积金"}, {"q": "城市规划"}, {"q": "行政处罚"}, {"q": "环境保护", "sort": "date"},
    {"q": "土地 出让"}, {"q": "公积金 贷款", "status": "valid"}, {"q": '"法律责任"'}, {"q": "安全生产", "page": 2},
    {"q": "房"}, {"q": "国务院办公厅"}, {"q": "消费者权益保护"}, {"q": "不动产登记", "status": "repealed"},
    {"q": "人民代表大会常务委员会", "page": 3}, {"q": "数据"}, {"q": "棚户区改造"}, {"q": "", "sort": "date"},
    {"q": "医疗保障 基金"}, {"q": "AND (NEAR*)"}, {"q": "物业管理", "size": 20}, {"q": "农村", "as_of": "2020-01-01"},
]


def corpus_documents(n: int):
    """Up to ``n`` documents from the corpus records (state council, policies, laws), at
    most 400 paragraphs each."""
    from renderer.corpus import record_to_document

    made = 0
    for kind in ("state_council", "local_policies", "laws"):
        with open(CORPUS / f"{kind}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if made >= n:
                    return
                rec = json.loads(line)
                doc = record_to_document(rec, kind, key=rec["record_id"])
                yield doc.model_copy(update={"paragraphs": doc.paragraphs[:400]})
                made += 1


def build_archive(home: Path, docs: int, log=print) -> int:
    """An archive of ``docs`` corpus documents at ``home`` (kept if already that large)."""
    from gazette.archive import Archive
    from gazette.settings import Settings

    with Archive(Settings(home=home)) as archive:
        have = archive.store.count_documents()
        if have >= docs:
            return have
        started = time.monotonic()
        batch = []
        for doc in corpus_documents(docs):
            batch.append(doc)
            if len(batch) == 200:
                with archive.store.transaction():
                    archive.backend.index([archive.store.put_document(d) for d in batch])
                batch = []
        if batch:
            with archive.store.transaction():
                archive.backend.index([archive.store.put_document(d) for d in batch])
        n = archive.store.count_documents()
        log(f"built an archive of {n} documents in {time.monotonic() - started:.0f} s")
        return n


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def drive(base: str, server_pid: int, *, clients: int, duration: float, warmup: float, window: float,
          write_every: float, token: str | None, doc_ids: list[str], seed: int) -> dict:
    """Run the load; return per-window figures."""
    import httpx

    t_start = time.monotonic() + warmup
    t_stop = t_start + duration
    samples: list[tuple[float, float, bool, str]] = []  # (time, latency, ok, kind)
    errors: list[str] = []
    rss: list[tuple[float, float]] = []
    lock = threading.Lock()

    def record(t0: float, elapsed: float, ok: bool, kind: str, what: str) -> None:
        with lock:
            if t0 >= t_start:
                samples.append((t0 - t_start, elapsed, ok, kind))
            if not ok:
                errors.append(f"{kind}: {what}")

    def searcher(i: int) -> None:
        queries = cycle(QUERIES[i % len(QUERIES):] + QUERIES[: i % len(QUERIES)])
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < t_stop:
                params = next(queries)
                t0 = time.monotonic()
                try:
                    r = client.get("/api/v1/search", params=params)
                    ok, what = r.status_code == 200, f"{r.status_code} {r.text[:120]}"
                except httpx.HTTPError as exc:
                    ok, what = False, f"{type(exc).__name__}: {exc}"
                record(t0, time.monotonic() - t0, ok, "search", what)

    def writer() -> None:
        rng = random.Random(seed)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=30, headers=headers) as client:
            n = 0
            while time.monotonic() < t_stop:
                n += 1
                body = {"status": rng.choice(["repealed", "expired"]), "date": dt.date.today().isoformat(),
                        "cause": f"负载测试写入第{n}次"}
                t0 = time.monotonic()
                try:
                    r = client.post(f"/api/v1/documents/{rng.choice(doc_ids)}/status", json=body)
                    ok, what = r.status_code == 200, f"{r.status_code} {r.text[:120]}"
                except httpx.HTTPError as exc:
                    ok, what = False, f"{type(exc).__name__}: {exc}"
                record(t0, time.monotonic() - t0, ok, "write", what)
                time.sleep(max(0.0, write_every - (time.monotonic() - t0)))

    def sampler() -> None:
        while time.monotonic() < t_stop:
            now = time.monotonic()
            value = rss_mb(server_pid)
            if value is not None and now >= t_start:
                rss.append((now - t_start, value))
            time.sleep(1.0)

    threads = [threading.Thread(target=searcher, args=(i,)) for i in range(clients)]
    threads.append(threading.Thread(target=sampler))
    if token:
        threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    windows = []
    n_windows = max(1, int(-(-duration // window)))
    for w in range(n_windows):
        lo, hi = w * window, min(duration, (w + 1) * window)
        lat = sorted(s[1] for s in samples if lo <= s[0] < hi and s[2])
        q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0] if lat else 0.0] * 99
        mem = [v for t, v in rss if lo <= t < hi]
        windows.append({
            "window": f"{lo:.0f}-{hi:.0f}s",
            "requests": sum(1 for s in samples if lo <= s[0] < hi),
            "searches": sum(1 for s in samples if lo <= s[0] < hi and s[3] == "search"),
            "writes": sum(1 for s in samples if lo <= s[0] < hi and s[3] == "write"),
            "errors": sum(1 for s in samples if lo <= s[0] < hi and not s[2]),
            "rps": round(sum(1 for s in samples if lo <= s[0] < hi) / max(hi - lo, 1e-9), 1),
            "p50_ms": round(q[49] * 1000, 1),
            "p99_ms": round(q[98] * 1000, 1),
            "rss_mb": round(statistics.mean(mem), 1) if mem else None,
        })
    return {"windows": windows, "errors": errors, "requests": len(samples),
            "writes": sum(1 for s in samples if s[3] == "write")}


def run(*, home: Path | None = None, docs: int = 3000, duration: float = 120.0, warmup: float = 10.0,
        window: float = 10.0, clients: int = 16, write_every: float = 2.0, seed: int = 0,
        rss_factor: float = 1.2, p99_factor: float = 3.0, log=print) -> dict:
    tmp = tempfile.TemporaryDirectory(prefix="gazette-load-") if home is None else None
    home = home or Path(tmp.name) / "home"
    try:
        n_docs = build_archive(home, docs, log=log)
        from gazette.archive import Archive
        from gazette.settings import Settings

        with Archive(Settings(home=home)) as archive:
            doc_ids = sorted(archive.store.document_ids())[:500]
        token, tokens = write_token()
        port = _free_port()
        server = start_server(home, port, write_tokens=tokens)
        try:
            writes = write_endpoint_present(port)
            note = "" if writes else "POST /api/v1/documents/{id}/status is not in the API yet: searches only"
            figures = drive(f"http://127.0.0.1:{port}", server.pid, clients=clients, duration=duration,
                            warmup=warmup, window=window, write_every=write_every,
                            token=token if writes else None, doc_ids=doc_ids, seed=seed)
            alive = server.poll() is None
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except Exception:  # noqa: BLE001 - it would not stop: kill the server we started
                server.kill()
                server.wait()
        w = figures["windows"]
        full = [x for x in w if x["rss_mb"] is not None]
        first_rss, last_rss = (full[0]["rss_mb"], full[-1]["rss_mb"]) if full else (None, None)
        problems = []
        if figures["errors"]:
            problems.append(f"{len(figures['errors'])} errors, e.g. {figures['errors'][0]}")
        if not alive:
            problems.append("the server died during the run")
        if first_rss and last_rss and last_rss > rss_factor * first_rss:
            problems.append(f"server RSS grew from {first_rss} MB to {last_rss} MB (> {rss_factor}×)")
        if len(w) > 1 and w[0]["p99_ms"] and w[-1]["p99_ms"] > p99_factor * w[0]["p99_ms"]:
            problems.append(f"p99 went from {w[0]['p99_ms']} ms to {w[-1]['p99_ms']} ms (> {p99_factor}×)")
        return {
            "ok": not problems,
            "documents": n_docs,
            "clients": clients,
            "duration_s": duration,
            "warmup_s": warmup,
            "requests": figures["requests"],
            "writes": figures["writes"],
            "errors": len(figures["errors"]),
            "error_samples": figures["errors"][:5],
            "rss_first_mb": first_rss,
            "rss_last_mb": last_rss,
            "windows": w,
            "note": note,
            "problems": problems,
        }
    finally:
        if tmp is not None:
            tmp.cleanup()


def print_table(report: dict) -> None:
    print(f"{'window':>10} {'requests':>9} {'writes':>7} {'errors':>7} {'rps':>7} {'p50 ms':>8} {'p99 ms':>8} {'RSS MB':>8}")
    for w in report["windows"]:
        print(f"{w['window']:>10} {w['requests']:>9} {w['writes']:>7} {w['errors']:>7} {w['rps']:>7} "
              f"{w['p50_ms']:>8} {w['p99_ms']:>8} {w['rss_mb'] if w['rss_mb'] is not None else '-':>8}")
    print(f"\n{report['documents']} documents, {report['clients']} clients, {report['duration_s']:g} s "
          f"(after {report['warmup_s']:g} s warm-up): {report['requests']} requests ({report['writes']} writes), "
          f"{report['errors']} errors; RSS {report['rss_first_mb']} → {report['rss_last_mb']} MB")
    if report["note"]:
        print("note:", report["note"])
    for p in report["problems"]:
        print("PROBLEM", p)
    print("OK" if report["ok"] else "FAILED")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "gazette-load",
                        help="Archive folder (built once, reused).")
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--write-every", type=float, default=2.0, help="Seconds between writes.")
    parser.add_argument("--rss-factor", type=float, default=1.2)
    parser.add_argument("--p99-factor", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    report = run(home=args.home, docs=args.docs, duration=args.duration, warmup=args.warmup, window=args.window,
                 clients=args.clients, write_every=args.write_every, seed=args.seed, rss_factor=args.rss_factor,
                 p99_factor=args.p99_factor, log=log)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_table(report)
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    os.environ.pop("GAZETTE_HOME", None)
    main()
