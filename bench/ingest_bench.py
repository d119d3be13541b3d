"""Ingest throughput on rendered real documents, beside its limits; segmenter speed.

Renders ``--pdfs`` real documents of ../shared/corpus (``renderer.corpus.select_documents``)
to GB/T 9704 PDFs once per font set (``--fonts``, cached under ``--work``):

* **cid** — fonts named, not embedded (reportlab's STSong-Light): pdfium substitutes a
  system CJK font and spends most of its time measuring that font's glyphs through
  FreeType. This is pdfium's worst case, and the set the bench has always measured
  (folder ``pdfs-N``);
* **ttf** — subset TrueType fonts embedded, as gazettes made with Word/WPS are
  (``RenderOptions(font="ttf")``, folder ``pdfs-N-ttf``). pdfium reads the glyphs it
  needs from the file, so its own share shrinks and ingest's own code dominates.
  Skipped, with a note in the result, when no CJK TrueType font is installed
  (:class:`renderer.fonts.FontUnavailable`).

Both are measured because each shows a different part: on the CID set pdfium's font
work weighs on ingest and its baselines alike, and on the embedded set what is left is
mostly ingest's own code, where changes to ingest show. On each set's files it
measures, side by side, each with ``--workers`` processes:

* **pypdfium2 raw text** — open + ``get_text_range`` per page: the physical limit the
  issue names, stock pypdfium2;
* **pypdfium2 raw text, fonts cached** — the same with system fonts read once per
  process, as ingest reads them (:mod:`ingest.fontcache`): stock pdfium re-reads a
  whole CJK font collection for every file that names a font without embedding it, so
  this is the limit ingest itself works against;
* **pdfplumber text only** — ``pdfplumber`` ``extract_text`` per page: no pipeline at all,
  the fastest anything built on pdfplumber can be;
* **pdfplumber-only pipeline** — ingest's stages with pdfplumber as the only extractor
  (:func:`ingest.extract.extract_with_pdfplumber`, then clean and parse:
  :func:`ingest.pipeline.parse_extraction`), without indexing;
* **extract stage** — ``ingest.extract.extract`` (characters with positions, sizes and
  colours, lines, columns, the text-layer verdict: as ingest runs);
* **end to end** — ``gazette_cli.batch.ingest_paths`` into a fresh archive (extract,
  clean, parse in isolated workers; segment and index in the parent), pages/s. The
  archive is made under ``--work``, like everything else the bench writes: put
  ``--work`` on the disk an archive would live on. (A fresh archive's store makes a
  directory for most of its first few hundred files; on the development VM's ext4 that
  cost from 0.1 to 1 ms of CPU per directory depending on where, and when, it was made.)

and the ratios of end to end to each baseline. The figures of a set sit under
``result["sets"][name]``, with the set's description. Each timing but pdfplumber's (the
slow baselines) is the best of ``--repeat`` runs: one run of the default 100 files
(557 pages) lasts well under a second, and a pool start or a background task moves it
by a fifth. Those runs go round by round — each quick variant once per round — so that
the machine's slow spells fall on the baselines and on end to end alike.

Measured once, on the cid set's files (rendered for that even when ``--fonts`` leaves
the set out, so the figures stay comparable between runs), as neither depends on fonts:

Saving into a grown archive: ms per file of saving (the parent's share of ingest) the
same parsed files one by one (``Archive.save_source``) and in ingest's groups
(``Archive.save_sources``), into an archive where ``--waiting`` repeal clauses wait for
documents never archived (synthetic clauses; a province's backlog gathers thousands),
beside the same into an archive with none.

Segmenter: MB/s of :func:`gazette.analysis.words` (jieba search mode, user dictionary)
on corpus text in one process and in ``--workers`` processes, and of ``jieba_fast``
when installed, with whether its output is identical. Peak RSS of ``gazette ingest``
and of its parser workers, each font set's files ingested once more by that command
in a process of its own.

    python bench/ingest_bench.py --pdfs 200
    python bench/ingest_bench.py --fonts ttf
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import corpus_records, default_work, log, paragraphs_of, table

#: The font sets the bench can render, with what each stands for.
FONT_SETS = {
    "cid": "fonts named, not embedded (STSong-Light): pdfium substitutes a system CJK font",
    "ttf": "subset TrueType fonts embedded, as Word/WPS gazettes are",
}


def render_pdfs(work: Path, n: int, font: str = "cid") -> tuple[Path, int]:
    """``n`` rendered corpus documents with the font set ``font`` in a cached folder;
    returns it and the page count. The ``cid`` set keeps the folder name it had before
    there were sets (``pdfs-N``), so existing caches stay valid.

    Raises :class:`renderer.fonts.FontUnavailable` for ``ttf`` when no CJK TrueType
    font is installed, before anything is written."""
    from renderer import RenderOptions, render_document
    from renderer.corpus import select_documents
    from renderer.fonts import fonts_for

    folder = work / (f"pdfs-{n}" if font == "cid" else f"pdfs-{n}-{font}")
    done = folder / "pages.json"
    if done.exists():
        return folder, json.loads(done.read_text())["pages"]
    options = RenderOptions(font=font)
    fonts_for(options)
    folder.mkdir(parents=True, exist_ok=True)
    pages = 0
    t0 = time.monotonic()
    for i, spec in enumerate(select_documents(n)):
        pages += render_document(spec, folder / f"doc-{i:04d}.pdf", options).page_count
    log(f"rendered {n} PDFs ({font}, {pages} pages) in {time.monotonic() - t0:.0f} s")
    done.write_text(json.dumps({"pages": pages}))
    return folder, pages


def _pdfium_text(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    n = len(doc)
    for i in range(n):
        page = doc[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    doc.close()
    return n


def _pdfium_text_fonts_cached(path: Path) -> int:
    """:func:`_pdfium_text` with system fonts read once per process, as ingest reads
    them (:mod:`ingest.fontcache`): the raw limit with the same font caching. The
    keeper hands out pdfium page handles, read here as ``get_text_range`` reads a
    page (the whole text as UTF-16)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from ingest import fontcache

    fontcache.install()
    doc = pdfium.PdfDocument(str(path))
    keeper = fontcache.PageKeeper(doc)
    n = len(doc)
    for i in range(n):
        page = keeper.open(i)
        tp = raw.FPDFText_LoadPage(ctypes.cast(page, raw.FPDF_PAGE))
        count = raw.FPDFText_CountChars(tp)
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        raw.FPDFText_GetText(tp, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        buffer.raw[: count * 2].decode("utf-16-le", errors="ignore")
        raw.FPDFText_ClosePage(tp)
        keeper.close(page)
    keeper.close_document()
    return n


def _plumber_text(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def _plumber_pipeline(path: Path) -> int:
    from ingest.extract import extract_with_pdfplumber
    from ingest.pipeline import parse_extraction

    extraction = extract_with_pdfplumber(path)
    parse_extraction(extraction, path)
    return extraction.page_count


def _extract_stage(path: Path) -> int:
    from ingest.extract import extract

    return extract(path).page_count


#: Folders of timed runs' archives, removed together when the bench ends (:func:`scratch`).
_SCRATCH: list[Path] = []


def scratch(work: Path) -> Path:
    """A new folder under ``work`` for one timed run's archive, removed at the end of the
    bench (:func:`clean_scratch`), not right after the run.

    On ext4 without a journal (the development VM's root file system), allocating an
    inode passes over those freed in the last one to six minutes, checking each
    (``find_inode_bit``, ``recently_deleted``). Removing a run's archive — a few hundred
    files and folders — just before the next run made that run's file creation several
    times dearer: 4.8 % of all CPU samples of ten ingests in a row (``perf record``), and
    0.5 % with the removals left to the end. An archive in use is not emptied between
    two ingests, so leaving them to the end measures ingest as it runs.
    """
    folder = Path(tempfile.mkdtemp(dir=work, prefix="timed-"))
    _SCRATCH.append(folder)
    return folder


def clean_scratch() -> None:
    """Remove the folders :func:`scratch` made."""
    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


def _pages_per_s(fn, files: list[Path], workers: int) -> dict:
    """Pages/s of one run of ``fn`` over ``files`` in a pool of ``workers`` (started
    inside the timing); :func:`measure_set` repeats the quick ones."""
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(workers) as pool:
        pages = sum(pool.map(fn, files, chunksize=1))
    took = time.perf_counter() - t0
    return {"pages": pages, "seconds": round(took, 2), "pages_s": round(pages / took, 1)}


def _ingest_once(files_dir: Path, pages: int, workers: int, work: Path) -> dict:
    """One batch ingest of ``files_dir`` into a fresh archive under ``work``: its
    seconds, and the CPU time per page of this process (saving) and of the workers
    (parsing) in it — steadier than wall time on a shared machine."""
    import resource

    from gazette.archive import Archive
    from gazette.settings import Settings
    from gazette_cli.batch import ingest_paths

    def cpu(who: int) -> float:
        r = resource.getrusage(who)
        return r.ru_utime + r.ru_stime

    archive = Archive(Settings(home=scratch(work) / "archive"))
    here, children = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    outcomes = ingest_paths(archive, [files_dir], workers=workers)
    took = time.perf_counter() - t0
    run = {
        "seconds": took,
        "parent_cpu_ms_per_page": (cpu(resource.RUSAGE_SELF) - here) / pages * 1000,
        "workers_cpu_ms_per_page": (cpu(resource.RUSAGE_CHILDREN) - children) / pages * 1000,
        "failed": sum(o.status == "failed" for o in outcomes),
        "documents": archive.store.count_documents(),
    }
    archive.close()
    return run


def _end_to_end_figures(best: dict, pages: int) -> dict:
    """The end-to-end entry of a set's result from its best run (:func:`_ingest_once`)."""
    return {
        "pages": pages,
        "seconds": round(best["seconds"], 2),
        "pages_s": round(pages / best["seconds"], 1),
        "parent_cpu_ms_per_page": round(best["parent_cpu_ms_per_page"], 2),
        "workers_cpu_ms_per_page": round(best["workers_cpu_ms_per_page"], 2),
        "documents": best["documents"],
        "failed_files": best["failed"],
    }


#: Runs `gazette ingest` in this fresh process, then reports its peak RSS and its
#: children's (the parser workers') on the last line of stderr.
_MEMORY_PROBE = """
import json, resource, sys
from gazette_cli.main import app
try:
    app(["ingest", "--json", "--workers", sys.argv[2], sys.argv[1]])
except SystemExit as exc:
    if exc.code:
        raise
peak = lambda who: round(resource.getrusage(who).ru_maxrss / 1024, 1)
print(json.dumps([peak(resource.RUSAGE_SELF), peak(resource.RUSAGE_CHILDREN)]), file=sys.stderr)
"""


def ingest_memory(files_dir: Path, workers: int, work: Path) -> dict:
    """Peak RSS (MB) of ``gazette ingest`` on ``files_dir`` and of its parser workers,
    in a process of its own: this one has rendered PDFs and run the baselines' pools,
    whose peaks its own counters would report."""
    env = {**os.environ, "GAZETTE_HOME": str(scratch(work) / "archive"), "PYTHONPATH": str(HERE.parent)}
    proc = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(files_dir), str(workers)],
        env=env, capture_output=True, text=True, check=False, cwd=HERE.parent,
    )
    if proc.returncode != 0:
        raise SystemExit(f"gazette ingest failed on {files_dir} (exit {proc.returncode}): {proc.stderr[-2000:]}")
    parent, children = json.loads(proc.stderr.strip().splitlines()[-1])
    return {"parent_peak_rss_mb": parent, "worker_peak_rss_mb": children}


