"""Isolated workers: every input ends with a result or a reason, whatever the child does."""

from __future__ import annotations

import gc
import os
import signal
import time

from gazette.errors import NotAPDF
from gazette_cli.workers import GC_YOUNG, WorkerFailed, run_isolated


def _job(kind: str):
    if kind == "ok":
        return "fine"
    if kind == "pid":
        return os.getpid()
    if kind == "gc":
        return gc.get_threshold()
    if kind == "priority":
        return os.nice(0), os.sched_getscheduler(0)
    if kind == "raise":
        raise NotAPDF("not a PDF: starts with b'hello'")
    if kind == "bug":
        return 1 / 0
    if kind == "hang":
        time.sleep(60)
    if kind == "slow":
        time.sleep(3)
        return "slow"
    if kind == "slow-die":
        time.sleep(2)
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "hog":
        blocks = []
        while True:
            blocks.append(bytearray(50 * 1024 * 1024))
    if kind == "exit":
        os._exit(3)
    raise AssertionError(kind)


def test_every_input_gets_an_outcome():
    items = ["ok", "raise", "bug", "hang", "die", "hog", "exit", "ok"]
    t0 = time.monotonic()
    results = {}
    for item, result, error in run_isolated(_job, items, workers=2, timeout=3, memory_mb=512):
        results.setdefault(item, []).append((result, error))
    assert time.monotonic() - t0 < 30
    assert [r for r, _ in results["ok"]] == ["fine", "fine"]
    assert isinstance(results["raise"][0][1], NotAPDF)
    assert "ZeroDivisionError" in str(results["bug"][0][1])
    assert "timed out" in str(results["hang"][0][1])
    assert isinstance(results["die"][0][1], WorkerFailed) and "signal 9" in str(results["die"][0][1])
    assert "memory" in str(results["hog"][0][1])
    assert "code 3" in str(results["exit"][0][1])


def test_a_worker_serves_inputs_until_something_unusual_happens():
    """One worker serves input after input; an ordinary rejection keeps it, an
    unexpected exception or a crash replaces it with a fresh fork."""
    items = ["pid", "pid", "raise", "pid", "bug", "pid", "die", "pid"]
    seen = [(item, result, error) for item, result, error in run_isolated(_job, items, workers=1, timeout=5)]
    assert [item for item, _, _ in seen] == items  # one worker: input order
    pids = [result for item, result, _ in seen if item == "pid"]
    assert pids[0] == pids[1] == pids[2] != os.getpid()  # kept after the NotAPDF
    assert pids[3] != pids[2]  # replaced after the ZeroDivisionError
    assert pids[4] != pids[3]  # replaced after the SIGKILL
    assert isinstance(seen[6][2], WorkerFailed)


def test_a_worker_collects_its_young_objects_less_often():
    here = gc.get_threshold()
    [(_, threshold, error)] = list(run_isolated(_job, ["gc"], workers=1, timeout=5))
    assert error is None
    assert threshold == (GC_YOUNG, *here[1:])
    assert GC_YOUNG > here[0]
    assert gc.get_threshold() == here  # the caller's own is left alone


def _started(_: object) -> float:
    return time.monotonic()


def test_a_freed_worker_gets_its_next_input_before_the_caller_handles_the_result():
    """The caller saves each result (slow); the worker must not sit idle meanwhile."""
    handled: list[tuple[float, float]] = []  # (input started, caller got its result)
    for _, started, error in run_isolated(_started, [1, 2, 3], workers=1, timeout=10):
        assert error is None
        handled.append((started, time.monotonic()))
        time.sleep(0.5)  # the caller's work on the result
    # input 2 started while the caller was still busy with result 1
    assert handled[1][0] < handled[0][1] + 0.4
    assert handled[2][0] < handled[1][1] + 0.4


def _timed(seconds: float) -> tuple[float, float]:
    started = time.monotonic()
    time.sleep(seconds)
    return started, time.monotonic()


def test_a_busy_worker_holds_its_next_input_and_starts_it_without_the_caller():
    """While the caller is still busy with result 1, the worker finishes input 2 and
    goes straight on to input 3 (sent ahead): it never waits for the caller."""
    got: list[tuple[tuple[float, float], float]] = []
    for _, (started, ended), error in run_isolated(_timed, [0.2, 0.2, 0.2], workers=1, timeout=10):
        assert error is None
        got.append(((started, ended), time.monotonic()))
        time.sleep(0.6)  # the caller's work on the result
    caller_done_with_first = got[0][1] + 0.6
    (_, second_ended), (third_started, _) = got[1][0], got[2][0]
    assert third_started < caller_done_with_first - 0.1
    assert third_started - second_ended < 0.1


def test_inputs_sent_ahead_to_a_worker_that_dies_are_served_by_the_next():
    items = ["die", "pid", "pid", "bug", "pid", "pid"]
    outcomes = list(run_isolated(_job, items, workers=1, timeout=5))
    assert [item for item, _, _ in outcomes] == items  # one worker: input order, none lost
    assert isinstance(outcomes[0][2], WorkerFailed)
    assert "ZeroDivisionError" in str(outcomes[3][2])
    pids = [result for item, result, error in outcomes if item == "pid"]
    assert all(isinstance(p, int) for p in pids)
    assert pids[0] == pids[1] != pids[2] == pids[3]  # replaced after the crash


