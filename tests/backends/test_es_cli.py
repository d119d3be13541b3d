"""The whole archive on Elasticsearch: the CLI's ingest, search, export and reindex
with GAZETTE_BACKEND=elasticsearch give the same answers as the embedded default,
on the sample corpus and on over a thousand real documents."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gazette.archive import export_record
from gazette_cli.main import app
from renderer.corpus import record_to_document
from tests.backends import es_support

runner = CliRunner()

QUERIES = ["管理办法", "公共租赁住房", "废止", "通知", "税", '"县人民政府"', "住房 保障"]


def _run(env: dict, *args: str) -> str:
    result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def es_env(tmp_path):
    url = es_support.es_url()
    prefix = f"t{uuid.uuid4().hex[:10]}"
    env = {
        "GAZETTE_HOME": str(tmp_path / "es-home"),
        "GAZETTE_BACKEND": "elasticsearch",
        "GAZETTE_ES_URL": url,
        "GAZETTE_ES_INDEX_PREFIX": prefix,
    }
    yield env
    from gazette.backends.elasticsearch import ElasticsearchBackend

    es_support.drop(ElasticsearchBackend(url, index_prefix=prefix))


def _records(export: str) -> list[dict]:
    """Export records without the times events were recorded (the two archives were
    ingested seconds apart)."""
    out = []
    for line in export.splitlines():
        rec = json.loads(line)
        for ev in rec["events"]:
            ev.pop("recorded_at")
        out.append(rec)
    return out


def _compare(es_env: dict, sqlite_env: dict, queries: list[str]) -> None:
    for q in queries:
        for extra in ([], ["--status", "valid"]):
            es = json.loads(_run(es_env, "search", q, "--json", "--limit", "100", *extra))
            lite = json.loads(_run(sqlite_env, "search", q, "--json", "--limit", "100", *extra))
            assert es["total"] == lite["total"], q
            if es["total"] <= 100:
                assert {h["id"] for h in es["hits"]} == {h["id"] for h in lite["hits"]}, q
            # by date the order is fully determined: the same pages from both
            es = json.loads(_run(es_env, "search", q, "--json", "--limit", "50", "--sort", "date", *extra))
            lite = json.loads(_run(sqlite_env, "search", q, "--json", "--limit", "50", "--sort", "date", *extra))
            assert [h["id"] for h in es["hits"]] == [h["id"] for h in lite["hits"]], q
            by_id = {h["id"]: h for h in lite["hits"]}
            for h in es["hits"]:
                assert h["highlights"] == by_id[h["id"]]["highlights"], (q, h["id"])


def test_samples_on_elasticsearch_match_sqlite(es_env, tmp_path):
    samples = tmp_path / "samples"
    _run({}, "samples", str(samples))
    sqlite_env = {"GAZETTE_HOME": str(tmp_path / "sqlite-home")}
    assert "failed 0" in _run(es_env, "ingest", str(samples))
    assert "failed 0" in _run(sqlite_env, "ingest", str(samples))
    _compare(es_env, sqlite_env, QUERIES)
    assert _records(_run(es_env, "export")) == _records(_run(sqlite_env, "export"))
    assert "reindexed 13 documents" in _run(es_env, "reindex")
    _compare(es_env, sqlite_env, QUERIES[:3])
    assert "archive is consistent" in _run(es_env, "check")


@pytest.mark.corpus
def test_a_thousand_real_documents_on_elasticsearch(es_env, tmp_path, corpus_dir):
    lines = []
    seen = set()
    for kind in ("local_policies", "state_council"):
        for raw in (corpus_dir / f"{kind}.jsonl").read_text(encoding="utf-8").splitlines():
            doc = record_to_document(json.loads(raw), kind)
            if doc is not None and doc.id not in seen:
                seen.add(doc.id)
                lines.append(json.dumps(export_record(doc), ensure_ascii=False))
    assert len(lines) >= 1000
    data = tmp_path / "real.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sqlite_env = {"GAZETTE_HOME": str(tmp_path / "sqlite-home")}
    assert f"imported {len(lines)} documents" in _run(es_env, "import", str(data))
    _run(sqlite_env, "import", str(data))
    _compare(es_env, sqlite_env, ["住房公积金", "房", "贷款 利率", '"缴存基数"', "国务院"])
    assert f"reindexed {len(lines)} documents" in _run(es_env, "reindex")
    assert _run(es_env, "export") == _run(sqlite_env, "export")