# -- saving with repeal clauses waiting ------------------------------------------------------
def saving_with_waiting(files: list[Path], waiting: list[int], work: Path, repeat: int) -> dict:
    """ms per file of saving ``files`` (parsed beforehand, in this process) into a fresh
    archive under ``work`` already holding ``n`` unresolved repeal clauses, for each
    ``n`` in ``waiting``: one by one (``save_source``, one transaction each) and in
    ingest's groups (``save_sources``, :data:`gazette_cli.batch.GROUP_FILES` files per
    transaction); the best of ``repeat`` runs of each."""
    from gazette.archive import Archive, SourceFile
    from gazette.settings import Settings
    from gazette_cli.batch import GROUP_FILES
    from ingest.pipeline import parse_file
    from ingest.repeal import RepealTarget

    parsed = [SourceFile(f, p.sha256, p) for f, p in zip(files, map(parse_file, files))]

    def one_by_one(archive: Archive) -> None:
        for s in parsed:
            p = s.parsed
            archive.save_source(
                path=s.path, sha256=s.sha256, kind=p.kind, page_count=p.page_count,
                documents=p.documents, issue=p.issue, repeals=p.repeals,
            )

    def grouped(archive: Archive) -> None:
        for i in range(0, len(parsed), GROUP_FILES):
            outcomes = archive.save_sources(parsed[i : i + GROUP_FILES])
            failed = [o for o in outcomes if isinstance(o, Exception)]
            if failed:
                raise SystemExit(f"saving failed: {failed[0]}")

    out = {}
    for n in waiting:
        for way, save in (("one_by_one", one_by_one), ("grouped", grouped)):
            best = None
            for _ in range(repeat):
                archive = Archive(Settings(home=scratch(work) / "archive"))
                with archive.store.transaction():
                    archive.add_repeal_clauses(
                        "d-waiting-basis",
                        [
                            RepealTarget(f"外政发〔{1990 + k % 30}〕{k}号", f"外县某办法{k}", "repealed", "同时废止。")
                            for k in range(n)
                        ],
                    )
                t0 = time.perf_counter()
                save(archive)
                took = time.perf_counter() - t0
                archive.close()
                best = took if best is None else min(best, took)
            out.setdefault(str(n), {})[way] = round(best / len(parsed) * 1000, 2)
    return out


