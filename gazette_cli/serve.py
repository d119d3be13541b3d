"""Serve the API and web pages from one process, or from several on one port.

Reads: :class:`gazette.settings.Settings` (the archive the server opens).
Writes: nothing; listens on ``host:port`` until interrupted.

With ``workers > 1`` each worker process gets *its own* listening socket on the same
address (``SO_REUSEPORT``), and the kernel spreads new connections evenly over the
sockets. A single shared socket (uvicorn's ``--workers``) lets whichever process wakes
first accept every connection waiting at that moment: clients that open their
keep-alive connections together (a benchmark, a proxy warming its pool) then all land
on one process, and the other cores idle. Searches are CPU-bound, so on 2 cores that
halved throughput (``bench/api_bench.py``).

The parent only supervises: a worker that dies is started again on its socket (unless
workers keep dying as they start: then the server stops with an error), and
SIGINT/SIGTERM stop every worker. Workers are started with ``spawn`` (no state
inherited from the parent but the socket), and each opens the archive itself.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import socket
import sys
import time

from gazette.errors import GazetteError
from gazette.settings import Settings

__all__ = ["serve"]

#: Seconds between two checks that every worker is alive.
_WATCH_INTERVAL = 0.5
#: A worker that exits within this many seconds of its start failed to start.
_QUICK_EXIT = 10.0
#: Failed starts in a row after which the server stops instead of starting another.
_FAILED_STARTS = 3


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int = 1,
    access_log: bool = True,
) -> None:
    """Serve until interrupted: in this process when ``workers`` is 1, else in
    ``workers`` supervised processes, each with its own socket (see the module).

    A worker that exits is started again, unless :data:`_FAILED_STARTS` workers in a
    row exited within :data:`_QUICK_EXIT` seconds of their start (an archive that
    cannot be opened, say): then every worker is stopped and :class:`GazetteError`
    raised, rather than restarting forever."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if workers == 1:
        _run(settings, None, host, port, access_log)
        return
    if not hasattr(socket, "SO_REUSEPORT"):
        raise OSError("several workers need SO_REUSEPORT (Linux, BSD, macOS)")
    sockets = [_listening_socket(host, port) for _ in range(workers)]
    context = mp.get_context("spawn")

    started: dict[int, float] = {}  # worker pid → when it was started

    def start(sock: socket.socket) -> mp.Process:
        proc = context.Process(
            target=_run,
            args=(settings, sock, host, port, access_log),
            name=f"gazette-worker-{sock.fileno()}",
            daemon=True,
        )
        proc.start()
        started[proc.pid] = time.monotonic()
        return proc

    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    procs = [start(sock) for sock in sockets]
    print(f"gazette: serving http://{host}:{port} with {workers} worker processes", file=sys.stderr, flush=True)
    failed_starts = 0
    try:
        while not stopping:
            time.sleep(_WATCH_INTERVAL)
            for i, proc in enumerate(procs):
                if stopping or proc.is_alive():
                    continue
                lived = time.monotonic() - started.pop(proc.pid)
                failed_starts = failed_starts + 1 if lived < _QUICK_EXIT else 0
                if failed_starts >= _FAILED_STARTS:
                    raise GazetteError(
                        f"{failed_starts} server workers in a row exited right after"
                        f" starting (the last with code {proc.exitcode}); see the log above"
                    )
                print(
                    f"gazette: worker {proc.pid} exited ({proc.exitcode}); starting another",
                    file=sys.stderr,
                    flush=True,
                )
                procs[i] = start(sockets[i])
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()  # uvicorn finishes the requests in flight, then exits
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
        for sock in sockets:
            sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` that other sockets may bind too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _run(
    settings: Settings,
    sock: socket.socket | None,
    host: str,
    port: int,
    access_log: bool,
) -> None:
    """One server: the app on ``sock`` (a worker) or on ``host:port`` (alone)."""
    import uvicorn

    from search_api.app import create_app

    config = uvicorn.Config(
        create_app(settings), host=host, port=port, log_level="info", access_log=access_log
    )
    server = uvicorn.Server(config)
    server.run(sockets=[sock] if sock is not None else None)
