"""Build (once, cached under ``--work``) the synthetic archives the search and API
benchmarks run on: a SQLite archive of ``n`` documents and the same documents in an
Elasticsearch index.

Documents come from :func:`bench.common.synth_documents`. The analyser runs in
``workers`` processes (:func:`gazette.backends.sqlite.analyse`,
:func:`gazette.backends.elasticsearch.to_source`, the latter with jieba answered from
the paragraph cache :class:`bench.common.ParagraphWords`); the main process stores the
records and writes the index, then merges the SQLite full-text segments as ``gazette
reindex`` does. A build runs in a folder of its own (``….building-PID``) and is moved
into place when finished, with ``build.json`` (its figures): concurrent builds never
delete each other's work, and a folder without ``build.json`` is rebuilt.

    python bench/archive_build.py --docs 10000 [--es]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    CACHE_FROM,
    ParagraphWords,
    cached_words,
    default_work,
    log,
    peak_rss_mb,
    synth_documents,
)


def sqlite_home(work: Path, n: int, seed: int = 0) -> Path:
    from gazette.backends.sqlite import SQLiteBackend

    from gazette.store import PAGE_SIZE

    return work / f"archive-{n}-s{seed}-fts{SQLiteBackend.FTS_VERSION}-p{PAGE_SIZE}"


def _analyse_batch(docs: list) -> list:
    from gazette.backends.sqlite import analyse

    return [analyse(d) for d in docs]


def _source_batch(docs: list) -> list:
    from gazette.backends.elasticsearch import to_source

    return [(d.id, to_source(d)) for d in docs]


def _bounded_imap(pool, fn, batches, window: int = 8):
    """``pool.imap`` with at most ``window`` batches in flight (imap itself reads its
    input eagerly, which would hold a whole 100,000-document archive in memory)."""
    pending = []
    for batch in batches:
        pending.append(pool.apply_async(fn, (batch,)))
        if len(pending) >= window:
            yield pending.pop(0).get()
    for r in pending:
        yield r.get()


def _batches(it, size: int):
    batch = []
    for x in it:
        batch.append(x)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build_sqlite(
    work: Path, n: int, *, seed: int = 0, workers: int = 2
) -> tuple[Path, dict]:
    """The cached SQLite archive of ``n`` synthetic documents (built if missing)."""
    from gazette.archive import Archive
    from gazette.settings import Settings

    home = sqlite_home(work, n, seed)
    done = home / "build.json"
    if done.exists():
        return home, json.loads(done.read_text())
    # Built in a folder of this process's own and moved into place when finished, so
    # that concurrent builds of the same archive never delete each other's work.
    building = home.with_name(f"{home.name}.building-{os.getpid()}")
    if building.exists():
        shutil.rmtree(building)
    log(f"building SQLite archive of {n:,} documents in {building}")
    archive = Archive(Settings(home=building))
    store, backend = archive.store, archive.backend
    t0 = time.monotonic()
    text_bytes = 0
    for batch in _batches(synth_documents(n, seed), 1000):
        with store.transaction():
            for d in batch:
                store.put_document(d)
                text_bytes += len(d.text.encode())
    t_store = time.monotonic() - t0
    log(
        f"  stored {n:,} records ({text_bytes / 1e6:.0f} MB of text) in {t_store:.0f} s"
    )
    t1 = time.monotonic()
    with mp.get_context("fork").Pool(workers) as pool:
        rows = (
            r
            for batch in _bounded_imap(
                pool, _analyse_batch, _batches(store.iter_documents(), 250)
            )
            for r in batch
        )
        indexed = backend.index_analysed(rows)
    backend.optimize()
    t_index = time.monotonic() - t1
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    log(f"  indexed {indexed:,} documents in {t_index:.0f} s")
    archive.close()
    figures = {
        "documents": n,
        "text_mb": round(text_bytes / 1e6, 1),
        "store_s": round(t_store, 1),
        "index_s": round(t_index, 1),
        "db_mb": round((building / "archive.sqlite3").stat().st_size / 1e6, 1),
        "build_peak_rss_mb": peak_rss_mb(),
    }
    (building / "build.json").write_text(json.dumps(figures, indent=2))
    if done.exists():  # another build finished first
        shutil.rmtree(building)
        return home, json.loads(done.read_text())
    if home.exists():  # an unfinished build left by an older version or a crash
        shutil.rmtree(home)
    building.rename(home)
    return home, figures


def es_prefix(n: int, seed: int = 0) -> str:
    return f"gazette-bench-{n}-s{seed}"


def build_es(work: Path, url: str, n: int, *, seed: int = 0, workers: int = 2):
    """The Elasticsearch index of the same documents as :func:`build_sqlite` (cached)."""
    from elasticsearch import helpers

    from gazette.backends.elasticsearch import ElasticsearchBackend
    from gazette.store import Store

    home, _ = build_sqlite(work, n, seed=seed, workers=workers)
    backend = ElasticsearchBackend(url, index_prefix=es_prefix(n, seed), timeout=120)
    marker = home / f"es-{es_prefix(n, seed)}.json"
    if marker.exists():
        try:
            if backend.count() == n:
                return backend, json.loads(marker.read_text())
        except Exception as exc:  # noqa: BLE001 - index gone (test server restarted): rebuild
            log(f"cached index unusable ({type(exc).__name__}); rebuilding")
    pw = ParagraphWords.load(work, workers) if n >= CACHE_FROM else None
    log(f"building Elasticsearch index {backend.alias} of {n:,} documents")
    backend.drop()
    backend.ensure_index()
    client = backend.client
    client.indices.put_settings(
        index=backend.alias,
        settings={"index.refresh_interval": "-1", "index.number_of_replicas": 0},
    )
    store = Store(home)
    t0 = time.monotonic()
    ok = 0
    with cached_words(pw), mp.get_context("fork").Pool(workers) as pool:
        actions = (
            {
                "_op_type": "index",
                "_index": backend.alias,
                "_id": doc_id,
                "_source": src,
            }
            for batch in _bounded_imap(
                pool, _source_batch, _batches(store.iter_documents(), 250)
            )
            for doc_id, src in batch
        )
        for success, _ in helpers.streaming_bulk(
            client,
            actions,
            chunk_size=500,
            max_chunk_bytes=20 * 1024 * 1024,
            max_retries=6,
            raise_on_error=True,
        ):
            ok += success
    client.indices.put_settings(
        index=backend.alias, settings={"index.refresh_interval": None}
    )
    backend.refresh()
    client.options(request_timeout=1800).indices.forcemerge(
        index=backend.alias, max_num_segments=1
    )
    elapsed = time.monotonic() - t0
    log(f"  indexed {ok:,} documents in {elapsed:.0f} s")
    store.close()
    figures = {"documents": ok, "index_s": round(elapsed, 1)}
    marker.write_text(json.dumps(figures))
    return backend, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=default_work())
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--es", help="also build the Elasticsearch index at this URL")
    args = parser.parse_args()
    home, figures = build_sqlite(args.work, args.docs, workers=args.workers)
    print(json.dumps({"home": str(home), **figures}, indent=2))
    if args.es:
        _, es_figures = build_es(args.work, args.es, args.docs, workers=args.workers)
        print(json.dumps(es_figures, indent=2))


if __name__ == "__main__":
    main()
