"""Crash safety: SIGKILL `gazette ingest` (and `gazette serve` under writes) at random points.

Ingest variant. Renders ~30 real ../shared/corpus documents, one of them a whole gazette
issue, ingests them once without interruption into a reference archive, then starts
``python -m gazette_cli.main ingest <folder>`` again and again against one
``GAZETTE_HOME`` and SIGKILLs it at a random point of the batch (see below).
After every kill:

* the archive opens and ``Archive.check()`` is empty (documents vs index vs files);
* every recorded file has exactly the documents the reference has for it, and every
  archived document equals its reference record (no half-written document); no
  document, issue or index row exists for a file that is not recorded;
* parser workers of the killed batch are gone (they die with their parent);
* stored copies that no record points to (a worker stages a copy, placed before its
  group's transaction) are counted and reported — ``check()`` does not flag them;
  re-ingest reuses placed ones, and the next batch (or ``gazette check --repair``)
  removes the staged ones of a killed batch.

The killed runs save :data:`KILLED_GROUP_FILES` files per transaction
(``GAZETTE_INGEST_GROUP_FILES``), so that kills land between groups and inside them.

Every other kill waits until a random number of files is recorded (polling the archive
read-only), so kills land while files are written even when start-up is most of a short
batch's time; the others come after a delay drawn from the whole batch's time. A run
that finishes before its kill ends a round (checked like a kill); the next round starts
from an empty home, so kills land all over the batch rather than piling up before its
last file. After ``--kills`` kills, an uninterrupted run completes the batch and its
export must equal the reference export.

Server variant (``--server-kills``). Starts ``gazette serve`` on the reference archive
with a write token, streams ``POST /api/v1/documents/{id}/status`` writes from two
client threads, SIGKILLs the server at a random moment, and checks that the archive is
consistent, every acknowledged write is recorded exactly once, and nothing but the
in-flight requests is recorded beyond them; then restarts and repeats.

    python scripts/crash_ingest.py --kills 40 --server-kills 10 --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from fuzz_ingest import gazette_command, gazette_env, orphan_files, render_real_pdfs  # noqa: E402


# -- archive state -----------------------------------------------------------------------
def _normal(rec: dict) -> dict:
    """An export record without what legitimately differs between two ingests."""
    rec = dict(rec)
    rec["events"] = sorted(
        (json.dumps({k: v for k, v in ev.items() if k != "recorded_at"}, sort_keys=True, ensure_ascii=False)
         for ev in rec.get("events") or [])
    )
    return rec


def snapshot(home: Path) -> dict:
    """What the checks compare: problems, records by id, documents per file, orphans."""
    from gazette.archive import Archive
    from gazette.settings import Settings

    with Archive(Settings(home=home)) as archive:
        conn = archive.store.conn
        files = {r["sha256"] for r in archive.store.files()}
        docs = {rec["id"]: _normal(rec) for rec in archive.export_records()}
        per_file: dict[str, int] = {}
        for rec in docs.values():
            per_file[rec["sha256"]] = per_file.get(rec["sha256"], 0) + 1
        issues = [(r[0], json.loads(r[1]).get("sha256")) for r in conn.execute("SELECT id, data FROM issues")]
        return {
            "problems": archive.check(),
            "files": files,
            "docs": docs,
            "per_file": per_file,
            "issues": issues,
            "orphans": orphan_files(home, files),
        }


def compare(state: dict, ref: dict) -> list[str]:
    """Problems of a (possibly partial) archive against the complete reference."""
    out = [f"check(): {p}" for p in state["problems"]]
    for sha, n in state["per_file"].items():
        if sha not in state["files"]:
            out.append(f"{n} document(s) of file {sha[:12]} that is not recorded (half-written file)")
    for sha in state["files"]:
        got, want = state["per_file"].get(sha, 0), ref["per_file"].get(sha, 0)
        if got != want:
            out.append(f"file {sha[:12]} is recorded with {got} documents, the reference has {want}")
    for doc_id, rec in state["docs"].items():
        if ref["docs"].get(doc_id) != rec:
            out.append(f"document {doc_id} differs from the reference (half-written?)")
    for issue, sha in state["issues"]:
        if sha not in state["files"]:
            out.append(f"issue {issue} of a file that is not recorded")
    return out


def recorded_files(home: Path) -> int:
    """Files recorded in ``home``'s archive, read without writing (0 before it exists)."""
    db = home / "archive.sqlite3"
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1.0)
        try:
            return conn.execute("SELECT count(*) FROM files").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # created but not yet initialised
        return 0