# -- segmenter ---------------------------------------------------------------------------
def _sample_text(mb: float) -> list[str]:
    out, size = [], 0
    for _, rec in corpus_records():
        for p in paragraphs_of(rec):
            out.append(p)
            size += len(p.encode())
            if size >= mb * 1e6:
                return out
    return out


def _jieba_words(paras: list[str]) -> int:
    from gazette import analysis

    for p in paras:
        analysis.words(p)
    return len(paras)


def _fast_tokenizer():
    from importlib import resources

    import jieba_fast

    tok = jieba_fast.Tokenizer()
    tok.initialize()
    with resources.as_file(
        resources.files("gazette.data").joinpath("userdict.txt")
    ) as p:
        tok.load_userdict(str(p))
    return tok


def _fast_words(tok, text: str) -> list[str]:
    from gazette import analysis

    out = []
    for w in tok.cut_for_search(analysis.normalize(text), HMM=True):
        w = w.strip()
        if w and (analysis._HAN_RE.search(w) or w.isalnum()):
            out.append(w)
    return out


def segmenter(mb: float, workers: int) -> dict:
    import logging

    from gazette import analysis

    paras = _sample_text(mb)
    size = sum(len(p.encode()) for p in paras) / 1e6
    analysis.words("预热")
    out: dict = {"sample_mb": round(size, 2)}
    t0 = time.perf_counter()
    reference = [analysis.words(p) for p in paras]
    out["jieba (1 process)"] = round(size / (time.perf_counter() - t0), 3)
    chunks = [paras[i :: workers * 4] for i in range(workers * 4)]
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(workers) as pool:
        pool.map(_jieba_words, chunks)
    out[f"jieba ({workers} processes)"] = round(size / (time.perf_counter() - t0), 3)
    try:
        import jieba_fast

        jieba_fast.setLogLevel(logging.WARNING)
    except ImportError:
        out["jieba_fast"] = "not installed"
        return out
    tok = _fast_tokenizer()
    _fast_words(tok, "预热")
    t0 = time.perf_counter()
    fast = [_fast_words(tok, p) for p in paras]
    out["jieba_fast (1 process)"] = round(size / (time.perf_counter() - t0), 3)
    same = sum(1 for a, b in zip(reference, fast) if a == b)
    out["jieba_fast identical paragraphs"] = f"{same}/{len(paras)}"
    return out


