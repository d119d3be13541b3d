"""``gazette`` subcommands.

Global options bind to the same ``GAZETTE_*`` variables as :class:`gazette.settings.Settings`.
Errors from the project arrive as :class:`gazette.errors.GazetteError` and are shown as
one red line with exit code 1 (2 for usage errors), never as a traceback unless
``GAZETTE_DEBUG`` is on.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gazette.errors import GazetteError
from gazette.model import STATUS_LABELS, Status
from gazette.settings import Settings

app = typer.Typer(
    name="gazette",
    help="Gazette Archive: a searchable archive of a government gazette and its normative documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


@app.callback()
def main(
    home: Annotated[
        Optional[Path], typer.Option("--home", envvar="GAZETTE_HOME", help="Data directory of the archive.")
    ] = None,
    backend: Annotated[
        Optional[str],
        typer.Option("--backend", envvar="GAZETTE_BACKEND", help="Search backend: sqlite or elasticsearch."),
    ] = None,
) -> None:
    if home is not None:
        os.environ["GAZETTE_HOME"] = str(home)
    if backend is not None:
        os.environ["GAZETTE_BACKEND"] = backend


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic ValidationError → one readable line
        raise GazetteError(f"invalid settings: {exc}".splitlines()[0] + " (check GAZETTE_* variables)") from exc


def _archive():
    from gazette.archive import Archive

    return Archive(_settings())


def handle_errors(fn):
    """Turn project errors into one readable line and a meaningful exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except GazetteError as exc:
            if os.environ.get("GAZETTE_DEBUG", "").lower() in ("1", "true", "yes"):
                raise
            err.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper


@app.command()
@handle_errors
def samples(
    directory: Annotated[Path, typer.Argument(help="Folder to write the sample PDFs into.")],
) -> None:
    """Write the project's synthetic sample PDFs (documents and whole gazette issues)."""
    from renderer.samples import write_samples

    paths = write_samples(directory)
    console.print(f"wrote {len(paths)} sample PDFs to {directory}")


@app.command()
@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders.")],
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", help="Parser processes.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcomes as JSON.")] = False,
) -> None:
    """Ingest PDFs: store, parse and index them. Exit code 0 only when nothing failed."""
    from gazette_cli.batch import ingest_paths, iter_sources

    files = list(iter_sources(paths))
    settings = _settings()
    with _archive() as archive:
        progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err,
            disable=as_json or not err.is_terminal,
        )
        with progress:
            task = progress.add_task("", total=len(files))
            outcomes = ingest_paths(
                archive,
                paths,
                workers=workers or settings.ingest_workers,
                timeout=settings.ingest_timeout,
                memory_mb=settings.ingest_memory_mb,
                group_files=settings.ingest_group_files,
                nice=settings.ingest_worker_nice,
                on_done=lambda o: progress.update(task, advance=1, description=o.path.name),
            )
    counts = {k: sum(1 for o in outcomes if o.status == k) for k in ("ingested", "unchanged", "failed")}
    if as_json:
        print(
            json.dumps(
                {
                    **counts,
                    "files": [
                        {
                            "path": str(o.path),
                            "status": o.status,
                            "reason": o.reason,
                            "documents": o.documents,
                            "warnings": o.warnings,
                        }
                        for o in outcomes
                    ],
                },
                ensure_ascii=False,
            )
        )
    else:
        for o in outcomes:
            if o.status == "failed":
                console.print(f"[red]failed[/red]  {o.path}: {o.reason}", highlight=False)
            for w in o.warnings:
                console.print(f"[yellow]warning[/yellow] {o.path}: {w}", highlight=False)
        docs = sum(o.documents for o in outcomes)
        console.print(
            f"ingested {counts['ingested']} ({docs} documents), unchanged {counts['unchanged']},"
            f" failed {counts['failed']}"
        )
    if counts["failed"]:
        raise typer.Exit(1)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value}") from None


