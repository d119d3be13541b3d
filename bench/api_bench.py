"""``GET /api/v1/search`` under 16 and 64 concurrent clients, from a second process.

Starts ``gazette serve`` (``--server-workers`` processes, handed the connections in
turn, of ``--server-threads`` request threads, ``GAZETTE_SERVER_THREADS``; default
2 × 1: searches are CPU-bound, and on 2 cores one thread per process served about
20 % more uncached searches than anyio's 40) on a cached synthetic SQLite archive (see
``bench/archive_build.py``) and drives it with ``wrk`` (Debian package ``wrk``) and
``bench/wrk_search.lua``, which cycles through the query mix of
:data:`bench.api_latency.QUERIES` (words, phrases, single characters, filters, date
sort, deeper pages, syntax characters) — each request a different query in turn. wrk
counts non-2xx answers and socket errors; both are reported as errors. After the load
the server's peak RSS (VmHWM of each server process) is read from /proc.

Without wrk, a Python client runs instead: ``--clients`` connections spread over two
processes (threads with keep-alive ``http.client`` connections).

    python bench/api_bench.py --docs 100000 --clients 16 64 --duration 20
    python bench/api_bench.py --docs 100000 --clients 16 --no-cache   # every request searches
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import default_work, log, percentiles, rss_of, table

LUA = Path(__file__).resolve().parent / "wrk_search.lua"


def paths() -> list[str]:
    from api_latency import QUERIES

    return ["/api/v1/search?" + urllib.parse.urlencode(q) for q in QUERIES]


def _server_pids(proc: subprocess.Popen) -> list[int]:
    pids = [proc.pid]
    try:
        out = subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True, check=False
        ).stdout
        pids += [int(p) for p in out.split()]
    except OSError:
        pass
    return pids


def run_wrk(port: int, clients: int, duration: float, threads: int) -> dict:
    env = dict(os.environ, WRK_PATHS="\n".join(paths()))
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{int(duration)}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
    ]
    out = subprocess.run(
        cmd, capture_output=True, text=True, env=env, check=True
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("JSON "))
    figures = json.loads(line[5:])
    figures["client"] = "wrk"
    return figures


def _py_client(port: int, n: int, duration: float, queue) -> None:
    lat: list[float] = []
    errors = [0]
    stop = time.monotonic() + duration
    ps = paths()

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = k
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", ps[i % len(ps)])
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            if ok:
                lat.append(time.perf_counter() - t0)
            else:
                errors[0] += 1
            i += 1

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    queue.put((lat, errors[0]))


def run_python(port: int, clients: int, duration: float) -> dict:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    procs = [
        ctx.Process(
            target=_py_client,
            args=(port, clients // 2 + (i < clients % 2), duration, q),
        )
        for i in range(2)
    ]
    for p in procs:
        p.start()
    lat, errors = [], 0
    for _ in procs:
        a, e = q.get()
        lat += a
        errors += e
    for p in procs:
        p.join()
    f = percentiles(lat)
    return {
        "client": "python",
        "requests": len(lat),
        "errors": errors,
        "rps": round(len(lat) / duration, 1),
        "p50_ms": f["p50_ms"],
        "p99_ms": f["p99_ms"],
        "max_ms": f["max_ms"],
    }


def run(
    work: Path,
    docs: int,
    clients: list[int],
    duration: float,
    server_workers: int,
    no_cache: bool = False,
    server_threads: int | None = 1,
) -> dict:
    from api_latency import _free_port, start_server
    from archive_build import build_sqlite

    home, _ = build_sqlite(work, docs)
    port = _free_port()
    server = start_server(home, port, server_workers, no_cache=no_cache, threads=server_threads)
    use_wrk = shutil.which("wrk") is not None
    result: dict = {
        "documents": docs,
        "server_workers": server_workers,
        "server_threads": server_threads,
        "result_cache": not no_cache,
        "runs": {},
    }
    try:
        # Warm up every query once (page cache, statement cache).
        for p in paths():
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", p)
            c.getresponse().read()
            c.close()
        for n in clients:
            log(
                f"API load: {n} clients, {duration:.0f} s ({'wrk' if use_wrk else 'python client'})"
            )
            result["runs"][str(n)] = (
                run_wrk(port, n, duration, 1)
                if use_wrk
                else run_python(port, n, duration)
            )
        rss = [rss_of(pid) for pid in _server_pids(server)]
        result["server_rss_mb"] = rss
        result["server_peak_rss_mb"] = max(r["peak"] for r in rss)
        result["server_private_rss_mb"] = max(r["anon"] for r in rss)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result


def render(result: dict) -> str:
    rows = [
        [n, f["client"], f["rps"], f["p50_ms"], f["p99_ms"], f["errors"]]
        for n, f in result["runs"].items()
    ]
    return "\n".join(
        [
            (
                f"API /api/v1/search on {result['documents']:,} documents, {result['server_workers']} server process(es)"
                f" of {result.get('server_threads') or 40} request thread(s),"
                f" result cache {'on' if result.get('result_cache', True) else 'off'}"
                " (targets at 16 clients: ≥ 300 req/s, p99 ≤ 100 ms, 0 errors)"
            ),
            table(rows, ["clients", "client", "req/s", "p50 ms", "p99 ms", "errors"]),
            (
                f"server peak RSS per process: {[r['peak'] for r in result['server_rss_mb']]} MB, private (anonymous)"
                f" now: {[r['anon'] for r in result['server_rss_mb']]} MB (target ≤ 400 MB)"
            ),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=default_work())
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument(
        "--server-threads",
        type=int,
        default=1,
        help="request threads per server process (GAZETTE_SERVER_THREADS; 0: anyio's 40)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="run the server with the search result cache off (GAZETTE_SEARCH_CACHE_SIZE=0):"
        " every request searches",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(
        args.work,
        args.docs,
        args.clients,
        args.duration,
        args.server_workers,
        args.no_cache,
        args.server_threads or None,
    )
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