def wait_for_files(proc: subprocess.Popen, home: Path, target: int, *, timeout: float) -> None:
    """Wait until ``home`` holds ``target`` recorded files while ``proc`` still runs.

    Raises ``TimeoutExpired`` as soon as the count is reached with ``proc`` running (the
    caller kills it, as after a timed wait), or after ``timeout``. Returns normally once
    ``proc`` has ended first.
    """
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if recorded_files(home) >= target:
            if proc.poll() is None:
                raise subprocess.TimeoutExpired(proc.args, time.monotonic() - t0)
            break
        if proc.poll() is not None:
            break
        time.sleep(0.002)
    else:
        raise subprocess.TimeoutExpired(proc.args, timeout)
    proc.wait()


def _session_processes(sid: int) -> list[int]:
    """Live processes of session ``sid`` (the killed batch and any orphaned workers)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


# -- ingest variant ------------------------------------------------------------------------
#: Files saved per transaction by the runs that are killed: with the default (8) a
#: short batch is one or two groups, and few kills would land between files.
KILLED_GROUP_FILES = 3


def ingest_cmd(folder: Path, home: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        gazette_command("ingest", "--json", str(folder)),
        env=gazette_env(home, **kw), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )


def crash_ingest(folder: Path, work: Path, kills: int, rng: random.Random, *, timeout: float,
                 log=print) -> dict:
    ref_home = work / "reference"
    t0 = time.monotonic()
    proc = ingest_cmd(folder, ref_home, ingest_timeout=timeout)
    out, err = proc.communicate(timeout=600)
    ref_seconds = time.monotonic() - t0
    result = json.loads(out)
    if result["failed"]:
        raise SystemExit(f"the reference ingest failed: {out} {err}")
    ref = snapshot(ref_home)
    if ref["problems"]:
        raise SystemExit(f"the reference archive is inconsistent: {ref['problems']}")
    total = len(ref["files"])
    log(f"reference: {total} files, {len(ref['docs'])} documents in {ref_seconds:.1f} s")

    errors: list[str] = []
    kill_log: list[dict] = []
    rounds, completed_rounds, orphan_workers, max_orphan_files = 1, 0, 0, 0
    home = work / "crash-1"
    while len(kill_log) < kills:
        # Every other kill waits for a random number of files to be recorded, so some
        # kills land while files are being written however short the batch is next to
        # its start-up. The others come after a delay anywhere in a whole batch's time
        # (start-up included): on a partly ingested home the run is shorter and may
        # finish first, which ends the round.
        before = recorded_files(home)
        target = rng.randint(before + 1, total - 1) if len(kill_log) % 2 and before + 1 < total else None
        delay = rng.uniform(0.3, ref_seconds + 0.5)
        proc = ingest_cmd(folder, home, ingest_timeout=timeout, ingest_group_files=KILLED_GROUP_FILES)
        started = time.monotonic()
        try:
            if target is None:
                proc.wait(timeout=delay)
            else:
                wait_for_files(proc, home, target, timeout=ref_seconds * 4 + 30)
            completed_rounds += 1
            state = snapshot(home)
            problems = compare(state, ref)
            if len(state["files"]) != total:
                problems.append(f"a completed run left {len(state['files'])} of {total} files")
            errors += [f"round {rounds} (completed): {p}" for p in problems]
            rounds += 1
            home = work / f"crash-{rounds}"
            continue
        except subprocess.TimeoutExpired:
            delay = time.monotonic() - started
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        time.sleep(0.2)
        left = [p for p in _session_processes(proc.pid) if p != proc.pid]
        if left:
            orphan_workers += len(left)
            for pid in left:  # workers of the batch killed above (started by us)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        state = snapshot(home)
        problems = compare(state, ref)
        done_files = len(state["files"])
        max_orphan_files = max(max_orphan_files, len(state["orphans"]))
        kill_log.append({
            "round": rounds, "delay_s": round(delay, 2), "files_target": target, "files_recorded": done_files,
            "documents": len(state["docs"]), "orphan_stored_files": len(state["orphans"]),
            "orphan_workers": len(left), "problems": problems,
        })
        errors += [f"kill {len(kill_log)} (after {delay:.1f} s): {p}" for p in problems]
        if left:
            errors.append(f"kill {len(kill_log)}: {len(left)} parser worker(s) outlived the killed batch")
        log(f"kill {len(kill_log):3d} after {delay:5.2f} s{'' if target is None else f' (at {target} files)'}: "
            f"{done_files}/{total} files, "
            f"{len(state['docs'])} documents, {len(state['orphans'])} orphan stored files, "
            f"{len(problems)} problems")

    proc = ingest_cmd(folder, home, ingest_timeout=timeout)
    out, err = proc.communicate(timeout=600)
    final = snapshot(home)
    final_problems = compare(final, ref)
    if proc.returncode != 0:
        final_problems.append(f"the final run exited {proc.returncode}: {err.strip()[-300:]}")
    if final["docs"] != ref["docs"]:
        missing = set(ref["docs"]) - set(final["docs"])
        final_problems.append(f"the final export differs from the reference ({len(missing)} documents missing)")
    if final["files"] != ref["files"]:
        final_problems.append("the final archive's files differ from the reference")
    errors += [f"final run: {p}" for p in final_problems]
    return {
        "files": total,
        "documents": len(ref["docs"]),
        "reference_seconds": round(ref_seconds, 1),
        "kills": len(kill_log),
        "kills_survived": sum(1 for k in kill_log if not k["problems"]),
        "kills_mid_batch": sum(1 for k in kill_log if 0 < k["files_recorded"] < total),
        "files_recorded_at_kills": sorted(k["files_recorded"] for k in kill_log),
        "rounds": rounds,
        "rounds_completed_before_kill": completed_rounds,
        "orphan_workers": orphan_workers,
        "max_orphan_stored_files": max_orphan_files,
        "orphan_stored_files_at_end": len(final["orphans"]),
        "final_export_equal": final["docs"] == ref["docs"],
        "errors": errors,
        "log": kill_log,
    }


# -- server variant ------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int, **settings) -> subprocess.Popen:
    """`gazette serve` on loopback; returns once it answers."""
    import httpx

    proc = subprocess.Popen(
        gazette_command("serve", "--host", "127.0.0.1", "--port", str(port)),
        env=gazette_env(home, **settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read()[-500:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "法"}, timeout=10).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


def write_endpoint_present(port: int) -> bool:
    import httpx

    schema = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=10).json()
    return "post" in schema.get("paths", {}).get("/api/v1/documents/{doc_id}/status", {})


def write_token() -> tuple[str, str]:
    """A fresh token and the GAZETTE_WRITE_TOKENS value that accepts it."""
    from gazette.auth import hash_token, new_token

    token = new_token()
    return token, json.dumps({"crash-test": hash_token(token)})


def crash_server(home: Path, kills: int, rng: random.Random, log=print) -> dict:
    """SIGKILL the API server during a stream of writes, ``kills`` times."""
    import httpx

    token, tokens = write_token()
    settings = {"write_tokens": tokens, "write_rate_per_minute": 1_000_000}
    with_ids = sorted(snapshot(home)["docs"])
    port = _free_port()
    server = start_server(home, port, **settings)
    if not write_endpoint_present(port):
        server.kill()
        server.wait()
        return {"skipped": "POST /api/v1/documents/{id}/status is not in the API yet"}
    server.kill()
    server.wait()

    errors: list[str] = []
    acked: dict[str, str] = {}  # cause → doc id, for 200 answers
    sent: dict[str, str] = {}  # cause → doc id, for every request sent
    unexpected: list[str] = []
    survived = 0
    seq = 0
    lock = threading.Lock()
    for k in range(kills):
        server = start_server(home, port, **settings)
        stop = threading.Event()

        def writer(idx: int) -> None:
            nonlocal seq
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10,
                              headers={"Authorization": f"Bearer {token}"}) as client:
                while not stop.is_set():
                    with lock:
                        seq += 1
                        n = seq
                    doc_id = with_ids[n % len(with_ids)]
                    cause = f"崩溃测试写入第{n}次"
                    body = {"status": rng.choice(["repealed", "expired"]), "date": dt.date.today().isoformat(),
                            "cause": cause}
                    with lock:
                        sent[cause] = doc_id
                    try:
                        r = client.post(f"/api/v1/documents/{doc_id}/status", json=body)
                    except httpx.HTTPError:
                        return  # the server is gone
                    with lock:
                        if r.status_code == 200:
                            acked[cause] = doc_id
                        else:
                            unexpected.append(f"{r.status_code} {r.text[:200]}")

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 3.0))
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        stop.set()
        for t in threads:
            t.join()
        from gazette.archive import Archive
        from gazette.settings import Settings

        with Archive(Settings(home=home)) as archive:
            problems = [f"check(): {p}" for p in archive.check()]
            recorded: dict[str, int] = {}
            for doc in archive.store.iter_documents():
                for ev in doc.events:
                    if ev.cause.startswith("崩溃测试写入"):
                        recorded[ev.cause] = recorded.get(ev.cause, 0) + 1
        lost = [c for c in acked if c not in recorded]
        twice = [c for c, n in recorded.items() if n > 1]
        unsent = [c for c in recorded if c not in sent]
        inflight = [c for c in recorded if c not in acked]
        if lost:
            problems.append(f"{len(lost)} acknowledged write(s) lost, e.g. {lost[0]}")
        if twice:
            problems.append(f"{len(twice)} write(s) recorded twice")
        if unsent:
            problems.append(f"{len(unsent)} write(s) recorded that were never sent")
        if len(inflight) > 2 * (k + 1):
            problems.append(f"{len(inflight)} unacknowledged writes recorded (at most 2 per kill are in flight)")
        if unexpected:
            problems.append(f"{len(unexpected)} non-200 answers, e.g. {unexpected[0]}")
            unexpected.clear()
        errors += [f"server kill {k + 1}: {p}" for p in problems]
        survived += not problems
        log(f"server kill {k + 1:3d}: {len(acked)} acknowledged writes so far, {len(recorded)} recorded, "
            f"{len(problems)} problems")
    return {
        "kills": kills,
        "kills_survived": survived,
        "writes_sent": len(sent),
        "writes_acknowledged": len(acked),
        "writes_recorded_unacknowledged": len([c for c in recorded if c not in acked]),
        "errors": errors,
    }


def run(kills: int = 40, *, server_kills: int = 10, seed: int = 0, documents: int = 28, issue_articles: int = 6,
        timeout: float = 60.0, keep: Path | None = None, log=print) -> dict:
    tmp = tempfile.TemporaryDirectory(prefix="gazette-crash-")
    work = keep or Path(tmp.name)
    try:
        rng = random.Random(seed)
        folder = work / "pdfs"
        render_real_pdfs(folder, documents, seed=seed, issue_articles=issue_articles)
        report = {"seed": seed, "ingest": crash_ingest(folder, work, kills, rng, timeout=timeout, log=log)}
        if server_kills:
            report["server"] = crash_server(work / "reference", server_kills, rng, log=log)
        report["errors"] = report["ingest"]["errors"] + report.get("server", {}).get("errors", [])
        report["ok"] = not report["errors"]
        return report
    finally:
        if keep is None:
            tmp.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40, help="SIGKILLs of `gazette ingest`.")
    parser.add_argument("--server-kills", type=int, default=10, help="SIGKILLs of `gazette serve` under writes (0: skip).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--documents", type=int, default=28, help="Standalone documents (plus one gazette issue).")
    parser.add_argument("--timeout", type=float, default=60.0, help="GAZETTE_INGEST_TIMEOUT per file.")
    parser.add_argument("--keep", type=Path, help="Keep PDFs and archives in this folder.")
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
    args = parser.parse_args()
    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    report = run(args.kills, server_kills=args.server_kills, seed=args.seed, documents=args.documents,
                 timeout=args.timeout, keep=args.keep, log=log)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        ing = report["ingest"]
        print(f"\ningest: {ing['kills_survived']}/{ing['kills']} kills survived ({ing['kills_mid_batch']} mid-batch, "
              f"{ing['rounds']} rounds); {ing['files']} files / {ing['documents']} documents; final export equal: "
              f"{ing['final_export_equal']}; orphan workers {ing['orphan_workers']}; orphan stored files max "
              f"{ing['max_orphan_stored_files']}, at end {ing['orphan_stored_files_at_end']}")
        srv = report.get("server")
        if srv and "skipped" in srv:
            print(f"server: skipped — {srv['skipped']}")
        elif srv:
            print(f"server: {srv['kills_survived']}/{srv['kills']} kills survived; {srv['writes_acknowledged']} writes "
                  f"acknowledged of {srv['writes_sent']} sent, {srv['writes_recorded_unacknowledged']} in-flight recorded")
        for e in report["errors"]:
            print("ERROR", e)
        print("OK" if report["ok"] else "FAILED")
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