#: The quick variants of a set, timed round by round (see :func:`measure_set`).
_ROUND_ROBIN = {
    "pypdfium2 raw text": _pdfium_text,
    "pypdfium2 raw text, fonts cached": _pdfium_text_fonts_cached,
    "extract stage (ingest.extract)": _extract_stage,
}


def measure_set(files_dir: Path, pages: int, workers: int, repeat: int, work: Path) -> dict:
    """Every throughput figure of one font set's files, side by side, and the ratios of
    end to end to each baseline.

    The quick variants (a second or less each: the pypdfium2 baselines, the extract
    stage, end to end) are timed round by round — each once per round, ``repeat``
    rounds, the best of each counting — so that a slow spell of the shared machine
    falls on all of them alike rather than on whichever was being timed; the ratios
    compare timings taken seconds apart. The pdfplumber baselines (several seconds
    each, which evens such spells out) run once, first.
    """
    files = sorted(files_dir.glob("*.pdf"))
    result: dict = {"pdfs": len(files), "pages": pages, "repeat": repeat}
    result["pdfplumber text only"] = _pages_per_s(_plumber_text, files, workers)
    result["pdfplumber-only pipeline"] = _pages_per_s(_plumber_pipeline, files, workers)
    best: dict[str, dict] = {}
    ingest_best: dict | None = None
    for _ in range(repeat):
        for name, fn in _ROUND_ROBIN.items():
            run = _pages_per_s(fn, files, workers)
            if name not in best or run["pages_s"] > best[name]["pages_s"]:
                best[name] = run
        run = _ingest_once(files_dir, pages, workers, work)
        if ingest_best is None or run["seconds"] < ingest_best["seconds"]:
            ingest_best = run
    result.update(best)
    result["end to end (ingest_paths)"] = {
        **_end_to_end_figures(ingest_best, pages),
        **ingest_memory(files_dir, workers, work),
    }
    e2e = result["end to end (ingest_paths)"]["pages_s"]
    result["ratio_to_pdfium"] = round(e2e / result["pypdfium2 raw text"]["pages_s"], 3)
    result["ratio_to_pdfium_fonts_cached"] = round(
        e2e / result["pypdfium2 raw text, fonts cached"]["pages_s"], 3
    )
    result["ratio_to_pdfplumber_text"] = round(
        e2e / result["pdfplumber text only"]["pages_s"], 2
    )
    result["ratio_to_pdfplumber_pipeline"] = round(
        e2e / result["pdfplumber-only pipeline"]["pages_s"], 2
    )
    return result