def test_a_worker_is_replaced_after_recycle_inputs(monkeypatch):
    import gazette_cli.workers as workers

    monkeypatch.setattr(workers, "RECYCLE", 3)
    pids = [result for _, result, _ in run_isolated(_job, ["pid"] * 7, workers=1, timeout=5)]
    assert pids[0] == pids[1] == pids[2] != pids[3] == pids[4] == pids[5] != pids[6]


def _mark_start(item: tuple[str, int]) -> int:
    folder, k = item
    open(os.path.join(folder, f"started-{k}"), "w").close()
    if k == 0:
        time.sleep(1.5)  # ample for the others to run when nothing holds them
    return k


def _started_when_first_arrives(folder, hold_at: int | None) -> int:
    """Run 40 inputs, the first slow; the caller keeps later results waiting until the
    first arrives (as ingest saves in input order). Inputs started by then."""
    waiting: list[int] = []
    hold = (lambda: len(waiting) >= hold_at) if hold_at is not None else None
    items = [(str(folder), k) for k in range(40)]
    for _, k, error in run_isolated(_mark_start, items, workers=2, timeout=10, hold=hold):
        assert error is None
        if k == 0:
            return len(os.listdir(folder))
        waiting.append(k)
    raise AssertionError("the first input never arrived")


def test_hold_keeps_results_from_piling_up_behind_a_slow_input(tmp_path):
    """With a hold, no new input starts while the caller's backlog is full: what runs
    ahead of a slow input is bounded by the backlog plus what workers hold. Without
    one, every input but those sent ahead behind the slow one (on its worker) runs."""
    from gazette_cli.workers import AHEAD

    (tmp_path / "free").mkdir()
    (tmp_path / "held").mkdir()
    assert _started_when_first_arrives(tmp_path / "free", None) >= 40 - AHEAD
    assert _started_when_first_arrives(tmp_path / "held", 4) <= 1 + 4 + 2 * (AHEAD + 1)


def test_a_hold_never_stalls_the_run():
    """Even a hold that never lets go: the next input is sent when every worker is idle,
    and inputs handed back by a dead worker are served."""
    items = ["pid", "die", "pid", "raise", "pid", "ok"]
    outcomes = list(run_isolated(_job, items, workers=2, timeout=5, hold=lambda: True))
    assert sorted(item for item, _, _ in outcomes) == sorted(items)
    errors = {item: error for item, _, error in outcomes}
    assert isinstance(errors["die"], WorkerFailed) and isinstance(errors["raise"], NotAPDF)


def _exited(pid: int) -> bool:
    """Whether process ``pid`` has exited (gone, or a zombie not yet waited for)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_a_worker_left_without_input_exits_before_the_run_ends():
    """Once every input is out, an idle worker is asked to exit at once, not kept
    until the slowest input is done."""
    gone_before_the_end = None
    for item, result, error in run_isolated(_job, ["slow", "pid"], workers=2, timeout=10):
        assert error is None
        if item == "pid":
            deadline = time.monotonic() + 2
            while not _exited(result) and time.monotonic() < deadline:
                time.sleep(0.01)
            gone_before_the_end = _exited(result)
        else:
            assert gone_before_the_end is not None  # the quick input came first
    assert gone_before_the_end


def test_inputs_handed_back_after_the_other_worker_exited_still_run():
    """A worker that dies with inputs sent ahead hands them back even when the other
    worker has already been let go (nothing was left for it): a fresh one runs them."""
    items = ["slow-die", "pid", "pid", "pid"]  # two for each worker: the first dies, late
    outcomes = list(run_isolated(_job, items, workers=2, timeout=10))
    assert sorted(item for item, _, _ in outcomes) == sorted(items)
    errors = {item: error for item, _, error in outcomes}
    assert isinstance(errors["slow-die"], WorkerFailed)
    pids = [result for item, result, error in outcomes if item == "pid"]
    assert all(error is None for item, _, error in outcomes if item == "pid") and len(pids) == 3
    assert len(set(pids)) == 2  # the handed-back input ran in a fresh worker


def test_workers_run_at_the_lower_priority_asked_for():
    """With ``nice``, workers run that much below the caller, as batch work; without,
    at the caller's own priority. The caller's is left alone."""
    here, policy_here = os.nice(0), os.sched_getscheduler(0)
    [(_, (niceness, policy), error)] = list(run_isolated(_job, ["priority"], workers=1, timeout=5, nice=5))
    assert error is None
    assert niceness == min(here + 5, 19)
    assert policy == os.SCHED_BATCH
    [(_, (niceness, policy), _)] = list(run_isolated(_job, ["priority"], workers=1, timeout=5))
    assert (niceness, policy) == (here, policy_here)
    assert (os.nice(0), os.sched_getscheduler(0)) == (here, policy_here)