@app.command()
@handle_errors
def search(
    query: Annotated[str, typer.Argument(help="Words to look for; quote a phrase.")],
    status: Annotated[Optional[Status], typer.Option("--status", help="valid, repealed or expired.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100)] = 10,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Status at this date (YYYY-MM-DD).")] = None,
    sort: Annotated[str, typer.Option("--sort", help="relevance or date (newest first).")] = "relevance",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search of the archive."""
    if sort not in ("relevance", "date"):
        raise typer.BadParameter("choose relevance or date", param_hint="--sort")
    from gazette.backends import SearchQuery

    try:
        q = SearchQuery(q=query, status=status, size=limit, as_of=_parse_date(as_of), sort=sort, facets=False)
    except ValueError as exc:
        raise typer.BadParameter(str(exc).splitlines()[0]) from None
    with _archive() as archive:
        result = archive.search(q)
    if as_json:
        print(
            json.dumps(
                {
                    "total": result.total,
                    "hits": [
                        {
                            "id": h.id,
                            "title": h.title,
                            "doc_number": h.doc_number,
                            "status": h.status.value,
                            "highlights": h.highlights,
                        }
                        for h in result.hits
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    console.print(f"{result.total} documents")
    for h in result.hits:
        console.print(
            f"[bold]{h.title}[/bold]  {h.doc_number or ''}  [{STATUS_LABELS[h.status]}]  {h.id}", highlight=False
        )
        for snip in h.highlights[:2]:
            console.print("    " + snip.replace("<mark>", "[yellow]").replace("</mark>", "[/yellow]"), highlight=False)


@app.command()
@handle_errors
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id, or a 发文字号.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the export record as JSON.")] = False,
) -> None:
    """Show one document's metadata, status history and text."""
    from gazette.archive import export_record
    from gazette.errors import NotFound

    with _archive() as archive:
        try:
            doc = archive.get(doc_id)
        except NotFound:
            found = archive.find_by_number(doc_id)
            if len(found) != 1:
                raise
            doc = found[0]
    if as_json:
        print(json.dumps(export_record(doc), ensure_ascii=False, indent=2))
        return
    table = Table(show_header=False, box=None)
    rows = [
        ("标题", doc.title),
        ("发文字号", doc.doc_number.text if doc.doc_number else (doc.doc_number_raw or "")),
        ("发文机关", "、".join(doc.issuers)),
        ("成文日期", str(doc.written_date or "")),
        ("施行日期", str(doc.effective_date or "")),
        ("有效期至", str(doc.expiry_date or "")),
        ("状态", f"{doc.status_label} {doc.status_reason}".strip()),
        ("公报", doc.gazette_issue or ""),
        ("id", doc.id),
    ]
    for k, v in rows:
        table.add_row(k, v)
    console.print(table)
    for ev in doc.events:
        console.print(f"  {ev.date} {ev.kind} {ev.basis_doc_number or ''} {ev.cause}", highlight=False)
    console.print()
    console.print(doc.text, highlight=False)


@app.command("export")
@handle_errors
def export_(
    fmt: Annotated[str, typer.Option("--format", help="jsonl (documents) or backup (a full backup folder).")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File or folder (default: stdout for jsonl).")] = None,
) -> None:
    """Export every document as JSON Lines, or the whole archive as a backup folder.

    A backup folder holds documents with their status history (and unmasked originals),
    gazette issues, repeal clauses and the original PDFs; `gazette import FOLDER`
    restores it.
    """
    if fmt not in ("jsonl", "backup"):
        raise typer.BadParameter("choose jsonl or backup", param_hint="--format")
    if fmt == "backup":
        if output is None:
            raise typer.BadParameter("a backup needs --output FOLDER", param_hint="--output")
        with _archive() as archive:
            counts = archive.export_full(output)
        err.print("backup written: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return
    with _archive() as archive:
        if output is None:
            n = archive.export_jsonl(sys.stdout)
        else:
            tmp = output.with_name(output.name + ".tmp")
            with open(tmp, "w", encoding="utf-8") as fh:
                n = archive.export_jsonl(fh)
            tmp.replace(output)
    err.print(f"exported {n} documents")


@app.command("import")
@handle_errors
def import_(
    file: Annotated[Path, typer.Argument(help="A JSONL file or a backup folder written by `gazette export`.")],
) -> None:
    """Import documents from a JSONL export, or restore a backup folder."""
    if file.is_dir():
        with _archive() as archive:
            counts = archive.import_full(file)
        console.print("restored: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return
    if not file.is_file():
        raise GazetteError(f"no such file: {file}")
    with _archive() as archive, open(file, encoding="utf-8") as fh:
        n = archive.import_jsonl(fh)
    console.print(f"imported {n} documents")


@app.command()
@handle_errors
def reindex() -> None:
    """Rebuild the search index from the archive's documents."""
    with _archive() as archive:
        n = archive.reindex()
    console.print(f"reindexed {n} documents")


@app.command()
@handle_errors
def check(
    repair: Annotated[
        bool, typer.Option("--repair", help="Delete stored copies no record points at (not those a running ingest staged).")
    ] = False,
) -> None:
    """Check records, search index and stored files against each other."""
    from gazette.store import staged_prefix
    from gazette_cli.batch import running_batches

    with _archive() as archive:
        problems = archive.check()
        n = archive.store.count_documents()
        # copies staged by an ingest running now are its own: it places or removes them
        running = tuple(staged_prefix(tag) for tag in running_batches(archive.store.home))
        orphans = [p for p in archive.orphan_files() if not (running and p.name.startswith(running))]
        for path in orphans:
            if repair:
                path.unlink(missing_ok=True)
        if orphans:
            verb = "removed" if repair else "found (harmless; --repair removes them)"
            console.print(f"{len(orphans)} unrecorded stored file(s) {verb}", highlight=False)
    for p in problems:
        console.print(f"[red]problem[/red] {p}", highlight=False)
    if problems:
        raise typer.Exit(1)
    console.print(f"archive is consistent ({n} documents)")


@app.command()
@handle_errors
def catalogue(
    fmt: Annotated[str, typer.Option("--format", help="json, csv, xlsx or html.")] = "html",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File (default: stdout; required for xlsx).")] = None,
    issuer: Annotated[Optional[str], typer.Option("--issuer", help="Only documents of this issuer.")] = None,
    status: Annotated[Optional[Status], typer.Option("--status", help="Only one group.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Status at this date (YYYY-MM-DD).")] = None,
    all_documents: Annotated[bool, typer.Option("--all", help="Include non-normative documents.")] = False,
) -> None:
    """Publish the validity catalogue (继续有效 / 废止 / 失效) of normative documents."""
    from gazette import catalogue as cat_mod

    if fmt not in ("json", "csv", "xlsx", "html"):
        raise typer.BadParameter("choose json, csv, xlsx or html", param_hint="--format")
    if fmt == "xlsx" and output is None:
        raise typer.BadParameter("xlsx needs --output FILE", param_hint="--output")
    with _archive() as archive:
        cat = cat_mod.build_catalogue(
            archive.store, as_of=_parse_date(as_of), issuer=issuer, status=status, normative_only=not all_documents
        )
    data: bytes
    if fmt == "json":
        data = json.dumps(cat_mod.to_json(cat), ensure_ascii=False, indent=2).encode("utf-8")
    elif fmt == "csv":
        data = cat_mod.to_csv(cat)
    elif fmt == "xlsx":
        data = cat_mod.to_xlsx(cat)
    else:
        data = cat_mod.to_html(cat).encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        err.print(f"wrote {cat.total} documents to {output}")


@app.command()
@handle_errors
def review(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List what needs the legal office's review: normative documents without a stated
    validity period, and repeal clauses whose target is not in the archive."""
    with _archive() as archive:
        flagged = [
            {"id": d.id, "title": d.title, "doc_number": d.doc_number.text if d.doc_number else None, "flags": d.flags}
            for d in archive.store.iter_documents()
            if d.flags
        ]
        unresolved = archive.unresolved_repeals()
    if as_json:
        print(json.dumps({"flagged": flagged, "unresolved_repeals": unresolved}, ensure_ascii=False, indent=2))
        return
    console.print(f"{len(flagged)} flagged documents")
    for f in flagged:
        console.print(f"  {f['id']}  {f['title']}  {f['doc_number'] or ''}  {', '.join(f['flags'])}", highlight=False)
    console.print(f"{len(unresolved)} unresolved repeal targets")
    for u in unresolved:
        console.print(f"  {u['doc_number'] or u['title']}  (in {u['basis_document_id']}): {u['sentence']}", highlight=False)


@app.command()
@handle_errors
def epub(
    issue: Annotated[Optional[str], typer.Argument(help="Gazette issue id, e.g. 2022-3.")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Build the annual volume of this year.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="EPUB file to write.")] = Path("gazette.epub"),
) -> None:
    """Build the mobile EPUB edition of a gazette issue, or of a whole year."""
    from epub_builder import build_issue_epub, build_year_epub

    if (issue is None) == (year is None):
        raise typer.BadParameter("give either an ISSUE (e.g. 2022-3) or --year")
    with _archive() as archive:
        path = build_issue_epub(archive, issue, output) if issue else build_year_epub(archive, year, output)
    console.print(f"wrote {path}")


@app.command()
def token(name: Annotated[str, typer.Argument(help="Who the token is for, e.g. legal-office.")]) -> None:
    """Make a write token for the legal office; prints the token once and the settings line."""
    from gazette.auth import hash_token, new_token

    tok = new_token()
    print(f"token (give it to {name}; it is not stored): {tok}")
    print(f"settings: GAZETTE_WRITE_TOKENS='{json.dumps({name: hash_token(tok)})}'")


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes; the first process accepts the connections and hands"
            " them to the others in turn (one per core suits searches, which are CPU-bound).",
        ),
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
) -> None:
    """Serve the JSON API and the web pages."""
    from gazette_cli.serve import serve as run_server

    run_server(_settings(), host=host, port=port, workers=workers, access_log=access_log)


if __name__ == "__main__":  # pragma: no cover
    app()