def run(
    work: Path,
    n_pdfs: int,
    workers: int,
    seg_mb: float,
    repeat: int = 3,
    waiting: tuple[int, ...] = (0, 10000),
    fonts: tuple[str, ...] = tuple(FONT_SETS),
) -> dict:
    """All figures: each font set of ``fonts`` under ``result["sets"]`` (a set that
    cannot be rendered carries ``skipped`` with the reason instead of figures), then
    saving and the segmenter, once."""
    from gazette_cli.batch import _warm_up
    from renderer.fonts import FontUnavailable

    result: dict = {"pdfs": n_pdfs, "workers": workers, "repeat": repeat, "sets": {}}
    rendered: dict[str, tuple[Path, int]] = {}
    for font in fonts:
        result["sets"][font] = {"description": FONT_SETS[font]}
        try:
            rendered[font] = render_pdfs(work, n_pdfs, font)
        except FontUnavailable as exc:
            log(f"ingest ({font}): skipped, {exc}")
            result["sets"][font]["skipped"] = str(exc)
    # Saving does not depend on fonts: always the cid set's files, as before there
    # were sets, so its figures compare between runs whatever --fonts says.
    cid_dir = rendered["cid"][0] if "cid" in rendered else render_pdfs(work, n_pdfs, "cid")[0]
    cid_files = sorted(cid_dir.glob("*.pdf"))
    # Render everything first, then warm the imports once, so every variant of every
    # set starts from the same forked state — the state `gazette ingest` forks its
    # workers from (no jieba dictionary: ingest does not segment; the segmenter
    # figures come last and load it themselves).
    _warm_up()
    try:
        for font, (files_dir, pages) in rendered.items():
            log(f"ingest ({font}): {n_pdfs} PDFs, {pages} pages, best of {repeat}")
            result["sets"][font].update(measure_set(files_dir, pages, workers, repeat, work))
        log(f"saving with {', '.join(map(str, waiting))} repeal clauses waiting")
        result["save_ms_per_file_by_waiting_clauses"] = saving_with_waiting(cid_files, list(waiting), work, repeat)
    finally:
        clean_scratch()
    log("segmenter")
    result["segmenter_mb_s"] = segmenter(seg_mb, workers)
    return result


