"""Indexing throughput and search latency, SQLite and Elasticsearch side by side.

* **Indexing**: ``--index-docs`` fresh synthetic documents (real jieba, no cache) are
  stored and indexed into a new SQLite archive and, in bulk, into a new Elasticsearch
  index — each once with the analyser in this process (what ``gazette ingest`` and
  ``gazette reindex`` do today) and once with it in ``--workers`` processes. Figures:
  documents/s and MB/s of UTF-8 text.
* **Search**: on the cached archives of each ``--sizes`` (see ``bench/archive_build.py``),
  every query of :data:`KINDS` is run ``--rounds`` times per backend after a warm-up
  (:func:`warm_up`: rounds of all queries until round times stop falling, which
  Elasticsearch needs after a start; the first round's figures are reported),
  in-process through the backend's ``search`` (page 1, 10 hits, highlights
  included); p50/p95/p99 per kind. The SQLite result cache and Elasticsearch's shard
  request cache (which keeps the counting half of a ranked faceted search) are off
  unless ``--cache`` (with it, every timed search repeats a warm-up query and is
  answered from the cache).
  ``--sql-facets`` measures SQLite with its facet planes off: the SQL grouping every
  facet falls back to when a field has more than ``Planes.MAX_VALUES`` values (a
  province's archive with thousands of issuers).

    python bench/search_bench.py --sizes 10000 100000 --es http://127.0.0.1:9200
    python bench/search_bench.py --sizes 10000 100000 --index-docs 0   # search only
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import default_work, log, percentiles, synth_documents, table

#: Query kinds: ``(params for SearchQuery)``. Only "faceted" asks for facets; the others
#: isolate matching, ranking and highlighting. "paged" reads later pages of the ranked
#: order: within the title matches, across their end into the other matches (at
#: 100,000 documents 行政处罚 has about 100 public title matches, 数据 about 120,
#: 税收优惠 none), and deep into a rank tier.
KINDS: dict[str, list[dict]] = {
    "word": [
        {"q": q}
        for q in (
            "住房公积金",
            "行政处罚",
            "环境保护",
            "安全生产",
            "税收优惠",
            "消费者权益保护",
            "不动产登记",
            "医疗保障",
            "城市规划",
            "物业管理",
            "人民代表大会常务委员会",
            "土地 出让",
        )
    ],
    "short": [
        {"q": q}
        for q in ("房", "税", "法", "林", "数据", "土地", "医疗", "规定", "水", "车")
    ],
    "phrase": [
        {"q": q}
        for q in (
            '"法律责任"',
            '"自公布之日起施行"',
            '"住房公积金管理"',
            '"县级以上地方人民政府"',
            '"由国务院规定"',
            '"依法给予处分"',
        )
    ],
    "filtered": [
        {"q": "住房公积金", "status": "valid"},
        {"q": "行政处罚", "year": 2015},
        {"q": "环境保护", "doc_type": "通知"},
        {"q": "法", "issuer": "静乐县人民政府"},
        {"q": "税收", "normative_only": True, "status": "expired"},
        {"q": "土地", "date_from": "2000-01-01", "date_to": "2010-12-31"},
        {"q": "", "doc_number_prefix": "静政发", "sort": "date"},
        {"q": "安全生产", "sort": "date", "page": 3},
    ],
    "faceted": [
        {"q": q, "facets": True}
        for q in (
            "住房公积金",
            "行政处罚",
            "房",
            "法",
            "数据",
            '"法律责任"',
            "安全生产 责任",
            "",
        )
    ],
    "paged": [
        {"q": "住房公积金", "page": 2},
        {"q": "行政处罚", "page": 11},
        {"q": "数据", "page": 13},
        {"q": "税收优惠", "page": 5},
        {"q": "法", "page": 50},
        {"q": "房", "page": 150},
        {"q": "环境保护", "page": 120},
        {"q": '"法律责任"', "page": 30},
    ],
}


def queries_of(kind: str):
    from gazette.backends.base import SearchQuery

    out = []
    for params in KINDS[kind]:
        p = {"facets": False, **params}
        out.append(SearchQuery(**p))
    return out


#: Warm-up: rounds of every kind's queries until :data:`WARM_STEADY` rounds in a row
#: fail to beat the fastest round so far by :data:`WARM_GAIN`, at least
#: :data:`WARM_MIN` and at most :data:`WARM_MAX` rounds.
WARM_MIN, WARM_MAX, WARM_STEADY, WARM_GAIN = 2, 40, 3, 0.05


def warm_up(backend) -> dict:
    """Run every query of :data:`KINDS` in rounds until round times stop falling.

    Elasticsearch gets faster over its first few hundred searches after a start (or
    a build, which warms only the indexing code): its JVM compiles the search code as
    queries arrive, and its query cache admits filters once they repeat. A round of
    all kinds took 1.63 s and 1.97 s of server CPU at first, falling over about six
    rounds to 0.34 s and 0.37 s. One pass per kind left the first timed rounds inside
    that slope, so the steady state the targets are about is measured after this
    instead. The first round is returned too: what the first searches after a start
    cost.
    """
    queries = [q for kind in KINDS for q in queries_of(kind)]
    times: list[float] = []
    first: list[float] = []
    best, stale = float("inf"), 0
    while len(times) < WARM_MAX:
        t_round = time.perf_counter()
        for q in queries:
            t0 = time.perf_counter()
            backend.search(q)
            if not times:
                first.append(time.perf_counter() - t0)
        times.append(time.perf_counter() - t_round)
        if times[-1] < best * (1 - WARM_GAIN):
            best, stale = times[-1], 0
        else:
            stale += 1
        if len(times) >= WARM_MIN and stale >= WARM_STEADY:
            break
    return {
        "rounds": len(times),
        "first_round_s": round(times[0], 3),
        "last_round_s": round(times[-1], 3),
        "first_round": percentiles(first),
    }


def search_latency(backend, rounds: int) -> dict:
    """Per kind: latency percentiles of ``backend.search`` and the mean total hits,
    after :func:`warm_up` (under the key ``"warm_up"``)."""
    out: dict = {"warm_up": warm_up(backend)}
    for kind in KINDS:
        queries = queries_of(kind)
        samples, totals = [], []
        for _ in range(rounds):
            for q in queries:
                t0 = time.perf_counter()
                r = backend.search(q)
                samples.append(time.perf_counter() - t0)
                totals.append(r.total)
        out[kind] = {
            **percentiles(samples),
            "mean_total": round(sum(totals) / len(totals)),
        }
    return out


# -- indexing -----------------------------------------------------------------------------
def _analyse(docs):
    from gazette.backends.sqlite import analyse

    return [analyse(d) for d in docs]


def _sources(docs):
    from gazette.backends.elasticsearch import to_source

    return [(d.id, to_source(d)) for d in docs]


def _chunks(seq, size):
    return [seq[i : i + size] for i in range(0, len(seq), size)]


def index_sqlite(docs, workers: int) -> dict:
    from gazette.archive import Archive
    from gazette.settings import Settings

    mb = sum(len(d.text.encode()) for d in docs) / 1e6
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, procs in (
            ("1 process", 1),
            (f"analyser in {workers} processes", workers),
        ):
            archive = Archive(Settings(home=Path(tmp) / label.replace(" ", "-")))
            t0 = time.perf_counter()
            with archive.store.transaction():
                stored = [archive.store.put_document(d) for d in docs]
            if procs == 1:
                archive.backend.index(stored)
            else:
                with mp.get_context("fork").Pool(procs) as pool:
                    rows = (
                        r for b in pool.imap(_analyse, _chunks(stored, 100)) for r in b
                    )
                    archive.backend.index_analysed(rows)
            dt_ = time.perf_counter() - t0
            archive.close()
            out[label] = _rate(len(docs), mb, dt_)
    return out


def _rate(docs: int, mb: float, seconds: float) -> dict:
    """Indexing figures: documents/s, MB/s of text, seconds."""
    return {
        "docs_s": round(docs / seconds, 1),
        "mb_s": round(mb / seconds, 2),
        "seconds": round(seconds, 1),
    }


def index_es(docs, url: str, workers: int) -> dict:
    from elasticsearch import helpers

    from gazette.backends.elasticsearch import ElasticsearchBackend

    mb = sum(len(d.text.encode()) for d in docs) / 1e6
    out = {}
    for label, procs in (
        ("1 process", 1),
        (f"analyser in {workers} processes", workers),
    ):
        backend = ElasticsearchBackend(
            url, index_prefix=f"gazette-bench-idx-{procs}", timeout=120
        )
        backend.drop()
        backend.ensure_index()
        t0 = time.perf_counter()
        if procs == 1:
            backend.index(
                docs
            )  # bulk-load settings for ≥ 1,000 documents, then refresh
        else:
            backend.client.indices.put_settings(
                index=backend.alias, settings={"index.refresh_interval": "-1"}
            )
            with mp.get_context("fork").Pool(procs) as pool:
                actions = (
                    {
                        "_op_type": "index",
                        "_index": backend.alias,
                        "_id": i,
                        "_source": s,
                    }
                    for b in pool.imap(_sources, _chunks(docs, 100))
                    for i, s in b
                )
                for _ in helpers.streaming_bulk(
                    backend.client, actions, chunk_size=500, max_retries=6
                ):
                    pass
            backend.client.indices.put_settings(
                index=backend.alias, settings={"index.refresh_interval": None}
            )
            backend.refresh()
        dt_ = time.perf_counter() - t0
        assert backend.count() == len(docs), "Elasticsearch lost documents"
        backend.drop()
        out[label] = _rate(len(docs), mb, dt_)
    return out


def run(
    work: Path,
    sizes: list[int],
    es_url: str | None,
    index_docs: int,
    rounds: int,
    workers: int,
    cache: bool = False,
    sql_facets: bool = False,
) -> dict:
    from archive_build import build_es, build_sqlite

    from gazette.archive import Archive
    from gazette.backends.planes import Planes
    from gazette.settings import Settings

    if sql_facets:  # every field "has too many values": facets grouped in SQL
        Planes.MAX_VALUES = 0
    result: dict = {"indexing": {}, "search": {}, "builds": {}}
    if index_docs:
        docs = list(synth_documents(index_docs, seed=7))
        mb = sum(len(d.text.encode()) for d in docs) / 1e6
        log(f"indexing {index_docs} documents ({mb:.1f} MB)")
        result["indexing"]["documents"] = index_docs
        result["indexing"]["text_mb"] = round(mb, 2)
        result["indexing"]["sqlite"] = index_sqlite(docs, workers)
        if es_url:
            result["indexing"]["elasticsearch"] = index_es(docs, es_url, workers)
    for n in sizes:
        home, figures = build_sqlite(work, n, workers=workers)
        result["builds"][f"sqlite_{n}"] = figures
        log(f"search latency, SQLite, {n:,} documents")
        archive = Archive(Settings(home=home, search_cache_size=512 if cache else 0))
        label = f"sqlite_{n}" + ("_sql_facets" if sql_facets else "")
        result["search"][label] = search_latency(archive.backend, rounds)
        archive.close()
        if es_url:
            backend, es_figures = build_es(work, es_url, n, workers=workers)
            result["builds"][f"elasticsearch_{n}"] = es_figures
            log(f"search latency, Elasticsearch, {n:,} documents")
            backend.client.indices.put_settings(
                index=backend.alias, settings={"index.requests.cache.enable": cache}
            )
            result["search"][f"elasticsearch_{n}"] = search_latency(backend, rounds)
            backend.close()
    return result


def render(result: dict) -> str:
    lines = []
    idx = result["indexing"]
    if idx:
        rows = []
        for backend in ("sqlite", "elasticsearch"):
            for label, f in idx.get(backend, {}).items():
                rows.append([backend, label, f["docs_s"], f["mb_s"]])
        lines.append(f"Indexing {idx['documents']} documents ({idx['text_mb']} MB)")
        lines.append(table(rows, ["backend", "analyser", "docs/s", "MB/s"]))
    rows, warm = [], []
    for key, kinds in result["search"].items():
        for kind, f in kinds.items():
            if kind == "warm_up":
                first = f["first_round"]
                warm.append(
                    [key, f["rounds"], f["first_round_s"], f["last_round_s"],
                     first["p50_ms"], first["p95_ms"], first["max_ms"]]
                )
                continue
            rows.append(
                [key, kind, f["p50_ms"], f["p95_ms"], f["p99_ms"], f["mean_total"]]
            )
    lines.append("\nSearch latency (ms; target p95 ≤ 20 ms at 100,000 documents)")
    lines.append(table(rows, ["archive", "kind", "p50", "p95", "p99", "mean hits"]))
    if warm:
        lines.append("\nWarm-up (rounds of every query until round times stop falling)")
        lines.append(
            table(
                warm,
                ["archive", "rounds", "first s", "last s", "first p50", "first p95", "first max"],
            )
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=default_work())
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--es", help="Elasticsearch URL (omit to measure SQLite only)")
    parser.add_argument(
        "--index-docs", type=int, default=2000, help="0 skips the indexing figures"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--cache",
        action="store_true",
        help="keep the SQLite result cache and Elasticsearch's request cache on "
        "(repeated queries are then cache hits)",
    )
    parser.add_argument(
        "--sql-facets",
        action="store_true",
        help="SQLite facets grouped in SQL (its fallback for fields of > 4,096 values)",
    )
    args = parser.parse_args()
    result = run(
        args.work,
        args.sizes,
        args.es,
        args.index_docs,
        args.rounds,
        args.workers,
        cache=args.cache,
        sql_facets=args.sql_facets,
    )
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
