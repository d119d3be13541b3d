"""The `gazette` command end to end, in-process: samples → ingest → search → show →
export → import, bad input in a batch, and full backups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from gazette_cli.main import app

runner = CliRunner()


def run(home: Path, *args: str, ok: bool = True):
    result = runner.invoke(app, ["--home", str(home), *args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("samples")
    result = runner.invoke(app, ["samples", str(d)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return d


@pytest.fixture(scope="module")
def home(tmp_path_factory, samples) -> Path:
    h = tmp_path_factory.mktemp("home")
    result = runner.invoke(app, ["--home", str(h), "ingest", str(samples)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "failed 0" in result.output
    return h


def test_reingest_changes_nothing(home, samples):
    before = run(home, "export").stdout
    out = run(home, "ingest", str(samples)).output
    assert "ingested 0" in out and "failed 0" in out
    assert run(home, "export").stdout == before


def test_search_json_shape(home):
    payload = json.loads(run(home, "search", "公共租赁住房", "--json").stdout)
    assert payload["total"] >= 1
    hit = payload["hits"][0]
    assert set(hit) == {"id", "title", "doc_number", "status", "highlights"}
    assert "公共租赁住房" in hit["title"]
    assert any("<mark>公共租赁住房</mark>" in h for hit in payload["hits"] for h in hit["highlights"])


def test_search_status_filter_and_repeal(home):
    repealed = json.loads(run(home, "search", "管理办法", "--status", "repealed", "--json").stdout)
    assert "静政发〔2019〕3号" in {h["doc_number"] for h in repealed["hits"]}
    valid = json.loads(run(home, "search", "管理办法", "--status", "valid", "--json").stdout)
    assert "静政发〔2019〕3号" not in {h["doc_number"] for h in valid["hits"]}


def test_show_by_number_in_any_brackets(home):
    out = run(home, "show", "静政发[2019]3号").stdout
    assert "静乐县城区临时占道经营管理办法" in out and "废止" in out
    rec = json.loads(run(home, "show", "静政发（2019）3号", "--json").stdout)
    assert rec["status"] == "repealed" and rec["doc_number"] == "静政发〔2019〕3号"


def test_show_unknown_is_one_line_error(home):
    result = run(home, "show", "nope", ok=False)
    assert result.exit_code == 1
    assert "no document nope" in result.output and "Traceback" not in result.output


def test_export_fields(home):
    lines = run(home, "export", "--format", "jsonl").stdout.splitlines()
    rec = json.loads(lines[0])
    for key in (
        "id", "title", "issuer", "doc_number", "doc_number_prefix", "doc_number_year", "doc_number_serial",
        "registration_number", "doc_type", "is_normative", "written_date", "published_date", "effective_date",
        "expiry_date", "status", "status_reason", "gazette_issue", "pages", "disclosure", "text",
    ):
        assert key in rec


def test_export_import_roundtrip(home, tmp_path):
    exported = tmp_path / "all.jsonl"
    run(home, "export", "-o", str(exported))
    other = tmp_path / "other"
    run(other, "import", str(exported))
    assert run(other, "export").stdout == exported.read_text(encoding="utf-8")
    assert "archive is consistent" in run(other, "check").stdout


def test_backup_roundtrip_with_files_issues_and_history(home, tmp_path):
    backup = tmp_path / "backup"
    run(home, "export", "--format", "backup", "-o", str(backup))
    restored = tmp_path / "restored"
    run(restored, "import", str(backup))
    assert run(restored, "export").stdout == run(home, "export").stdout
    again = tmp_path / "backup2"
    run(restored, "export", "--format", "backup", "-o", str(again))
    for name in ("documents.jsonl", "issues.jsonl", "repeal_clauses.jsonl"):
        assert (again / name).read_text(encoding="utf-8") == (backup / name).read_text(encoding="utf-8"), name
    assert sorted(p.name for p in (again / "files").iterdir()) == sorted(p.name for p in (backup / "files").iterdir())
    assert "archive is consistent" in run(restored, "check").stdout


def test_bad_input_is_reported_and_the_batch_goes_on(tmp_path, samples):
    bad = tmp_path / "batch"
    bad.mkdir()
    good = next((samples / "docs").glob("*.pdf"))
    (bad / "good.pdf").write_bytes(good.read_bytes())
    (bad / "empty.pdf").write_bytes(b"")
    (bad / "not-a-pdf.pdf").write_text("<html>hello</html>")
    (bad / "truncated.pdf").write_bytes(good.read_bytes()[: len(good.read_bytes()) // 3])
    c = canvas.Canvas(str(bad / "encrypted.pdf"), encrypt="secret")
    c.drawString(100, 700, "secret")
    c.save()
    c = canvas.Canvas(str(bad / "image-only.pdf"))
    c.rect(100, 100, 200, 200, fill=1)
    c.save()
    home = tmp_path / "home"
    result = run(home, "ingest", str(bad), "--json", ok=False)
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    outcomes = {Path(f["path"]).name: f for f in payload["files"]}
    assert outcomes["good.pdf"]["status"] == "ingested"
    for name in ("empty.pdf", "not-a-pdf.pdf", "truncated.pdf", "encrypted.pdf", "image-only.pdf"):
        assert outcomes[name]["status"] == "failed", name
        assert outcomes[name]["reason"] and "\n" not in outcomes[name]["reason"], name
    assert "encrypt" in outcomes["encrypted.pdf"]["reason"].lower() or "password" in outcomes["encrypted.pdf"]["reason"].lower()
    assert "archive is consistent (1 documents)" in run(home, "check").stdout
    # the workers copy what they parsed into the store; nothing of a failed file is kept
    from gazette.archive import Archive
    from gazette.settings import Settings

    with Archive(Settings(home=home)) as archive:
        (recorded,) = archive.store.files()
        assert (home / recorded["stored_path"]).read_bytes() == good.read_bytes()
        assert archive.orphan_files() == []
        assert [p.name for p in archive.store.files_dir.rglob("*") if p.is_file()] == [Path(recorded["stored_path"]).name]


def test_catalogue_command(home, tmp_path):
    out = tmp_path / "cat.xlsx"
    run(home, "catalogue", "--format", "xlsx", "-o", str(out))
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["继续有效", "废止", "失效"]
    titles = [c.value for c in wb["废止"]["B"]][1:]
    assert "静乐县城区临时占道经营管理办法" in titles


def test_epub_command(home, tmp_path):
    out = tmp_path / "g.epub"
    run(home, "epub", "2022-3", "-o", str(out))
    assert out.read_bytes()[:2] == b"PK"
