"""Serve the API and web pages from one process, or from several on one port.

Reads: :class:`gazette.settings.Settings` (the archive the server opens).
Writes: nothing; listens on ``host:port`` until interrupted.

With ``workers > 1`` the parent process holds the one listening socket, accepts every
connection and hands it to the workers in turn (round robin), passing the connected
socket over a Unix socket pair (``SCM_RIGHTS``); each worker serves the connections it
is handed. Keep-alive connections stay where they were handed, so the workers hold
equal shares of them. Letting the workers accept for themselves spreads them unevenly:
on a shared socket whichever process wakes first takes every connection waiting at
that moment, and with a socket each (``SO_REUSEPORT``) the kernel picks by a hash of
the client's address, so 16 connections split 8 and 8 in only about one case of five
(4 and 12, or worse, in one of thirteen). Searches
are CPU-bound, so the worker holding more connections queues more requests while the
other idles. On 2 cores at 16 clients (``bench/api_bench.py``, 100,000 documents, the
same code otherwise, minutes apart), the kernel's split gave 362–374 requests/s with
p99 88–103 ms; handing out in turn gave 372–384 requests/s with p99 69–77 ms.

The parent only accepts and supervises: a worker that dies is started again (unless
workers keep dying as they start: then the server stops with an error), and
SIGINT/SIGTERM stop every worker. Workers are started with ``spawn`` (no state
inherited from the parent but their end of the socket pair), and each opens the
archive itself.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import selectors
import signal
import socket
import sys
import time
from typing import TYPE_CHECKING

from gazette.errors import GazetteError
from gazette.settings import Settings

if TYPE_CHECKING:
    import uvicorn

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
    ``workers`` supervised processes that the parent hands connections to in turn (see
    the module).

    A worker that exits is started again, unless :data:`_FAILED_STARTS` workers in a
    row exited within :data:`_QUICK_EXIT` seconds of their start (an archive that
    cannot be opened, say): then every worker is stopped and :class:`GazetteError`
    raised, rather than restarting forever."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if workers == 1:
        _run(settings, None, host, port, access_log)
        return
    if not hasattr(socket, "send_fds"):
        raise OSError("several workers need to pass sockets between processes (Linux, BSD, macOS)")
    listener = _listening_socket(host, port)
    context = mp.get_context("spawn")

    started: dict[int, float] = {}  # worker pid → when it was started
    channels: list[socket.socket] = []  # the parent's end of each worker's socket pair

    def start(slot: int) -> mp.Process:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        proc = context.Process(
            target=_run,
            args=(settings, theirs, host, port, access_log),
            name=f"gazette-worker-{slot}",
            daemon=True,
        )
        proc.start()
        theirs.close()
        ours.setblocking(False)  # a worker that stops reading never blocks the parent
        if slot < len(channels):
            channels[slot].close()
            channels[slot] = ours
        else:
            channels.append(ours)
        started[proc.pid] = time.monotonic()
        return proc

    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    procs = [start(slot) for slot in range(workers)]
    print(f"gazette: serving http://{host}:{port} with {workers} worker processes", file=sys.stderr, flush=True)
    failed_starts = 0
    turn = 0
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    try:
        while not stopping:
            if selector.select(timeout=_WATCH_INTERVAL):
                turn = _hand_over(listener, channels, turn)
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
                procs[i] = start(i)
    finally:
        selector.close()
        listener.close()  # new connections are refused from here on
        for proc in procs:
            if proc.is_alive():
                proc.terminate()  # uvicorn finishes the requests in flight, then exits
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
        for channel in channels:
            channel.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _listening_socket(host: str, port: int) -> socket.socket:
    """A non-blocking TCP socket listening on ``host:port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def _hand_over(listener: socket.socket, channels: list[socket.socket], turn: int) -> int:
    """Accept every connection waiting on ``listener`` and pass each to the worker
    whose ``turn`` it is (the next one if that worker cannot take it: exited, or not
    reading). Returns the next turn. The parent's copy of each connection is closed;
    one that no worker takes is closed for good (its client sees the connection
    reset, as from a server at capacity)."""
    while True:
        try:
            conn, _ = listener.accept()
        except (BlockingIOError, InterruptedError):
            return turn
        except OSError as exc:  # out of file descriptors, say: the next round tries again
            print(f"gazette: could not accept a connection: {exc}", file=sys.stderr, flush=True)
            return turn
        with conn:
            for k in range(len(channels)):
                slot = (turn + k) % len(channels)
                try:
                    socket.send_fds(channels[slot], [b"c"], [conn.fileno()])
                except OSError:
                    continue
                turn = slot + 1
                break


def _run(
    settings: Settings,
    channel: socket.socket | None,
    host: str,
    port: int,
    access_log: bool,
) -> None:
    """One server: the app on the connections handed over ``channel`` (a worker), or
    listening on ``host:port`` itself (alone)."""
    import uvicorn

    from search_api.app import create_app

    config = uvicorn.Config(
        create_app(settings), host=host, port=port, log_level="info", access_log=access_log
    )
    if channel is None:
        uvicorn.Server(config).run()
    else:
        _handed_server(config, channel).run(sockets=[])


def _handed_server(config: uvicorn.Config, channel: socket.socket) -> uvicorn.Server:
    """A uvicorn server that listens on nothing and serves the connected sockets the
    parent sends over ``channel`` (:func:`_hand_over`); it stops when the parent's end
    closes."""
    import uvicorn

    class HandedServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=[])
            channel.setblocking(False)
            asyncio.get_running_loop().add_reader(channel.fileno(), self._receive)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            asyncio.get_running_loop().remove_reader(channel.fileno())
            await super().shutdown(sockets=sockets)

        def _protocol(self) -> asyncio.Protocol:
            # what uvicorn's own listening servers make for each connection
            return self.config.http_protocol_class(
                config=self.config, server_state=self.server_state, app_state=self.lifespan.state
            )

        def _receive(self) -> None:
            loop = asyncio.get_running_loop()
            while True:
                try:
                    data, fds, _, _ = socket.recv_fds(channel, 64, 64)
                except (BlockingIOError, InterruptedError):
                    return
                except OSError:  # the channel broke: as if the parent were gone
                    data, fds = b"", []
                if not data and not fds:  # the parent is gone
                    loop.remove_reader(channel.fileno())
                    self.should_exit = True
                    return
                for fd in fds:
                    loop.create_task(self._serve_connection(socket.socket(fileno=fd)))

        async def _serve_connection(self, sock: socket.socket) -> None:
            sock.setblocking(False)
            try:
                await asyncio.get_running_loop().connect_accepted_socket(self._protocol, sock)
            except OSError:  # the client left before the worker took the connection
                sock.close()

    return HandedServer(config)