def render_set(name: str, result: dict) -> list[str]:
    """The lines of one font set: its rows, its ratios and the CPU split of end to end."""
    head = f"{name}: {result['description']}"
    if "skipped" in result:
        return [f"{head}\n  skipped: {result['skipped']}"]
    rows = []
    for key in (
        "pypdfium2 raw text",
        "pypdfium2 raw text, fonts cached",
        "pdfplumber text only",
        "pdfplumber-only pipeline",
        "extract stage (ingest.extract)",
        "end to end (ingest_paths)",
    ):
        f = result[key]
        rows.append([key, f["pages"], f["seconds"], f["pages_s"]])
    lines = [f"{head}\n{result['pdfs']} PDFs, {result['pages']} pages"]
    lines.append(table(rows, ["pipeline", "pages", "s", "pages/s"]))
    lines.append(
        f"{name}: end to end = {result['ratio_to_pdfium']:.1%} of pypdfium2 (target ≥ 50 %), "
        f"{result['ratio_to_pdfium_fonts_cached']:.1%} of pypdfium2 with fonts cached as ingest does; "
        f"{result['ratio_to_pdfplumber_pipeline']}× the pdfplumber-only pipeline, "
        f"{result['ratio_to_pdfplumber_text']}× pdfplumber text alone (target ≥ 10×)"
    )
    e2e = result["end to end (ingest_paths)"]
    lines.append(
        f"{name}: CPU per page in that run: parent (saving) {e2e['parent_cpu_ms_per_page']} ms, "
        f"workers (parsing) {e2e['workers_cpu_ms_per_page']} ms; peak RSS of `gazette ingest` "
        f"{e2e['parent_peak_rss_mb']} MB, of a worker {e2e['worker_peak_rss_mb']} MB"
    )
    return lines


def render(result: dict) -> str:
    lines = [
        (
            f"Ingest of {result['pdfs']} rendered PDFs per font set, "
            f"{result.get('workers', 2)} processes, best of {result.get('repeat', 1)} runs (pdfplumber: 1 run)"
        )
    ]
    for name, figures in result["sets"].items():
        lines.append("")
        lines.extend(render_set(name, figures))
    saving = result["save_ms_per_file_by_waiting_clauses"]
    lines.append("\nSaving the parsed files (the parent's share of ingest, one process, cid set), ms per file")
    lines.append(
        table(
            [[k, v["one_by_one"], v["grouped"]] for k, v in saving.items()],
            ["repeal clauses waiting", "one by one (save_source)", "in ingest's groups (save_sources)"],
        )
    )
    seg = result["segmenter_mb_s"]
    lines.append(f"\nSegmenter (MB/s of UTF-8 text, sample {seg['sample_mb']} MB)")
    lines.append(
        table(
            [[k, v] for k, v in seg.items() if k != "sample_mb"], ["segmenter", "MB/s"]
        )
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=default_work())
    parser.add_argument("--pdfs", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--segment-mb", type=float, default=1.0)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each timing; the best counts"
    )
    parser.add_argument(
        "--waiting", type=int, nargs="+", default=[0, 10000],
        help="repeal clauses waiting in the archive that files are saved into",
    )
    parser.add_argument(
        "--fonts", nargs="+", choices=sorted(FONT_SETS), default=list(FONT_SETS),
        help="font sets to render and measure, side by side (default: cid ttf); "
        "cid: fonts named, not embedded; ttf: subset TrueType fonts embedded",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    fonts = tuple(dict.fromkeys(args.fonts))
    result = run(
        args.work, args.pdfs, args.workers, args.segment_mb, args.repeat, tuple(args.waiting), fonts
    )
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
