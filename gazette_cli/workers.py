"""Run a function over many inputs in isolated, limited worker processes.

Hostile or broken source files must never hang or crash a batch. Inputs are handled
by forked worker processes, at most ``workers`` at a time, each under an
address-space limit, each input under a wall-clock limit; the parent yields, for each
input in order of completion, either the worker's return value or an exception
describing what went wrong (raised in the worker, timed out, out of memory, or
killed).

A worker serves one input after another — a fork and a process exit per input cost as
much as parsing a short document on a busy machine — and is replaced by a fresh fork after
anything unusual: a timeout (killed), a crash, running out of memory, an unexpected
exception, or :data:`RECYCLE` inputs. An input that fails in the ordinary way (a
:class:`~gazette.errors.GazetteError`: not a PDF, encrypted…) leaves its worker in
service. Forking after the heavy imports (pypdfium2, pdfplumber) are done means workers
start in a few milliseconds. A busy worker is sent its next input ahead (:data:`AHEAD`),
so it never waits for the parent, which may be busy with the last result. Workers can
run at a lower CPU priority than the parent, which has work of its own on every result.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import resource
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from gazette.errors import GazetteError, IngestError


class WorkerFailed(IngestError):
    """The worker process for one input died, timed out or ran out of memory."""

    code = "worker_failed"


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


#: Inputs a worker serves before it is replaced by a fresh fork.
RECYCLE = 200

#: Allocations between two collections of the youngest generation in a worker
#: (Python's default: 700). Reading a page makes thousands of objects that live until
#: its file is done, and a default collection ran every few hundred of them over the
#: same survivors; at 10,000 an ingest worker executes 2.3 % fewer instructions on
#: the bench's TrueType files and 1.4 % fewer on the others (callgrind, the same 20
#: files parsed twice; 50,000 and 100,000 gave the same). Cyclic garbage waits that
#: much longer, a few megabytes at most, under the worker's memory limit.
GC_YOUNG = 10_000


def _call(fn: Callable[[Any], Any], item: Any, memory_mb: int | None) -> tuple[str, Any, bool]:
    """``(status, value, retire)`` of ``fn(item)``: ``retire`` when the worker must not
    serve another input (its state may be damaged)."""
    try:
        return "ok", fn(item), False
    except MemoryError:
        return "error", WorkerFailed(f"ran out of memory (limit {memory_mb} MB)"), True
    except GazetteError as exc:
        return "error", exc, False
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        error = IngestError(f"internal error while reading the file ({type(exc).__name__}: {exc})")
        error.__notes__ = [traceback.format_exc()]
        return "error", error, True


def _lower_priority(nice: int) -> None:
    """Give this process ``nice`` less CPU priority (nice(1)'s scale) and, with any, the
    scheduling class of batch work (Linux's ``SCHED_BATCH``: it does not preempt others
    when it wakes up). Where that cannot be done, the process keeps its priority."""
    if nice <= 0:
        return
    try:
        os.nice(nice)
        if hasattr(os, "SCHED_BATCH"):
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    except OSError:  # pragma: no cover - not allowed here
        pass


def _serve(fn: Callable[[Any], Any], conn: Connection, memory_mb: int | None, parent: int, nice: int = 0) -> None:
    """The worker: read an input, answer ``(status, value, retire)``; exit on an empty
    message, on EOF or after an answer with ``retire``. It runs with ``nice`` less CPU
    priority than the parent (:func:`_lower_priority`)."""
    _die_with_parent(parent)
    _lower_priority(nice)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            break
        if not message:  # the parent's stop request (no pickle is empty)
            break
        item = pickle.loads(message)
        status, value, retire = _call(fn, item, memory_mb)
        try:
            conn.send_bytes(pickle.dumps((status, value, retire), protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as exc:  # noqa: BLE001 - e.g. result not picklable or too big
            error = IngestError(f"could not return the result: {exc}")
            conn.send_bytes(pickle.dumps(("error", error, True)))
            retire = True
        if retire:
            break
    conn.close()
    os._exit(0)  # skip atexit handlers inherited from the parent


#: Inputs sent to a busy worker ahead of the one it is on: it starts the next as soon
#: as it answers, without waiting for this process, which may be busy saving a group of
#: results (:data:`gazette_cli.batch.GROUP_FILES`, 20–40 ms on the project's 2-core
#: test machine) for longer than several inputs last: a file of one or two pages is
#: parsed in 1–3 ms. With one ahead, the workers stood idle through most of each
#: group's save; with three, the workers of an ingest of the bench's files
#: (``bench/ingest_bench.py``) still waited for their next file 25–55 ms per run of
#: 430 ms, and the machine was idle 9 % of the run. With ten: 4–5 % idle, and 7–10 %
#: more pages/s on the TrueType set, 3–4 % on the other (medians of 6–8 interleaved
#: runs per depth; 8, 12 and 16 did no better). The cost: up to ten inputs wait behind
#: a slow one on its worker (handed back if it dies or times out), and the last
#: inputs of a batch may be shared less evenly between the workers.
AHEAD = 10


@dataclass
class _Worker:
    proc: mp.process.BaseProcess
    conn: Connection
    #: inputs sent and not answered yet, the one in hand first
    queue: deque = field(default_factory=deque)
    #: when the input in hand started (when the one before it was answered)
    started: float = 0.0
    served: int = 0


def _stop(worker: _Worker) -> None:
    """Ask an idle worker to exit (an empty message; end of file may never come, as
    workers forked later hold copies of this end of its pipe), without waiting."""
    try:
        worker.conn.send_bytes(b"")
    except OSError:
        pass  # it is gone already
    worker.conn.close()


def _reap(*workers: _Worker) -> None:
    """Wait for stopped workers to exit — they exit side by side — and kill any that
    lingers."""
    for worker in workers:
        worker.proc.join(1)
        if worker.proc.is_alive():
            worker.proc.kill()
            worker.proc.join()


def _retire(*workers: _Worker) -> None:
    """Stop idle workers and wait for them (:func:`_stop`, :func:`_reap`)."""
    for worker in workers:
        _stop(worker)
    _reap(*workers)


def _death(worker: _Worker, memory_mb: int | None) -> WorkerFailed:
    worker.proc.join(5)
    code = worker.proc.exitcode
    if code is not None and code < 0:
        why = f"killed by signal {-code}"
        if -code == signal.SIGKILL and memory_mb:
            why += f" (memory limit {memory_mb} MB?)"
    else:
        why = f"exited with code {code}"
    return WorkerFailed(f"the parser process died: {why}")


def run_isolated(
    fn: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    workers: int = 2,
    timeout: float = 120.0,
    memory_mb: int | None = 2048,
    hold: Callable[[], bool] | None = None,
    nice: int = 0,
) -> Iterator[tuple[Any, Any, BaseException | None]]:
    """Yield ``(item, result, error)`` for each item; exactly one of result/error is set.

    Each worker holds the input it is on and up to :data:`AHEAD` more; an input sent
    ahead to a worker that then dies or retires goes back to the front of the queue.
    An input's time limit runs from the moment the one before it on that worker was
    answered (or from its sending, on an idle worker).

    ``items`` are drawn as workers need them. While ``hold()`` is true, no new one is
    drawn as long as some worker is busy (back-pressure: a caller that handles results
    in input order keeps few of them waiting behind a slow input); inputs handed back
    by a dead worker are sent regardless, and so is the next one when every worker is
    idle, so a hold never stalls the run.

    ``nice``: how much lower the workers' CPU priority is than the caller's
    (:func:`_lower_priority`), so that a caller with work of its own on each result
    is not kept waiting for a core by the workers it feeds.

    Once every input is sent, a worker that runs out of inputs is asked to exit at
    once, and waited for at the end: a worker takes milliseconds to exit (its memory
    unmapped), which it then spends beside the caller's work on the last results
    instead of before the run can end.
    """
    ctx = mp.get_context("fork")
    source = iter(items)
    pending: deque = deque()  # inputs handed back, then at most one drawn from source
    exhausted = False
    live: list[_Worker] = []
    stopped: list[_Worker] = []  # asked to exit, not waited for yet
    size = max(1, workers)

    def can_send() -> bool:
        """Whether an input can be sent now (``pending[0]``), drawing one if allowed."""
        nonlocal exhausted
        if pending:
            return True
        if exhausted or (hold is not None and hold() and any(w.queue for w in live)):
            return False
        try:
            pending.append(next(source))
        except StopIteration:
            exhausted = True
            return False
        return True

    def spawn() -> _Worker:
        here, there = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_serve, args=(fn, there, memory_mb, os.getpid(), nice), daemon=True)
        proc.start()
        there.close()
        worker = _Worker(proc, here)
        live.append(worker)
        return worker

    def send(worker: _Worker, item: Any) -> bool:
        try:
            worker.conn.send_bytes(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the worker died (killed from outside)
            return False
        if not worker.queue:
            worker.started = time.monotonic()
        worker.queue.append(item)
        return True

    def give_back(worker: _Worker) -> None:
        """Inputs sent ahead to a worker that will not read them: to the front of the queue."""
        pending.extendleft(reversed(worker.queue))
        worker.queue.clear()

    def fill() -> None:
        """Every worker one input (fresh forks up to ``workers``), then one ahead each."""
        for depth in range(1, AHEAD + 2):
            for worker in list(live):
                while len(worker.queue) < depth and worker.served + len(worker.queue) < RECYCLE and can_send():
                    if send(worker, pending[0]):
                        pending.popleft()
                        continue
                    if not worker.queue:  # an idle worker is gone: a fresh one
                        live.remove(worker)
                        _retire(worker)
                        first(spawn())
                    break  # a busy one: its death is read from its pipe
            while depth == 1 and len(live) < size and can_send():
                first(spawn())

    def first(worker: _Worker) -> None:
        """A fresh fork's first input (its pipe cannot be broken yet)."""
        if not send(worker, pending[0]):
            raise WorkerFailed("a fresh parser process did not take its input")
        pending.popleft()

    def settle(worker: _Worker, retire: bool) -> None:
        worker.served += 1
        if retire or worker.served >= RECYCLE:
            give_back(worker)
            live.remove(worker)
            _retire(worker)

    try:
        while any(w.queue for w in live) or can_send():
            fill()
            busy = [w for w in live if w.queue]
            now = time.monotonic()
            next_deadline = min(w.started + timeout for w in busy)
            ready = wait([w.conn for w in busy], timeout=max(0.0, next_deadline - now))
            now = time.monotonic()
            finished: list[tuple[Any, Any, BaseException | None]] = []
            for w in busy:
                outcome: tuple[Any, BaseException | None] | None = None
                retire = True
                if w.conn in ready:
                    try:
                        status, value, retire = pickle.loads(w.conn.recv_bytes())
                        outcome = (value, None) if status == "ok" else (None, value)
                    except (EOFError, OSError, pickle.UnpicklingError):
                        outcome = (None, _death(w, memory_mb))
                        retire = True
                elif now - w.started >= timeout:
                    w.proc.kill()
                    outcome = (None, WorkerFailed(f"timed out after {timeout:g} s"))
                if outcome is None:
                    continue
                item = w.queue.popleft()
                w.started = now
                settle(w, retire)
                finished.append((item, outcome[0], outcome[1]))
            # hand the freed workers their next inputs before the caller gets the
            # results: it may take a while over each (saving it), and the workers should
            # not wait for that
            fill()
            if exhausted and not pending:
                for w in [w for w in live if not w.queue]:
                    live.remove(w)
                    _stop(w)
                    stopped.append(w)
            yield from finished
    finally:
        for w in live:
            if w.queue:
                w.proc.kill()
        _retire(*live)
        _reap(*stopped)
