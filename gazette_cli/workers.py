"""Run a function over many inputs in isolated, limited worker processes.

Hostile or broken source files must never hang or crash a batch. Each input is
handled by a fresh forked child with a wall-clock limit and an address-space limit;
the parent keeps at most ``workers`` children alive and yields, for each input in
order of completion, either the child's return value or an exception describing
what went wrong (raised in the child, timed out, out of memory, or killed).

Forking after the heavy imports (pdfplumber, jieba) are done keeps the per-file
overhead at a few milliseconds.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from gazette.errors import GazetteError, IngestError


class WorkerFailed(IngestError):
    """The worker process for one input died, timed out or ran out of memory."""

    code = "worker_failed"


@dataclass
class _Running:
    item: Any
    proc: mp.process.BaseProcess
    conn: Connection
    started: float


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this child when the parent dies.

    The wall-clock limit is enforced by the parent: a worker orphaned by a killed
    batch (SIGKILL, OOM killer) would otherwise run on, possibly forever on a file
    that hangs the parser. Elsewhere this is a no-op.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _child(fn: Callable[[Any], Any], item: Any, conn: Connection, memory_mb: int | None, parent: int) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result: tuple[str, Any] = ("ok", fn(item))
    except MemoryError:
        result = ("error", WorkerFailed(f"ran out of memory (limit {memory_mb} MB)"))
    except GazetteError as exc:
        result = ("error", exc)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        result = ("error", IngestError(f"internal error while reading the file ({type(exc).__name__}: {exc})"))
        result[1].__notes__ = [traceback.format_exc()]
    try:
        conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception as exc:  # noqa: BLE001 - e.g. result not picklable or too big
        conn.send_bytes(pickle.dumps(("error", IngestError(f"could not return the result: {exc}"))))
    finally:
        conn.close()
        os._exit(0)  # skip atexit handlers inherited from the parent


def run_isolated(
    fn: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    workers: int = 2,
    timeout: float = 120.0,
    memory_mb: int | None = 2048,
) -> Iterator[tuple[Any, Any, BaseException | None]]:
    """Yield ``(item, result, error)`` for each item; exactly one of result/error is set."""
    ctx = mp.get_context("fork")
    pending = list(items)
    pending.reverse()
    running: list[_Running] = []
    while pending or running:
        while pending and len(running) < max(1, workers):
            item = pending.pop()
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(fn, item, child, memory_mb, os.getpid()), daemon=True)
            proc.start()
            child.close()
            running.append(_Running(item, proc, parent, time.monotonic()))
        now = time.monotonic()
        next_deadline = min(r.started + timeout for r in running)
        ready = wait([r.conn for r in running], timeout=max(0.0, next_deadline - now))
        now = time.monotonic()
        for r in list(running):
            outcome: tuple[Any, BaseException | None] | None = None
            if r.conn in ready:
                try:
                    status, value = pickle.loads(r.conn.recv_bytes())
                    outcome = (value, None) if status == "ok" else (None, value)
                except (EOFError, OSError, pickle.UnpicklingError):
                    r.proc.join(5)
                    code = r.proc.exitcode
                    if code is not None and code < 0:
                        why = f"killed by signal {-code}"
                        if -code == signal.SIGKILL and memory_mb:
                            why += f" (memory limit {memory_mb} MB?)"
                    else:
                        why = f"exited with code {code}"
                    outcome = (None, WorkerFailed(f"the parser process died: {why}"))
            elif now - r.started >= timeout:
                r.proc.kill()
                outcome = (None, WorkerFailed(f"timed out after {timeout:g} s"))
            if outcome is None:
                continue
            r.conn.close()
            r.proc.join(5)
            if r.proc.is_alive():
                r.proc.kill()
                r.proc.join()
            running.remove(r)
            yield r.item, outcome[0], outcome[1]
